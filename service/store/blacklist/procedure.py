"""严重违法失信名单 entries in the database: the SAMR Order 44 procedure applied to rows.

The rules live in :mod:`service.credit.blacklist` (pure); this module maps rows to its
:class:`~service.credit.blacklist.Entry`, applies a transition, writes the result back with
a dated, attributed ``blacklist_transition`` row, an audit entry, a change event
(``blacklist.<past participle>``) and re-grades the enterprise, all in the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.credit import blacklist as rules
from service.credit import listing_steps as steps_rules
from service.credit.blacklist import Entry, PenaltyRef, RemovalReason, Status, TransitionRefused
from service.errors import FieldError, IllegalTransition, NotFound, ValidationFailed
from service.models import BlacklistEntry, BlacklistTransition, CreditRecord, utcnow
from service.store import ledger
from service.store.blacklist.rows import entry_of, penalty_ref, refused, store_state
from service.store.calendar import work_calendar
from service.store.grading import regrade as grading

# transition name -> change-event suffix (blacklist.<this>)
EVENT_NAMES = {
    "propose": "proposed",
    rules.NOTIFY: "notified",
    rules.APPROVE: "approved",
    rules.LIST: "listed",
    rules.PUBLISH: "published",
    rules.REMOVE: "removed",
    rules.RESTORE: "restored",
    rules.PUSH: "pushed",
    rules.APPLY_REPAIR: "repair_applied",
    rules.ACCEPT_REPAIR: "repair_accepted",
    rules.REFUSE_REPAIR: "repair_refused",
    "revoke": "removed",  # Order 44 Art.19 after a repair or expiry: the ground changes
    "expire": "removed",  # Order 44 Art.21: an expiry is a removal to feed readers
}


async def get_row(session: AsyncSession, entry_id: int, *, lock: bool = False) -> BlacklistEntry:
    row = await session.get(BlacklistEntry, entry_id, with_for_update=lock or None)
    if row is None:
        raise NotFound(f"no blacklist entry {entry_id}")
    return row


async def transitions_of(session: AsyncSession, entry_id: int) -> list[BlacklistTransition]:
    stmt = (
        select(BlacklistTransition)
        .where(col(BlacklistTransition.entry_id) == entry_id)
        .order_by(col(BlacklistTransition.id))
    )
    return list((await session.execute(stmt)).scalars())


def _event_data(row: BlacklistEntry, entry: Entry, transition: str) -> dict[str, Any]:
    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "id": row.id,
        "transition": transition,
        "status": entry.status.value,
        "category": row.category,
        "penalty_record_id": row.penalty_record_id,
        "decided_on": iso(entry.decided_on),
        "expires_on": iso(entry.expires_on),
        "published_on": iso(entry.published_on),
        "removed_on": iso(entry.removed_on),
        "removal_reason": entry.removal_reason.value if entry.removal_reason else None,
        "removal_authority": entry.removal_authority,
    }


async def _record(
    session: AsyncSession,
    row: BlacklistEntry,
    entry: Entry,
    transition: str,
    *,
    on: date,
    today: date,
    agency_id: int | None,
    data: dict[str, Any],
) -> None:
    """Persist ``entry`` on ``row`` with its transition row, audit, event and re-grade."""
    store_state(row, entry)
    row.updated_at = utcnow()
    await session.flush()
    assert row.id is not None
    session.add(
        BlacklistTransition(
            entry_id=row.id, transition=transition, on=on, agency_id=agency_id, data=data
        )
    )
    ledger.audit(session, f"blacklist.{transition}", f"blacklist/{row.id}")
    ledger.emit(
        session,
        f"blacklist.{EVENT_NAMES[transition]}",
        code=row.code,
        region_code=row.region_code,
        data=_event_data(row, rules.effective(entry, today), transition),
    )
    await grading.regrade(session, [row.code], today=today, trigger=f"blacklist.{transition}")


def _not_in_future(on: date, today: date, field: str) -> None:
    if on > today:
        raise TransitionRefused("date-in-future", f"{field} {on} is after today {today}", field)


async def _penalty(session: AsyncSession, record_id: int) -> CreditRecord:
    record = await session.get(CreditRecord, record_id)
    if record is None:
        raise ValidationFailed(
            f"no credit record {record_id}",
            errors=[
                FieldError(
                    field="penalty_record_id",
                    rule="not-found",
                    message=f"credit record {record_id} does not exist",
                )
            ],
        )
    if record.kind != "penalty":
        raise ValidationFailed(
            f"record {record_id} is a {record.kind}, not a penalty",
            errors=[
                FieldError(
                    field="penalty_record_id",
                    rule="penalty-kind",
                    message="a listing rests on an administrative penalty record (Order 44 Art.2)",
                )
            ],
        )
    return record


async def current_penalty(session: AsyncSession, record_id: int) -> CreditRecord:
    """The current version of the penalty chain ``record_id`` belongs to: a listing names the
    version it was proposed on, which a correction may have superseded since."""
    record = await _penalty(session, record_id)
    stmt = (
        select(CreditRecord)
        .where(
            col(CreditRecord.agency_id) == record.agency_id,
            col(CreditRecord.source_ref) == record.source_ref,
        )
        .order_by(col(CreditRecord.version).desc())
        .limit(1)
    )
    latest: CreditRecord = (await session.execute(stmt)).scalar_one()
    return latest


async def propose(
    session: AsyncSession,
    principal: Principal,
    *,
    code: str,
    region_code: str,
    category: str,
    reason: str,
    legal_basis: str,
    remedy: str,
    fault_basis: str,
    penalty_record_id: int,
    today: date,
    proposed_on: date | None = None,
) -> BlacklistEntry:
    """Open a listing procedure (Order 44 Art.2: backed by a heavier penalty in force).

    ``proposed_on`` records a procedure that began earlier (loading history); it defaults
    to ``today`` and cannot be after it.
    """
    record = await _penalty(session, penalty_record_id)
    on = proposed_on or today
    try:
        _not_in_future(on, today, "proposed_on")
        entry = rules.propose(
            code=code,
            region_code=region_code,
            penalty=penalty_ref(record),
            proposer_level=rules.Level(principal.level.value),
            proposer_region=principal.region,
            proposed_on=on,
        )
    except TransitionRefused as err:
        raise refused(err) from err
    open_ids = [
        r.id
        for r in (
            await session.execute(
                select(BlacklistEntry).where(
                    col(BlacklistEntry.penalty_record_id) == penalty_record_id
                )
            )
        ).scalars()
        if rules.effective(entry_of(r), today).status is not Status.REMOVED
    ]
    if open_ids:
        raise IllegalTransition(
            f"penalty {penalty_record_id} already backs blacklist entry {open_ids[0]}",
            rule="blacklist-duplicate",
        )
    row = BlacklistEntry(
        code=code,
        region_code=region_code,
        category=category,
        reason=reason,
        legal_basis=legal_basis,
        remedy=remedy,
        fault_basis=fault_basis,
        penalty_record_id=penalty_record_id,
        proposer_agency_id=principal.agency_id,
        proposer_level=entry.proposer_level.value,
        proposer_region=entry.proposer_region,
        authority=principal.name,
        proposed_on=on,
    )
    session.add(row)
    await _record(
        session,
        row,
        entry,
        "propose",
        on=on,
        today=today,
        agency_id=principal.agency_id,
        data={"penalty_record_id": penalty_record_id, "category": category},
    )
    return row


async def _heavier_penalties(session: AsyncSession, code: str) -> list[PenaltyRef]:
    stmt = select(CreditRecord).where(
        col(CreditRecord.code) == code,
        col(CreditRecord.kind) == "penalty",
        col(CreditRecord.status) == "active",
    )
    return [penalty_ref(r) for r in (await session.execute(stmt)).scalars()]


async def apply(
    session: AsyncSession,
    row: BlacklistEntry,
    transition: str,
    *,
    principal: Principal,
    today: date,
    params: dict[str, Any],
) -> BlacklistEntry:
    """Apply a transition (notify, approve, list, push, publish, apply_repair,
    accept_repair, refuse_repair, remove, restore) with its body ``params``.

    Dates default to ``today`` where the contract makes them optional; none may lie in the
    future (a decision is recorded once it has been taken). Each step keeps its own date,
    so a procedure that happened years ago can be recorded as it happened.
    """
    entry = entry_of(row)
    cal = await work_calendar(session)
    penalty: PenaltyRef | None = None
    if transition in (rules.LIST, rules.RESTORE):
        # Art.13 compares the listing with the penalty's decided_on. TODO(decided_on): read
        # today from the record's data (default occurred_on) by penalty_ref; switch with it
        # to the decided_on column once the penalties-from-decision change lands.
        penalty = penalty_ref(await current_penalty(session, row.penalty_record_id))
    steps: dict[str, tuple[str, Callable[[date], Any]]] = {
        rules.NOTIFY: (
            "notified_on",
            lambda on: rules.notify(entry, notified_on=on),
        ),
        rules.APPROVE: (
            "approved_on",
            lambda on: rules.approve(
                entry,
                approver_level=rules.Level(principal.level.value),
                approver_region=principal.region,
                approved_on=on,
                approver_id=principal.agency_id,
            ),
        ),
        rules.LIST: (
            "decided_on",
            lambda on: rules.list_entry(
                entry,
                decided_on=on,
                defence_waived=bool(params.get("defence_waived")),
                cal=cal,
                restricted_until=params.get("restricted_until"),
                penalty=penalty,
            ),
        ),
        rules.PUSH: (
            "pushed_on",
            lambda on: steps_rules.push(
                entry, pushed_on=on, received_on=params.get("received_on") or on, cal=cal
            ),
        ),
        rules.PUBLISH: ("published_on", lambda on: rules.publish(entry, published_on=on)),
        rules.APPLY_REPAIR: (
            "applied_on",
            lambda on: steps_rules.apply_repair(entry, applied_on=on),
        ),
        rules.ACCEPT_REPAIR: (
            "accepted_on",
            lambda on: steps_rules.accept_repair(entry, accepted_on=on),
        ),
        rules.REFUSE_REPAIR: (
            "refused_on",
            lambda on: steps_rules.refuse_repair(entry, refused_on=on),
        ),
        rules.RESTORE: (
            "restored_on",
            lambda on: rules.restore(entry, restored_on=on, cal=cal, penalty=penalty),
        ),
    }
    try:
        if transition == rules.REMOVE:
            on = params["removed_on"]
            new = rules.remove(
                entry,
                removed_on=on,
                reason=RemovalReason(params["reason"]),
                heavier_penalties_since=await _heavier_penalties(session, row.code),
                today=today,
                authority=principal.name,
            )
        else:
            field, step = steps[transition]
            on = params.get(field) or today
            _not_in_future(on, today, field)
            if transition == rules.PUSH and params.get("received_on"):
                _not_in_future(params["received_on"], today, "received_on")
            new = step(on)
    except TransitionRefused as err:
        raise refused(err) from err
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()}
    await _record(
        session, row, new, transition, on=on, today=today, agency_id=principal.agency_id, data=data
    )
    return row


async def penalty_overturned(
    session: AsyncSession,
    record_id: int,
    *,
    today: date,
    agency_id: int,
    authority: str | None = None,
) -> list[int]:
    """Order 44 Art.19 in every state: the penalty was revoked, found unlawful or withdrawn,
    so every entry resting on it is revoked as of ``today`` — an open or listed one is
    removed (reason ``overturned``), one already removed by repair or expiry has its
    removal ground changed to ``overturned`` (so it can no longer be restored, Art.20).

    Returns the ids of the entries changed.
    """
    stmt = (
        select(BlacklistEntry)
        .where(col(BlacklistEntry.penalty_record_id) == record_id)
        .order_by(col(BlacklistEntry.id))
        .with_for_update()
    )
    changed: list[int] = []
    for row in (await session.execute(stmt)).scalars():
        entry = entry_of(row)
        before = rules.effective(entry, today)
        try:
            new = rules.revoke(entry, on=today, today=today, authority=authority)
        except TransitionRefused as err:  # pragma: no cover - only dates after today refuse
            raise refused(err) from err
        if new is None:
            continue
        transition = rules.REMOVE if before.status is not Status.REMOVED else "revoke"
        await _record(
            session,
            row,
            new,
            transition,
            on=today,
            today=today,
            agency_id=agency_id,
            data={
                "reason": RemovalReason.OVERTURNED.value,
                "penalty_record_id": record_id,
                **(
                    {"previous_reason": before.removal_reason.value}
                    if before.removal_reason is not None
                    else {}
                ),
            },
        )
        assert row.id is not None
        changed.append(row.id)
    return changed


async def record_expiries(session: AsyncSession, today: date, *, batch: int = 500) -> int:
    """Order 44 Art.21: record the removal of listings whose 3 years ran out.

    Reads already show them as removed (``effective``); this writes the state, a transition
    row and a ``blacklist.removed`` event (reason ``expired``) once. Rows are claimed with
    ``FOR UPDATE SKIP LOCKED`` so replicas running the job never record one twice.
    Returns how many were recorded.
    """
    stmt = (
        select(BlacklistEntry)
        .where(
            col(BlacklistEntry.status) == Status.LISTED.value,
            col(BlacklistEntry.expires_on) <= today,
        )
        .order_by(col(BlacklistEntry.id))
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    rows = list((await session.execute(stmt)).scalars())
    for row in rows:
        expired = replace(rules.effective(entry_of(row), today), removal_authority=row.authority)
        assert expired.removed_on is not None
        await _record(
            session,
            row,
            expired,
            "expire",
            on=expired.removed_on,
            today=today,
            agency_id=None,
            data={"reason": RemovalReason.EXPIRED.value},
        )
    return len(rows)
