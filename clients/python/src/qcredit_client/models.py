# Generated from openapi/openapi.json by clients/python/scripts/codegen.py (datamodel-code-generator): do not edit.

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType


class AcceptRepairIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    accepted_on: Annotated[date | None, Field(title="Accepted On")] = None
    """
    Day the application was accepted (受理); defaults to today
    """


class ActivationOut(BaseModel):
    active: Annotated[bool, Field(title="Active")]
    enterprises: Annotated[int, Field(title="Enterprises")]
    """
    Enterprises whose stored class will be re-evaluated
    """
    id: Annotated[str, Field(title="Id")]
    previous: Annotated[str, Field(title="Previous")]
    regrade: Annotated[Literal["scheduled", "not-needed"], Field(title="Regrade")]
    """
    `scheduled`: stored grades are being recomputed in the background, chunk by chunk (reads of one enterprise use the new rule set at once); `not-needed`: the rule set was already active
    """


RecordId = TypeAliasType("RecordId", Annotated[int, Field(ge=1, le=9223372036854776000)])


class AnnouncementIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    announced_on: Annotated[date, Field(title="Announced On")]
    """
    The announcement's date
    """
    level: Annotated[Literal["national", "provincial", "municipal", "county"], Field(title="Level")]
    product_category: Annotated[
        str,
        Field(
            examples=["dairy"],
            max_length=32,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Product Category",
        ),
    ]
    record_ids: Annotated[list[RecordId], Field(max_length=5000, min_length=1, title="Record Ids")]
    """
    Inspection records
    """
    title: Annotated[
        str,
        Field(
            examples=["2026年第2批乳制品省级监督抽查结果"],
            max_length=200,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Title",
        ),
    ]


class AnnouncementOut(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    announced_on: Annotated[date, Field(title="Announced On")]
    authority: Annotated[str, Field(title="Authority")]
    """
    The announcing agency
    """
    count: Annotated[int, Field(title="Count")]
    """
    Inspections in it
    """
    failed: Annotated[int, Field(title="Failed")]
    """
    Of which finally failed (after any re-test)
    """
    id: Annotated[int, Field(title="Id")]
    level: Annotated[str, Field(title="Level")]
    product_category: Annotated[str, Field(title="Product Category")]
    published_on: Annotated[date | None, Field(title="Published On")]
    title: Annotated[str, Field(title="Title")]


class AnnouncementPublishIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    published_on: Annotated[date | None, Field(title="Published On")] = None
    """
    Defaults to today
    """


class ApplyRepairIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    applied_on: Annotated[date | None, Field(title="Applied On")] = None
    """
    Day the credit-repair application arrived (Art.17)
    """


class ApproveIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    approved_on: Annotated[date | None, Field(title="Approved On")] = None
    """
    Defaults to today (Art.22)
    """


class AuditBreakOut(BaseModel):
    reason: Annotated[str, Field(title="Reason")]
    seq: Annotated[int, Field(title="Seq")]


class AuditEntryOut(BaseModel):
    action: Annotated[str, Field(title="Action")]
    agency: Annotated[int | None, Field(title="Agency")]
    at: Annotated[AwareDatetime, Field(title="At")]
    body_sha256: Annotated[str, Field(title="Body Sha256")]
    hash: Annotated[str, Field(title="Hash")]
    prev_hash: Annotated[str, Field(title="Prev Hash")]
    request_id: Annotated[str, Field(title="Request Id")]
    seq: Annotated[int, Field(title="Seq")]
    target: Annotated[str, Field(title="Target")]


class AuditPage(BaseModel):
    items: Annotated[list[AuditEntryOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class BatchWarning(BaseModel):
    index: Annotated[int, Field(title="Index")]
    message: Annotated[str, Field(title="Message")]
    record_ids: Annotated[list[int], Field(title="Record Ids")]
    rule: Annotated[str, Field(title="Rule")]


class CalendarCoverageOut(BaseModel):
    covered_through: Annotated[str, Field(title="Covered Through")]
    """
    last covered day, YYYY-MM-DD
    """
    last_year: Annotated[int, Field(title="Last Year")]
    """
    last year the working-day calendar covers
    """
    short: Annotated[bool, Field(title="Short")]
    """
    today + 60 days is beyond it: load the next year
    """
    source: Annotated[str, Field(title="Source")]
    """
    official (published State Council calendar) or operator
    """


class CalendarDayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    day: Annotated[date, Field(examples=["2027-10-01"], title="Day")]
    note: Annotated[
        str | None,
        Field(
            examples=["国庆节"],
            max_length=100,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Note",
        ),
    ] = ""
    working: Annotated[bool, Field(title="Working")]
    """
    true: a working day (e.g. a make-up Sunday); false: a holiday
    """


class CalendarOut(BaseModel):
    items: Annotated[list[CalendarDayIn], Field(title="Items")]
    """
    Every override, by day
    """


class CatalogItem(BaseModel):
    code: Annotated[str, Field(title="Code")]
    name: Annotated[str, Field(title="Name")]
    name_en: Annotated[str, Field(title="Name En")]
    risk_level: Annotated[Literal["I", "II", "III"], Field(title="Risk Level")]


class CatalogItemIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    name: Annotated[
        str,
        Field(max_length=100, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Name"),
    ]
    name_en: Annotated[
        str | None, Field(max_length=100, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Name En")
    ] = ""
    risk_level: Annotated[Literal["I", "II", "III"], Field(title="Risk Level")]


class CatalogOut(BaseModel):
    items: Annotated[list[CatalogItem], Field(title="Items")]


class ChangeEvent(BaseModel):
    code: Annotated[str | None, Field(title="Code")]
    """
    Enterprise USCC, null for catalog events
    """
    data: Annotated[dict[str, Any], Field(title="Data")]
    id: Annotated[str, Field(title="Id")]
    """
    Stable event id (also the webhook-id header of deliveries)
    """
    occurred_at: Annotated[AwareDatetime, Field(title="Occurred At")]
    region_code: Annotated[str | None, Field(title="Region Code")]
    seq: Annotated[int, Field(title="Seq")]
    """
    Position in the feed; strictly increasing, gap-free
    """
    type: Annotated[str, Field(examples=["grade.changed"], title="Type")]
    """
    Event type; `data` has the shape of components.schemas.Event_<type> (dots as underscores). Types:

    | type | when | `data` fields |
    |---|---|---|
    | `enterprise.created` | an enterprise is registered | `name`, `region_code`, `products` |
    | `enterprise.updated` | an enterprise's name, region or products change | `name`, `region_code`, `products` |
    | `record.created` | a dossier record is added (single or batch) | `id`, `kind`, `source_ref`, `version`, `occurred_on`, `status` |
    | `record.corrected` | a record is corrected or gets a follow-up | `id`, `kind`, `source_ref`, `version`, `occurred_on`, `status`, `supersedes_id`, `reason`, `followup` |
    | `record.status_changed` | a record is overturned or withdrawn | `id`, `kind`, `source_ref`, `version`, `occurred_on`, `status`, `reason` |
    | `grade.changed` | an enterprise's supervision class changes | `from`, `to`, `ruleset`, `as_of`, `reasons` |
    | `blacklist.proposed` | a listing is proposed | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.notified` | prior notice given (Order 44 Art.13) | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.approved` | the listing is approved | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.listed` | the listing decision is made (Art.13) | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.published` | the listing is published (Art.14) | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.removed` | removed early, overturned or revoked (Art.19), in error or expired (Art.21) | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.restored` | a removal is undone (Order 44 Art.20) | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.pushed` | a cross-province listing is pushed (Art.14) | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.repair_applied` | the enterprise applies for credit repair | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.repair_accepted` | a credit repair application is accepted | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `blacklist.repair_refused` | a credit repair application is refused | `id`, `transition`, `status`, `category`, `penalty_record_id`, `decided_on`, `expires_on`, `published_on`, `removed_on`, `removal_reason`, `removal_authority` |
    | `catalog.updated` | a product category is added or its risk level changes | `category`, `risk_level` |
    | `calendar.updated` | the working-day calendar is replaced | `days`, `from`, `to` |
    | `gtin.registered` | a GTIN is registered or its product changes | `gtin`, `product_name`, `product_category` |
    | `ruleset.published` | a grading rule set is published | `id`, `title` |
    | `ruleset.activated` | a rule set becomes the active one | `id`, `previous` |
    | `grade.reviewed` | a regulator confirms or overrides the computed class | `action`, `grade`, `computed_grade`, `reason`, `agency`, `expires_on`, `from`, `to` |
    | `penalty.repaired` | credit repair ends a penalty's publication | `id`, `kind`, `source_ref`, `version`, `occurred_on`, `status`, `granted_on`, `reason` |
    | `objection.filed` | an objection (信用异议) is filed | `id`, `target`, `record_id`, `status`, `due_on`, `decided_on` |
    | `objection.upheld` | an objection is upheld | `id`, `target`, `record_id`, `status`, `due_on`, `decided_on` |
    | `objection.rejected` | an objection is rejected | `id`, `target`, `record_id`, `status`, `due_on`, `decided_on` |
    | `announcement.published` | a sampling-result announcement is published | `id`, `title`, `published_on` |
    | `warning.issued` | an early warning (预警) is issued | `id`, `product_category`, `severity` |
    | `warning.withdrawn` | an early warning is withdrawn | `id`, `withdrawn_on` |
    | `honour.published` | an enterprise is put on the honour list | `id`, `published_on` |
    | `honour.withdrawn` | an honour-list entry is withdrawn | `id`, `withdrawn_on` |
    | `audit.checkpoint` | the audit head is signed (keep a copy) | `alg`, `seq`, `head`, `signed_at`, `key_id`, `public_key`, `signature` |
    """


class ChangesOut(BaseModel):
    dataset_version: Annotated[int, Field(title="Dataset Version")]
    """
    The newest committed seq when this page was read
    """
    events: Annotated[list[ChangeEvent], Field(title="Events")]
    next_after: Annotated[int, Field(title="Next After")]
    """
    Pass as `after` to continue; never skips an event
    """


class CheckpointOut(BaseModel):
    alg: Annotated[Literal["Ed25519"], Field(title="Alg")] = "Ed25519"
    head: Annotated[str, Field(title="Head")]
    """
    Hash of entry `seq` (the head then)
    """
    key_id: Annotated[str, Field(title="Key Id")]
    """
    First 16 hex digits of sha256(raw public key)
    """
    public_key: Annotated[str, Field(title="Public Key")]
    """
    Raw Ed25519 public key, base64
    """
    seq: Annotated[int, Field(title="Seq")]
    """
    Entries in the chain when signed
    """
    signature: Annotated[str, Field(title="Signature")]
    """
    Ed25519 signature, base64
    """
    signed_at: Annotated[str, Field(title="Signed At")]


AwardedBy = TypeAliasType(
    "AwardedBy",
    Annotated[
        str, Field(max_length=200, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Awarded By")
    ],
)


class CommendationIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    award_type: Annotated[
        Literal[
            "quality_award", "brand", "chief_quality_officer", "standard_self_declaration", "other"
        ]
        | None,
        Field(title="Award Type"),
    ] = None
    awarded_by: Annotated[AwardedBy | None, Field(title="Awarded By")] = None
    kind: Annotated[Literal["commendation"], Field(title="Kind")]
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """
    title: Annotated[
        str,
        Field(
            examples=["辽宁省省长质量奖"],
            max_length=200,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Title",
        ),
    ]


Subject = TypeAliasType(
    "Subject",
    Annotated[
        str,
        Field(
            max_length=500,
            pattern="^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$",
            title="Subject",
        ),
    ],
)


class ComplaintIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    channel: Annotated[
        Literal["12365", "hotline", "web", "letter", "visit", "other"] | None,
        Field(title="Channel"),
    ] = None
    kind: Annotated[Literal["complaint"], Field(title="Kind")]
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    received_on: Annotated[date | None, Field(title="Received On")] = None
    """
    Day the complaint was received; defaults to occurred_on. The B-complaints window counts from this day.
    """
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """
    subject: Annotated[Subject | None, Field(title="Subject")] = None
    substantiated: Annotated[bool, Field(title="Substantiated")]


class DecisionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    decided_on: Annotated[date | None, Field(title="Decided On")] = None
    """
    Defaults to today
    """
    outcome: Annotated[Literal["upheld", "rejected"], Field(title="Outcome")]
    reason: Annotated[
        str,
        Field(
            max_length=1000, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Reason"
        ),
    ]
    withdraw: Annotated[bool | None, Field(title="Withdraw")] = False
    """
    upheld: withdraw the record now (else correct it first through POST /v1/records/{id}/corrections)
    """


class DeliveryOut(BaseModel):
    attempts: Annotated[int, Field(title="Attempts")]
    created_at: Annotated[AwareDatetime, Field(title="Created At")]
    delivered_at: Annotated[AwareDatetime | None, Field(title="Delivered At")]
    event_id: Annotated[str, Field(title="Event Id")]
    event_seq: Annotated[int, Field(title="Event Seq")]
    id: Annotated[int, Field(title="Id")]
    last_error: Annotated[str | None, Field(title="Last Error")]
    last_status: Annotated[int | None, Field(title="Last Status")]
    next_attempt_at: Annotated[AwareDatetime | None, Field(title="Next Attempt At")]
    state: Annotated[Literal["pending", "sending", "delivered", "failed"], Field(title="State")]


class DeliveryPage(BaseModel):
    items: Annotated[list[DeliveryOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class EnableIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    retry_failed: Annotated[bool | None, Field(title="Retry Failed")] = False
    """
    Also queue again the deliveries that exhausted retries
    """


Address = TypeAliasType(
    "Address",
    Annotated[str, Field(max_length=300, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Address")],
)


Industry = TypeAliasType(
    "Industry",
    Annotated[str, Field(max_length=100, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Industry")],
)


LegalRepresentative = TypeAliasType(
    "LegalRepresentative",
    Annotated[
        str,
        Field(max_length=100, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Legal Representative"),
    ],
)


Product = TypeAliasType("Product", Annotated[str, Field(pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$")])


RegionCode = TypeAliasType(
    "RegionCode", Annotated[str, Field(pattern="^\\d{6}$", title="Region Code")]
)
"""
GB/T 2260 division; defaults to positions 3-8 of the code
"""


class EnterpriseIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    address: Annotated[Address | None, Field(title="Address")] = None
    established_on: Annotated[date | None, Field(title="Established On")] = None
    industry: Annotated[Industry | None, Field(title="Industry")] = None
    legal_representative: Annotated[
        LegalRepresentative | None, Field(title="Legal Representative")
    ] = None
    name: Annotated[
        str,
        Field(
            examples=["盘锦示例乳业有限公司"],
            max_length=200,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Name",
        ),
    ]
    products: Annotated[list[Product] | None, Field(max_length=100, title="Products")] = None
    """
    Catalog category codes
    """
    region_code: Annotated[RegionCode | None, Field(title="Region Code")] = None
    """
    GB/T 2260 division; defaults to positions 3-8 of the code
    """


class EnterpriseSummary(BaseModel):
    code: Annotated[str, Field(title="Code")]
    grade: Annotated[str | None, Field(title="Grade")]
    name: Annotated[str, Field(title="Name")]
    org_code: Annotated[str, Field(title="Org Code")]
    products: Annotated[list[str], Field(title="Products")]
    region_code: Annotated[str, Field(title="Region Code")]


class EventAnnouncementPublished(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[int, Field(title="Id")]
    published_on: Annotated[str, Field(title="Published On")]
    title: Annotated[str, Field(title="Title")]


class EventAuditCheckpoint(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    alg: Annotated[str, Field(title="Alg")]
    head: Annotated[str, Field(title="Head")]
    """
    The chain's hash at that entry
    """
    key_id: Annotated[str, Field(title="Key Id")]
    public_key: Annotated[str, Field(title="Public Key")]
    seq: Annotated[int, Field(title="Seq")]
    """
    The audit entry the signature covers
    """
    signature: Annotated[str, Field(title="Signature")]
    signed_at: Annotated[str, Field(title="Signed At")]


class EventBlacklistApproved(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistListed(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistNotified(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistProposed(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistPublished(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistPushed(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistRemoved(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistRepairAccepted(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistRepairApplied(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistRepairRefused(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventBlacklistRestored(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    decided_on: Annotated[str | None, Field(title="Decided On")]
    expires_on: Annotated[str | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    """
    Blacklist entry id
    """
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    published_on: Annotated[str | None, Field(title="Published On")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")] = None
    """
    Who decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[str | None, Field(title="Removed On")]
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    transition: Annotated[str, Field(title="Transition")]
    """
    propose, notify, approve, list, publish, remove, restore, push, apply_repair, accept_repair, refuse_repair, revoke, expire
    """


class EventCalendarUpdated(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    days: Annotated[int, Field(title="Days")]
    from_: Annotated[str | None, Field(alias="from", title="From")]
    to: Annotated[str | None, Field(title="To")]


class EventCatalogUpdated(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    category: Annotated[str, Field(title="Category")]
    risk_level: Annotated[Literal["I", "II", "III"], Field(title="Risk Level")]


class EventEnterpriseCreated(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    name: Annotated[str, Field(title="Name")]
    products: Annotated[list[str], Field(title="Products")]
    """
    Product category keys
    """
    region_code: Annotated[str, Field(title="Region Code")]


class EventEnterpriseUpdated(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    name: Annotated[str, Field(title="Name")]
    products: Annotated[list[str], Field(title="Products")]
    """
    Product category keys
    """
    region_code: Annotated[str, Field(title="Region Code")]


class EventGradeReviewed(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    action: Annotated[Literal["confirm", "override"], Field(title="Action")]
    agency: Annotated[str, Field(title="Agency")]
    """
    The reviewing agency
    """
    computed_grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Computed Grade")]
    expires_on: Annotated[str | None, Field(title="Expires On")] = None
    """
    ISO date an override ends
    """
    from_: Annotated[Literal["AA", "A", "B", "C"] | None, Field(alias="from", title="From")]
    grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Grade")]
    """
    The class in force after the review
    """
    reason: Annotated[str, Field(title="Reason")]
    to: Annotated[Literal["AA", "A", "B", "C"], Field(title="To")]


class EventGtinRegistered(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    gtin: Annotated[str, Field(title="Gtin")]
    product_category: Annotated[str, Field(title="Product Category")]
    product_name: Annotated[str, Field(title="Product Name")]


class EventHonourPublished(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[int, Field(title="Id")]
    published_on: Annotated[str, Field(title="Published On")]


class EventHonourWithdrawn(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[int, Field(title="Id")]
    withdrawn_on: Annotated[str, Field(title="Withdrawn On")]


class EventObjectionFiled(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    decided_on: Annotated[str | None, Field(title="Decided On")]
    due_on: Annotated[str, Field(title="Due On")]
    """
    ISO date the decision is due
    """
    id: Annotated[int, Field(title="Id")]
    record_id: Annotated[int | None, Field(title="Record Id")]
    status: Annotated[str, Field(title="Status")]
    target: Annotated[str, Field(title="Target")]
    """
    record or grade
    """


class EventObjectionRejected(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    decided_on: Annotated[str | None, Field(title="Decided On")]
    due_on: Annotated[str, Field(title="Due On")]
    """
    ISO date the decision is due
    """
    id: Annotated[int, Field(title="Id")]
    record_id: Annotated[int | None, Field(title="Record Id")]
    status: Annotated[str, Field(title="Status")]
    target: Annotated[str, Field(title="Target")]
    """
    record or grade
    """


class EventObjectionUpheld(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    decided_on: Annotated[str | None, Field(title="Decided On")]
    due_on: Annotated[str, Field(title="Due On")]
    """
    ISO date the decision is due
    """
    id: Annotated[int, Field(title="Id")]
    record_id: Annotated[int | None, Field(title="Record Id")]
    status: Annotated[str, Field(title="Status")]
    target: Annotated[str, Field(title="Target")]
    """
    record or grade
    """


class EventPenaltyRepaired(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    granted_on: Annotated[str, Field(title="Granted On")]
    """
    ISO date the credit repair was granted
    """
    id: Annotated[int, Field(title="Id")]
    """
    Record id (a correction's new id)
    """
    kind: Annotated[str, Field(title="Kind")]
    """
    sampling, penalty, complaint, incident, recall, ...
    """
    occurred_on: Annotated[str, Field(title="Occurred On")]
    """
    ISO date
    """
    reason: Annotated[str, Field(title="Reason")]
    source_ref: Annotated[str, Field(title="Source Ref")]
    status: Annotated[
        Literal["active", "overturned", "withdrawn", "superseded"], Field(title="Status")
    ]
    version: Annotated[int, Field(title="Version")]


class EventRecordCorrected(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    followup: Annotated[str | None, Field(title="Followup")] = None
    """
    Follow-up step (re-test, rectification)
    """
    id: Annotated[int, Field(title="Id")]
    """
    Record id (a correction's new id)
    """
    kind: Annotated[str, Field(title="Kind")]
    """
    sampling, penalty, complaint, incident, recall, ...
    """
    occurred_on: Annotated[str, Field(title="Occurred On")]
    """
    ISO date
    """
    reason: Annotated[str | None, Field(title="Reason")] = None
    """
    Correction reason (corrections)
    """
    source_ref: Annotated[str, Field(title="Source Ref")]
    status: Annotated[
        Literal["active", "overturned", "withdrawn", "superseded"], Field(title="Status")
    ]
    supersedes_id: Annotated[int, Field(title="Supersedes Id")]
    """
    The record version this one replaces
    """
    version: Annotated[int, Field(title="Version")]


class EventRecordCreated(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[int, Field(title="Id")]
    """
    Record id (a correction's new id)
    """
    kind: Annotated[str, Field(title="Kind")]
    """
    sampling, penalty, complaint, incident, recall, ...
    """
    occurred_on: Annotated[str, Field(title="Occurred On")]
    """
    ISO date
    """
    source_ref: Annotated[str, Field(title="Source Ref")]
    status: Annotated[
        Literal["active", "overturned", "withdrawn", "superseded"], Field(title="Status")
    ]
    version: Annotated[int, Field(title="Version")]


class EventRecordStatusChanged(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[int, Field(title="Id")]
    """
    Record id (a correction's new id)
    """
    kind: Annotated[str, Field(title="Kind")]
    """
    sampling, penalty, complaint, incident, recall, ...
    """
    occurred_on: Annotated[str, Field(title="Occurred On")]
    """
    ISO date
    """
    reason: Annotated[str | None, Field(title="Reason")] = None
    source_ref: Annotated[str, Field(title="Source Ref")]
    status: Annotated[
        Literal["active", "overturned", "withdrawn", "superseded"], Field(title="Status")
    ]
    version: Annotated[int, Field(title="Version")]


class EventRulesetActivated(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[str, Field(title="Id")]
    previous: Annotated[str | None, Field(title="Previous")]


class EventRulesetPublished(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[str, Field(title="Id")]
    title: Annotated[str, Field(title="Title")]


class EventWarningIssued(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[int, Field(title="Id")]
    product_category: Annotated[str, Field(title="Product Category")]
    severity: Annotated[str, Field(title="Severity")]


class EventWarningWithdrawn(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[int, Field(title="Id")]
    withdrawn_on: Annotated[str, Field(title="Withdrawn On")]


class FieldError(BaseModel):
    expected: Annotated[str | None, Field(title="Expected")] = None
    field: Annotated[str, Field(title="Field")]
    message: Annotated[str, Field(title="Message")]
    rule: Annotated[str, Field(title="Rule")]


FirstLab = TypeAliasType(
    "FirstLab",
    Annotated[
        str,
        Field(
            max_length=200, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="First Lab"
        ),
    ],
)
"""
retest_lab only: the first lab, when the record does not name it (`lab`)
"""


Lab = TypeAliasType(
    "Lab",
    Annotated[
        str,
        Field(max_length=200, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Lab"),
    ],
)
"""
retest_lab only (required there): the designated re-test lab
"""


class FollowupIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    first_lab: Annotated[FirstLab | None, Field(title="First Lab")] = None
    """
    retest_lab only: the first lab, when the record does not name it (`lab`)
    """
    lab: Annotated[Lab | None, Field(title="Lab")] = None
    """
    retest_lab only (required there): the designated re-test lab
    """
    on: Annotated[date, Field(examples=["2026-06-01"], title="On")]
    """
    The day the step happened
    """
    result: Annotated[Literal["pass", "fail"] | None, Field(title="Result")] = None
    """
    Required for retest, recheck and recheck2
    """
    retest_requested: Annotated[bool | None, Field(title="Retest Requested")] = None
    """
    objection only: false when it does not ask for a re-test (default true)
    """
    step: Annotated[
        Literal[
            "objection",
            "retest_notice",
            "retest_formalities",
            "retest_lab",
            "retest",
            "rectification_order",
            "recheck",
            "announcement",
            "recheck2",
        ],
        Field(title="Step"),
    ]
    """
    objection (异议, Art.35) · retest_notice (复检通知, Art.38) · retest_formalities (办理复检手续, within 7 days of the notice, Art.38) · retest_lab (确定复检机构, within 10 days, not the first lab, Art.39) · retest (复检, Art.42) · rectification_order (责令整改, Art.45) · recheck (复查, Art.47) · announcement (公告, Art.48) · recheck2 (再次复查, Art.48)
    """


class GradeCounts(BaseModel):
    A: Annotated[int | None, Field(title="A")] = 0
    AA: Annotated[int | None, Field(title="Aa")] = 0
    B: Annotated[int | None, Field(title="B")] = 0
    C: Annotated[int | None, Field(title="C")] = 0
    total: Annotated[int | None, Field(title="Total")] = 0
    unclassified: Annotated[int | None, Field(title="Unclassified")] = 0


class GradeGroup(BaseModel):
    A: Annotated[int | None, Field(title="A")] = 0
    AA: Annotated[int | None, Field(title="Aa")] = 0
    B: Annotated[int | None, Field(title="B")] = 0
    C: Annotated[int | None, Field(title="C")] = 0
    key: Annotated[str, Field(title="Key")]
    """
    Division-code prefix of the group, e.g. `2111`
    """
    label: Annotated[str | None, Field(title="Label")]
    """
    Division name (GB/T 2260)
    """
    region_code: Annotated[str, Field(title="Region Code")]
    """
    The 6-digit division code, e.g. `211100`
    """
    total: Annotated[int | None, Field(title="Total")] = 0
    unclassified: Annotated[int | None, Field(title="Unclassified")] = 0


class GradeReason(BaseModel):
    grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Grade")]
    record_ids: Annotated[list[int], Field(title="Record Ids")]
    rule: Annotated[str, Field(title="Rule")]
    text: Annotated[str, Field(title="Text")]
    """
    Reason in Chinese
    """
    text_en: Annotated[str, Field(title="Text En")]


class GradeStats(BaseModel):
    groups: Annotated[list[GradeGroup], Field(title="Groups")]
    level: Annotated[Literal["province", "prefecture", "county"], Field(title="Level")]
    region: Annotated[str | None, Field(title="Region")]
    total: GradeCounts


ProductCategory = TypeAliasType(
    "ProductCategory",
    Annotated[
        str,
        Field(
            examples=["dairy"],
            max_length=32,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Product Category",
        ),
    ],
)
"""
Catalog category code
"""


ProductName = TypeAliasType(
    "ProductName",
    Annotated[
        str,
        Field(
            examples=["纯牛奶 250ml"],
            max_length=200,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Product Name",
        ),
    ],
)


class GtinIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    gtin: Annotated[
        str,
        Field(
            examples=["6901234567892"],
            max_length=32,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Gtin",
        ),
    ]
    """
    GTIN-8, -12, -13 or -14; spaces and hyphens are ignored
    """
    product_category: Annotated[
        ProductCategory | None, Field(examples=["dairy"], title="Product Category")
    ] = None
    """
    Catalog category code
    """
    product_name: Annotated[
        ProductName | None, Field(examples=["纯牛奶 250ml"], title="Product Name")
    ] = None


class GtinOut(BaseModel):
    code: Annotated[str, Field(title="Code")]
    gtin: Annotated[str, Field(title="Gtin")]
    """
    Canonical 14-digit form (shorter GTINs zero-padded)
    """
    product_category: Annotated[str | None, Field(title="Product Category")]
    product_name: Annotated[str | None, Field(title="Product Name")]
    registered_at: Annotated[AwareDatetime, Field(title="Registered At")]


class GtinPage(BaseModel):
    items: Annotated[list[GtinOut], Field(title="Items")]


class HonourIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    code: Annotated[str, Field(pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Code")]
    """
    USCC or organization code
    """
    published_on: Annotated[date | None, Field(title="Published On")] = None
    """
    Defaults to today
    """
    reason: Annotated[
        str,
        Field(
            examples=["质量信用优秀,推荐参评省长质量奖"],
            max_length=500,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Reason",
        ),
    ]


class HonourWithdrawIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    withdrawn_on: Annotated[date | None, Field(title="Withdrawn On")] = None
    """
    Defaults to today
    """


Description = TypeAliasType(
    "Description",
    Annotated[
        str,
        Field(
            max_length=1000,
            pattern="^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$",
            title="Description",
        ),
    ],
)


class IncidentIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    description: Annotated[Description | None, Field(title="Description")] = None
    kind: Annotated[Literal["incident"], Field(title="Kind")]
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    severity: Annotated[Literal["minor", "major"], Field(title="Severity")]
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """


Hazard = TypeAliasType(
    "Hazard",
    Annotated[str, Field(max_length=500, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Hazard")],
)
"""
What was found
"""


ProductName1 = TypeAliasType(
    "ProductName1",
    Annotated[
        str, Field(max_length=200, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Product Name")
    ],
)


class InjuryIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    hazard: Annotated[Hazard | None, Field(title="Hazard")] = None
    """
    What was found
    """
    hazard_found: Annotated[bool, Field(title="Hazard Found")]
    """
    A hazard (危害/风险) was found
    """
    kind: Annotated[Literal["injury"], Field(title="Kind")]
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    product_category: Annotated[
        str,
        Field(
            examples=["toy"],
            max_length=32,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Product Category",
        ),
    ]
    """
    Catalog category code
    """
    product_name: Annotated[ProductName1 | None, Field(title="Product Name")] = None
    sample_source: Annotated[
        Literal["hospital", "market", "ecommerce", "complaint", "other"] | None,
        Field(title="Sample Source"),
    ] = "hospital"
    """
    Where the case was collected (sentinel hospitals…)
    """
    severity: Annotated[
        Literal["none", "low", "medium", "high"] | None, Field(title="Severity")
    ] = "none"
    """
    Of the hazard found (none when no hazard)
    """
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """


BatchNo = TypeAliasType(
    "BatchNo",
    Annotated[str, Field(max_length=64, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Batch No")],
)


FailedItem = TypeAliasType(
    "FailedItem",
    Annotated[str, Field(max_length=200, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$")],
)


Lab1 = TypeAliasType(
    "Lab1",
    Annotated[str, Field(max_length=200, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Lab")],
)
"""
The lab of the first test (初检机构)
"""


RetestLab = TypeAliasType(
    "RetestLab",
    Annotated[
        str,
        Field(
            max_length=200, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Retest Lab"
        ),
    ],
)
"""
Re-test lab (复检机构); never the first lab `lab` (Art.39)
"""


class InspectionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    announced_on: Annotated[date | None, Field(title="Announced On")] = None
    """
    Provincial announcement (公告, Art.48)
    """
    batch_no: Annotated[BatchNo | None, Field(title="Batch No")] = None
    failed_items: Annotated[
        list[FailedItem] | None, Field(max_length=100, title="Failed Items")
    ] = None
    """
    Required for a fail result
    """
    kind: Annotated[Literal["inspection"], Field(title="Kind")]
    lab: Annotated[Lab1 | None, Field(title="Lab")] = None
    """
    The lab of the first test (初检机构)
    """
    level: Annotated[Literal["national", "provincial", "municipal", "county"], Field(title="Level")]
    notified_on: Annotated[date | None, Field(title="Notified On")] = None
    """
    Result notified to the producer (starts the 15-day objection)
    """
    objection_filed_on: Annotated[date | None, Field(title="Objection Filed On")] = None
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    product_category: Annotated[
        str,
        Field(
            examples=["dairy"],
            max_length=32,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Product Category",
        ),
    ]
    """
    Catalog category code
    """
    product_name: Annotated[ProductName1 | None, Field(title="Product Name")] = None
    recheck2_on: Annotated[date | None, Field(title="Recheck2 On")] = None
    recheck2_result: Annotated[Literal["pass", "fail"] | None, Field(title="Recheck2 Result")] = (
        None
    )
    recheck_on: Annotated[date | None, Field(title="Recheck On")] = None
    recheck_result: Annotated[Literal["pass", "fail"] | None, Field(title="Recheck Result")] = None
    """
    复查 result (Art.47)
    """
    rectification_ordered_on: Annotated[date | None, Field(title="Rectification Ordered On")] = None
    refused: Annotated[bool | None, Field(title="Refused")] = False
    """
    Sampling refused (Art.21)
    """
    result: Annotated[Literal["pass", "fail"] | None, Field(title="Result")] = None
    """
    Required unless `refused`
    """
    retest_formalities_on: Annotated[date | None, Field(title="Retest Formalities On")] = None
    """
    Re-test formalities done (办理复检手续): starts the 10-day lab designation (Art.39)
    """
    retest_lab: Annotated[RetestLab | None, Field(title="Retest Lab")] = None
    """
    Re-test lab (复检机构); never the first lab `lab` (Art.39)
    """
    retest_lab_designated_on: Annotated[date | None, Field(title="Retest Lab Designated On")] = None
    retest_notified_on: Annotated[date | None, Field(title="Retest Notified On")] = None
    """
    Re-test notice (复检通知): starts the 7-day formalities period (Art.38)
    """
    retest_on: Annotated[date | None, Field(title="Retest On")] = None
    retest_requested: Annotated[bool | None, Field(title="Retest Requested")] = None
    """
    Whether the objection asks for a re-test (复检申请, Art.35); default yes
    """
    retest_result: Annotated[Literal["pass", "fail"] | None, Field(title="Retest Result")] = None
    """
    复检 result — final (Order 18 Art.42)
    """
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """


CaseRef = TypeAliasType(
    "CaseRef",
    Annotated[str, Field(max_length=100, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Case Ref")],
)
"""
Groups the open/closed records of one case
"""


SupervisingAuthority = TypeAliasType(
    "SupervisingAuthority",
    Annotated[
        str,
        Field(
            max_length=200, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Supervising Authority"
        ),
    ],
)


class KeyCaseIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    case_ref: Annotated[CaseRef | None, Field(title="Case Ref")] = None
    """
    Groups the open/closed records of one case
    """
    closed_on: Annotated[date | None, Field(title="Closed On")] = None
    kind: Annotated[Literal["key_case"], Field(title="Kind")]
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """
    state: Annotated[Literal["open", "closed"], Field(title="State")]
    supervising_authority: Annotated[
        SupervisingAuthority | None, Field(title="Supervising Authority")
    ] = None


LicenceName = TypeAliasType(
    "LicenceName",
    Annotated[
        str,
        Field(
            examples=["GB/T 19001-2016 质量管理体系认证证书"],
            max_length=200,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Licence Name",
        ),
    ],
)
"""
The certificate's own name, e.g. for `other`
"""


LicenceNumber = TypeAliasType(
    "LicenceNumber",
    Annotated[
        str, Field(max_length=100, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Licence Number")
    ],
)


class LicenceIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    kind: Annotated[Literal["licence"], Field(title="Kind")]
    licence_name: Annotated[
        LicenceName | None,
        Field(examples=["GB/T 19001-2016 质量管理体系认证证书"], title="Licence Name"),
    ] = None
    """
    The certificate's own name, e.g. for `other`
    """
    licence_number: Annotated[LicenceNumber | None, Field(title="Licence Number")] = None
    licence_type: Annotated[
        Literal[
            "production_licence",
            "food_production_licence",
            "special_equipment_licence",
            "ccc",
            "iso9001",
            "product_certification",
            "food_safety_system",
            "other",
        ],
        Field(examples=["production_licence", "ccc"], title="Licence Type"),
    ]
    """
    production_licence 工业产品生产许可证 · food_production_licence 食品生产许可证 · special_equipment_licence 特种设备生产许可证 · ccc 强制性产品认证 · iso9001 质量管理体系认证 · product_certification 自愿性产品认证 · food_safety_system 食品安全管理体系认证 · other. Only the certifications (ccc, iso9001, product_certification, food_safety_system) count for AA; a licence does not
    """
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    revoked: Annotated[bool | None, Field(title="Revoked")] = False
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """
    valid_from: Annotated[date | None, Field(title="Valid From")] = None
    valid_to: Annotated[date | None, Field(title="Valid To")] = None


class ListIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    decided_on: Annotated[date, Field(title="Decided On")]
    """
    Listing date (列入日期); starts the 3-year period
    """
    defence_waived: Annotated[bool | None, Field(title="Defence Waived")] = False
    """
    The party answered or waived its defence before the 5 working days ran out
    """
    restricted_until: Annotated[date | None, Field(title="Restricted Until")] = None
    """
    End of a statutory restriction longer than 3 years (Art.21 extension)
    """


class MeOut(BaseModel):
    id: Annotated[int, Field(title="Id")]
    level: Annotated[str, Field(title="Level")]
    """
    national | province | prefecture | county
    """
    name: Annotated[str, Field(title="Name")]
    region: Annotated[str, Field(title="Region")]
    """
    Division-code prefix of the jurisdiction; empty = national
    """
    scopes: Annotated[list[str], Field(title="Scopes")]


class MonitoringIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    batch_no: Annotated[BatchNo | None, Field(title="Batch No")] = None
    hazard: Annotated[Hazard | None, Field(title="Hazard")] = None
    """
    What was found
    """
    hazard_found: Annotated[bool, Field(title="Hazard Found")]
    """
    A hazard (危害/风险) was found
    """
    kind: Annotated[Literal["monitoring"], Field(title="Kind")]
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    product_category: Annotated[
        str,
        Field(
            examples=["toy"],
            max_length=32,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Product Category",
        ),
    ]
    """
    Catalog category code
    """
    product_name: Annotated[ProductName1 | None, Field(title="Product Name")] = None
    sample_source: Annotated[
        Literal["production", "market", "ecommerce"], Field(title="Sample Source")
    ]
    """
    Sampled at production, in the market or from e-commerce
    """
    severity: Annotated[
        Literal["none", "low", "medium", "high"] | None, Field(title="Severity")
    ] = "none"
    """
    Of the hazard found (none when no hazard)
    """
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """


class NotifyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    notified_on: Annotated[date, Field(title="Notified On")]
    """
    Date of the prior notice (告知, Art.13)
    """


RecordId1 = TypeAliasType(
    "RecordId1", Annotated[int, Field(ge=1, le=9223372036854776000, title="Record Id")]
)
"""
target record: which one
"""


class ObjectionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    code: Annotated[str, Field(pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Code")]
    """
    The enterprise objecting (USCC or organization code)
    """
    filed_on: Annotated[date | None, Field(title="Filed On")] = None
    """
    Received by the agency; defaults to today
    """
    reason: Annotated[
        str,
        Field(
            max_length=1000, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Reason"
        ),
    ]
    record_id: Annotated[RecordId1 | None, Field(title="Record Id")] = None
    """
    target record: which one
    """
    target: Annotated[Literal["record", "grade"], Field(title="Target")]


class ObjectionOut(BaseModel):
    agency: Annotated[str, Field(title="Agency")]
    """
    The receiving agency
    """
    code: Annotated[str, Field(title="Code")]
    decided_on: Annotated[date | None, Field(title="Decided On")]
    decision_reason: Annotated[str | None, Field(title="Decision Reason")]
    due_on: Annotated[date, Field(title="Due On")]
    """
    Decision due: 15 working days after filing
    """
    filed_on: Annotated[date, Field(title="Filed On")]
    id: Annotated[int, Field(title="Id")]
    overdue: Annotated[bool, Field(title="Overdue")]
    """
    Open after its due day
    """
    reason: Annotated[str, Field(title="Reason")]
    record_id: Annotated[int | None, Field(title="Record Id")]
    status: Annotated[Literal["open", "upheld", "rejected"], Field(title="Status")]
    target: Annotated[Literal["record", "grade"], Field(title="Target")]


class ObjectionPage(BaseModel):
    items: Annotated[list[ObjectionOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class OpenStepOut(BaseModel):
    due: Annotated[date | None, Field(title="Due")]
    overdue_days: Annotated[int | None, Field(title="Overdue Days")]
    """
    Days past `due` as of today; null if not late
    """
    rule: Annotated[str, Field(title="Rule")]
    step: Annotated[str, Field(title="Step")]


class OverdueStepOut(BaseModel):
    days_overdue: Annotated[int, Field(title="Days Overdue")]
    due: Annotated[date, Field(title="Due")]
    rule: Annotated[str, Field(title="Rule")]
    step: Annotated[str, Field(title="Step")]


class PageEnterpriseSummary(BaseModel):
    dataset_version: Annotated[int | None, Field(title="Dataset Version")] = None
    """
    Feed seq the data reflects (see /v1/changes)
    """
    items: Annotated[list[EnterpriseSummary], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]
    """
    Pass as `cursor` for the next page; null on the last
    """


class PassRateRow(BaseModel):
    below_target: Annotated[bool | None, Field(title="Below Target")]
    """
    rate < target; null without a target
    """
    failed: Annotated[int, Field(title="Failed")]
    inspections: Annotated[int, Field(title="Inspections")]
    key: Annotated[str, Field(title="Key")]
    label: Annotated[str | None, Field(title="Label")]
    passed: Annotated[int, Field(title="Passed")]
    rate: Annotated[float | None, Field(title="Rate")]
    """
    passed / inspections, 4 decimals; null when none
    """


class PassRateStats(BaseModel):
    from_: Annotated[date | None, Field(alias="from", title="From")]
    group_by: Annotated[
        Literal["product", "region", "level", "month", "source"], Field(title="Group By")
    ]
    groups: Annotated[list[PassRateRow], Field(title="Groups")]
    region: Annotated[str | None, Field(title="Region")]
    target: Annotated[float | None, Field(title="Target")]
    to: Annotated[date | None, Field(title="To")]
    total: PassRateRow


FineAmount = TypeAliasType("FineAmount", Annotated[float, Field(ge=0.0, title="Fine Amount")])
"""
Yuan; required when penalty_types has `fine`
"""


FineAmount1 = TypeAliasType(
    "FineAmount1",
    Annotated[str, Field(pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Fine Amount")],
)
"""
Yuan; required when penalty_types has `fine`
"""


LegalBasis = TypeAliasType(
    "LegalBasis",
    Annotated[
        str, Field(max_length=500, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Legal Basis")
    ],
)


class PenaltyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    decided_on: Annotated[date | None, Field(title="Decided On")] = None
    """
    Day of the penalty decision (处罚决定日期); defaults to occurred_on (the conduct). Every grading window counts the penalty from this day.
    """
    decision_number: Annotated[
        str,
        Field(
            examples=["盘市监罚〔2026〕12号"],
            max_length=100,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Decision Number",
        ),
    ]
    fine_amount: Annotated[FineAmount | FineAmount1 | None, Field(title="Fine Amount")] = None
    """
    Yuan; required when penalty_types has `fine`
    """
    heavier: Annotated[bool | None, Field(title="Heavier")] = None
    """
    较重行政处罚 (Order 44 Art.2). Defaults to true when penalty_types has a type that is heavier by law, else false; set it for an aggravated fine (从重罚款)
    """
    kind: Annotated[Literal["penalty"], Field(title="Kind")]
    legal_basis: Annotated[LegalBasis | None, Field(title="Legal Basis")] = None
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    penalty_types: Annotated[
        list[
            Literal[
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
        ],
        Field(max_length=10, min_length=1, title="Penalty Types"),
    ]
    """
    qualification_downgrade, licence_revocation, business_licence_revocation, business_restriction, suspension, closure and practice_restriction are heavier penalties by law (Order 44 Art.2)
    """
    police_referral: Annotated[bool | None, Field(title="Police Referral")] = False
    """
    移送公安
    """
    referred_on: Annotated[date | None, Field(title="Referred On")] = None
    """
    Day the case was referred to the police; only with police_referral, defaults to decided_on. The C-police-referral window counts from this day.
    """
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """


class PlanItem(BaseModel):
    code: Annotated[str, Field(title="Code")]
    due_on: Annotated[date, Field(title="Due On")]
    grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Grade")]
    inspections_per_year: Annotated[float, Field(title="Inspections Per Year")]
    last_inspection_on: Annotated[date | None, Field(title="Last Inspection On")]
    """
    null: never inspected (due now)
    """
    mode: Annotated[str, Field(title="Mode")]
    name: Annotated[str, Field(title="Name")]
    overdue_days: Annotated[int, Field(title="Overdue Days")]
    """
    Days past due on `today`; 0 when not yet due
    """
    region_code: Annotated[str, Field(title="Region Code")]
    risk_level: Annotated[Literal["I", "II", "III"] | None, Field(title="Risk Level")]
    ruleset: Annotated[str, Field(title="Ruleset")]


class PlanPage(BaseModel):
    from_: Annotated[date | None, Field(alias="from", title="From")]
    items: Annotated[list[PlanItem], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]
    to: Annotated[date, Field(title="To")]
    today: Annotated[date, Field(title="Today")]


class Problem(BaseModel):
    detail: Annotated[str, Field(title="Detail")]
    errors: Annotated[list[FieldError] | None, Field(title="Errors", validate_default=True)] = []
    rule: Annotated[str | None, Field(title="Rule")] = None
    status: Annotated[int, Field(title="Status")]
    title: Annotated[str, Field(title="Title")]
    type: Annotated[str, Field(title="Type")]


class ProducerOut(BaseModel):
    blacklisted: Annotated[bool, Field(title="Blacklisted")]
    code: Annotated[str, Field(title="Code")]
    grade: Annotated[str | None, Field(title="Grade")]
    """
    Current supervision class AA/A/B/C
    """
    name: Annotated[str, Field(title="Name")]
    region_code: Annotated[str, Field(title="Region Code")]
    region_name: Annotated[str | None, Field(title="Region Name")]
    ruleset: Annotated[str | None, Field(title="Ruleset")]


class ProposeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    category: Annotated[
        Literal[
            "food_safety",
            "drug_safety",
            "quality_safety",
            "consumer_rights",
            "fair_competition",
            "market_order",
            "penalty_refusal",
        ],
        Field(title="Category"),
    ]
    """
    Order 44 Art.5-11 category
    """
    code: Annotated[
        str,
        Field(
            examples=["912111000001234570"],
            max_length=40,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Code",
        ),
    ]
    """
    USCC (any spelling) or organization code of a registered enterprise
    """
    fault_basis: Annotated[
        str,
        Field(
            examples=["当事人明知产品不合格仍继续销售，未能提供证据证明其没有主观故意"],
            max_length=1000,
            min_length=1,
            pattern="^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$",
            title="Fault Basis",
        ),
    ]
    """
    The finding on subjective fault (主观过错): why the party cannot show it acted without intent (Art.12). Internal, not public
    """
    legal_basis: Annotated[
        str,
        Field(
            examples=["《市场监督管理严重违法失信名单管理办法》第七条第三项"],
            max_length=500,
            min_length=1,
            pattern="^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$",
            title="Legal Basis",
        ),
    ]
    """
    列入依据 (public)
    """
    penalty_record_id: Annotated[
        int, Field(ge=1, le=9223372036854776000, title="Penalty Record Id")
    ]
    """
    The heavier administrative penalty the listing rests on (Art.2)
    """
    proposed_on: Annotated[date | None, Field(title="Proposed On")] = None
    """
    Day the procedure began; defaults to today and cannot be after it. Lets an agency record a procedure that already happened, each later step with its own date
    """
    reason: Annotated[
        str,
        Field(
            examples=["产品经省级监督抽查不合格，公告后复查仍不合格"],
            max_length=1000,
            min_length=1,
            pattern="^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$",
            title="Reason",
        ),
    ]
    """
    列入事由 (public)
    """
    remedy: Annotated[
        str,
        Field(
            examples=["可自收到决定书之日起六十日内申请行政复议，或六个月内提起行政诉讼"],
            max_length=500,
            min_length=1,
            pattern="^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$",
            title="Remedy",
        ),
    ]
    """
    救济途径和期限: how and by when the party can seek review (public, Art.13)
    """


class PublicAnnouncement(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    announced_on: Annotated[date, Field(title="Announced On")]
    authority: Annotated[str, Field(title="Authority")]
    """
    The announcing agency
    """
    count: Annotated[int, Field(title="Count")]
    """
    Inspections in it
    """
    failed: Annotated[int, Field(title="Failed")]
    """
    Of which finally failed (after any re-test)
    """
    id: Annotated[int, Field(title="Id")]
    level: Annotated[str, Field(title="Level")]
    product_category: Annotated[str, Field(title="Product Category")]
    published_on: Annotated[date | None, Field(title="Published On")]
    title: Annotated[str, Field(title="Title")]


class PublicAnnouncementPage(BaseModel):
    items: Annotated[list[PublicAnnouncement], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class PublicEntry(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    authority: Annotated[str, Field(title="Authority")]
    """
    Deciding authority (作出决定的机关)
    """
    category: Annotated[str, Field(title="Category")]
    """
    Order 44 Art.5-11 category
    """
    code: Annotated[str, Field(title="Code")]
    """
    Unified social credit code
    """
    decided_on: Annotated[date | None, Field(title="Decided On")]
    """
    Listing date (列入日期)
    """
    expires_on: Annotated[date | None, Field(title="Expires On")]
    """
    End of the listing period (Art.21)
    """
    legal_basis: Annotated[str, Field(title="Legal Basis")]
    """
    列入依据
    """
    name: Annotated[str, Field(title="Name")]
    """
    Enterprise name
    """
    reason: Annotated[str, Field(title="Reason")]
    """
    列入事由
    """
    region_code: Annotated[str, Field(title="Region Code")]
    remedy: Annotated[str, Field(title="Remedy")]
    """
    救济途径和期限
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[date | None, Field(title="Removed On")]
    """
    Removal date (移出日期)
    """
    status: Annotated[Literal["listed", "removed"], Field(title="Status")]


class PublicHonour(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    authority: Annotated[str, Field(title="Authority")]
    code: Annotated[str, Field(title="Code")]
    id: Annotated[int, Field(title="Id")]
    name: Annotated[str, Field(title="Name")]
    published_on: Annotated[date, Field(title="Published On")]
    reason: Annotated[str, Field(title="Reason")]
    region_code: Annotated[str, Field(title="Region Code")]


class PublicHonourPage(BaseModel):
    items: Annotated[list[PublicHonour], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class PublicPenalty(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    authority: Annotated[str, Field(title="Authority")]
    """
    Deciding authority (处罚机关)
    """
    code: Annotated[str, Field(title="Code")]
    """
    Unified social credit code
    """
    decided_on: Annotated[date, Field(title="Decided On")]
    """
    Decision day (处罚决定日期)
    """
    decision_number: Annotated[str | None, Field(title="Decision Number")]
    """
    处罚决定书文号
    """
    fine_amount: Annotated[float | None, Field(title="Fine Amount")]
    """
    Yuan
    """
    legal_basis: Annotated[str | None, Field(title="Legal Basis")]
    """
    处罚依据
    """
    name: Annotated[str, Field(title="Name")]
    """
    Enterprise name
    """
    penalty_types: Annotated[list[str], Field(title="Penalty Types")]
    public_until: Annotated[date, Field(title="Public Until")]
    """
    First day it is no longer public: 3 years after the decision, 3 months for a warning or a fine of at most 3,000 yuan (Order 45)
    """
    region_code: Annotated[str, Field(title="Region Code")]


class PublicPenaltyLookup(BaseModel):
    code: Annotated[str, Field(title="Code")]
    items: Annotated[list[PublicPenalty], Field(title="Items")]
    """
    Penalties public today, newest first
    """


class PublicPenaltyPage(BaseModel):
    items: Annotated[list[PublicPenalty], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class PublicRemoval(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    category: Annotated[str, Field(title="Category")]
    """
    Order 44 Art.5-11 category
    """
    code: Annotated[str, Field(title="Code")]
    """
    Unified social credit code
    """
    decided_on: Annotated[date | None, Field(title="Decided On")]
    """
    Listing date (列入日期)
    """
    name: Annotated[str, Field(title="Name")]
    """
    Enterprise name
    """
    removal_authority: Annotated[str | None, Field(title="Removal Authority")]
    """
    Authority that decided the removal
    """
    removal_reason: Annotated[
        Literal["repaired", "overturned", "error", "expired"] | None, Field(title="Removal Reason")
    ]
    removed_on: Annotated[date | None, Field(title="Removed On")]
    """
    Removal date (移出日期)
    """
    status: Annotated[Literal["removed"], Field(title="Status")]


class PublicResult(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    batch_no: Annotated[str | None, Field(title="Batch No")]
    code: Annotated[str, Field(title="Code")]
    failed_items: Annotated[list[str], Field(title="Failed Items")]
    final_result: Annotated[Literal["pass", "fail"] | None, Field(title="Final Result")]
    """
    Final after re-test (Order 18 Art.42)
    """
    name: Annotated[str, Field(title="Name")]
    product_category: Annotated[str | None, Field(title="Product Category")]
    product_name: Annotated[str | None, Field(title="Product Name")]
    result: Annotated[Literal["pass", "fail"] | None, Field(title="Result")]
    """
    The first result
    """
    retest_result: Annotated[Literal["pass", "fail"] | None, Field(title="Retest Result")]
    """
    复检 result
    """
    sampled_on: Annotated[date, Field(title="Sampled On")]


class PublicWarning(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    advice: Annotated[str, Field(title="Advice")]
    authority: Annotated[str, Field(title="Authority")]
    expires_on: Annotated[date | None, Field(title="Expires On")]
    id: Annotated[int, Field(title="Id")]
    issued_on: Annotated[date, Field(title="Issued On")]
    product_category: Annotated[str, Field(title="Product Category")]
    region_code: Annotated[str, Field(title="Region Code")]
    """
    Division prefix; empty: national
    """
    severity: Annotated[Literal["low", "medium", "high"], Field(title="Severity")]
    title: Annotated[str, Field(title="Title")]


class PublicWarningPage(BaseModel):
    items: Annotated[list[PublicWarning], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class PublishIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    published_on: Annotated[date | None, Field(title="Published On")] = None
    """
    Defaults to today (Art.14)
    """


class PushIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    pushed_on: Annotated[date | None, Field(title="Pushed On")] = None
    """
    Day pushed to the registration province; defaults to today
    """
    received_on: Annotated[date | None, Field(title="Received On")] = None
    """
    Day the registration province received it; defaults to pushed_on. Publication is due 10 working days after it (Art.14)
    """


class ReasonOut(BaseModel):
    disputed_record_ids: Annotated[list[int] | None, Field(title="Disputed Record Ids")] = None
    """
    Of `record_ids`, those under an open objection (信用异议)
    """
    grade: Annotated[str, Field(title="Grade")]
    record_ids: Annotated[list[int], Field(title="Record Ids")]
    rule: Annotated[str, Field(title="Rule")]
    text: Annotated[str, Field(title="Text")]
    text_en: Annotated[str, Field(title="Text En")]


ProductCategory1 = TypeAliasType(
    "ProductCategory1",
    Annotated[
        str, Field(max_length=32, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Product Category")
    ],
)


class RecallIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    kind: Annotated[Literal["recall"], Field(title="Kind")]
    mode: Annotated[Literal["voluntary", "ordered"], Field(title="Mode")]
    occurred_on: Annotated[date, Field(title="Occurred On")]
    """
    When it happened (for inspections: sampled on)
    """
    product_category: Annotated[ProductCategory1 | None, Field(title="Product Category")] = None
    product_name: Annotated[ProductName1 | None, Field(title="Product Name")] = None
    refused_or_delayed: Annotated[bool | None, Field(title="Refused Or Delayed")] = False
    """
    An ordered recall refused or delayed (Order 44 Art.8)
    """
    source_ref: Annotated[
        str,
        Field(
            examples=["PJ-CC-2026-0001"],
            max_length=128,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Source Ref",
        ),
    ]
    """
    The submitting agency's own reference; unique per agency (replays are no-ops)
    """


class Receipt(BaseModel):
    alg: Annotated[Literal["HMAC-SHA256"], Field(title="Alg")] = "HMAC-SHA256"
    count: Annotated[int, Field(title="Count")]
    dataset_version: Annotated[int, Field(title="Dataset Version")]
    hits: Annotated[list[str], Field(title="Hits")]
    """
    Codes found listed, sorted
    """
    issued_at: Annotated[str, Field(title="Issued At")]
    request_sha256: Annotated[str, Field(title="Request Sha256")]
    """
    sha256 of the codes as sent, joined by newlines
    """
    signature: Annotated[str, Field(title="Signature")]
    token: Annotated[str, Field(title="Token")]
    """
    The receipt in one string, for GET /public/v1/screen/verify
    """


class RefuseRepairIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    refused_on: Annotated[date | None, Field(title="Refused On")] = None
    """
    Day the application was not accepted or early removal was refused
    """


class RejectedCode(BaseModel):
    code: Annotated[str, Field(title="Code")]
    expected: Annotated[str | None, Field(title="Expected")] = None
    index: Annotated[int, Field(title="Index")]
    message: Annotated[str, Field(title="Message")]
    rule: Annotated[str, Field(title="Rule")]


class RejectedItem(BaseModel):
    errors: Annotated[list[dict[str, Any]], Field(title="Errors")]
    index: Annotated[int, Field(title="Index")]
    """
    0-based position of the item in the batch
    """
    line: Annotated[int | None, Field(title="Line")] = None
    """
    1-based NDJSON line
    """
    source_ref: Annotated[str | None, Field(title="Source Ref")] = None


class RemoveIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    reason: Annotated[Literal["repaired", "overturned", "error"], Field(title="Reason")]
    """
    repaired: credit repair after ≥ 1 year (Art.16); overturned: the penalty was revoked (Art.19); error: listed in error
    """
    removed_on: Annotated[date, Field(title="Removed On")]


class RepairIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    granted_on: Annotated[date, Field(title="Granted On")]
    """
    Day the repair is granted; publication ends then
    """
    harm_eliminated: Annotated[bool, Field(title="Harm Eliminated")]
    """
    Harm and bad influence eliminated
    """
    performed: Annotated[bool, Field(title="Performed")]
    """
    The penalty decision has been performed
    """
    reason: Annotated[
        str,
        Field(max_length=500, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Reason"),
    ]


class RepairOut(BaseModel):
    code: Annotated[str, Field(title="Code")]
    earliest: Annotated[date, Field(title="Earliest")]
    """
    First day a repair could be granted
    """
    granted_on: Annotated[date, Field(title="Granted On")]
    public_until: Annotated[date, Field(title="Public Until")]
    """
    Order 45 window end without the repair
    """
    reason: Annotated[str, Field(title="Reason")]
    record_id: Annotated[int, Field(title="Record Id")]


class ReplicaOut(BaseModel):
    lag_seconds: Annotated[float | None, Field(title="Lag Seconds")]
    """
    replay lag at the last check; null if down
    """
    max_lag_seconds: Annotated[float, Field(title="Max Lag Seconds")]
    status: Annotated[Literal["in_use", "lagging", "down"], Field(title="Status")]
    """
    in_use: replica-eligible reads go to it; lagging (more than max_lag_seconds behind) or down: they go to the primary
    """


class RestoreIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    restored_on: Annotated[date, Field(title="Restored On")]
    """
    The period restarts on this date (Art.20)
    """


class ReviewIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    action: Annotated[Literal["confirm", "override"], Field(title="Action")]
    expires_on: Annotated[date | None, Field(title="Expires On")] = None
    """
    override: the first day the computed class applies again
    """
    grade: Annotated[Literal["AA", "A", "B", "C"] | None, Field(title="Grade")] = None
    """
    override: the class decided instead of the computed one
    """
    reason: Annotated[
        str,
        Field(
            max_length=1000, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Reason"
        ),
    ]
    """
    Why (kept in the history)
    """


class ReviewOut(BaseModel):
    action: Annotated[Literal["confirm", "override"], Field(title="Action")]
    agency: Annotated[str, Field(title="Agency")]
    """
    The reviewing agency
    """
    computed_grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Computed Grade")]
    """
    What the rules computed when the reviewer looked
    """
    expires_on: Annotated[date | None, Field(title="Expires On")]
    """
    An override ends on this day
    """
    grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Grade")]
    """
    The grade the reviewer decided
    """
    in_force: Annotated[bool, Field(title="In Force")]
    """
    The override decides the class now (false once expired, or once the dossier computes a lower class than the reviewer saw)
    """
    reason: Annotated[str, Field(title="Reason")]
    reviewed_on: Annotated[date, Field(title="Reviewed On")]


class RuleOut(BaseModel):
    basis: Annotated[str | None, Field(title="Basis")]
    effect: Annotated[Literal["cap", "require"], Field(title="Effect")]
    grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Grade")]
    id: Annotated[str, Field(title="Id")]
    text: Annotated[str, Field(title="Text")]
    text_en: Annotated[str, Field(title="Text En")]


class RuleSetDetail(BaseModel):
    active: Annotated[bool, Field(title="Active")]
    """
    New grades are computed with this rule set
    """
    basis: Annotated[str | None, Field(title="Basis")]
    body: Annotated[str, Field(title="Body")]
    """
    The TOML text as published
    """
    builtin: Annotated[bool, Field(title="Builtin")]
    """
    Shipped with the service (cannot be replaced)
    """
    id: Annotated[str, Field(title="Id")]
    published_at: Annotated[AwareDatetime | None, Field(title="Published At")]
    published_by: Annotated[int | None, Field(title="Published By")]
    """
    Agency id of the publisher
    """
    rule_count: Annotated[int, Field(title="Rule Count")]
    """
    Number of rules
    """
    rules: Annotated[list[RuleOut], Field(title="Rules")]
    title: Annotated[str, Field(title="Title")]
    title_zh: Annotated[str | None, Field(title="Title Zh")]


class RuleSetOut(BaseModel):
    active: Annotated[bool, Field(title="Active")]
    """
    New grades are computed with this rule set
    """
    basis: Annotated[str | None, Field(title="Basis")]
    builtin: Annotated[bool, Field(title="Builtin")]
    """
    Shipped with the service (cannot be replaced)
    """
    id: Annotated[str, Field(title="Id")]
    published_at: Annotated[AwareDatetime | None, Field(title="Published At")]
    published_by: Annotated[int | None, Field(title="Published By")]
    """
    Agency id of the publisher
    """
    rule_count: Annotated[int, Field(title="Rule Count")]
    """
    Number of rules
    """
    title: Annotated[str, Field(title="Title")]
    title_zh: Annotated[str | None, Field(title="Title Zh")]


class ScreenError(BaseModel):
    expected: Annotated[str | None, Field(title="Expected")] = None
    message: Annotated[str, Field(title="Message")]
    rule: Annotated[str, Field(title="Rule")]


class ScreenResult(BaseModel):
    code: Annotated[str, Field(title="Code")]
    """
    The canonical code (the USCC when the registry knows it)
    """
    error: ScreenError | None = None
    """
    Present when not valid
    """
    grade: Annotated[Literal["AA", "A", "B", "C"] | None, Field(title="Grade")]
    """
    The class in force (agency screening only)
    """
    input: Annotated[str | None, Field(title="Input")] = None
    """
    The code as sent, present only when it differs from `code`
    """
    known: Annotated[bool, Field(title="Known")]
    """
    The enterprise is registered here
    """
    listed: Annotated[bool, Field(title="Listed")]
    valid: Annotated[bool, Field(title="Valid")]


class SecondRecheckWindow(BaseModel):
    closes_on: Annotated[date, Field(title="Closes On")]
    opens_on: Annotated[date, Field(title="Opens On")]


class StatusIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    reason: Annotated[
        str,
        Field(
            max_length=500,
            min_length=1,
            pattern="^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$",
            title="Reason",
        ),
    ]
    status: Annotated[Literal["overturned", "withdrawn"], Field(title="Status")]
    """
    overturned: revoked on administrative review or by a court (复议/诉讼撤销); withdrawn: entered in error
    """


class SupervisionOut(BaseModel):
    accountability_interview: Annotated[bool, Field(title="Accountability Interview")]
    inspections_per_year: Annotated[float | None, Field(title="Inspections Per Year")]
    key_supervised: Annotated[bool, Field(title="Key Supervised")]
    mode: Annotated[str, Field(title="Mode")]
    mode_zh: Annotated[str, Field(title="Mode Zh")]
    rectification_required: Annotated[bool, Field(title="Rectification Required")]
    risk_level: Annotated[str | None, Field(title="Risk Level")]


class TransitionOut(BaseModel):
    agency_id: Annotated[int | None, Field(title="Agency Id")]
    at: Annotated[AwareDatetime, Field(title="At")]
    data: Annotated[dict[str, Any], Field(title="Data")]
    on: Annotated[date, Field(title="On")]
    transition: Annotated[str, Field(title="Transition")]


class TriggerOut(BaseModel):
    article: Annotated[str, Field(title="Article")]
    record_ids: Annotated[list[int], Field(title="Record Ids")]
    rule: Annotated[str, Field(title="Rule")]
    text: Annotated[str, Field(title="Text")]
    text_en: Annotated[str, Field(title="Text En")]


class UndoneRemovalOut(BaseModel):
    authority: Annotated[str | None, Field(title="Authority")]
    reason: Annotated[str, Field(title="Reason")]
    removed_on: Annotated[date, Field(title="Removed On")]
    restored_on: Annotated[date, Field(title="Restored On")]


class VerifyOut(BaseModel):
    authentic: Annotated[bool, Field(title="Authentic")]
    detail: Annotated[str, Field(title="Detail")]
    receipt: Annotated[dict[str, Any] | None, Field(title="Receipt")] = None


class WarningIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    advice: Annotated[
        str,
        Field(
            max_length=2000, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Advice"
        ),
    ]
    """
    What consumers should do
    """
    expires_on: Annotated[date | None, Field(title="Expires On")] = None
    """
    First day no longer in force
    """
    issued_on: Annotated[date | None, Field(title="Issued On")] = None
    """
    Defaults to today
    """
    product_category: Annotated[
        str,
        Field(
            examples=["children-product"],
            max_length=32,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Product Category",
        ),
    ]
    region_code: Annotated[str | None, Field(pattern="^\\d{0,6}$", title="Region Code")] = ""
    """
    Division prefix; empty: national
    """
    severity: Annotated[Literal["low", "medium", "high"], Field(title="Severity")]
    title: Annotated[
        str,
        Field(max_length=200, min_length=1, pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$", title="Title"),
    ]


class WarningOut(BaseModel):
    message: Annotated[str, Field(title="Message")]
    record_ids: Annotated[list[int], Field(title="Record Ids")]
    rule: Annotated[str, Field(title="Rule")]


Code = TypeAliasType("Code", Annotated[str, Field(pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$")])


class WatchlistCodesIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    codes: Annotated[list[Code], Field(max_length=100000, title="Codes")]


class WatchlistDetail(BaseModel):
    codes: Annotated[list[str], Field(title="Codes")]
    """
    One page of codes, in code order
    """
    count: Annotated[int, Field(title="Count")]
    created_at: Annotated[AwareDatetime, Field(title="Created At")]
    id: Annotated[int, Field(title="Id")]
    name: Annotated[str, Field(title="Name")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class WatchlistIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    codes: Annotated[list[Code], Field(max_length=100000, title="Codes")]
    """
    USCCs (any spelling) or 9-character org codes of registered enterprises
    """
    name: Annotated[
        str,
        Field(
            examples=["供应商名单 2026"],
            max_length=200,
            min_length=1,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Name",
        ),
    ]


class WatchlistOut(BaseModel):
    count: Annotated[int, Field(title="Count")]
    created_at: Annotated[AwareDatetime, Field(title="Created At")]
    id: Annotated[int, Field(title="Id")]
    name: Annotated[str, Field(title="Name")]


class WatchlistWritten(BaseModel):
    accepted: Annotated[int, Field(title="Accepted")]
    """
    Distinct valid codes now in the watchlist
    """
    count: Annotated[int, Field(title="Count")]
    created_at: Annotated[AwareDatetime, Field(title="Created At")]
    id: Annotated[int, Field(title="Id")]
    name: Annotated[str, Field(title="Name")]
    rejected: Annotated[list[RejectedCode], Field(title="Rejected")]


Event = TypeAliasType("Event", Annotated[str, Field(pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$")])


Region = TypeAliasType(
    "Region", Annotated[str, Field(examples=["2111"], pattern="^\\d{1,6}$", title="Region")]
)
"""
Division-code prefix
"""


WatchlistId = TypeAliasType(
    "WatchlistId", Annotated[int, Field(ge=1, le=2147483647, title="Watchlist Id")]
)
"""
Only events about codes in this watchlist (yours)
"""


class WebhookIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    events: Annotated[
        list[Event] | None,
        Field(examples=[["blacklist.", "grade.changed"]], max_length=50, title="Events"),
    ] = None
    """
    Event types; `blacklist.` or `blacklist.*` match a prefix; empty = all
    """
    region: Annotated[Region | None, Field(examples=["2111"], title="Region")] = None
    """
    Division-code prefix
    """
    secret: Annotated[
        str,
        Field(
            examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            max_length=200,
            min_length=16,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Secret",
        ),
    ]
    """
    HMAC key. `whsec_<base64>` secrets are used as Standard Webhooks keys (the base64-decoded bytes); any other string is used as its UTF-8 bytes. Never returned after creation.
    """
    url: Annotated[
        str,
        Field(
            examples=["https://bank.example.com/hooks/qcredit"],
            max_length=2000,
            pattern="^[^\\x00-\\x1f\\x7f-\\x9f]*$",
            title="Url",
        ),
    ]
    """
    http(s) URL; must resolve to public addresses
    """
    watchlist_id: Annotated[WatchlistId | None, Field(title="Watchlist Id")] = None
    """
    Only events about codes in this watchlist (yours)
    """


class WebhookOut(BaseModel):
    active: Annotated[bool, Field(title="Active")]
    consecutive_failures: Annotated[int, Field(title="Consecutive Failures")]
    created_at: Annotated[AwareDatetime, Field(title="Created At")]
    cursor_seq: Annotated[int, Field(title="Cursor Seq")]
    """
    Events up to this seq have been queued for delivery
    """
    disabled_at: Annotated[AwareDatetime | None, Field(title="Disabled At")]
    events: Annotated[list[str], Field(title="Events")]
    id: Annotated[int, Field(title="Id")]
    region: Annotated[str | None, Field(title="Region")]
    url: Annotated[str, Field(title="Url")]
    watchlist_id: Annotated[int | None, Field(title="Watchlist Id")]


class WithdrawIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    withdrawn_on: Annotated[date | None, Field(title="Withdrawn On")] = None
    """
    Defaults to today
    """


class AuditVerifyOut(BaseModel):
    broken: Annotated[list[AuditBreakOut] | None, Field(title="Broken")] = None
    """
    Every broken link (missing, edited, rewritten or truncated), in seq order
    """
    checkpoints_checked: Annotated[int | None, Field(title="Checkpoints Checked")] = 0
    first_bad: Annotated[int | None, Field(title="First Bad")] = None
    """
    Seq of the first entry that is missing or does not chain
    """
    head: Annotated[str, Field(title="Head")]
    """
    Hash of the last entry (the ledger head)
    """
    last_checkpoint: CheckpointOut | None = None
    """
    The newest signed checkpoint the chain agrees with
    """
    length: Annotated[int, Field(title="Length")]
    """
    Entries checked
    """
    ok: Annotated[bool, Field(title="Ok")]
    reason: Annotated[str | None, Field(title="Reason")] = None


class BatchOut(BaseModel):
    accepted: Annotated[int, Field(title="Accepted")]
    duplicate_indexes: Annotated[list[int], Field(title="Duplicate Indexes")]
    duplicates: Annotated[int, Field(title="Duplicates")]
    ids: Annotated[list[int | None], Field(title="Ids")]
    """
    Per item, in request order: the record id kept (new or the original for a duplicate), null when rejected
    """
    received: Annotated[int, Field(title="Received")]
    rejected: Annotated[list[RejectedItem], Field(title="Rejected")]
    warnings: Annotated[list[BatchWarning], Field(title="Warnings")]


class CandidateOut(BaseModel):
    code: Annotated[str, Field(title="Code")]
    grade: Annotated[str | None, Field(title="Grade")]
    name: Annotated[str, Field(title="Name")]
    record_ids: Annotated[list[int], Field(title="Record Ids")]
    """
    Every record that qualifies the enterprise
    """
    region_code: Annotated[str, Field(title="Region Code")]
    triggers: Annotated[list[TriggerOut], Field(title="Triggers")]


class ClassificationOut(BaseModel):
    as_of: Annotated[date, Field(title="As Of")]
    code: Annotated[str, Field(title="Code")]
    computed_grade: Annotated[
        Literal["AA", "A", "B", "C"] | None, Field(title="Computed Grade")
    ] = None
    """
    What the rules compute (differs from `grade` under an override)
    """
    grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Grade")]
    """
    The class in force
    """
    known_at: Annotated[AwareDatetime | None, Field(title="Known At")] = None
    reasons: Annotated[list[ReasonOut], Field(title="Reasons")]
    review: ReviewOut | None = None
    """
    The latest review, if any
    """
    ruleset: Annotated[str, Field(title="Ruleset")]
    supervision: SupervisionOut
    """
    The plan of the class in force
    """


class DeadlinesOut(BaseModel):
    calendar_complete: Annotated[bool | None, Field(title="Calendar Complete")] = True
    """
    False when a deadline falls past the last year the working-day calendar covers (official or loaded with PUT /v1/calendar): beyond it only weekends are known rest days, so the date may move once the holidays are published
    """
    final_result: Annotated[Literal["pass", "fail"] | None, Field(title="Final Result")]
    objection_deadline: Annotated[date | None, Field(title="Objection Deadline")]
    """
    notified_on + 15 days (Art.36)
    """
    open_steps: Annotated[list[OpenStepOut], Field(title="Open Steps")]
    recheck_deadline: Annotated[date | None, Field(title="Recheck Deadline")]
    """
    order + 75 days (Art.47)
    """
    rectification_due: Annotated[date | None, Field(title="Rectification Due")]
    """
    order + 60 days (Art.45)
    """
    retest_formalities_deadline: Annotated[
        date | None, Field(title="Retest Formalities Deadline")
    ] = None
    """
    retest_notified_on + 7 days (Art.38)
    """
    retest_lab_deadline: Annotated[date | None, Field(title="Retest Lab Deadline")] = None
    """
    retest_formalities_on (else retest_notified_on) + 10 days (Art.39)
    """
    second_recheck_window: SecondRecheckWindow | None
    """
    60-90 days after the announcement (Art.48)
    """


class EnterpriseOut(BaseModel):
    address: Annotated[str | None, Field(title="Address")]
    blacklisted: Annotated[bool, Field(title="Blacklisted")]
    classification: ClassificationOut | None
    code: Annotated[str, Field(title="Code")]
    created_at: Annotated[AwareDatetime, Field(title="Created At")]
    established_on: Annotated[date | None, Field(title="Established On")]
    industry: Annotated[str | None, Field(title="Industry")]
    legal_representative: Annotated[str | None, Field(title="Legal Representative")]
    name: Annotated[str, Field(title="Name")]
    org_code: Annotated[str, Field(title="Org Code")]
    products: Annotated[list[str], Field(title="Products")]
    region_code: Annotated[str, Field(title="Region Code")]
    region_name: Annotated[str | None, Field(title="Region Name")]
    updated_at: Annotated[AwareDatetime, Field(title="Updated At")]


class EntryOut(BaseModel):
    allowed_transitions: Annotated[list[str], Field(title="Allowed Transitions")]
    approval_required: Annotated[bool, Field(title="Approval Required")]
    approved_by: Annotated[int | None, Field(title="Approved By")]
    approved_on: Annotated[date | None, Field(title="Approved On")]
    authority: Annotated[str, Field(title="Authority")]
    category: Annotated[str, Field(title="Category")]
    code: Annotated[str, Field(title="Code")]
    created_at: Annotated[AwareDatetime, Field(title="Created At")]
    cross_province: Annotated[bool, Field(title="Cross Province")]
    """
    Registered outside the deciding authority's province (Art.14)
    """
    decided_on: Annotated[date | None, Field(title="Decided On")]
    defence_ends_on: Annotated[date | None, Field(title="Defence Ends On")]
    """
    Last day of the 5-working-day defence window (Art.13)
    """
    defence_waived: Annotated[bool, Field(title="Defence Waived")]
    expires_on: Annotated[date | None, Field(title="Expires On")]
    fault_basis: Annotated[str, Field(title="Fault Basis")]
    """
    Subjective-fault finding (Art.12)
    """
    id: Annotated[int, Field(title="Id")]
    legal_basis: Annotated[str, Field(title="Legal Basis")]
    name: Annotated[str | None, Field(title="Name")]
    notified_on: Annotated[date | None, Field(title="Notified On")]
    penalty_record_id: Annotated[int, Field(title="Penalty Record Id")]
    proposed_on: Annotated[date, Field(title="Proposed On")]
    proposer_agency_id: Annotated[int, Field(title="Proposer Agency Id")]
    proposer_level: Annotated[str, Field(title="Proposer Level")]
    publication_overdue: Annotated[bool, Field(title="Publication Overdue")]
    publish_by: Annotated[date | None, Field(title="Publish By")]
    """
    Art.14: 20 working days after the decision; across provinces 10 working days after the registration province received the push
    """
    published_on: Annotated[date | None, Field(title="Published On")]
    push_by: Annotated[date | None, Field(title="Push By")]
    """
    Cross-province: push to the registration province due (10 working days)
    """
    push_overdue: Annotated[bool, Field(title="Push Overdue")]
    push_received_on: Annotated[date | None, Field(title="Push Received On")]
    pushed_on: Annotated[date | None, Field(title="Pushed On")]
    reason: Annotated[str, Field(title="Reason")]
    region_code: Annotated[str, Field(title="Region Code")]
    remedy: Annotated[str, Field(title="Remedy")]
    removal_authority: Annotated[str | None, Field(title="Removal Authority")]
    """
    Who decided the removal (public)
    """
    removal_reason: Annotated[str | None, Field(title="Removal Reason")]
    removed_on: Annotated[date | None, Field(title="Removed On")]
    repair_accept_by: Annotated[date | None, Field(title="Repair Accept By")]
    """
    Acceptance due: 2 working days
    """
    repair_acceptance_overdue: Annotated[bool, Field(title="Repair Acceptance Overdue")]
    repair_accepted_on: Annotated[date | None, Field(title="Repair Accepted On")]
    repair_applied_on: Annotated[date | None, Field(title="Repair Applied On")]
    """
    Credit-repair application (Art.17)
    """
    repair_decide_by: Annotated[date | None, Field(title="Repair Decide By")]
    """
    Decision due: 15 working days after acceptance
    """
    repair_decision_overdue: Annotated[bool, Field(title="Repair Decision Overdue")]
    repair_refused_on: Annotated[date | None, Field(title="Repair Refused On")]
    restored_on: Annotated[date | None, Field(title="Restored On")]
    restricted_until: Annotated[date | None, Field(title="Restricted Until")]
    """
    End of a statutory restriction that extends the listing (Art.21)
    """
    status: Annotated[Literal["proposed", "notified", "listed", "removed"], Field(title="Status")]
    stop_publication_by: Annotated[date | None, Field(title="Stop Publication By")]
    """
    Art.18/19: publication of a removed listing stops within 3 working days
    """
    transitions: Annotated[
        list[TransitionOut] | None, Field(title="Transitions", validate_default=True)
    ] = []
    undone_removals: Annotated[list[UndoneRemovalOut], Field(title="Undone Removals")]
    """
    Repair removals undone by a restoration (Art.20); the listing was not in force between each removed_on and restored_on
    """
    updated_at: Annotated[AwareDatetime, Field(title="Updated At")]


class EventGradeChanged(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    as_of: Annotated[str, Field(title="As Of")]
    """
    ISO date
    """
    from_: Annotated[Literal["AA", "A", "B", "C"] | None, Field(alias="from", title="From")]
    reasons: Annotated[list[GradeReason], Field(title="Reasons")]
    ruleset: Annotated[str, Field(title="Ruleset")]
    to: Annotated[Literal["AA", "A", "B", "C"], Field(title="To")]


class GradeChangeOut(BaseModel):
    agency: Annotated[str | None, Field(title="Agency")] = None
    """
    review: the deciding agency
    """
    as_of: Annotated[date, Field(title="As Of")]
    """
    The evaluation date that produced it
    """
    at: Annotated[AwareDatetime, Field(title="At")]
    """
    When the registry stored the change
    """
    from_: Annotated[Literal["AA", "A", "B", "C"] | None, Field(alias="from", title="From")]
    """
    null for the first grade
    """
    id: Annotated[int, Field(title="Id")]
    reason: Annotated[str | None, Field(title="Reason")] = None
    """
    review: why
    """
    reasons: Annotated[list[ReasonOut], Field(title="Reasons")]
    ruleset: Annotated[str, Field(title="Ruleset")]
    to: Annotated[Literal["AA", "A", "B", "C"], Field(title="To")]
    trigger: Annotated[str, Field(title="Trigger")]
    """
    What caused the re-evaluation: record, enterprise, blacklist, catalog, ruleset, recompute…, or review (a regulator's override)
    """


class GradeHistoryPage(BaseModel):
    code: Annotated[str, Field(title="Code")]
    items: Annotated[list[GradeChangeOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class GtinLookupOut(BaseModel):
    code: Annotated[str, Field(title="Code")]
    gtin: Annotated[str, Field(title="Gtin")]
    """
    Canonical 14-digit form (shorter GTINs zero-padded)
    """
    producer: ProducerOut
    product_category: Annotated[str | None, Field(title="Product Category")]
    product_name: Annotated[str | None, Field(title="Product Name")]
    registered_at: Annotated[AwareDatetime, Field(title="Registered At")]


class OverdueItem(BaseModel):
    code: Annotated[str, Field(title="Code")]
    notified_on: Annotated[date | None, Field(title="Notified On")]
    occurred_on: Annotated[date, Field(title="Occurred On")]
    product_category: Annotated[str | None, Field(title="Product Category")]
    record_id: Annotated[int, Field(title="Record Id")]
    region_code: Annotated[str, Field(title="Region Code")]
    steps: Annotated[list[OverdueStepOut], Field(title="Steps")]


class OverduePage(BaseModel):
    items: Annotated[list[OverdueItem], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class PageCandidateOut(BaseModel):
    dataset_version: Annotated[int | None, Field(title="Dataset Version")] = None
    """
    Feed seq the data reflects (see /v1/changes)
    """
    items: Annotated[list[CandidateOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]
    """
    Pass as `cursor` for the next page; null on the last
    """


class PageEntryOut(BaseModel):
    dataset_version: Annotated[int | None, Field(title="Dataset Version")] = None
    """
    Feed seq the data reflects (see /v1/changes)
    """
    items: Annotated[list[EntryOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]
    """
    Pass as `cursor` for the next page; null on the last
    """


class PublicAnnouncementDetail(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
    )
    announced_on: Annotated[date, Field(title="Announced On")]
    authority: Annotated[str, Field(title="Authority")]
    """
    The announcing agency
    """
    count: Annotated[int, Field(title="Count")]
    """
    Inspections in it
    """
    failed: Annotated[int, Field(title="Failed")]
    """
    Of which finally failed (after any re-test)
    """
    id: Annotated[int, Field(title="Id")]
    level: Annotated[str, Field(title="Level")]
    product_category: Annotated[str, Field(title="Product Category")]
    published_on: Annotated[date | None, Field(title="Published On")]
    results: Annotated[list[PublicResult], Field(title="Results")]
    title: Annotated[str, Field(title="Title")]


class PublicLookup(BaseModel):
    code: Annotated[str, Field(title="Code")]
    entries: Annotated[list[PublicEntry | PublicRemoval], Field(title="Entries")]
    """
    Newest first; a listing restored after a fraudulent repair (Art.20) is followed by the removal record that was published before it
    """
    listed: Annotated[bool, Field(title="Listed")]
    """
    A published listing is in force today
    """


class PublicPage(BaseModel):
    items: Annotated[list[PublicEntry | PublicRemoval], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class PublicScreenResult(BaseModel):
    code: Annotated[str, Field(title="Code")]
    """
    The canonical code (the USCC when the registry knows it)
    """
    error: ScreenError | None = None
    """
    Present when not valid
    """
    input: Annotated[str | None, Field(title="Input")] = None
    """
    The code as sent, present only when it differs from `code`
    """
    known: Annotated[bool, Field(title="Known")]
    """
    The enterprise is registered here
    """
    listed: Annotated[bool, Field(title="Listed")]
    valid: Annotated[bool, Field(title="Valid")]


class ReadyOut(BaseModel):
    calendar: CalendarCoverageOut
    replica: ReplicaOut | None = None
    """
    only with QCREDIT_READ_DATABASE_URL; the primary alone decides readiness
    """
    status: Annotated[Literal["ready"], Field(title="Status")]


class RecordOut(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    agency_id: Annotated[int, Field(title="Agency Id")]
    code: Annotated[str, Field(title="Code")]
    deadlines: DeadlinesOut | None = None
    disputed: Annotated[bool | None, Field(title="Disputed")] = False
    """
    An objection (信用异议) against it is open
    """
    id: Annotated[int, Field(title="Id")]
    kind: Annotated[
        Literal[
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
        ],
        Field(title="Kind"),
    ]
    objection_id: Annotated[int | None, Field(title="Objection Id")] = None
    """
    The open objection
    """
    occurred_on: Annotated[date, Field(title="Occurred On")]
    recorded_at: Annotated[AwareDatetime, Field(title="Recorded At")]
    source_ref: Annotated[str, Field(title="Source Ref")]
    status: Annotated[
        Literal["active", "overturned", "withdrawn", "superseded"], Field(title="Status")
    ]
    status_changed_at: Annotated[AwareDatetime | None, Field(title="Status Changed At")]
    status_reason: Annotated[str | None, Field(title="Status Reason")]
    superseded_by: Annotated[int | None, Field(title="Superseded By")] = None
    supersedes_id: Annotated[int | None, Field(title="Supersedes Id")]
    version: Annotated[int, Field(title="Version")]
    warnings: Annotated[list[WarningOut] | None, Field(title="Warnings")] = None


class RecordPage(BaseModel):
    items: Annotated[list[RecordOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class ReviewListItem(BaseModel):
    code: Annotated[str, Field(title="Code")]
    computed_grade: Annotated[Literal["AA", "A", "B", "C"], Field(title="Computed Grade")]
    """
    What the rules compute now
    """
    name: Annotated[str, Field(title="Name")]
    region_code: Annotated[str, Field(title="Region Code")]
    review: ReviewOut
    """
    The latest review (it saw another computed class)
    """


class ReviewPage(BaseModel):
    items: Annotated[list[ReviewListItem], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")]


class RuleSetList(BaseModel):
    active: Annotated[str, Field(title="Active")]
    items: Annotated[list[RuleSetOut], Field(title="Items")]


class ScreenOut(BaseModel):
    dataset_version: Annotated[int, Field(title="Dataset Version")]
    """
    Change-feed seq the answer reflects
    """
    receipt: Receipt
    results: Annotated[list[ScreenResult], Field(title="Results")]


class WatchlistList(BaseModel):
    items: Annotated[list[WatchlistOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")] = None


class WebhookList(BaseModel):
    items: Annotated[list[WebhookOut], Field(title="Items")]
    next_cursor: Annotated[str | None, Field(title="Next Cursor")] = None


class HistoryOut(BaseModel):
    current_id: Annotated[int, Field(title="Current Id")]
    versions: Annotated[list[RecordOut], Field(title="Versions")]
    """
    Oldest first
    """


class PublicScreenOut(BaseModel):
    dataset_version: Annotated[int, Field(title="Dataset Version")]
    """
    Change-feed seq the answer reflects
    """
    receipt: Receipt
    results: Annotated[list[PublicScreenResult], Field(title="Results")]
