"""The public blacklist (公示): only published listings and their removals, only the public
fields (Order 44 Art.14, Art.18-19; the national publicity system's columns).

Everything public is built by :func:`public_entry`, which emits exactly
:data:`PUBLIC_FIELDS` for a listing in force and exactly :data:`REMOVAL_FIELDS` once it is
removed (Art.18: the offence's reason and legal basis are no longer shown, the removal
record stays) — nothing internal (agency ids, penalty record ids, procedure dates, the
fault finding) can reach a public response or export through this module.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit import blacklist as rules
from service.credit.blacklist import Status
from service.credit.codes import ParsedCode
from service.credit.names import name_key
from service.models import BlacklistEntry, BlacklistTransition, Enterprise
from service.store.blacklist.reads import removal_authority, status_clause
from service.store.blacklist.rows import entry_of

PUBLIC_FIELDS = (
    "code",
    "name",
    "region_code",
    "category",
    "reason",
    "legal_basis",
    "authority",
    "remedy",
    "decided_on",
    "expires_on",
    "removed_on",
    "removal_reason",
    "status",
)
# Order 44 Art.18: what stays public once a listing is removed (repaired, overturned,
# expired, error): the removal record, and no longer the offence.
REMOVAL_FIELDS = (
    "code",
    "name",
    "category",
    "decided_on",
    "removed_on",
    "removal_reason",
    "removal_authority",
    "status",
)
# Columns of the file export: every public field of either shape (blank where absent).
EXPORT_FIELDS = (*PUBLIC_FIELDS, "removal_authority")
# Fuzzy name matches (typos, 和/河) need a query of at least this many folded characters and
# at least this rapidfuzz score; shorter queries match by substring only.
FUZZY_MIN_CHARS = 3
FUZZY_CUTOFF = 70.0
EXACT_SCORE = 100.0


def published() -> Any:
    """SQL condition: the entry has been made public (Art.14) — its removal stays public."""
    return col(BlacklistEntry.published_on).is_not(None)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def public_entry(row: BlacklistEntry, name: str, today: date) -> dict[str, Any]:
    """The public record of an entry as it reads ``today`` (Art.21 expiry applied): the
    listing while in force, only the removal record once removed (Art.18)."""
    current = rules.effective(entry_of(row), today)
    iso = _iso
    if current.status is Status.REMOVED:
        return {
            "code": row.code,
            "name": name,
            "category": row.category,
            "decided_on": iso(current.decided_on),
            "removed_on": iso(current.removed_on),
            "removal_reason": current.removal_reason.value if current.removal_reason else None,
            "removal_authority": removal_authority(row, current),
            "status": current.status.value,
        }
    return {
        "code": row.code,
        "name": name,
        "region_code": row.region_code,
        "category": row.category,
        "reason": row.reason,
        "legal_basis": row.legal_basis,
        "authority": row.authority,
        "remedy": row.remedy,
        "decided_on": iso(current.decided_on),
        "expires_on": iso(current.expires_on),
        "removed_on": iso(current.removed_on),
        "removal_reason": current.removal_reason.value if current.removal_reason else None,
        "status": current.status.value,
    }


def history_entries(row: BlacklistEntry, name: str) -> list[dict[str, Any]]:
    """Removal records published before an Art.20 restoration undid them, newest first:
    what the public saw stays visible as history (Art.18 fields only)."""
    if not row.published_on:
        return []
    return [
        {
            "code": row.code,
            "name": name,
            "category": row.category,
            "decided_on": _iso(row.decided_on),
            "removed_on": u["removed_on"],
            "removal_reason": u["reason"],
            "removal_authority": u.get("authority") or row.authority,
            "status": Status.REMOVED.value,
        }
        for u in reversed(row.undone_removals or [])
        if u["removed_on"] >= row.published_on.isoformat()
    ]


def with_history(row: BlacklistEntry, name: str, today: date) -> list[dict[str, Any]]:
    return [public_entry(row, name, today), *history_entries(row, name)]


def _base(today: date, region: str | None, status: str | None, code: str | None) -> Any:
    stmt = (
        select(BlacklistEntry, col(Enterprise.name))
        .join(Enterprise, col(Enterprise.code) == col(BlacklistEntry.code))
        .where(published())
    )
    if region:
        stmt = stmt.where(col(BlacklistEntry.region_code).startswith(region))
    if status:
        stmt = stmt.where(status_clause(status, today))
    if code:
        stmt = stmt.where(col(BlacklistEntry.code) == code)
    return stmt


async def search(
    session: AsyncSession,
    *,
    today: date,
    q: str | None,
    code: str | None,
    region: str | None,
    status: str | None,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """One page of the public list and the key to resume after it.

    Without ``q``: newest first (keyset on id). With ``q``: by name, folded with
    :func:`~service.credit.names.name_key` on both sides (width, spacing and company-form
    suffix do not matter); substring matches score 100, otherwise a rapidfuzz partial
    ratio ≥ 70 counts (queries of 3+ characters). Ordered by score then newest; the cursor
    carries ``[score, id]``.
    """
    stmt = _base(today, region, status, code)
    if q is None:
        stmt = stmt.order_by(col(BlacklistEntry.id).desc()).limit(limit + 1)
        if after:
            stmt = stmt.where(col(BlacklistEntry.id) < after[-1])
        rows = list(await session.execute(stmt))
        page = rows[:limit]
        key = [page[-1][0].id] if len(rows) > limit else None
        return [public_entry(r, n, today) for r, n in page], key

    scored = await _scores(session, stmt, name_key(q))
    if after:
        last_score, last_id = float(after[0]), int(after[1])
        scored = [(s, i) for s, i in scored if (-s, -i) > (-last_score, -last_id)]
    chosen = scored[: limit + 1]
    ids = [i for _, i in chosen[:limit]]
    by_id = {
        r.id: (r, n)
        for r, n in await session.execute(
            _base(today, region, status, code).where(col(BlacklistEntry.id).in_(ids))
        )
    }
    items = [public_entry(*by_id[i], today) for i in ids]
    next_key = [chosen[limit - 1][0], chosen[limit - 1][1]] if len(chosen) > limit else None
    return items, next_key


async def _scores(session: AsyncSession, stmt: Any, key: str) -> list[tuple[float, int]]:
    """``(score, id)`` of every matching entry, best first then newest."""
    keys = {
        row_id: nk
        for row_id, nk in await session.execute(
            stmt.with_only_columns(col(BlacklistEntry.id), col(Enterprise.name_key))
        )
    }
    scores = {i: EXACT_SCORE for i, nk in keys.items() if key and key in nk}
    if len(key) >= FUZZY_MIN_CHARS:
        rest = {i: nk for i, nk in keys.items() if i not in scores}
        for _, score, i in process.extract(
            key, rest, scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, limit=None
        ):
            scores[i] = round(float(score), 2)
    return sorted(((s, i) for i, s in scores.items()), key=lambda t: (-t[0], -t[1]))


async def resolve(session: AsyncSession, code: ParsedCode) -> str | None:
    """The USCC of a parsed code; an org code maps through ``enterprise.org_code``."""
    if code.uscc is not None:
        return code.uscc
    stmt = select(col(Enterprise.code)).where(col(Enterprise.org_code) == code.org_code)
    found: str | None = (await session.execute(stmt)).scalar_one_or_none()
    return found


async def registered(session: AsyncSession, uscc: str) -> bool:
    """Whether an enterprise with this USCC is registered (public screening says the same
    as `known`)."""
    stmt = select(col(Enterprise.code)).where(col(Enterprise.code) == uscc)
    return (await session.execute(stmt)).first() is not None


async def by_code(
    session: AsyncSession, code: ParsedCode, today: date
) -> tuple[str, list[dict[str, Any]]]:
    """The enterprise's public entries, newest first, and its canonical code."""
    uscc = await resolve(session, code)
    if uscc is None:
        return code.org_code_display, []
    stmt = _base(today, None, None, uscc).order_by(col(BlacklistEntry.id).desc())
    return uscc, [e for r, n in await session.execute(stmt) for e in with_history(r, n, today)]


def is_listed(entries: list[dict[str, Any]]) -> bool:
    return any(e["status"] == Status.LISTED.value for e in entries)


async def export_rows(
    session: AsyncSession, *, today: date, since: date | None
) -> list[dict[str, Any]]:
    """Every public entry, or with ``since`` only those listed, published, restored or
    removed (expiry included) on or after that date, or changed by a step dated then (an
    Art.19 revocation turning a repair removal into an overturn) — a delta for offline
    mirrors."""
    stmt = _base(today, None, None, None).order_by(col(BlacklistEntry.id))
    if since is not None:
        stmt = stmt.where(
            or_(
                col(BlacklistEntry.published_on) >= since,
                col(BlacklistEntry.decided_on) >= since,
                col(BlacklistEntry.restored_on) >= since,
                col(BlacklistEntry.removed_on) >= since,
                col(BlacklistEntry.id).in_(
                    select(col(BlacklistTransition.entry_id)).where(
                        col(BlacklistTransition.on) >= since
                    )
                ),
                and_(
                    col(BlacklistEntry.status) == Status.LISTED.value,
                    col(BlacklistEntry.expires_on) >= since,
                    col(BlacklistEntry.expires_on) <= today,
                ),
            )
        )
    return [e for r, n in await session.execute(stmt) for e in with_history(r, n, today)]
