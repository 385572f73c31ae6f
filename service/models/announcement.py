"""Sampling-result announcements (抽查结果公示, seed 001): a batch of inspections published
together under a title. Only published announcements, and only their inspections, are
public."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, UTCDateTime, utcnow


class Announcement(SQLModel, table=True):
    __tablename__ = "announcement"

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    agency_id: int = Field(foreign_key="agency.id")
    title: str = Field(max_length=200)
    announced_on: date
    product_category: str = Field(max_length=32)
    level: str = Field(max_length=12)
    region_code: str = Field(max_length=6, default="")  # the announcing agency's region
    published_on: date | None = None  # None: a draft, never public
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AnnouncementItem(SQLModel, table=True):
    """One inspection of an announcement, by its record chain (agency + source_ref): the
    public reads the chain's current version, so a re-test's final result shows."""

    __tablename__ = "announcement_item"
    __table_args__ = (UniqueConstraint("announcement_id", "agency_id", "source_ref"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    announcement_id: int = Field(sa_type=BigInteger, foreign_key="announcement.id", index=True)
    agency_id: int = Field(foreign_key="agency.id")
    source_ref: str = Field(max_length=128)
    code: str = Field(foreign_key="enterprise.code", max_length=18, index=True)
