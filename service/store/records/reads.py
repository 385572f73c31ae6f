"""Reading the dossier: one record and its history, filtered pages, the whole archive, and
the inspections whose Order 18 follow-up is overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit import followup
from service.credit.deadlines import WorkCalendar
from service.models import BlacklistEntry, CreditRecord, Enterprise, Gtin
from service.schemas.records import OverdueItem, OverdueStepOut
from service.store import views
from service.store.grading.dossiers import attrs_from_json
from service.store.records import rows as rr

_SCAN = 500


async def superseded_by(session: AsyncSession, row: CreditRecord) -> int | None:
    if row.status != "superseded":
        return None
    return (
        await session.execute(
            select(col(CreditRecord.id)).where(
                col(CreditRecord.agency_id) == row.agency_id,
                col(CreditRecord.source_ref) == row.source_ref,
                col(CreditRecord.version) == row.version + 1,
            )
        )
    ).scalar_one_or_none()


async def chain(session: AsyncSession, row: CreditRecord) -> list[CreditRecord]:
    """Every version of ``row``'s record, oldest first."""
    stmt = (
        select(CreditRecord)
        .where(
            col(CreditRecord.agency_id) == row.agency_id,
            col(CreditRecord.source_ref) == row.source_ref,
        )
        .order_by(col(CreditRecord.version))
    )
    return list((await session.execute(stmt)).scalars())


async def list_page(
    session: AsyncSession,
    code: str,
    *,
    kinds: list[str] | None,
    date_from: date | None,
    date_to: date | None,
    statuses: list[str] | None,
    history: bool,
    after: tuple[date, int] | None,
    limit: int,
) -> list[CreditRecord]:
    """Newest first by occurred_on, then id (stable keyset order); ``limit + 1`` rows."""
    stmt = (
        select(CreditRecord)
        .where(col(CreditRecord.code) == code)
        .order_by(col(CreditRecord.occurred_on).desc(), col(CreditRecord.id).desc())
        .limit(limit + 1)
    )
    if kinds:
        stmt = stmt.where(col(CreditRecord.kind).in_(kinds))
    if date_from is not None:
        stmt = stmt.where(col(CreditRecord.occurred_on) >= date_from)
    if date_to is not None:
        stmt = stmt.where(col(CreditRecord.occurred_on) <= date_to)
    if statuses:
        stmt = stmt.where(col(CreditRecord.status).in_(statuses))
    elif not history:
        stmt = stmt.where(col(CreditRecord.status) != "superseded")
    if after is not None:
        on, last_id = after
        stmt = stmt.where(
            or_(
                col(CreditRecord.occurred_on) < on,
                and_(col(CreditRecord.occurred_on) == on, col(CreditRecord.id) < last_id),
            )
        )
    return list((await session.execute(stmt)).scalars())


async def overdue(
    session: AsyncSession,
    region: str,
    *,
    today: date,
    cal: WorkCalendar,
    after_id: int,
    limit: int,
) -> tuple[list[OverdueItem], int | None]:
    """Current failed inspections in ``region`` with a follow-up step past its deadline
    (Order 18 Art.47-48), by record id; returns (items, last id when more may follow)."""
    items: list[OverdueItem] = []
    last = after_id
    while True:
        stmt = (
            select(CreditRecord)
            .where(
                col(CreditRecord.kind) == "inspection",
                col(CreditRecord.status) == "active",
                col(CreditRecord.final_result) == "fail",
                col(CreditRecord.region_code).startswith(region),
                col(CreditRecord.id) > last,
            )
            .order_by(col(CreditRecord.id))
            .limit(_SCAN)
        )
        rows = list((await session.execute(stmt)).scalars())
        for row in rows:
            assert row.id is not None
            last = row.id
            attrs = attrs_from_json(row.data)
            steps = followup.overdue_steps(attrs, today, cal)
            if not steps:
                continue
            if len(items) == limit:
                return items, items[-1].record_id
            items.append(
                OverdueItem(
                    record_id=row.id,
                    code=row.code,
                    region_code=row.region_code,
                    product_category=row.product_category,
                    occurred_on=row.occurred_on,
                    notified_on=followup.attr_date(attrs, "notified_on"),
                    steps=[
                        OverdueStepOut(
                            step=s.step, due=s.due, days_overdue=s.days_overdue, rule=s.rule
                        )
                        for s in steps
                    ],
                )
            )
        if len(rows) < _SCAN:
            return items, None


def _blacklist_json(e: BlacklistEntry) -> dict[str, Any]:
    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "id": e.id,
        "status": e.status,
        "category": e.category,
        "reason": e.reason,
        "legal_basis": e.legal_basis,
        "authority": e.authority,
        "penalty_record_id": e.penalty_record_id,
        "decided_on": iso(e.decided_on),
        "expires_on": iso(e.expires_on),
        "removed_on": iso(e.removed_on),
        "removal_reason": e.removal_reason,
    }


async def dossier(
    session: AsyncSession,
    enterprise: Enterprise,
    *,
    today: date,
    cal: WorkCalendar,
    history: bool,
) -> dict[str, Any]:
    """The whole archive of one enterprise as one JSON document (oldest record first)."""
    stmt = (
        select(CreditRecord)
        .where(col(CreditRecord.code) == enterprise.code)
        .order_by(col(CreditRecord.occurred_on), col(CreditRecord.id))
    )
    if not history:
        stmt = stmt.where(col(CreditRecord.status) != "superseded")
    rows = (await session.execute(stmt)).scalars()
    records = [
        rr.record_out(r, cal=cal, today=today).model_dump(mode="json", exclude_none=False)
        for r in rows
    ]
    entries = (
        await session.execute(
            select(BlacklistEntry)
            .where(col(BlacklistEntry.code) == enterprise.code)
            .order_by(col(BlacklistEntry.id))
        )
    ).scalars()
    gtins = (
        await session.execute(
            select(Gtin).where(col(Gtin.code) == enterprise.code).order_by(col(Gtin.gtin))
        )
    ).scalars()
    out = await views.enterprise_out(session, enterprise, today)
    return {
        "as_of": today.isoformat(),
        "enterprise": out.model_dump(mode="json"),
        "records": records,
        "blacklist": [_blacklist_json(e) for e in entries],
        "gtins": [
            {"gtin": g.gtin, "product_name": g.product_name, "product_category": g.product_category}
            for g in gtins
        ],
    }
