"""Publication of administrative penalties (Order 45): credit repairs that end it early."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, UTCDateTime, utcnow


class PenaltyRepair(SQLModel, table=True):
    """信用修复 (国市监信规〔2021〕3号): publication of one penalty chain ends on
    ``granted_on``. Keyed by the chain (agency + source_ref), so a later correction of the
    penalty stays repaired."""

    __tablename__ = "penalty_repair"
    __table_args__ = (UniqueConstraint("agency_id", "source_ref"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    record_id: int = Field(sa_type=BigInteger, index=True)  # the version the grant named
    agency_id: int = Field(foreign_key="agency.id")  # whose penalty (the chain's agency)
    source_ref: str = Field(max_length=128)
    code: str = Field(foreign_key="enterprise.code", max_length=18, index=True)
    granted_on: date
    granted_by: int = Field(foreign_key="agency.id")
    reason: str = Field(max_length=500)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
