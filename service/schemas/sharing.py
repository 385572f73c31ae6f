"""Request/response models for the change feed, webhooks, watchlists and the audit chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from service.schemas import StrictModel, events
from service.schemas.fields import Id32

MAX_WATCHLIST_CODES = 100_000


class ChangeEvent(BaseModel):
    seq: int = Field(description="Position in the feed; strictly increasing, gap-free")
    id: str = Field(description="Stable event id (also the webhook-id header of deliveries)")
    type: str = Field(
        examples=["grade.changed"],
        description="Event type; `data` has the shape of components.schemas.Event_<type> "
        "(dots as underscores). Types:\n\n" + events.table_markdown(),
    )
    code: str | None = Field(description="Enterprise USCC, null for catalog events")
    region_code: str | None
    occurred_at: datetime
    data: dict[str, Any]


class ChangesOut(BaseModel):
    events: list[ChangeEvent]
    next_after: int = Field(description="Pass as `after` to continue; never skips an event")
    dataset_version: int = Field(description="The newest committed seq when this page was read")


class WebhookIn(StrictModel):
    url: str = Field(
        max_length=2000,
        description="http(s) URL; must resolve to public addresses",
        examples=["https://bank.example.com/hooks/qcredit"],
    )
    secret: str = Field(
        min_length=16,
        max_length=200,
        description="HMAC key. `whsec_<base64>` secrets are used as Standard Webhooks keys "
        "(the base64-decoded bytes); any other string is used as its UTF-8 bytes. Never "
        "returned after creation.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )
    events: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Event types; `blacklist.` or `blacklist.*` match a prefix; empty = all",
        examples=[["blacklist.", "grade.changed"]],
    )
    region: str | None = Field(
        default=None, pattern=r"^\d{1,6}$", description="Division-code prefix", examples=["2111"]
    )
    watchlist_id: Id32 | None = Field(
        default=None, description="Only events about codes in this watchlist (yours)"
    )


class WebhookOut(BaseModel):
    id: int
    url: str
    events: list[str]
    region: str | None
    watchlist_id: int | None
    active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    cursor_seq: int = Field(description="Events up to this seq have been queued for delivery")
    created_at: datetime


class WebhookList(BaseModel):
    items: list[WebhookOut]
    next_cursor: str | None = None


class EnableIn(StrictModel):
    retry_failed: bool = Field(
        default=False, description="Also queue again the deliveries that exhausted retries"
    )


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    event_seq: int
    state: Literal["pending", "sending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class WatchlistIn(StrictModel):
    name: str = Field(min_length=1, max_length=200, examples=["供应商名单 2026"])
    codes: list[str] = Field(
        max_length=MAX_WATCHLIST_CODES,
        description="USCCs (any spelling) or 9-character org codes of registered enterprises",
    )


class WatchlistCodesIn(StrictModel):
    codes: list[str] = Field(max_length=MAX_WATCHLIST_CODES)


class RejectedCode(BaseModel):
    index: int
    code: str
    rule: str
    message: str
    expected: str | None = None


class WatchlistOut(BaseModel):
    id: int
    name: str
    count: int
    created_at: datetime


class WatchlistWritten(WatchlistOut):
    accepted: int = Field(description="Distinct valid codes now in the watchlist")
    rejected: list[RejectedCode]


class WatchlistDetail(WatchlistOut):
    codes: list[str] = Field(description="One page of codes, in code order")
    next_cursor: str | None


class WatchlistList(BaseModel):
    items: list[WatchlistOut]
    next_cursor: str | None = None


class AuditEntryOut(BaseModel):
    seq: int
    at: datetime
    agency: int | None
    action: str
    target: str
    request_id: str
    body_sha256: str
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: str | None


class CheckpointOut(BaseModel):
    """A signed head of the audit chain (Ed25519 over the canonical JSON of
    `{"purpose": "qcredit.audit.checkpoint", "seq", "head", "signed_at", "key_id"}`)."""

    alg: Literal["Ed25519"] = "Ed25519"
    seq: int = Field(description="Entries in the chain when signed")
    head: str = Field(description="Hash of entry `seq` (the head then)")
    signed_at: str
    key_id: str = Field(description="First 16 hex digits of sha256(raw public key)")
    public_key: str = Field(description="Raw Ed25519 public key, base64")
    signature: str = Field(description="Ed25519 signature, base64")


class AuditBreakOut(BaseModel):
    seq: int
    reason: str


class AuditVerifyOut(BaseModel):
    ok: bool
    length: int = Field(description="Entries checked")
    head: str = Field(description="Hash of the last entry (the ledger head)")
    first_bad: int | None = Field(
        default=None, description="Seq of the first entry that is missing or does not chain"
    )
    reason: str | None = None
    broken: list[AuditBreakOut] = Field(
        default_factory=list,
        description="Every broken link (missing, edited, rewritten or truncated), in seq order",
    )
    checkpoints_checked: int = 0
    last_checkpoint: CheckpointOut | None = Field(
        default=None, description="The newest signed checkpoint the chain agrees with"
    )
