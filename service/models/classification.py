"""Current supervision class per enterprise and every change of it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, JSONType, UTCDateTime, utcnow


class ClassificationRow(SQLModel, table=True):
    __tablename__ = "classification"

    code: str = Field(primary_key=True, foreign_key="enterprise.code", max_length=18)
    grade: str = Field(max_length=2)
    ruleset: str = Field(max_length=64)
    as_of: date
    reasons: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    supervision: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )
    computed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GradeChange(SQLModel, table=True):
    __tablename__ = "grade_change"
    __table_args__ = (Index("ix_grade_change_code_at", "code", "at"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    code: str = Field(foreign_key="enterprise.code", max_length=18)
    from_grade: str | None = Field(default=None, max_length=2)
    to_grade: str = Field(max_length=2)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    as_of: date
    ruleset: str = Field(max_length=64)
    trigger: str = Field(default="", max_length=64)
    reasons: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    # who and why, for a change decided by a person (trigger "review")
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    reason: str | None = Field(default=None, max_length=1000)
