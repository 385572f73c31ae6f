"""The honour list (守信激励名单)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from service.schemas import StrictModel
from service.schemas.records import IsoDate


class HonourIn(StrictModel):
    code: str = Field(description="USCC or organization code")
    reason: str = Field(min_length=1, max_length=500, examples=["质量信用优秀,推荐参评省长质量奖"])
    published_on: IsoDate | None = Field(default=None, description="Defaults to today")


class HonourWithdrawIn(StrictModel):
    withdrawn_on: IsoDate | None = Field(default=None, description="Defaults to today")


class PublicHonour(BaseModel):
    """Public fields only: never the class."""

    model_config = ConfigDict(extra="forbid")

    id: int
    code: str
    name: str
    region_code: str
    reason: str
    published_on: date
    authority: str


class PublicHonourPage(BaseModel):
    items: list[PublicHonour]
    next_cursor: str | None
