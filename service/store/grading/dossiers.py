"""Builds the pure :class:`~service.credit.dossier.Dossier` snapshots from database rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.dossier import Dossier, Fact, RecordKind, RecordStatus, RiskLevel
from service.models import BlacklistEntry, CatalogCategory, CreditRecord, Enterprise

# kind fields that hold dates (stored as ISO strings in JSON)
DATE_FIELDS = frozenset(
    {
        "notified_on",
        "objection_filed_on",
        "rectification_ordered_on",
        "recheck_on",
        "announced_on",
        "recheck2_on",
        "retest_on",
        "valid_from",
        "valid_to",
        "decided_on",
        "received_on",
        "closed_on",
    }
)


def attrs_from_json(data: Mapping[str, Any]) -> dict[str, object]:
    return {
        k: date.fromisoformat(v) if k in DATE_FIELDS and isinstance(v, str) else v
        for k, v in data.items()
    }


def fact_of(row: Any) -> Fact:
    """`row` is a CreditRecord or a Row with the same column names."""
    return Fact(
        id=row.id,
        kind=RecordKind(row.kind),
        occurred_on=row.occurred_on,
        recorded_at=row.recorded_at,
        status=RecordStatus(row.status),
        attrs=attrs_from_json(row.data),
    )


async def catalog_risks(session: AsyncSession) -> dict[str, RiskLevel]:
    rows = await session.execute(select(col(CatalogCategory.code), col(CatalogCategory.risk_level)))
    return {code: RiskLevel(level) for code, level in rows}


async def facts_by_code(
    session: AsyncSession, codes: Sequence[str], *, include_superseded: bool = False
) -> dict[str, list[Fact]]:
    stmt = select(CreditRecord).where(col(CreditRecord.code).in_(codes))
    if not include_superseded:
        stmt = stmt.where(col(CreditRecord.status) != RecordStatus.SUPERSEDED.value)
    out: dict[str, list[Fact]] = defaultdict(list)
    for row in (await session.execute(stmt)).scalars():
        out[row.code].append(fact_of(row))
    return out


def listing_in_force_clause(on: date) -> Any:
    """SQL condition: a blacklist entry in force on `on` (Order 44 Art.21 expiry included).

    Exact for ``on`` = today. For a past day, a restored entry (Art.20) also matches
    inside the gap between its undone removal and its restoration;
    :func:`listings_in_force` filters those out.
    """
    return and_(
        col(BlacklistEntry.status).in_(("listed", "removed")),
        col(BlacklistEntry.decided_on) <= on,
        col(BlacklistEntry.expires_on) > on,
        or_(col(BlacklistEntry.removed_on).is_(None), col(BlacklistEntry.removed_on) > on),
    )


async def listings_in_force(
    session: AsyncSession, codes: Sequence[str], on: date
) -> dict[str, list[int]]:
    rows = await session.execute(
        select(
            col(BlacklistEntry.code), col(BlacklistEntry.id), col(BlacklistEntry.undone_removals)
        ).where(col(BlacklistEntry.code).in_(codes), listing_in_force_clause(on))
    )
    out: dict[str, list[int]] = defaultdict(list)
    iso = on.isoformat()
    for code, entry_id, undone in rows:
        # Order 44 Art.20: not in force between an undone removal and the restoration.
        if entry_id is not None and not any(
            u["removed_on"] <= iso < u["restored_on"] for u in undone or ()
        ):
            out[code].append(entry_id)
    return out


async def load(
    session: AsyncSession,
    enterprises: Iterable[Enterprise],
    on: date,
    *,
    risks: Mapping[str, RiskLevel] | None = None,
) -> list[Dossier]:
    ents = list(enterprises)
    codes = [e.code for e in ents]
    if risks is None:
        risks = await catalog_risks(session)
    facts = await facts_by_code(session, codes)
    listings = await listings_in_force(session, codes, on)
    return [
        Dossier(
            code=e.code,
            facts=tuple(facts.get(e.code, ())),
            product_risks={p: risks[p] for p in e.products if p in risks},
            active_listing_ids=tuple(sorted(listings.get(e.code, ()))),
        )
        for e in ents
    ]
