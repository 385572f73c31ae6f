"""Objections to credit information (信用异议) against a record or a class."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, UTCDateTime, utcnow


class Objection(SQLModel, table=True):
    __tablename__ = "objection"
    __table_args__ = (
        Index("ix_objection_code_status", "code", "status"),
        Index("ix_objection_status_due", "status", "due_on"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    code: str = Field(foreign_key="enterprise.code", max_length=18)
    region_code: str = Field(max_length=6)
    target: str = Field(max_length=8)  # record | grade
    record_id: int | None = Field(default=None, sa_type=BigInteger)
    agency_id: int = Field(foreign_key="agency.id")  # the receiving agency
    filed_on: date
    reason: str = Field(max_length=1000)
    due_on: date
    status: str = Field(default="open", max_length=8)  # open | upheld | rejected
    decided_on: date | None = None
    decision_reason: str | None = Field(default=None, max_length=1000)
    decided_by: int | None = Field(default=None, foreign_key="agency.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
