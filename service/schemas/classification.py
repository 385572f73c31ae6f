"""Classification, rule sets, supervision plan and statistics: response models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.schemas import ReasonOut, ReviewOut, StrictModel
from service.schemas.fields import MULTILINE, CheckedModel, IsoDate

GradeName = Literal["AA", "A", "B", "C"]


class GradeChangeOut(BaseModel):
    """One change of an enterprise's class (分类变更记录)."""

    model_config = ConfigDict(populate_by_name=True)

    id: int
    from_: GradeName | None = Field(alias="from", description="null for the first grade")
    to: GradeName
    at: datetime = Field(description="When the registry stored the change")
    as_of: date = Field(description="The evaluation date that produced it")
    ruleset: str
    trigger: str = Field(
        description="What caused the re-evaluation: record, enterprise, blacklist, "
        "catalog, ruleset, recompute…, or review (a regulator's override)"
    )
    reasons: list[ReasonOut]
    agency: str | None = Field(default=None, description="review: the deciding agency")
    reason: str | None = Field(default=None, description="review: why")


class GradeHistoryPage(BaseModel):
    code: str
    items: list[GradeChangeOut]
    next_cursor: str | None


class RuleSetOut(BaseModel):
    id: str
    title: str
    title_zh: str | None
    basis: str | None
    builtin: bool = Field(description="Shipped with the service (cannot be replaced)")
    active: bool = Field(description="New grades are computed with this rule set")
    rule_count: int = Field(description="Number of rules")
    published_at: datetime | None
    published_by: int | None = Field(description="Agency id of the publisher")


class RuleOut(BaseModel):
    id: str
    grade: GradeName
    effect: Literal["cap", "require"]
    text: str
    text_en: str
    basis: str | None


class RuleSetDetail(RuleSetOut):
    body: str = Field(description="The TOML text as published")
    rules: list[RuleOut]


class RuleSetList(BaseModel):
    items: list[RuleSetOut]
    active: str


class BodyIn(CheckedModel):
    """JSON alternative to posting the TOML text as the raw request body."""

    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, MULTILINE] = Field(min_length=1, description="The rule set as TOML text")


class ActivationOut(BaseModel):
    id: str
    active: bool
    previous: str
    regrade: Literal["scheduled", "not-needed"] = Field(
        description="`scheduled`: stored grades are being recomputed in the background, "
        "chunk by chunk (reads of one enterprise use the new rule set at once); "
        "`not-needed`: the rule set was already active"
    )
    enterprises: int = Field(description="Enterprises whose stored class will be re-evaluated")


class PlanItem(BaseModel):
    """One enterprise due for a supervisory inspection."""

    code: str
    name: str
    region_code: str
    grade: GradeName
    ruleset: str
    mode: str
    risk_level: Literal["I", "II", "III"] | None
    inspections_per_year: float
    last_inspection_on: date | None = Field(description="null: never inspected (due now)")
    due_on: date
    overdue_days: int = Field(description="Days past due on `today`; 0 when not yet due")


class PlanPage(BaseModel):
    today: date
    from_: date | None = Field(alias="from")
    to: date
    items: list[PlanItem]
    next_cursor: str | None

    model_config = ConfigDict(populate_by_name=True)


class GradeCounts(BaseModel):
    AA: int = 0
    A: int = 0
    B: int = 0
    C: int = 0
    unclassified: int = 0
    total: int = 0


class GradeGroup(GradeCounts):
    key: str = Field(description="Division-code prefix of the group, e.g. `2111`")
    region_code: str = Field(description="The 6-digit division code, e.g. `211100`")
    label: str | None = Field(description="Division name (GB/T 2260)")


class GradeStats(BaseModel):
    level: Literal["province", "prefecture", "county"]
    region: str | None
    groups: list[GradeGroup]
    total: GradeCounts


class PassRateRow(BaseModel):
    key: str
    label: str | None
    inspections: int
    passed: int
    failed: int
    rate: float | None = Field(description="passed / inspections, 4 decimals; null when none")
    below_target: bool | None = Field(description="rate < target; null without a target")


class PassRateStats(BaseModel):
    group_by: Literal["product", "region", "level", "month", "source"]
    from_: date | None = Field(alias="from")
    to: date | None
    region: str | None
    target: float | None
    groups: list[PassRateRow]
    total: PassRateRow

    model_config = ConfigDict(populate_by_name=True)


class ReviewIn(StrictModel):
    """A regulator's decision on the computed class (seed 000: the quality authority leads
    the classification)."""

    action: Literal["confirm", "override"]
    grade: GradeName | None = Field(
        default=None, description="override: the class decided instead of the computed one"
    )
    reason: str = Field(min_length=1, max_length=1000, description="Why (kept in the history)")
    expires_on: IsoDate | None = Field(
        default=None, description="override: the first day the computed class applies again"
    )


class ReviewListItem(BaseModel):
    code: str
    name: str
    region_code: str
    computed_grade: GradeName = Field(description="What the rules compute now")
    review: ReviewOut = Field(description="The latest review (it saw another computed class)")


class ReviewPage(BaseModel):
    items: list[ReviewListItem]
    next_cursor: str | None
