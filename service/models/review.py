"""Reviews of computed classes by regulators (confirm / override), newest marked latest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, UTCDateTime, utcnow


class ClassificationReview(SQLModel, table=True):
    __tablename__ = "classification_review"
    __table_args__ = (Index("ix_classification_review_code_latest", "code", "latest"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    code: str = Field(foreign_key="enterprise.code", max_length=18)
    action: str = Field(max_length=8)  # confirm | override
    grade: str = Field(max_length=2)
    computed_grade: str = Field(max_length=2)
    reason: str = Field(max_length=1000)
    agency_id: int = Field(foreign_key="agency.id")
    reviewed_on: date
    expires_on: date | None = None
    # the supervision plan of `grade` at the review (supervision plans read it in SQL)
    inspections_per_year: float | None = None
    latest: bool = Field(default=True)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
