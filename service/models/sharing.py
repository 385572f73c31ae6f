"""Outbox events, the ledger head, the audit chain, idempotency keys, webhooks, watchlists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from service.models.base import BigIntId, JSONType, UTCDateTime, utcnow


class Ledger(SQLModel, table=True):
    """One row. Updating it at the end of a write transaction hands out the next event and
    audit sequence numbers under a row lock held until commit, so seqs become visible in
    order (a gap-free feed) and the audit chain cannot fork."""

    __tablename__ = "ledger"

    id: int = Field(default=1, primary_key=True)
    event_seq: int = Field(default=0, sa_type=BigInteger)
    audit_seq: int = Field(default=0, sa_type=BigInteger)
    audit_head: str = Field(default="0" * 64, max_length=64)


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_code_seq", "code", "seq"),)

    seq: int = Field(sa_column=Column(BigIntId, primary_key=True, autoincrement=False))
    id: str = Field(max_length=36, unique=True)
    type: str = Field(max_length=48)
    code: str | None = Field(default=None, max_length=18)
    region_code: str | None = Field(default=None, max_length=6)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    seq: int = Field(sa_column=Column(BigIntId, primary_key=True, autoincrement=False))
    at: datetime = Field(sa_type=UTCDateTime)
    agency_id: int | None = None
    action: str = Field(max_length=64)
    target: str = Field(max_length=64, index=True)
    request_id: str = Field(max_length=64)
    body_sha256: str = Field(max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditCheckpoint(SQLModel, table=True):
    """A signed head of the audit chain (service/security/checkpoints.py); one per length."""

    __tablename__ = "audit_checkpoint"

    seq: int = Field(sa_column=Column(BigIntId, primary_key=True, autoincrement=False))
    head: str = Field(max_length=64)
    signed_at: str = Field(max_length=40)  # exactly the signed text
    key_id: str = Field(max_length=16)
    public_key: str = Field(max_length=64)
    signature: str = Field(max_length=128)


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_key"

    agency_id: int = Field(primary_key=True, foreign_key="agency.id")
    key: str = Field(primary_key=True, max_length=200)
    request_hash: str = Field(max_length=64)
    state: str = Field(default="in_flight", max_length=12)  # in_flight | done
    response_status: int | None = None
    response_body: bytes | None = Field(default=None, sa_type=LargeBinary)
    response_headers: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class Webhook(SQLModel, table=True):
    __tablename__ = "webhook"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=512)  # stored encrypted: service/security/secrets.py
    events: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    region: str | None = Field(default=None, max_length=6)
    watchlist_id: int | None = Field(default=None, foreign_key="watchlist.id")
    active: bool = True
    consecutive_failures: int = 0
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # events up to this seq have been fanned out into deliveries
    cursor_seq: int = Field(default=0, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "state", "next_attempt_at"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigIntId, primary_key=True, autoincrement=True)
    )
    webhook_id: int = Field(foreign_key="webhook.id", index=True)
    event_seq: int = Field(sa_type=BigInteger)
    event_id: str = Field(max_length=36)
    state: str = Field(default="pending", max_length=12)  # pending | delivered | failed
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_status: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Watchlist(SQLModel, table=True):
    __tablename__ = "watchlist"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    name: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WatchlistCode(SQLModel, table=True):
    __tablename__ = "watchlist_code"

    watchlist_id: int = Field(foreign_key="watchlist.id", primary_key=True)
    code: str = Field(primary_key=True, max_length=18, index=True)
