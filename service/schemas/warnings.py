"""Early warnings (预警)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.schemas import StrictModel
from service.schemas.records import IsoDate


class WarningIn(StrictModel):
    product_category: str = Field(min_length=1, max_length=32, examples=["children-product"])
    region_code: str = Field(
        default="", pattern=r"^\d{0,6}$", description="Division prefix; empty: national"
    )
    severity: Literal["low", "medium", "high"]
    title: str = Field(min_length=1, max_length=200)
    advice: str = Field(min_length=1, max_length=2000, description="What consumers should do")
    issued_on: IsoDate | None = Field(default=None, description="Defaults to today")
    expires_on: IsoDate | None = Field(default=None, description="First day no longer in force")


class WithdrawIn(StrictModel):
    withdrawn_on: IsoDate | None = Field(default=None, description="Defaults to today")


class PublicWarning(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    title: str
    product_category: str
    region_code: str = Field(description="Division prefix; empty: national")
    severity: Literal["low", "medium", "high"]
    advice: str
    issued_on: date
    expires_on: date | None
    authority: str


class PublicWarningPage(BaseModel):
    items: list[PublicWarning]
    next_cursor: str | None
