"""Early warnings (预警) an agency issues on a product category and region (seed 001:
适时公布监督抽查结果和预警信息; seed 002: 对区域性、行业性、系统性质量风险及时预警)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, UTCDateTime, utcnow


class EarlyWarning(SQLModel, table=True):
    __tablename__ = "early_warning"

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    agency_id: int = Field(foreign_key="agency.id")
    product_category: str = Field(max_length=32)
    region_code: str = Field(default="", max_length=6)  # division prefix; "" = national
    severity: str = Field(max_length=8)  # low | medium | high
    title: str = Field(max_length=200)
    advice: str = Field(max_length=2000)
    issued_on: date
    expires_on: date | None = None
    withdrawn_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
