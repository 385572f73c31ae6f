"""Rows of ``blacklist_entry`` as the pure Order 44 :class:`~service.credit.blacklist.Entry`
and back, penalty records as :class:`~service.credit.blacklist.PenaltyRef`, and the pure
module's refusals as 409 problems."""

from __future__ import annotations

from datetime import date

from service.credit import blacklist as rules
from service.credit.blacklist import Entry, PenaltyRef, RemovalReason, Status, TransitionRefused
from service.errors import FieldError, IllegalTransition
from service.models import BlacklistEntry, CreditRecord

# Entry fields the pure state machine owns; everything else on the row is descriptive.
_STATE_FIELDS = (
    "status",
    "notified_on",
    "approved_on",
    "approved_by",
    "decided_on",
    "defence_waived",
    "expires_on",
    "publish_by",
    "published_on",
    "removed_on",
    "removal_reason",
    "restored_on",
)


def entry_of(row: BlacklistEntry) -> Entry:
    """The pure view of a row."""
    return Entry(
        code=row.code,
        region_code=row.region_code,
        proposer_level=rules.Level(row.proposer_level),
        proposer_region=row.proposer_region,
        status=Status(row.status),
        proposed_on=row.proposed_on,
        notified_on=row.notified_on,
        approved_on=row.approved_on,
        approved_by=row.approved_by,
        decided_on=row.decided_on,
        defence_waived=row.defence_waived,
        expires_on=row.expires_on,
        publish_by=row.publish_by,
        published_on=row.published_on,
        removed_on=row.removed_on,
        removal_reason=RemovalReason(row.removal_reason) if row.removal_reason else None,
        restored_on=row.restored_on,
        penalty_id=row.penalty_record_id,
    )


def store_state(row: BlacklistEntry, entry: Entry) -> None:
    for name in _STATE_FIELDS:
        value = getattr(entry, name)
        setattr(row, name, value.value if isinstance(value, Status | RemovalReason) else value)


def refused(err: TransitionRefused) -> IllegalTransition:
    """A pure refusal as the 409 problem naming the rule."""
    errors = [FieldError(field=err.field, rule=err.rule, message=err.message)] if err.field else []
    return IllegalTransition(err.message, rule=err.rule, errors=errors)


def penalty_ref(record: CreditRecord) -> PenaltyRef:
    """A penalty record as Art.2 and Art.16 read it; any other kind never counts as heavier."""
    assert record.id is not None
    raw = record.data.get("decided_on")
    decided_on = date.fromisoformat(raw) if isinstance(raw, str) else record.occurred_on
    return PenaltyRef(
        id=record.id,
        heavier=record.kind == "penalty" and record.data.get("heavier") is True,
        status=record.status,
        decided_on=decided_on,
        code=record.code,
    )
