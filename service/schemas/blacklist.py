"""Request and response models of the agency blacklist API (SAMR Order 44 procedure)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from service.schemas import StrictModel
from service.schemas.fields import MULTILINE, Id64, IsoDate

# Order 44 Art.5-11: the behaviour a listing is for.
Category = Literal[
    "food_safety",  # Art.5 食品安全
    "drug_safety",  # Art.6 药品、医疗器械、化妆品
    "quality_safety",  # Art.7 质量安全
    "consumer_rights",  # Art.8 侵害消费者权益
    "fair_competition",  # Art.9 破坏公平竞争秩序
    "market_order",  # Art.10 无证无照经营、骗取许可、拒绝阻碍检查
    "penalty_refusal",  # Art.11 拒不履行行政处罚决定
]
EntryStatus = Literal["proposed", "notified", "listed", "removed"]
Transition = Literal["notify", "approve", "list", "publish", "remove", "restore"]


class ProposeIn(StrictModel):
    code: str = Field(
        min_length=1,
        max_length=40,
        description="USCC (any spelling) or organization code of a registered enterprise",
        examples=["912111000001234570"],
    )
    category: Category = Field(description="Order 44 Art.5-11 category")
    reason: Annotated[str, MULTILINE] = Field(
        min_length=1,
        max_length=1000,
        description="列入事由 (public)",
        examples=["产品经省级监督抽查不合格，公告后复查仍不合格"],
    )
    legal_basis: Annotated[str, MULTILINE] = Field(
        min_length=1,
        max_length=500,
        description="列入依据 (public)",
        examples=["《市场监督管理严重违法失信名单管理办法》第七条第三项"],
    )
    penalty_record_id: Id64 = Field(
        description="The heavier administrative penalty the listing rests on (Art.2)"
    )
    remedy: Annotated[str, MULTILINE] = Field(
        default="",
        max_length=500,
        description="救济途径和期限 (public)",
        examples=["可自收到决定书之日起六十日内申请行政复议，或六个月内提起行政诉讼"],
    )


class NotifyIn(StrictModel):
    notified_on: IsoDate = Field(description="Date of the prior notice (告知, Art.13)")


class ApproveIn(StrictModel):
    approved_on: IsoDate | None = Field(default=None, description="Defaults to today (Art.22)")


class ListIn(StrictModel):
    decided_on: IsoDate = Field(description="Listing date (列入日期); starts the 3-year period")
    defence_waived: bool = Field(
        default=False,
        description="The party answered or waived its defence before the 5 working days ran out",
    )
    restricted_until: IsoDate | None = Field(
        default=None,
        description="End of a statutory restriction longer than 3 years (Art.21 extension)",
    )


class PublishIn(StrictModel):
    published_on: IsoDate | None = Field(default=None, description="Defaults to today (Art.14)")


class RemoveIn(StrictModel):
    removed_on: IsoDate
    reason: Literal["repaired", "overturned", "error"] = Field(
        description="repaired: credit repair after ≥ 1 year (Art.16); overturned: the penalty "
        "was revoked (Art.19); error: listed in error"
    )


class RestoreIn(StrictModel):
    restored_on: IsoDate = Field(description="The period restarts on this date (Art.20)")


class TransitionOut(BaseModel):
    transition: str
    on: date
    at: datetime
    agency_id: int | None
    data: dict[str, Any]


class EntryOut(BaseModel):
    """The full internal view of an entry, as it reads today (expiry applied)."""

    id: int
    code: str
    name: str | None
    region_code: str
    category: str
    reason: str
    legal_basis: str
    remedy: str
    authority: str
    penalty_record_id: int
    proposer_agency_id: int
    proposer_level: str
    status: EntryStatus
    proposed_on: date
    notified_on: date | None
    defence_ends_on: date | None = Field(
        description="Last day of the 5-working-day defence window (Art.13)"
    )
    approval_required: bool
    approved_on: date | None
    approved_by: int | None
    decided_on: date | None
    defence_waived: bool
    expires_on: date | None
    restored_on: date | None
    publish_by: date | None
    published_on: date | None
    publication_overdue: bool
    removed_on: date | None
    removal_reason: str | None
    allowed_transitions: list[str]
    transitions: list[TransitionOut] = []
    created_at: datetime
    updated_at: datetime


class TriggerOut(BaseModel):
    rule: str
    article: str
    text: str
    text_en: str
    record_ids: list[int]


class CandidateOut(BaseModel):
    code: str
    name: str
    region_code: str
    grade: str | None
    record_ids: list[int] = Field(description="Every record that qualifies the enterprise")
    triggers: list[TriggerOut]
