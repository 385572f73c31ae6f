"""One record at a time: create (idempotent on source_ref), correct, follow-up, status.

Nothing is updated in place except the status columns of a version: a correction or an
Order 18 follow-up step adds a version (same agency + source_ref, version + 1,
``supersedes_id``) and marks the previous one ``superseded``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal, Scope
from service.credit import followup
from service.credit.records import check_record
from service.errors import (
    Conflict,
    FieldError,
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from service.models import CreditRecord, Enterprise
from service.schemas.records import RECORD_ADAPTER, RecordCommon, StatusIn, WarningOut
from service.store import calendar, ledger
from service.store.grading import regrade as grading
from service.store.records import rows as rr


def invalid(errors: list[FieldError], detail: str | None = None) -> ValidationFailed:
    return ValidationFailed(
        detail or "; ".join(f"{e.field}: {e.message}" for e in errors[:5]),
        errors=errors,
        rule=errors[0].rule if errors else None,
    )


async def original(session: AsyncSession, agency_id: int, source_ref: str) -> CreditRecord | None:
    return (
        await session.execute(
            select(CreditRecord).where(
                col(CreditRecord.agency_id) == agency_id,
                col(CreditRecord.source_ref) == source_ref,
                col(CreditRecord.version) == 1,
            )
        )
    ).scalar_one_or_none()


async def current_version(session: AsyncSession, row: CreditRecord) -> CreditRecord:
    """The newest version of ``row``'s chain, locked for update on PostgreSQL."""
    stmt = (
        select(CreditRecord)
        .where(
            col(CreditRecord.agency_id) == row.agency_id,
            col(CreditRecord.source_ref) == row.source_ref,
        )
        .order_by(col(CreditRecord.version).desc())
        .limit(1)
        .with_for_update()
        # overwrite what the session holds: a concurrent writer may have committed since
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one()


async def get_row(session: AsyncSession, record_id: int) -> CreditRecord:
    row = await session.get(CreditRecord, record_id)
    if row is None:
        raise NotFound(f"no record {record_id}")
    return row


async def duplicate_samplings(
    session: AsyncSession, row: CreditRecord | Any, level: object
) -> list[int]:
    """Order 18 Art.8: other current samplings of the same producer and product category
    that make ``row`` a duplicate."""
    if row.product_category is None or not isinstance(level, str):
        return []
    on: date = row.occurred_on
    # add_months never moves more than 31 days per month, so this window is a superset.
    stmt = select(
        col(CreditRecord.id), col(CreditRecord.occurred_on), col(CreditRecord.data)
    ).where(
        col(CreditRecord.code) == row.code,
        col(CreditRecord.kind) == "inspection",
        col(CreditRecord.status) == "active",
        col(CreditRecord.product_category) == row.product_category,
        col(CreditRecord.id) != row.id,
        col(CreditRecord.occurred_on).between(on - timedelta(days=186), on + timedelta(days=186)),
    )
    others = [
        (rid, row.product_category, str(data.get("level")), occurred_on)
        for rid, occurred_on, data in await session.execute(stmt)
    ]
    return followup.duplicate_sampling((row.product_category, level, on), others)


def emit_record(session: AsyncSession, type_: str, row: CreditRecord, **extra: Any) -> None:
    ledger.emit(
        session,
        type_,
        code=row.code,
        region_code=row.region_code,
        data={
            "id": row.id,
            "kind": row.kind,
            "source_ref": row.source_ref,
            "version": row.version,
            "occurred_on": row.occurred_on.isoformat(),
            "status": row.status,
            **extra,
        },
    )


async def create(
    session: AsyncSession,
    principal: Principal,
    enterprise: Enterprise,
    item: RecordCommon,
    *,
    today: date,
    now: datetime,
) -> tuple[CreditRecord, bool, list[WarningOut]]:
    """Returns (record, created, warnings). A replay of the same body returns the original
    with created=False; a different body under the same source_ref is a 409."""
    principal.require_region(enterprise.region_code)
    kind = item.kind
    data = rr.canonical_data(item)
    occurred = item.occurred_on.isoformat()
    digest = rr.body_hash(enterprise.code, kind, item.source_ref, occurred, data)

    async def replay(existing: CreditRecord) -> tuple[CreditRecord, bool, list[WarningOut]]:
        if existing.body_hash == digest:
            return existing, False, []
        sent = {**data, "code": enterprise.code, "kind": kind}
        sent |= {"source_ref": item.source_ref, "occurred_on": occurred}
        raise Conflict(
            f"source_ref '{item.source_ref}' is already record {existing.id} with a different "
            "body; send a correction to change it",
            rule="source-ref-conflict",
            errors=rr.conflict_errors(rr.canonical_body(existing), sent, existing.id or 0),
        )

    existing = await original(session, principal.agency_id, item.source_ref)
    if existing is not None:
        return await replay(existing)
    cal = await calendar.work_calendar(session)
    problems = check_record(
        kind,
        item.occurred_on,
        rr.python_fields(item),
        today=today,
        catalog=await rr.catalog_codes(session),
        cal=cal,
    )
    if problems:
        raise invalid(rr.problem_errors(problems))
    values = rr.row_values(
        code=enterprise.code,
        region_code=enterprise.region_code,
        agency_id=principal.agency_id,
        kind=kind,
        source_ref=item.source_ref,
        occurred_on=item.occurred_on,
        data=data,
        digest=digest,
        now=now,
    )
    inserted = await rr.insert_rows(session, [values])
    if item.source_ref not in inserted:
        # A concurrent request inserted it first (PostgreSQL waited for its commit).
        existing = await original(session, principal.agency_id, item.source_ref)
        assert existing is not None
        return await replay(existing)
    row = await get_row(session, inserted[item.source_ref])
    warnings: list[WarningOut] = []
    if kind == "inspection":
        hits = await duplicate_samplings(session, row, data.get("level"))
        if hits:
            warnings.append(rr.sampling_warning(inserted[item.source_ref], hits))
    emit_record(session, "record.created", row)
    ledger.audit(session, "record.create", f"record/{row.id}")
    await grading.regrade(session, [row.code], today=today, trigger="record")
    return row, True, warnings


async def writable(
    session: AsyncSession, principal: Principal, record_id: int
) -> tuple[CreditRecord, CreditRecord]:
    """(the addressed version, the current version of its chain), jurisdiction checked."""
    target = await get_row(session, record_id)
    principal.require_region(target.region_code)
    return target, await current_version(session, target)


def require_current(target: CreditRecord, current: CreditRecord, what: str) -> None:
    if current.id != target.id:
        raise Conflict(
            f"record {target.id} was superseded by version {current.version} (record "
            f"{current.id}); {what} the current version",
            rule="record-superseded",
        )
    if current.status != "active":
        raise IllegalTransition(
            f"record {current.id} is {current.status}; only an active record can be changed",
            rule="record-status",
        )


async def new_version(
    session: AsyncSession,
    current: CreditRecord,
    data: dict[str, Any],
    occurred_on: date,
    *,
    now: datetime,
    reason: str,
) -> CreditRecord:
    digest = rr.body_hash(
        current.code, current.kind, current.source_ref, occurred_on.isoformat(), data
    )
    current.status = "superseded"
    current.status_reason = reason[:500]
    current.status_changed_at = now
    await session.flush()
    values = rr.row_values(
        code=current.code,
        region_code=current.region_code,
        agency_id=current.agency_id,
        kind=current.kind,
        source_ref=current.source_ref,
        occurred_on=occurred_on,
        data=data,
        digest=digest,
        now=now,
        version=current.version + 1,
        supersedes_id=current.id,
    )
    inserted = await rr.insert_rows(session, [values])
    if current.source_ref not in inserted:  # the row lock makes this unreachable
        raise Conflict("a concurrent change created this version", rule="record-superseded")
    return await get_row(session, inserted[current.source_ref])


def parse_correction(body: dict[str, Any], target: CreditRecord) -> tuple[RecordCommon, str]:
    """A correction body is a full record body; kind and source_ref may be left out but not
    changed. Returns (record, reason)."""
    body = dict(body)
    reason = body.pop("reason", None)
    errors: list[FieldError] = []
    if reason is not None and (not isinstance(reason, str) or len(reason) > 500):
        errors.append(FieldError(field="reason", rule="string_type", message="at most 500 chars"))
    for name, value in (("kind", target.kind), ("source_ref", target.source_ref)):
        body.setdefault(name, value)
        if body[name] != value:
            errors.append(
                FieldError(
                    field=name,
                    rule=f"{name.replace('_', '-')}-immutable",
                    message=f"a correction keeps {name} '{value}'",
                    expected=value,
                )
            )
    try:
        item: RecordCommon = RECORD_ADAPTER.validate_python(body)
    except ValidationError as err:
        errors.extend(rr.validation_errors(err))
    if errors:
        raise invalid(errors)
    return item, reason or "corrected"


async def correct(
    session: AsyncSession,
    principal: Principal,
    record_id: int,
    body: dict[str, Any],
    *,
    today: date,
    now: datetime,
) -> tuple[CreditRecord, bool]:
    """A new version with the corrected body. Re-sending the same correction returns the
    version it made (created=False)."""
    target, current = await writable(session, principal, record_id)
    if current.agency_id != principal.agency_id and not principal.has(Scope.ADMIN):
        raise Forbidden(
            f"record {record_id} belongs to agency {current.agency_id}; only it corrects it",
            rule="record-owner",
        )
    item, reason = parse_correction(body, target)
    data = rr.canonical_data(item)
    digest = rr.body_hash(
        current.code, current.kind, current.source_ref, item.occurred_on.isoformat(), data
    )
    if digest == current.body_hash:
        return current, False
    require_current(target, current, "correct")
    problems = check_record(
        current.kind,
        item.occurred_on,
        rr.python_fields(item),
        today=today,
        catalog=await rr.catalog_codes(session),
        cal=await calendar.work_calendar(session),
    )
    if problems:
        raise invalid(rr.problem_errors(problems))
    row = await new_version(session, current, data, item.occurred_on, now=now, reason=reason)
    emit_record(session, "record.corrected", row, supersedes_id=current.id, reason=reason)
    ledger.audit(session, "record.correct", f"record/{row.id}")
    await grading.regrade(session, [row.code], today=today, trigger="record")
    return row, True


async def set_status(
    session: AsyncSession,
    principal: Principal,
    record_id: int,
    body: StatusIn,
    *,
    today: date,
    now: datetime,
) -> tuple[CreditRecord, bool]:
    """active -> overturned | withdrawn. A penalty no longer in force revokes the blacklist
    entries resting on it (Order 44 Art.19)."""
    target, current = await writable(session, principal, record_id)
    if current.status == body.status and current.status_reason == body.reason:
        return current, False
    require_current(target, current, "change the status of")
    current.status = body.status
    current.status_reason = body.reason
    current.status_changed_at = now
    await session.flush()
    emit_record(session, "record.status_changed", current, reason=body.reason)
    ledger.audit(session, f"record.{body.status}", f"record/{current.id}")
    await grading.regrade(session, [current.code], today=today, trigger="record")
    if current.kind == "penalty" and body.status in ("overturned", "withdrawn"):
        await _penalty_overturned(
            session, current, today=today, agency_id=principal.agency_id, authority=principal.name
        )
    return current, True


async def _penalty_overturned(
    session: AsyncSession, row: CreditRecord, *, today: date, agency_id: int, authority: str
) -> None:
    """Order 44 Art.19: a revoked penalty revokes the listing it backs. A listing names the
    version it was proposed on, which an earlier correction may have superseded, so every
    version of the chain is passed."""
    from service.store.blacklist import procedure as blacklist

    ids = (
        await session.execute(
            select(col(CreditRecord.id))
            .where(
                col(CreditRecord.agency_id) == row.agency_id,
                col(CreditRecord.source_ref) == row.source_ref,
            )
            .order_by(col(CreditRecord.version))
        )
    ).scalars()
    for record_id in [i for i in ids if i is not None]:
        await blacklist.penalty_overturned(
            session, record_id, today=today, agency_id=agency_id, authority=authority
        )
