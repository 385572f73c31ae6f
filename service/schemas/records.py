"""Credit-dossier records: one request model per kind (a union tagged by ``kind``), the
follow-up / correction / status bodies, and the response documents.

Field names are the contract in design.md ("Records" + "Contract details"). Structure is
checked here (types, enums, lengths); rules that need the date, the catalog or the
working-day calendar are in :mod:`service.schemas.record_rules`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, TypeAdapter

from service.schemas import StrictModel

Kind = Literal[
    "inspection",
    "penalty",
    "complaint",
    "incident",
    "recall",
    "commendation",
    "licence",
    "key_case",
    "monitoring",
    "injury",
]
KINDS: tuple[str, ...] = get_args(Kind)
PassFail = Literal["pass", "fail"]
PenaltyType = Literal[
    "warning",
    "fine",
    "confiscation",
    "suspension",
    "licence_revocation",
    "business_restriction",
    "closure",
    "practice_restriction",
]


def _iso_date(value: object) -> object:
    """Dates are ISO ``YYYY-MM-DD`` strings only: pydantic's lax mode would also take a
    number as a Unix timestamp, which no agency means."""
    if type(value) is str:
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError("must be an ISO date YYYY-MM-DD")
    elif isinstance(value, _NUMBERS):
        raise ValueError("must be an ISO date string YYYY-MM-DD")
    return value


_NUMBERS = (int, float)  # bool is an int


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
SourceRef = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        description="The submitting agency's own reference; unique per agency (replays are no-ops)",
        examples=["PJ-CC-2026-0001"],
    ),
]


class RecordCommon(StrictModel):
    kind: str
    source_ref: SourceRef
    occurred_on: IsoDate = Field(description="When it happened (for inspections: sampled on)")


class InspectionIn(RecordCommon):
    """监督抽查 — a sampling inspection (SAMR Order 18) with its follow-up chain."""

    kind: Literal["inspection"]
    product_category: str = Field(
        min_length=1, max_length=32, description="Catalog category code", examples=["dairy"]
    )
    level: Literal["national", "provincial", "municipal", "county"]
    result: PassFail | None = Field(default=None, description="Required unless `refused`")
    failed_items: list[ShortText] = Field(
        default_factory=list, max_length=100, description="Required for a fail result"
    )
    notified_on: IsoDate | None = Field(
        default=None, description="Result notified to the producer (starts the 15-day objection)"
    )
    retest_result: PassFail | None = Field(
        default=None, description="复检 result — final (Order 18 Art.42)"
    )
    recheck_result: PassFail | None = Field(default=None, description="复查 result (Art.47)")
    refused: StrictBool = Field(default=False, description="Sampling refused (Art.21)")
    product_name: str | None = Field(default=None, max_length=200)
    batch_no: str | None = Field(default=None, max_length=64)
    lab: str | None = Field(default=None, max_length=200)
    objection_filed_on: IsoDate | None = None
    retest_on: IsoDate | None = None
    rectification_ordered_on: IsoDate | None = None
    recheck_on: IsoDate | None = None
    announced_on: IsoDate | None = Field(
        default=None, description="Provincial announcement (公告, Art.48)"
    )
    recheck2_on: IsoDate | None = None
    recheck2_result: PassFail | None = None


class PenaltyIn(RecordCommon):
    """行政处罚 — an administrative penalty decision."""

    kind: Literal["penalty"]
    decision_number: str = Field(min_length=1, max_length=100, examples=["盘市监罚〔2026〕12号"])
    decided_on: IsoDate | None = Field(default=None, description="Defaults to occurred_on")
    legal_basis: str | None = Field(default=None, max_length=500)
    penalty_types: list[PenaltyType] = Field(min_length=1, max_length=8)
    fine_amount: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)] | None = Field(
        default=None, description="Yuan; required when penalty_types has `fine`"
    )
    heavier: StrictBool = Field(default=False, description="较重行政处罚 (Order 44 Art.2)")
    police_referral: StrictBool = Field(default=False, description="移送公安")


class ComplaintIn(RecordCommon):
    """投诉举报 — a complaint or report (12365)."""

    kind: Literal["complaint"]
    substantiated: StrictBool
    received_on: IsoDate | None = Field(default=None, description="Defaults to occurred_on")
    channel: Literal["12365", "hotline", "web", "letter", "visit", "other"] | None = None
    subject: str | None = Field(default=None, max_length=500)


class IncidentIn(RecordCommon):
    """质量安全事故 — a quality-safety incident."""

    kind: Literal["incident"]
    severity: Literal["minor", "major"]
    description: str | None = Field(default=None, max_length=1000)


class RecallIn(RecordCommon):
    """缺陷产品召回 — a defective-product recall."""

    kind: Literal["recall"]
    mode: Literal["voluntary", "ordered"]
    refused_or_delayed: StrictBool = Field(
        default=False, description="An ordered recall refused or delayed (Order 44 Art.8)"
    )
    product_category: str | None = Field(default=None, max_length=32)
    product_name: str | None = Field(default=None, max_length=200)


class CommendationIn(RecordCommon):
    """表彰奖励 — quality award, brand, chief quality officer, standard self-declaration."""

    kind: Literal["commendation"]
    title: str = Field(min_length=1, max_length=200, examples=["辽宁省省长质量奖"])
    award_type: (
        Literal[
            "quality_award", "brand", "chief_quality_officer", "standard_self_declaration", "other"
        ]
        | None
    ) = None
    awarded_by: str | None = Field(default=None, max_length=200)


class LicenceIn(RecordCommon):
    """许可/认证 — production licence, CCC and other certifications."""

    kind: Literal["licence"]
    licence_type: str = Field(min_length=1, max_length=64, examples=["production_licence", "ccc"])
    licence_number: str | None = Field(default=None, max_length=100)
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None
    revoked: StrictBool = False


class KeyCaseIn(RecordCommon):
    """挂牌督办 — a case under supervision by a higher authority."""

    kind: Literal["key_case"]
    state: Literal["open", "closed"]
    case_ref: str | None = Field(
        default=None, max_length=100, description="Groups the open/closed records of one case"
    )
    supervising_authority: str | None = Field(default=None, max_length=200)
    closed_on: IsoDate | None = None


class MonitoringCommon(RecordCommon):
    product_category: str = Field(
        min_length=1, max_length=32, description="Catalog category code", examples=["toy"]
    )
    product_name: str | None = Field(default=None, max_length=200)
    hazard_found: StrictBool = Field(description="A hazard (危害/风险) was found")
    hazard: str | None = Field(default=None, max_length=500, description="What was found")
    severity: Literal["none", "low", "medium", "high"] = Field(
        default="none", description="Of the hazard found (none when no hazard)"
    )


class MonitoringIn(MonitoringCommon):
    """风险监测 — a risk-monitoring sample (seeds 000, 002): not an enforcement finding, it
    does not count for the class; its rate is the share of samples with no hazard found."""

    kind: Literal["monitoring"]
    sample_source: Literal["production", "market", "ecommerce"] = Field(
        description="Sampled at production, in the market or from e-commerce"
    )
    batch_no: str | None = Field(default=None, max_length=64)


class InjuryIn(MonitoringCommon):
    """产品伤害监测 — a product-injury monitoring case (seed 000); `hazard_found` true when
    the product caused the injury. Does not count for the class."""

    kind: Literal["injury"]
    sample_source: Literal["hospital", "market", "ecommerce", "complaint", "other"] = Field(
        default="hospital", description="Where the case was collected (sentinel hospitals…)"
    )


RecordIn = Annotated[
    InspectionIn
    | PenaltyIn
    | ComplaintIn
    | IncidentIn
    | RecallIn
    | CommendationIn
    | LicenceIn
    | KeyCaseIn
    | MonitoringIn
    | InjuryIn,
    Field(discriminator="kind"),
]
RECORD_ADAPTER: TypeAdapter[Any] = TypeAdapter(RecordIn)
KIND_MODELS: dict[str, type[RecordCommon]] = {
    "inspection": InspectionIn,
    "penalty": PenaltyIn,
    "complaint": ComplaintIn,
    "incident": IncidentIn,
    "recall": RecallIn,
    "commendation": CommendationIn,
    "licence": LicenceIn,
    "key_case": KeyCaseIn,
    "monitoring": MonitoringIn,
    "injury": InjuryIn,
}
COMMON_FIELDS = frozenset({"kind", "source_ref", "occurred_on"})
# The kind fields of each kind, in declaration order (CSV columns, filled-in responses).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(f for f in model.model_fields if f not in COMMON_FIELDS)
    for kind, model in KIND_MODELS.items()
}
BOOL_FIELDS = frozenset(
    {"refused", "heavier", "police_referral", "substantiated", "revoked"}
    | {"refused_or_delayed", "hazard_found"}
)
LIST_FIELDS = frozenset({"failed_items", "penalty_types"})
NUMBER_FIELDS = frozenset({"fine_amount"})


# -- follow-ups, corrections, status ---------------------------------------------------------

FollowupStep = Literal[
    "objection", "retest", "rectification_order", "recheck", "announcement", "recheck2"
]


class FollowupIn(StrictModel):
    """One step of the Order 18 chain on an inspection."""

    step: FollowupStep = Field(
        description="objection (异议, Art.35) · retest (复检, Art.42) · rectification_order "
        "(责令整改, Art.45) · recheck (复查, Art.47) · announcement (公告, Art.48) · "
        "recheck2 (再次复查, Art.48)"
    )
    on: IsoDate = Field(description="The day the step happened", examples=["2026-06-01"])
    result: PassFail | None = Field(
        default=None, description="Required for retest, recheck and recheck2"
    )


class StatusIn(StrictModel):
    status: Literal["overturned", "withdrawn"] = Field(
        description="overturned: revoked on administrative review or by a court (复议/诉讼撤销); "
        "withdrawn: entered in error"
    )
    reason: str = Field(min_length=1, max_length=500)


# -- responses ---------------------------------------------------------------------------------


class SecondRecheckWindow(BaseModel):
    opens_on: date
    closes_on: date


class OpenStepOut(BaseModel):
    step: str
    due: date | None
    overdue_days: int | None = Field(description="Days past `due` as of today; null if not late")
    rule: str


class DeadlinesOut(BaseModel):
    """Order 18 deadlines, rolled past weekends and holidays (Art.55)."""

    final_result: PassFail | None
    objection_deadline: date | None = Field(description="notified_on + 15 days (Art.36)")
    rectification_due: date | None = Field(description="order + 60 days (Art.45)")
    recheck_deadline: date | None = Field(description="order + 75 days (Art.47)")
    second_recheck_window: SecondRecheckWindow | None = Field(
        description="60-90 days after the announcement (Art.48)"
    )
    open_steps: list[OpenStepOut]


class WarningOut(BaseModel):
    rule: str
    message: str
    record_ids: list[int]


class RecordOut(BaseModel):
    """A record version; the kind fields appear at the top level, as they were submitted."""

    model_config = ConfigDict(extra="allow")

    id: int
    code: str
    kind: Kind
    status: Literal["active", "overturned", "withdrawn", "superseded"]
    source_ref: str
    agency_id: int
    version: int
    supersedes_id: int | None
    superseded_by: int | None = None
    occurred_on: date
    recorded_at: datetime
    status_reason: str | None
    status_changed_at: datetime | None
    deadlines: DeadlinesOut | None = None
    warnings: list[WarningOut] | None = None
    disputed: bool = Field(default=False, description="An objection (信用异议) against it is open")
    objection_id: int | None = Field(default=None, description="The open objection")


class RecordPage(BaseModel):
    items: list[RecordOut]
    next_cursor: str | None


class HistoryOut(BaseModel):
    current_id: int
    versions: list[RecordOut] = Field(description="Oldest first")


class RejectedItem(BaseModel):
    index: int = Field(description="0-based position of the item in the batch")
    line: int | None = Field(default=None, description="1-based NDJSON line")
    source_ref: str | None = None
    errors: list[dict[str, Any]]


class BatchWarning(BaseModel):
    index: int
    rule: str
    message: str
    record_ids: list[int]


class BatchOut(BaseModel):
    received: int
    accepted: int
    duplicates: int
    rejected: list[RejectedItem]
    ids: list[int | None] = Field(
        description="Per item, in request order: the record id kept (new or the original for "
        "a duplicate), null when rejected"
    )
    duplicate_indexes: list[int]
    warnings: list[BatchWarning]


class OverdueStepOut(BaseModel):
    step: str
    due: date
    days_overdue: int
    rule: str


class OverdueItem(BaseModel):
    record_id: int
    code: str
    region_code: str
    product_category: str | None
    occurred_on: date
    notified_on: date | None
    steps: list[OverdueStepOut]


class OverduePage(BaseModel):
    items: list[OverdueItem]
    next_cursor: str | None
