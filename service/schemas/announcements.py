"""Sampling-result announcements (抽查结果公示): requests and the public documents."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.schemas import StrictModel
from service.schemas.fields import Id64
from service.schemas.records import IsoDate


class AnnouncementIn(StrictModel):
    title: str = Field(min_length=1, max_length=200, examples=["2026年第2批乳制品省级监督抽查结果"])
    announced_on: IsoDate = Field(description="The announcement's date")
    product_category: str = Field(min_length=1, max_length=32, examples=["dairy"])
    level: Literal["national", "provincial", "municipal", "county"]
    record_ids: list[Id64] = Field(min_length=1, max_length=5000, description="Inspection records")


class AnnouncementPublishIn(StrictModel):
    published_on: IsoDate | None = Field(default=None, description="Defaults to today")


class PublicAnnouncement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    title: str
    announced_on: date
    published_on: date | None
    product_category: str
    level: str
    authority: str = Field(description="The announcing agency")
    count: int = Field(description="Inspections in it")
    failed: int = Field(description="Of which finally failed (after any re-test)")


class PublicResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    name: str
    product_category: str | None
    product_name: str | None
    batch_no: str | None
    sampled_on: date
    result: Literal["pass", "fail"] | None = Field(description="The first result")
    failed_items: list[str]
    retest_result: Literal["pass", "fail"] | None = Field(description="复检 result")
    final_result: Literal["pass", "fail"] | None = Field(
        description="Final after re-test (Order 18 Art.42)"
    )


class PublicAnnouncementDetail(PublicAnnouncement):
    results: list[PublicResult]


class PublicAnnouncementPage(BaseModel):
    items: list[PublicAnnouncement]
    next_cursor: str | None


class AnnouncementOut(PublicAnnouncement):
    """The agency's view: a draft has `published_on` null."""
