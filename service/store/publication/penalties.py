"""Administrative-penalty publication (行政处罚信息公示, SAMR Order 45) and credit repair.

Windows are evaluated at read time from the penalty record (service/credit/publication.py):
nothing needs a job to stop publishing. Everything public is built by
:func:`public_penalty`, which emits exactly :data:`PUBLIC_FIELDS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.credit import publication as rules
from service.credit.names import name_key
from service.errors import Conflict, FieldError, IllegalTransition, ValidationFailed
from service.models import Agency, CreditRecord, Enterprise, PenaltyRepair
from service.schemas.publication import RepairIn
from service.store import ledger
from service.store.records import write as records

PUBLIC_FIELDS = (
    "code",
    "name",
    "region_code",
    "decision_number",
    "decided_on",
    "penalty_types",
    "fine_amount",
    "legal_basis",
    "authority",
    "public_until",
)
_SCAN = 500  # rows read per step while filling a page (windows are applied in Python)


def decided_on(row: CreditRecord) -> date:
    """The decision day (处罚决定日期).

    DECIDED_ON: the record's ``data.decided_on`` (defaults to ``occurred_on``) until the
    stored ``credit_record.decided_on`` column (branch legal-a) is merged — then read the
    column here and filter windows in SQL in :func:`_base`."""
    raw = (row.data or {}).get("decided_on")
    return date.fromisoformat(raw) if isinstance(raw, str) else row.occurred_on


def penalty_of(row: CreditRecord, products: Sequence[str] = ()) -> rules.Penalty:
    data = row.data or {}
    amount = data.get("fine_amount")
    sectors = {row.product_category} if row.product_category else set(products)
    return rules.Penalty(
        decided_on=decided_on(row),
        penalty_types=frozenset(data.get("penalty_types") or ()),
        fine_amount=None if amount is None else Decimal(str(amount)),
        heavier=bool(data.get("heavier")),
        sectors=frozenset(sectors),
    )


def public_penalty(row: CreditRecord, name: str, authority: str) -> dict[str, Any]:
    data = row.data or {}
    p = penalty_of(row)
    return {
        "code": row.code,
        "name": name,
        "region_code": row.region_code,
        "decision_number": data.get("decision_number"),
        "decided_on": p.decided_on.isoformat(),
        "penalty_types": list(data.get("penalty_types") or ()),
        "fine_amount": data.get("fine_amount"),
        "legal_basis": data.get("legal_basis"),
        "authority": authority,
        "public_until": rules.public_until(p).isoformat(),
    }


def _base(region: str | None, code: str | None, q: str | None) -> Any:
    """Active (not overturned, withdrawn or superseded) penalties with their enterprise name,
    deciding agency and repair grant."""
    stmt = (
        select(CreditRecord, col(Enterprise.name), col(Agency.name), col(PenaltyRepair.granted_on))
        .join(Enterprise, col(Enterprise.code) == col(CreditRecord.code))
        .join(Agency, col(Agency.id) == col(CreditRecord.agency_id))
        .outerjoin(
            PenaltyRepair,
            and_(
                col(PenaltyRepair.agency_id) == col(CreditRecord.agency_id),
                col(PenaltyRepair.source_ref) == col(CreditRecord.source_ref),
            ),
        )
        .where(col(CreditRecord.kind) == "penalty", col(CreditRecord.status) == "active")
    )
    if region:
        stmt = stmt.where(col(CreditRecord.region_code).startswith(region))
    if code:
        stmt = stmt.where(col(CreditRecord.code) == code)
    if q:
        key = name_key(q)
        stmt = stmt.where(col(Enterprise.name_key).contains(key, autoescape=True))
    return stmt


async def search(
    session: AsyncSession,
    *,
    today: date,
    q: str | None,
    code: str | None,
    region: str | None,
    after: int | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int | None]:
    """One page of the penalties public ``today``, newest record first, and the id to
    resume after."""
    found: list[dict[str, Any]] = []
    last_id: int | None = None
    cursor = after
    while len(found) <= limit:
        stmt = _base(region, code, q).order_by(col(CreditRecord.id).desc()).limit(_SCAN)
        if cursor is not None:
            stmt = stmt.where(col(CreditRecord.id) < cursor)
        rows = list(await session.execute(stmt))
        for row, name, authority, repaired_on in rows:
            if rules.is_public(penalty_of(row), today, repaired_on=repaired_on):
                if len(found) == limit:
                    return found, last_id
                found.append(public_penalty(row, name, authority))
                last_id = row.id
        if len(rows) < _SCAN:
            break
        cursor = rows[-1][0].id
    return found, None


async def by_code(session: AsyncSession, code: str, today: date) -> list[dict[str, Any]]:
    stmt = _base(None, code, None).order_by(col(CreditRecord.id).desc())
    return [
        public_penalty(row, name, authority)
        for row, name, authority, repaired_on in await session.execute(stmt)
        if rules.is_public(penalty_of(row), today, repaired_on=repaired_on)
    ]


async def heavier_decisions(session: AsyncSession, code: str) -> list[date]:
    stmt = select(CreditRecord).where(
        col(CreditRecord.code) == code,
        col(CreditRecord.kind) == "penalty",
        col(CreditRecord.status) == "active",
    )
    return [decided_on(r) for r in (await session.execute(stmt)).scalars() if r.data.get("heavier")]


async def grant_repair(
    session: AsyncSession,
    principal: Principal,
    record_id: int,
    body: RepairIn,
    *,
    today: date,
) -> tuple[PenaltyRepair, rules.Penalty, bool]:
    """Grant early ending of publication, the rule checked; (grant, penalty, created).

    The same grant again is a no-op (200); another grant for a repaired chain is a 409."""
    target, current = await records.writable(session, principal, record_id)
    if current.kind != "penalty":
        raise ValidationFailed(
            f"record {record_id} is a {current.kind}, not a penalty",
            errors=[FieldError(field="record_id", rule="kind", message="must be a penalty")],
        )
    records.require_current(target, current, "repair")
    enterprise = await session.get(Enterprise, current.code)
    p = penalty_of(current, enterprise.products if enterprise else ())
    existing = (
        await session.execute(
            select(PenaltyRepair).where(
                col(PenaltyRepair.agency_id) == current.agency_id,
                col(PenaltyRepair.source_ref) == current.source_ref,
            )
        )
    ).scalar_one_or_none()
    if existing is not None:
        if existing.granted_on == body.granted_on and existing.reason == body.reason:
            return existing, p, False
        raise Conflict(
            f"publication of this penalty already ended by repair on {existing.granted_on}",
            rule="repair-already-granted",
        )
    problems = rules.check_repair(
        p,
        granted_on=body.granted_on,
        today=today,
        performed=body.performed,
        harm_eliminated=body.harm_eliminated,
        heavier_since=await heavier_decisions(session, current.code),
    )
    if problems:
        raise IllegalTransition(
            "; ".join(pr.message for pr in problems),
            rule=problems[0].rule,
            errors=[
                FieldError(field=pr.field, rule=pr.rule, message=pr.message, expected=pr.expected)
                for pr in problems
            ],
        )
    grant = PenaltyRepair(
        record_id=current.id or 0,
        agency_id=current.agency_id,
        source_ref=current.source_ref,
        code=current.code,
        granted_on=body.granted_on,
        granted_by=principal.agency_id,
        reason=body.reason,
    )
    session.add(grant)
    await session.flush()
    records.emit_record(
        session,
        "penalty.repaired",
        current,
        granted_on=body.granted_on.isoformat(),
        reason=body.reason,
    )
    ledger.audit(session, "penalty.repaired", f"record/{current.id}")
    return grant, p, True
