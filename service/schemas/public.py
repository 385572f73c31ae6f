"""Models of the public API (no key): the published blacklist and screening.

They document the responses; the routes build the documents with orjson directly.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PublicEntry(BaseModel):
    """Exactly the public columns of a listing (Order 44; national publicity system)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="Unified social credit code")
    name: str = Field(description="Enterprise name")
    region_code: str
    category: str = Field(description="Order 44 Art.5-11 category")
    reason: str = Field(description="列入事由")
    legal_basis: str = Field(description="列入依据")
    authority: str = Field(description="Deciding authority (作出决定的机关)")
    remedy: str = Field(description="救济途径和期限")
    decided_on: date | None = Field(description="Listing date (列入日期)")
    expires_on: date | None = Field(description="End of the listing period (Art.21)")
    removed_on: date | None = Field(description="Removal date (移出日期)")
    removal_reason: Literal["repaired", "overturned", "error", "expired"] | None
    status: Literal["listed", "removed"]


class PublicRemoval(BaseModel):
    """A removed listing: only its removal record stays public (Order 44 Art.18); the
    offence's reason and legal basis are no longer shown."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="Unified social credit code")
    name: str = Field(description="Enterprise name")
    category: str = Field(description="Order 44 Art.5-11 category")
    decided_on: date | None = Field(description="Listing date (列入日期)")
    removed_on: date | None = Field(description="Removal date (移出日期)")
    removal_reason: Literal["repaired", "overturned", "error", "expired"] | None
    removal_authority: str | None = Field(description="Authority that decided the removal")
    status: Literal["removed"]


class PublicPage(BaseModel):
    items: list[PublicEntry | PublicRemoval]
    next_cursor: str | None


class PublicLookup(BaseModel):
    code: str
    listed: bool = Field(description="A published listing is in force today")
    entries: list[PublicEntry | PublicRemoval] = Field(
        description="Newest first; a listing restored after a fraudulent repair (Art.20) is "
        "followed by the removal record that was published before it"
    )


class ScreenIn(BaseModel):
    codes: list[str] = Field(
        description="USCCs (any spelling) or 9-character organization codes",
        examples=[["91210100000123457K", "00012345-7", "not-a-code"]],
    )


class ScreenError(BaseModel):
    rule: str
    message: str
    expected: str | None = None


class ScreenResult(BaseModel):
    code: str = Field(description="The canonical code (the USCC when the registry knows it)")
    input: str | None = Field(
        default=None, description="The code as sent, present only when it differs from `code`"
    )
    valid: bool
    known: bool = Field(description="The enterprise is registered here")
    listed: bool
    grade: Literal["AA", "A", "B", "C"] | None
    error: ScreenError | None = Field(default=None, description="Present when not valid")


class Receipt(BaseModel):
    """HMAC-SHA256 over the canonical JSON of the other fields (sorted keys, no spaces)."""

    request_sha256: str = Field(description="sha256 of the codes as sent, joined by newlines")
    dataset_version: int
    issued_at: str
    count: int
    hits: list[str] = Field(description="Codes found listed, sorted")
    alg: Literal["HMAC-SHA256"] = "HMAC-SHA256"
    signature: str
    token: str = Field(description="The receipt in one string, for GET /public/v1/screen/verify")


class ScreenOut(BaseModel):
    results: list[ScreenResult]
    dataset_version: int = Field(description="Change-feed seq the answer reflects")
    receipt: Receipt


class VerifyOut(BaseModel):
    authentic: bool
    receipt: dict[str, object] | None = None
    detail: str
