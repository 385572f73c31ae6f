"""Credit-dossier records: one request model per kind (a union tagged by ``kind``), the
follow-up / correction / status bodies, and the response documents.

Field names are the contract in design.md ("Records" + "Contract details"). Structure is
checked here (types, enums, lengths); rules that need the date, the catalog or the
working-day calendar are in :mod:`service.schemas.record_rules`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from service.credit.licences import LICENCE_TYPES
from service.credit.penalties import PENALTY_TYPES, heavier_by_type
from service.schemas import StrictModel
from service.schemas.fields import MULTILINE, IsoDate

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
    "qualification_downgrade",
    "licence_revocation",
    "business_licence_revocation",
    "business_restriction",
    "closure",
    "practice_restriction",
]
assert get_args(PenaltyType) == PENALTY_TYPES  # one list, in service.credit.penalties
LicenceType = Literal[
    "production_licence",
    "food_production_licence",
    "special_equipment_licence",
    "ccc",
    "iso9001",
    "product_certification",
    "food_safety_system",
    "other",
]
assert get_args(LicenceType) == tuple(LICENCE_TYPES)  # one list, in service.credit.licences


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
    lab: str | None = Field(
        default=None, max_length=200, description="The lab of the first test (初检机构)"
    )
    objection_filed_on: IsoDate | None = None
    retest_requested: StrictBool | None = Field(
        default=None,
        description="Whether the objection asks for a re-test (复检申请, Art.35); default yes",
    )
    retest_notified_on: IsoDate | None = Field(
        default=None,
        description="Re-test notice (复检通知): starts the 7-day formalities period (Art.38)",
    )
    retest_formalities_on: IsoDate | None = Field(
        default=None,
        description="Re-test formalities done (办理复检手续): starts the 10-day lab "
        "designation (Art.39)",
    )
    retest_lab: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Re-test lab (复检机构); never the first lab `lab` (Art.39)",
    )
    retest_lab_designated_on: IsoDate | None = None
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
    decided_on: IsoDate | None = Field(
        default=None,
        description="Day of the penalty decision (处罚决定日期); defaults to occurred_on (the "
        "conduct). Every grading window counts the penalty from this day.",
    )
    legal_basis: str | None = Field(default=None, max_length=500)
    penalty_types: list[PenaltyType] = Field(
        min_length=1,
        max_length=len(PENALTY_TYPES),
        description="qualification_downgrade, licence_revocation, business_licence_revocation, "
        "business_restriction, suspension, closure and practice_restriction are heavier "
        "penalties by law (Order 44 Art.2)",
    )
    fine_amount: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)] | None = Field(
        default=None, description="Yuan; required when penalty_types has `fine`"
    )
    heavier: StrictBool | None = Field(
        default=None,
        description="较重行政处罚 (Order 44 Art.2). Defaults to true when penalty_types has a "
        "type that is heavier by law, else false; set it for an aggravated fine (从重罚款)",
    )
    police_referral: StrictBool = Field(default=False, description="移送公安")
    referred_on: IsoDate | None = Field(
        default=None,
        description="Day the case was referred to the police; only with police_referral, "
        "defaults to decided_on. The C-police-referral window counts from this day.",
    )

    @field_validator("heavier")
    @classmethod
    def _heavier_by_type(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        types = info.data.get("penalty_types") or ()
        if value is False and heavier_by_type(types):
            raise PydanticCustomError(
                "order44-art2-heavier-by-type",
                "penalty_types has a heavier penalty by law (Order 44 Art.2: qualification "
                "downgrade, licence or business-licence revocation, restriction, suspension, "
                "closure); heavier cannot be false",
            )
        return value

    @model_validator(mode="after")
    def _defaults(self) -> Self:
        # Filled before the body is hashed and stored, so the response shows what counts.
        if self.decided_on is None:
            self.decided_on = self.occurred_on
        if self.heavier is None:
            self.heavier = heavier_by_type(self.penalty_types)
        if self.police_referral and self.referred_on is None:
            self.referred_on = self.decided_on
        return self


class ComplaintIn(RecordCommon):
    """投诉举报 — a complaint or report (12365)."""

    kind: Literal["complaint"]
    substantiated: StrictBool
    received_on: IsoDate | None = Field(
        default=None,
        description="Day the complaint was received; defaults to occurred_on. The "
        "B-complaints window counts from this day.",
    )
    channel: Literal["12365", "hotline", "web", "letter", "visit", "other"] | None = None
    subject: Annotated[str | None, MULTILINE] = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _defaults(self) -> Self:
        if self.received_on is None:
            self.received_on = self.occurred_on
        return self


class IncidentIn(RecordCommon):
    """质量安全事故 — a quality-safety incident."""

    kind: Literal["incident"]
    severity: Literal["minor", "major"]
    description: Annotated[str | None, MULTILINE] = Field(default=None, max_length=1000)


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
    licence_type: LicenceType = Field(
        description="production_licence 工业产品生产许可证 · "
        "food_production_licence 食品生产许可证 · "
        "special_equipment_licence 特种设备生产许可证 · ccc 强制性产品认证 · "
        "iso9001 质量管理体系认证 · product_certification 自愿性产品认证 · "
        "food_safety_system 食品安全管理体系认证 · other. "
        "Only the certifications (ccc, iso9001, product_certification, food_safety_system) "
        "count for AA; a licence does not",
        examples=["production_licence", "ccc"],
    )
    licence_name: str | None = Field(
        default=None,
        max_length=200,
        description="The certificate's own name, e.g. for `other`",
        examples=["GB/T 19001-2016 质量管理体系认证证书"],
    )
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
    "objection",
    "retest_notice",
    "retest_formalities",
    "retest_lab",
    "retest",
    "rectification_order",
    "recheck",
    "announcement",
    "recheck2",
]


class FollowupIn(StrictModel):
    """One step of the Order 18 chain on an inspection."""

    step: FollowupStep = Field(
        description="objection (异议, Art.35) · retest_notice (复检通知, Art.38) · "
        "retest_formalities (办理复检手续, within 7 days of the notice, Art.38) · retest_lab "
        "(确定复检机构, within 10 days, not the first lab, Art.39) · retest (复检, Art.42) · "
        "rectification_order (责令整改, Art.45) · recheck (复查, Art.47) · announcement "
        "(公告, Art.48) · recheck2 (再次复查, Art.48)"
    )
    on: IsoDate = Field(description="The day the step happened", examples=["2026-06-01"])
    result: PassFail | None = Field(
        default=None, description="Required for retest, recheck and recheck2"
    )
    retest_requested: StrictBool | None = Field(
        default=None,
        description="objection only: false when it does not ask for a re-test (default true)",
    )
    lab: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="retest_lab only (required there): the designated re-test lab",
    )
    first_lab: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="retest_lab only: the first lab, when the record does not name it (`lab`)",
    )


class StatusIn(StrictModel):
    status: Literal["overturned", "withdrawn"] = Field(
        description="overturned: revoked on administrative review or by a court (复议/诉讼撤销); "
        "withdrawn: entered in error"
    )
    reason: Annotated[str, MULTILINE] = Field(min_length=1, max_length=500)


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

    calendar_complete: bool = Field(
        default=True,
        description="False when a deadline falls past the last year the working-day "
        "calendar covers (official or loaded with PUT /v1/calendar): beyond it only "
        "weekends are known rest days, so the date may move once the holidays are published",
    )
    final_result: PassFail | None
    objection_deadline: date | None = Field(description="notified_on + 15 days (Art.36)")
    retest_formalities_deadline: date | None = Field(
        default=None, description="retest_notified_on + 7 days (Art.38)"
    )
    retest_lab_deadline: date | None = Field(
        default=None,
        description="retest_formalities_on (else retest_notified_on) + 10 days (Art.39)",
    )
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
