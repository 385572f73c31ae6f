"""The credit dossier: append-only records, corrected by new versions, never edited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, JSONType, UTCDateTime, utcnow


class CreditRecord(SQLModel, table=True):
    __tablename__ = "credit_record"
    __table_args__ = (
        # one version chain per agency reference; replays find the original here
        UniqueConstraint("agency_id", "source_ref", "version"),
        Index("ix_credit_record_code_kind", "code", "kind", "occurred_on"),
        Index("ix_credit_record_stats", "kind", "occurred_on", "region_code"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    code: str = Field(foreign_key="enterprise.code", max_length=18)
    kind: str = Field(max_length=16)
    agency_id: int = Field(foreign_key="agency.id")
    source_ref: str = Field(max_length=128)
    version: int = Field(default=1)
    supersedes_id: int | None = Field(default=None, sa_type=BigInteger)
    status: str = Field(default="active", max_length=12)
    status_reason: str | None = Field(default=None, max_length=500)
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    occurred_on: date
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # denormalized for statistics and jurisdiction without a join
    region_code: str = Field(max_length=6)
    product_category: str | None = Field(default=None, max_length=32)
    # final inspection outcome after re-test (Order 18 Art.42): pass | fail
    final_result: str | None = Field(default=None, max_length=4)
    # sha256 of the canonical submitted body: a replay with a different body is a conflict
    body_hash: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
