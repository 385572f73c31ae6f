"""Agencies (the callers of /v1) and their hashed API keys."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.models.base import UTCDateTime, utcnow


class Agency(SQLModel, table=True):
    __tablename__ = "agency"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    level: str = Field(max_length=16)  # national | province | prefecture | county
    region: str = Field(default="", max_length=6)  # division-code prefix; "" = national
    scopes: str = Field(default="")  # space-separated
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    # sha256 of the whole key: keys are 256-bit random tokens, so a fast hash is enough and
    # lets a request be authenticated with one indexed lookup.
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # shown in listings to tell keys apart
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
