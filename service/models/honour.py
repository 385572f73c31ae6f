"""The honour list (守信激励名单, seeds 000/001): enterprises an agency publishes as
trustworthy and recommends for awards."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, UTCDateTime, utcnow


class HonourEntry(SQLModel, table=True):
    __tablename__ = "honour_entry"

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    code: str = Field(foreign_key="enterprise.code", max_length=18, index=True)
    region_code: str = Field(max_length=6)
    agency_id: int = Field(foreign_key="agency.id")
    reason: str = Field(max_length=500)
    published_on: date
    withdrawn_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
