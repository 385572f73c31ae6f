"""Request and response models of the agency blacklist API (SAMR Order 44 procedure)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from service.schemas import StrictModel

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
Transition = Literal[
    "notify",
    "approve",
    "list",
    "push",
    "publish",
    "apply_repair",
    "accept_repair",
    "refuse_repair",
    "remove",
    "restore",
]


class ProposeIn(StrictModel):
    code: str = Field(
        min_length=1,
        max_length=40,
        description="USCC (any spelling) or organization code of a registered enterprise",
        examples=["91211100000123457K"],
    )
    category: Category = Field(description="Order 44 Art.5-11 category")
    reason: str = Field(
        min_length=1,
        max_length=1000,
        description="列入事由 (public)",
        examples=["产品经省级监督抽查不合格，公告后复查仍不合格"],
    )
    legal_basis: str = Field(
        min_length=1,
        max_length=500,
        description="列入依据 (public)",
        examples=["《市场监督管理严重违法失信名单管理办法》第七条第三项"],
    )
    penalty_record_id: int = Field(
        gt=0, description="The heavier administrative penalty the listing rests on (Art.2)"
    )
    remedy: str = Field(
        min_length=1,
        max_length=500,
        description="救济途径和期限: how and by when the party can seek review (public, Art.13)",
        examples=["可自收到决定书之日起六十日内申请行政复议，或六个月内提起行政诉讼"],
    )
    fault_basis: str = Field(
        min_length=1,
        max_length=1000,
        description="The finding on subjective fault (主观过错): why the party cannot show it "
        "acted without intent (Art.12). Internal, not public",
        examples=["当事人明知产品不合格仍继续销售，未能提供证据证明其没有主观故意"],
    )
    proposed_on: date | None = Field(
        default=None,
        description="Day the procedure began; defaults to today and cannot be after it. "
        "Lets an agency record a procedure that already happened, each later step with its "
        "own date",
    )


class NotifyIn(StrictModel):
    notified_on: date = Field(description="Date of the prior notice (告知, Art.13)")


class ApproveIn(StrictModel):
    approved_on: date | None = Field(default=None, description="Defaults to today (Art.22)")


class ListIn(StrictModel):
    decided_on: date = Field(description="Listing date (列入日期); starts the 3-year period")
    defence_waived: bool = Field(
        default=False,
        description="The party answered or waived its defence before the 5 working days ran out",
    )
    restricted_until: date | None = Field(
        default=None,
        description="End of a statutory restriction longer than 3 years (Art.21 extension)",
    )


class PushIn(StrictModel):
    pushed_on: date | None = Field(
        default=None, description="Day pushed to the registration province; defaults to today"
    )
    received_on: date | None = Field(
        default=None,
        description="Day the registration province received it; defaults to pushed_on. "
        "Publication is due 10 working days after it (Art.14)",
    )


class ApplyRepairIn(StrictModel):
    applied_on: date | None = Field(
        default=None, description="Day the credit-repair application arrived (Art.17)"
    )


class AcceptRepairIn(StrictModel):
    accepted_on: date | None = Field(
        default=None, description="Day the application was accepted (受理); defaults to today"
    )


class RefuseRepairIn(StrictModel):
    refused_on: date | None = Field(
        default=None,
        description="Day the application was not accepted or early removal was refused",
    )


class PublishIn(StrictModel):
    published_on: date | None = Field(default=None, description="Defaults to today (Art.14)")


class RemoveIn(StrictModel):
    removed_on: date
    reason: Literal["repaired", "overturned", "error"] = Field(
        description="repaired: credit repair after ≥ 1 year (Art.16); overturned: the penalty "
        "was revoked (Art.19); error: listed in error"
    )


class RestoreIn(StrictModel):
    restored_on: date = Field(description="The period restarts on this date (Art.20)")


class UndoneRemovalOut(BaseModel):
    removed_on: date
    reason: str
    restored_on: date
    authority: str | None


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
    fault_basis: str = Field(description="Subjective-fault finding (Art.12)")
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
    restricted_until: date | None = Field(
        description="End of a statutory restriction that extends the listing (Art.21)"
    )
    restored_on: date | None
    undone_removals: list[UndoneRemovalOut] = Field(
        description="Repair removals undone by a restoration (Art.20); the listing was not in "
        "force between each removed_on and restored_on"
    )
    cross_province: bool = Field(
        description="Registered outside the deciding authority's province (Art.14)"
    )
    push_by: date | None = Field(
        description="Cross-province: push to the registration province due (10 working days)"
    )
    pushed_on: date | None
    push_received_on: date | None
    push_overdue: bool
    publish_by: date | None = Field(
        description="Art.14: 20 working days after the decision; across provinces 10 working "
        "days after the registration province received the push"
    )
    published_on: date | None
    publication_overdue: bool
    repair_applied_on: date | None = Field(description="Credit-repair application (Art.17)")
    repair_accept_by: date | None = Field(description="Acceptance due: 2 working days")
    repair_accepted_on: date | None
    repair_acceptance_overdue: bool
    repair_decide_by: date | None = Field(
        description="Decision due: 15 working days after acceptance"
    )
    repair_refused_on: date | None
    repair_decision_overdue: bool
    removed_on: date | None
    removal_reason: str | None
    removal_authority: str | None = Field(description="Who decided the removal (public)")
    stop_publication_by: date | None = Field(
        description="Art.18/19: publication of a removed listing stops within 3 working days"
    )
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


class LegacyListingIn(StrictModel):
    """One listing of a legacy list (`qcredit import-listings`): the procedure as it
    happened, each step with its own date; it is replayed through the same state machine."""

    code: str = Field(min_length=1, max_length=40, description="USCC or organization code")
    penalty_source_ref: str = Field(
        min_length=1,
        max_length=128,
        description="source_ref of the heavier penalty, as recorded by the importing agency",
    )
    category: Category
    reason: str = Field(min_length=1, max_length=1000)
    legal_basis: str = Field(min_length=1, max_length=500)
    fault_basis: str = Field(min_length=1, max_length=1000)
    remedy: str = Field(min_length=1, max_length=500)
    proposed_on: date
    notified_on: date
    approved_on: date | None = None
    approver_agency_id: int | None = Field(
        default=None, description="Art.22 approver; defaults to the command's --approver"
    )
    decided_on: date
    defence_waived: bool = False
    restricted_until: date | None = None
    pushed_on: date | None = None
    push_received_on: date | None = None
    published_on: date | None = None
    removed_on: date | None = None
    removal_reason: Literal["repaired", "overturned", "error"] | None = None
    restored_on: date | None = None
