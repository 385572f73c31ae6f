"""Objections to credit information (信用异议): filed through the receiving agency against a
record or a class, decided upheld (the record withdrawn, or corrected through the existing
correction path) or rejected. While open, the record reads as disputed in the dossier and in
the reasons that cite it. Rules: :mod:`service.credit.objections`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.credit import objections as rules
from service.errors import Conflict, FieldError, IllegalTransition, NotFound, ValidationFailed
from service.models import Agency, Enterprise, Objection
from service.schemas.records import StatusIn
from service.store import calendar, ledger
from service.store.records import write as records


def _invalid(problems: list[rules.Problem]) -> ValidationFailed:
    return ValidationFailed(
        "; ".join(p.message for p in problems),
        errors=[
            FieldError(field=p.field, rule=p.rule, message=p.message, expected=p.expected)
            for p in problems
        ],
    )


def objection_json(o: Objection, agency: str, today: date) -> dict[str, Any]:
    return {
        "id": o.id,
        "code": o.code,
        "target": o.target,
        "record_id": o.record_id,
        "agency": agency,
        "filed_on": o.filed_on.isoformat(),
        "reason": o.reason,
        "due_on": o.due_on.isoformat(),
        "status": o.status,
        "overdue": rules.is_overdue(rules.Status(o.status), o.due_on, today),
        "decided_on": o.decided_on.isoformat() if o.decided_on else None,
        "decision_reason": o.decision_reason,
    }


async def agency_name(session: AsyncSession, agency_id: int) -> str:
    agency = await session.get(Agency, agency_id)
    return agency.name if agency else ""


async def get_row(session: AsyncSession, objection_id: int) -> Objection:
    row = await session.get(Objection, objection_id)
    if row is None:
        raise NotFound(f"no objection {objection_id}")
    return row


async def file(
    session: AsyncSession,
    principal: Principal,
    enterprise: Enterprise,
    *,
    target: rules.Target,
    record_id: int | None,
    filed_on: date,
    reason: str,
    today: date,
) -> Objection:
    principal.require_region(enterprise.region_code)
    kind = notified = None
    if target is rules.Target.RECORD:
        if record_id is None:
            raise _invalid([rules.Problem("record_id", "missing", "a record objection names it")])
        row = await records.get_row(session, record_id)
        if row.code != enterprise.code:
            raise _invalid(
                [rules.Problem("record_id", "enterprise", "the record is another enterprise's")]
            )
        current = await records.current_version(session, row)
        records.require_current(row, current, "object to")
        kind = row.kind
        raw = (row.data or {}).get("notified_on")
        notified = date.fromisoformat(raw) if isinstance(raw, str) else None
        open_ = await open_for_records(session, [record_id])
        if open_:
            raise Conflict(
                f"objection {open_[record_id]} against record {record_id} is still open",
                rule="objection-open",
            )
    cal = await calendar.work_calendar(session)
    problems = rules.check_filing(
        filed_on=filed_on, today=today, kind=kind, notified_on=notified, cal=cal
    )
    if problems:
        raise _invalid(problems)
    o = Objection(
        code=enterprise.code,
        region_code=enterprise.region_code,
        target=target.value,
        record_id=record_id if target is rules.Target.RECORD else None,
        agency_id=principal.agency_id,
        filed_on=filed_on,
        reason=reason,
        due_on=rules.due_on(filed_on, cal),
    )
    session.add(o)
    await session.flush()
    _emit(session, "objection.filed", o)
    ledger.audit(session, "objection.filed", f"objection/{o.id}")
    return o


def _emit(session: AsyncSession, type_: str, o: Objection) -> None:
    ledger.emit(
        session,
        type_,
        code=o.code,
        region_code=o.region_code,
        data={
            "id": o.id,
            "target": o.target,
            "record_id": o.record_id,
            "status": o.status,
            "due_on": o.due_on.isoformat(),
            "decided_on": o.decided_on.isoformat() if o.decided_on else None,
        },
    )


async def decide(
    session: AsyncSession,
    principal: Principal,
    objection_id: int,
    *,
    outcome: rules.Status,
    decided_on: date,
    reason: str,
    withdraw: bool,
    today: date,
    now: Any,
) -> Objection:
    """Upheld: the record must leave the dossier — ``withdraw`` withdraws it here; otherwise
    it must already be corrected (superseded) or withdrawn/overturned. Rejected: the record
    stands. Either way the record is no longer disputed."""
    o = await get_row(session, objection_id)
    principal.require_region(o.region_code)
    if o.status != rules.Status.OPEN.value:
        raise IllegalTransition(
            f"objection {objection_id} was already decided ({o.status})", rule="objection-decided"
        )
    problems = rules.check_decision(filed_on=o.filed_on, decided_on=decided_on, today=today)
    if problems:
        raise _invalid(problems)
    if outcome is rules.Status.UPHELD and o.record_id is not None:
        row = await records.get_row(session, o.record_id)
        current = await records.current_version(session, row)
        if withdraw and current.status == "active":
            await records.set_status(
                session,
                principal,
                current.id or 0,
                StatusIn(status="withdrawn", reason=f"异议成立:{reason}"[:500]),
                today=today,
                now=now,
            )
        elif current.id == row.id and current.status == "active":
            raise Conflict(
                "an upheld objection needs the record corrected (POST /v1/records/{id}/"
                "corrections) or withdrawn (withdraw: true)",
                rule="objection-upheld-needs-correction",
            )
    o.status = outcome.value
    o.decided_on = decided_on
    o.decision_reason = reason
    o.decided_by = principal.agency_id
    await session.flush()
    _emit(session, f"objection.{outcome.value}", o)
    ledger.audit(session, f"objection.{outcome.value}", f"objection/{o.id}")
    return o


async def open_for_records(session: AsyncSession, record_ids: Iterable[int]) -> dict[int, int]:
    """record id → id of the open objection against it."""
    ids = [i for i in record_ids if i is not None]
    if not ids:
        return {}
    stmt = select(col(Objection.record_id), col(Objection.id)).where(
        col(Objection.record_id).in_(ids), col(Objection.status) == rules.Status.OPEN.value
    )
    return {r: i for r, i in await session.execute(stmt) if r is not None and i is not None}


async def open_for_code(session: AsyncSession, code: str) -> dict[int, int]:
    stmt = select(col(Objection.record_id), col(Objection.id)).where(
        col(Objection.code) == code,
        col(Objection.status) == rules.Status.OPEN.value,
        col(Objection.record_id).is_not(None),
    )
    return {r: i for r, i in await session.execute(stmt) if r is not None and i is not None}


async def page(
    session: AsyncSession,
    *,
    today: date,
    status: str | None,
    overdue: bool,
    region: str | None,
    code: str | None,
    after: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """By id (``limit + 1`` rows); ``overdue``: open past their due day."""
    stmt = (
        select(Objection, col(Agency.name))
        .join(Agency, col(Agency.id) == col(Objection.agency_id))
        .order_by(col(Objection.id))
        .limit(limit + 1)
    )
    if overdue:
        stmt = stmt.where(
            col(Objection.status) == rules.Status.OPEN.value, col(Objection.due_on) < today
        )
    elif status:
        stmt = stmt.where(col(Objection.status) == status)
    if region:
        stmt = stmt.where(col(Objection.region_code).startswith(region))
    if code:
        stmt = stmt.where(col(Objection.code) == code)
    if after is not None:
        stmt = stmt.where(col(Objection.id) > after)
    return [objection_json(o, n, today) for o, n in await session.execute(stmt)]
