"""The honour list (守信激励名单, seeds 000/001: AA enterprises recommended for awards).

Publishing needs the class in force to be AA and no listing in force (Order 44 Art.15: a
listed enterprise is excluded from awards). Public reads leave out withdrawn entries and
entries whose enterprise has been listed since. The class itself is never shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.errors import Conflict, NotFound
from service.models import Agency, BlacklistEntry, Enterprise, HonourEntry
from service.store import ledger, views
from service.store.grading.dossiers import listing_in_force_clause


def honour_json(h: HonourEntry, name: str, authority: str) -> dict[str, Any]:
    return {
        "id": h.id,
        "code": h.code,
        "name": name,
        "region_code": h.region_code,
        "reason": h.reason,
        "published_on": h.published_on.isoformat(),
        "authority": authority,
    }


async def publish(
    session: AsyncSession,
    principal: Principal,
    enterprise: Enterprise,
    *,
    reason: str,
    published_on: date,
    today: date,
) -> HonourEntry:
    principal.require_region(enterprise.region_code)
    classification, listed = await views.current_classification(session, enterprise, today)
    if listed:
        raise Conflict(
            "a listed enterprise is excluded from awards (Order 44 Art.15)",
            rule="order44-art15-no-awards",
        )
    if classification.grade != "AA":
        raise Conflict(
            "only enterprises of class AA are recommended for awards (seed 000)",
            rule="honour-requires-aa",
        )
    h = HonourEntry(
        code=enterprise.code,
        region_code=enterprise.region_code,
        agency_id=principal.agency_id,
        reason=reason,
        published_on=published_on,
    )
    session.add(h)
    await session.flush()
    ledger.emit(
        session,
        "honour.published",
        code=enterprise.code,
        region_code=enterprise.region_code,
        data={"id": h.id, "published_on": published_on.isoformat()},
    )
    ledger.audit(session, "honour.published", f"honour/{h.id}")
    return h


async def withdraw(
    session: AsyncSession, principal: Principal, honour_id: int, on: date
) -> HonourEntry:
    h = await session.get(HonourEntry, honour_id)
    if h is None:
        raise NotFound(f"no honour-list entry {honour_id}")
    principal.require_region(h.region_code)
    if h.withdrawn_on is not None:
        raise Conflict(f"entry {honour_id} was withdrawn on {h.withdrawn_on}", rule="withdrawn")
    h.withdrawn_on = on
    await session.flush()
    ledger.emit(
        session,
        "honour.withdrawn",
        code=h.code,
        region_code=h.region_code,
        data={"id": h.id, "withdrawn_on": on.isoformat()},
    )
    ledger.audit(session, "honour.withdrawn", f"honour/{h.id}")
    return h


async def public_page(
    session: AsyncSession, *, today: date, region: str | None, after: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    listed = select(col(BlacklistEntry.code)).where(listing_in_force_clause(today))
    stmt = (
        select(HonourEntry, col(Enterprise.name), col(Agency.name))
        .join(Enterprise, col(Enterprise.code) == col(HonourEntry.code))
        .join(Agency, col(Agency.id) == col(HonourEntry.agency_id))
        .where(
            col(HonourEntry.published_on) <= today,
            (col(HonourEntry.withdrawn_on).is_(None)) | (col(HonourEntry.withdrawn_on) > today),
            col(HonourEntry.code).not_in(listed),
        )
        .order_by(col(HonourEntry.id).desc())
        .limit(limit + 1)
    )
    if region:
        stmt = stmt.where(col(HonourEntry.region_code).startswith(region))
    if after is not None:
        stmt = stmt.where(col(HonourEntry.id) < after)
    rows = list(await session.execute(stmt))
    page = rows[:limit]
    return [honour_json(h, n, a) for h, n, a in page], (
        page[-1][0].id if len(rows) > limit and page else None
    )


async def document(session: AsyncSession, honour_id: int) -> dict[str, Any]:
    h = await session.get(HonourEntry, honour_id)
    if h is None:
        raise NotFound(f"no honour-list entry {honour_id}")
    enterprise = await session.get(Enterprise, h.code)
    agency = await session.get(Agency, h.agency_id)
    return honour_json(h, enterprise.name if enterprise else "", agency.name if agency else "")
