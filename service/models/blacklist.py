"""严重违法失信名单 entries (SAMR Order 44) and their dated, attributed transitions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, JSONType, UTCDateTime, utcnow


class BlacklistEntry(SQLModel, table=True):
    __tablename__ = "blacklist_entry"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(foreign_key="enterprise.code", index=True, max_length=18)
    region_code: str = Field(max_length=6, index=True)
    category: str = Field(max_length=32)  # Order 44 Art.5-11 category
    reason: str = Field(max_length=1000)
    legal_basis: str = Field(max_length=500)
    remedy: str = Field(default="", max_length=500)  # 救济途径和期限 (public, Art.13)
    fault_basis: str = Field(default="", max_length=1000)  # subjective-fault finding (Art.12)
    penalty_record_id: int = Field(foreign_key="credit_record.id", sa_type=BigIntId)
    proposer_agency_id: int = Field(foreign_key="agency.id")
    proposer_level: str = Field(max_length=16)
    proposer_region: str = Field(default="", max_length=6)
    authority: str = Field(max_length=200)  # deciding authority's name (public)
    status: str = Field(default="proposed", max_length=12, index=True)
    proposed_on: date
    notified_on: date | None = None
    approved_on: date | None = None
    approved_by: int | None = Field(default=None, foreign_key="agency.id")
    decided_on: date | None = None
    defence_waived: bool = False
    expires_on: date | None = None
    publish_by: date | None = None
    published_on: date | None = None
    removed_on: date | None = None
    removal_reason: str | None = Field(default=None, max_length=16)
    removal_authority: str | None = Field(default=None, max_length=200)  # public (Art.18)
    restored_on: date | None = None
    restricted_until: date | None = None  # statutory restriction end (Art.21 extension)
    # Art.20: repair removals undone by a restoration, oldest first:
    # [{"removed_on", "reason", "restored_on", "authority"}]
    undone_removals: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    pushed_on: date | None = None  # Art.14 cross-province push
    push_received_on: date | None = None
    repair_applied_on: date | None = None  # Art.17 credit-repair application
    repair_accepted_on: date | None = None
    repair_refused_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BlacklistTransition(SQLModel, table=True):
    __tablename__ = "blacklist_transition"

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    entry_id: int = Field(foreign_key="blacklist_entry.id", index=True)
    transition: str = Field(max_length=16)
    on: date
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
