"""Rows of ``blacklist_entry`` as the pure Order 44 :class:`~service.credit.blacklist.Entry`
and back, penalty records as :class:`~service.credit.blacklist.PenaltyRef`, and the pure
module's refusals as 409 problems."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.credit import blacklist as rules
from service.credit.blacklist import (
    Entry,
    PenaltyRef,
    RemovalReason,
    Status,
    TransitionRefused,
    UndoneRemoval,
)
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
    "removal_authority",
    "restored_on",
    "restricted_until",
    "pushed_on",
    "push_received_on",
    "repair_applied_on",
    "repair_accepted_on",
    "repair_refused_on",
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
        removal_authority=row.removal_authority,
        restored_on=row.restored_on,
        restricted_until=row.restricted_until,
        undone_removals=tuple(_undone_of(u) for u in row.undone_removals or ()),
        pushed_on=row.pushed_on,
        push_received_on=row.push_received_on,
        repair_applied_on=row.repair_applied_on,
        repair_accepted_on=row.repair_accepted_on,
        repair_refused_on=row.repair_refused_on,
        penalty_id=row.penalty_record_id,
    )


def _undone_of(raw: dict[str, Any]) -> UndoneRemoval:
    return UndoneRemoval(
        removed_on=date.fromisoformat(raw["removed_on"]),
        reason=RemovalReason(raw["reason"]),
        restored_on=date.fromisoformat(raw["restored_on"]),
        authority=raw.get("authority"),
    )


def _undone_row(u: UndoneRemoval) -> dict[str, Any]:
    return {
        "removed_on": u.removed_on.isoformat(),
        "reason": u.reason.value,
        "restored_on": u.restored_on.isoformat(),
        "authority": u.authority,
    }


def store_state(row: BlacklistEntry, entry: Entry) -> None:
    for name in _STATE_FIELDS:
        value = getattr(entry, name)
        setattr(row, name, value.value if isinstance(value, Status | RemovalReason) else value)
    # A new list, so the JSON column is seen as changed.
    row.undone_removals = [_undone_row(u) for u in entry.undone_removals]


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
