"""The change feed's event types and the shape of each one's ``data`` (the same document
is the body of a webhook delivery). The writers in service/store emit these dicts; this
module documents them in the OpenAPI spec and README, and a test checks every type the
code emits is listed here."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class EventData(BaseModel):
    model_config = ConfigDict(extra="allow")


class EnterpriseData(EventData):
    name: str
    region_code: str
    products: list[str] = Field(description="Product category keys")


class RecordData(EventData):
    id: int = Field(description="Record id (a correction's new id)")
    kind: str = Field(description="sampling, penalty, complaint, incident, recall, ...")
    source_ref: str
    version: int
    occurred_on: str = Field(description="ISO date")
    status: Literal["active", "overturned", "withdrawn", "superseded"]


class RecordCorrectedData(RecordData):
    supersedes_id: int = Field(description="The record version this one replaces")
    reason: str | None = Field(None, description="Correction reason (corrections)")
    followup: str | None = Field(None, description="Follow-up step (re-test, rectification)")


class RecordStatusData(RecordData):
    reason: str | None = None


class GradeReason(BaseModel):
    rule: str
    grade: Literal["AA", "A", "B", "C"]
    text: str = Field(description="Reason in Chinese")
    text_en: str
    record_ids: list[int]


class GradeChangedData(EventData):
    from_: Literal["AA", "A", "B", "C"] | None = Field(alias="from")
    to: Literal["AA", "A", "B", "C"]
    ruleset: str
    as_of: str = Field(description="ISO date")
    reasons: list[GradeReason]


class BlacklistData(EventData):
    id: int = Field(description="Blacklist entry id")
    transition: str = Field(
        description="propose, notify, approve, list, publish, remove, restore, push, "
        "apply_repair, accept_repair, refuse_repair, revoke, expire"
    )
    status: Literal["proposed", "notified", "listed", "removed"]
    category: str
    penalty_record_id: int
    decided_on: str | None
    expires_on: str | None
    published_on: str | None
    removed_on: str | None
    removal_reason: Literal["repaired", "overturned", "error", "expired"] | None
    removal_authority: str | None = Field(None, description="Who decided the removal")


class CatalogData(EventData):
    category: str
    risk_level: Literal["I", "II", "III"]


class CalendarData(EventData):
    days: int
    from_: str | None = Field(alias="from")
    to: str | None


class GtinData(EventData):
    gtin: str
    product_name: str
    product_category: str


class RulesetPublishedData(EventData):
    id: str
    title: str


class RulesetActivatedData(EventData):
    id: str
    previous: str | None


class ReviewedData(EventData):
    action: Literal["confirm", "override"]
    grade: Literal["AA", "A", "B", "C"] = Field(description="The class in force after the review")
    computed_grade: Literal["AA", "A", "B", "C"]
    reason: str
    agency: str = Field(description="The reviewing agency")
    expires_on: str | None = Field(None, description="ISO date an override ends")
    from_: Literal["AA", "A", "B", "C"] | None = Field(alias="from")
    to: Literal["AA", "A", "B", "C"]


class PenaltyRepairedData(RecordData):
    granted_on: str = Field(description="ISO date the credit repair was granted")
    reason: str


class ObjectionData(EventData):
    id: int
    target: str = Field(description="record or grade")
    record_id: int | None
    status: str
    due_on: str = Field(description="ISO date the decision is due")
    decided_on: str | None


class AnnouncementData(EventData):
    id: int
    title: str
    published_on: str


class WarningIssuedData(EventData):
    id: int
    product_category: str
    severity: str


class WithdrawnData(EventData):
    id: int
    withdrawn_on: str


class HonourPublishedData(EventData):
    id: int
    published_on: str


class CheckpointData(EventData):
    alg: str
    seq: int = Field(description="The audit entry the signature covers")
    head: str = Field(description="The chain's hash at that entry")
    signed_at: str
    key_id: str
    public_key: str
    signature: str


# type -> (data model, when it is emitted)
EVENT_TYPES: dict[str, tuple[type[EventData], str]] = {
    "enterprise.created": (EnterpriseData, "an enterprise is registered"),
    "enterprise.updated": (EnterpriseData, "an enterprise's name, region or products change"),
    "record.created": (RecordData, "a dossier record is added (single or batch)"),
    "record.corrected": (RecordCorrectedData, "a record is corrected or gets a follow-up"),
    "record.status_changed": (RecordStatusData, "a record is overturned or withdrawn"),
    "grade.changed": (GradeChangedData, "an enterprise's supervision class changes"),
    "blacklist.proposed": (BlacklistData, "a listing is proposed"),
    "blacklist.notified": (BlacklistData, "prior notice given (Order 44 Art.13)"),
    "blacklist.approved": (BlacklistData, "the listing is approved"),
    "blacklist.listed": (BlacklistData, "the listing decision is made (Art.13)"),
    "blacklist.published": (BlacklistData, "the listing is published (Art.14)"),
    "blacklist.removed": (
        BlacklistData,
        "removed early, overturned or revoked (Art.19), in error or expired (Art.21)",
    ),
    "blacklist.restored": (BlacklistData, "a removal is undone (Order 44 Art.20)"),
    "blacklist.pushed": (BlacklistData, "a cross-province listing is pushed (Art.14)"),
    "blacklist.repair_applied": (BlacklistData, "the enterprise applies for credit repair"),
    "blacklist.repair_accepted": (BlacklistData, "a credit repair application is accepted"),
    "blacklist.repair_refused": (BlacklistData, "a credit repair application is refused"),
    "catalog.updated": (CatalogData, "a product category is added or its risk level changes"),
    "calendar.updated": (CalendarData, "the working-day calendar is replaced"),
    "gtin.registered": (GtinData, "a GTIN is registered or its product changes"),
    "ruleset.published": (RulesetPublishedData, "a grading rule set is published"),
    "ruleset.activated": (RulesetActivatedData, "a rule set becomes the active one"),
    "grade.reviewed": (ReviewedData, "a regulator confirms or overrides the computed class"),
    "penalty.repaired": (PenaltyRepairedData, "credit repair ends a penalty's publication"),
    "objection.filed": (ObjectionData, "an objection (信用异议) is filed"),
    "objection.upheld": (ObjectionData, "an objection is upheld"),
    "objection.rejected": (ObjectionData, "an objection is rejected"),
    "announcement.published": (AnnouncementData, "a sampling-result announcement is published"),
    "warning.issued": (WarningIssuedData, "an early warning (预警) is issued"),
    "warning.withdrawn": (WithdrawnData, "an early warning is withdrawn"),
    "honour.published": (HonourPublishedData, "an enterprise is put on the honour list"),
    "honour.withdrawn": (WithdrawnData, "an honour-list entry is withdrawn"),
    "audit.checkpoint": (CheckpointData, "the audit head is signed (keep a copy)"),
}


def schema_name(event_type: str) -> str:
    return "Event_" + event_type.replace(".", "_")


def table_markdown() -> str:
    """The event types as a markdown table (spec description and README)."""
    lines = ["| type | when | `data` fields |", "|---|---|---|"]
    for event_type, (model, when) in EVENT_TYPES.items():
        fields = ", ".join(f"`{f.alias or name}`" for name, f in model.model_fields.items())
        lines.append(f"| `{event_type}` | {when} | {fields} |")
    return "\n".join(lines)


def add_to_openapi(spec: dict[str, Any]) -> None:
    """Put each type's data schema under components (named ``Event_<type>``) so generated
    clients and readers of the spec see the shapes."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for event_type, (model, when) in EVENT_TYPES.items():
        body = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
        for name, sub in body.pop("$defs", {}).items():
            schemas.setdefault(name, sub)
        body["title"] = schema_name(event_type)
        body["description"] = f"`data` of `{event_type}` events: {when}."
        schemas[schema_name(event_type)] = body
