"""Watchlists: an agency's list of enterprise codes (a bank's borrowers, a procurement
platform's suppliers) that narrows a webhook to the events about those codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.codes import CodeError, try_parse
from service.errors import Conflict, NotFound
from service.models import Enterprise, Watchlist, WatchlistCode, Webhook
from service.store import ledger

_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Rejected:
    index: int
    code: str
    rule: str
    message: str
    expected: str | None = None


async def normalize_codes(
    session: AsyncSession, raw_codes: Sequence[str]
) -> tuple[list[str], list[Rejected]]:
    """Distinct canonical USCCs in first-seen order, and a report of the rejected items.
    Events carry USCCs, so an organization code is kept only when it names a registered
    enterprise (whose USCC is then stored)."""
    codes: dict[str, None] = {}
    rejected: list[Rejected] = []
    org_items: list[tuple[int, str, str]] = []
    for index, raw in enumerate(raw_codes):
        parsed = try_parse(raw)
        if isinstance(parsed, CodeError):
            rejected.append(Rejected(index, raw, parsed.rule, parsed.message, parsed.expected))
        elif parsed.uscc is not None:
            codes[parsed.uscc] = None
        else:
            org_items.append((index, raw, parsed.org_code))
    if org_items:
        known: dict[str, str] = {}
        orgs = sorted({org for _, _, org in org_items})
        for start in range(0, len(orgs), _CHUNK):
            stmt = select(col(Enterprise.org_code), col(Enterprise.code)).where(
                col(Enterprise.org_code).in_(orgs[start : start + _CHUNK])
            )
            known.update({org: code for org, code in (await session.execute(stmt)).all()})
        for index, raw, org in org_items:
            if org in known:
                codes[known[org]] = None
            else:
                rejected.append(
                    Rejected(
                        index,
                        raw,
                        "org-code-unknown",
                        "no registered enterprise has this organization code; give its USCC",
                    )
                )
    rejected.sort(key=lambda r: r.index)
    return list(codes), rejected


async def _insert_codes(session: AsyncSession, watchlist_id: int, codes: Sequence[str]) -> None:
    for start in range(0, len(codes), _CHUNK):
        await session.execute(
            insert(WatchlistCode),
            [{"watchlist_id": watchlist_id, "code": c} for c in codes[start : start + _CHUNK]],
        )


async def create(
    session: AsyncSession, *, agency_id: int, name: str, raw_codes: Sequence[str], now: datetime
) -> tuple[Watchlist, list[str], list[Rejected]]:
    codes, rejected = await normalize_codes(session, raw_codes)
    watchlist = Watchlist(agency_id=agency_id, name=name, created_at=now)
    session.add(watchlist)
    await session.flush()
    assert watchlist.id is not None
    await _insert_codes(session, watchlist.id, codes)
    ledger.audit(session, "watchlist.create", f"watchlist:{watchlist.id}")
    return watchlist, codes, rejected


async def get_owned(session: AsyncSession, agency_id: int, watchlist_id: int) -> Watchlist:
    """Another agency's watchlist is reported as absent, not forbidden (ids are not secrets,
    but their existence need not be confirmed)."""
    watchlist = await session.get(Watchlist, watchlist_id)
    if watchlist is None or watchlist.agency_id != agency_id:
        raise NotFound(f"no watchlist {watchlist_id}")
    return watchlist


async def replace_codes(
    session: AsyncSession, watchlist: Watchlist, raw_codes: Sequence[str]
) -> tuple[list[str], list[Rejected]]:
    assert watchlist.id is not None
    codes, rejected = await normalize_codes(session, raw_codes)
    await session.execute(
        delete(WatchlistCode).where(col(WatchlistCode.watchlist_id) == watchlist.id)
    )
    await _insert_codes(session, watchlist.id, codes)
    ledger.audit(session, "watchlist.replace", f"watchlist:{watchlist.id}")
    return codes, rejected


async def count(session: AsyncSession, watchlist_id: int) -> int:
    stmt = select(func.count()).where(col(WatchlistCode.watchlist_id) == watchlist_id)
    return int((await session.execute(stmt)).scalar_one())


async def counts(session: AsyncSession, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    stmt = (
        select(col(WatchlistCode.watchlist_id), func.count())
        .where(col(WatchlistCode.watchlist_id).in_(ids))
        .group_by(col(WatchlistCode.watchlist_id))
    )
    return {wid: n for wid, n in (await session.execute(stmt)).all()}


async def page_codes(
    session: AsyncSession, watchlist_id: int, *, after: str | None, limit: int
) -> list[str]:
    stmt = (
        select(col(WatchlistCode.code))
        .where(col(WatchlistCode.watchlist_id) == watchlist_id)
        .order_by(col(WatchlistCode.code))
        .limit(limit + 1)
    )
    if after is not None:
        stmt = stmt.where(col(WatchlistCode.code) > after)
    return list((await session.execute(stmt)).scalars())


async def list_for(
    session: AsyncSession, agency_id: int, *, after: int | None, limit: int
) -> list[Watchlist]:
    stmt = (
        select(Watchlist)
        .where(col(Watchlist.agency_id) == agency_id)
        .order_by(col(Watchlist.id))
        .limit(limit + 1)
    )
    if after is not None:
        stmt = stmt.where(col(Watchlist.id) > after)
    return list((await session.execute(stmt)).scalars())


async def remove(session: AsyncSession, watchlist: Watchlist) -> None:
    """Refused while a webhook uses it: dropping the filter would widen that webhook to
    every event of its types."""
    assert watchlist.id is not None
    used_by = (
        (
            await session.execute(
                select(col(Webhook.id)).where(col(Webhook.watchlist_id) == watchlist.id)
            )
        )
        .scalars()
        .first()
    )
    if used_by is not None:
        raise Conflict(
            f"webhook {used_by} uses watchlist {watchlist.id}; delete that webhook first",
            rule="watchlist-in-use",
        )
    await session.execute(
        delete(WatchlistCode).where(col(WatchlistCode.watchlist_id) == watchlist.id)
    )
    await session.delete(watchlist)
    await session.flush()
    ledger.audit(session, "watchlist.delete", f"watchlist:{watchlist.id}")
