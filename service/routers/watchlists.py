"""Watchlists: up to 100,000 enterprise codes that a webhook can be narrowed to, so a bank or
procurement platform hears when one of its suppliers is listed, removed or re-graded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from service.auth import Scope
from service.deps import NowDep, PrincipalDep, SessionDep, require
from service.errors import Conflict, NotFound, ValidationFailed, problem_responses
from service.http.pagination import CursorQuery, LimitQuery, decode_cursor_of, encode_cursor
from service.models import Watchlist
from service.schemas.sharing import (
    RejectedCode,
    WatchlistCodesIn,
    WatchlistDetail,
    WatchlistIn,
    WatchlistList,
    WatchlistOut,
    WatchlistWritten,
)
from service.store.sharing import watchlists

router = APIRouter(
    prefix="/v1/watchlists", tags=["sharing"], dependencies=[require(Scope.WEBHOOKS)]
)

WatchlistId = Annotated[int, Path(ge=1, description="Watchlist id", examples=[1])]


def _written(
    w: Watchlist, codes: list[str], rejected: list[watchlists.Rejected]
) -> WatchlistWritten:
    assert w.id is not None
    return WatchlistWritten(
        id=w.id,
        name=w.name,
        count=len(codes),
        created_at=w.created_at,
        accepted=len(codes),
        rejected=[
            RejectedCode(
                index=r.index, code=r.code, rule=r.rule, message=r.message, expected=r.expected
            )
            for r in rejected
        ],
    )


@router.post(
    "",
    status_code=201,
    summary="Create a watchlist",
    response_model=WatchlistWritten,
    responses=problem_responses(ValidationFailed),
)
async def create_watchlist(
    body: WatchlistIn, session: SessionDep, principal: PrincipalDep, now: NowDep
) -> WatchlistWritten:
    """Invalid codes are reported per item (`rejected`, with the rule and, for a wrong check
    character, the expected one); the valid ones are kept. Duplicates count once."""
    watchlist, codes, rejected = await watchlists.create(
        session, agency_id=principal.agency_id, name=body.name, raw_codes=body.codes, now=now
    )
    return _written(watchlist, codes, rejected)


@router.get("", summary="Your watchlists", response_model=WatchlistList)
async def list_watchlists(
    session: SessionDep, principal: PrincipalDep, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> WatchlistList:
    after = decode_cursor_of(cursor, int)
    rows = await watchlists.list_for(session, principal.agency_id, after=after, limit=limit)
    more = len(rows) > limit
    rows = rows[:limit]
    counts = await watchlists.counts(session, [w.id for w in rows if w.id is not None])
    return WatchlistList(
        items=[
            WatchlistOut(id=w.id, name=w.name, count=counts.get(w.id, 0), created_at=w.created_at)
            for w in rows
            if w.id is not None
        ],
        next_cursor=encode_cursor(rows[-1].id) if more and rows else None,
    )


@router.get(
    "/{watchlist_id}",
    summary="A watchlist and one page of its codes",
    response_model=WatchlistDetail,
    responses=problem_responses(NotFound, ValidationFailed),
)
async def get_watchlist(
    watchlist_id: WatchlistId,
    session: SessionDep,
    principal: PrincipalDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = 1000,
) -> WatchlistDetail:
    watchlist = await watchlists.get_owned(session, principal.agency_id, watchlist_id)
    after = decode_cursor_of(cursor, str)
    codes = await watchlists.page_codes(session, watchlist_id, after=after, limit=limit)
    more = len(codes) > limit
    codes = codes[:limit]
    return WatchlistDetail(
        id=watchlist_id,
        name=watchlist.name,
        count=await watchlists.count(session, watchlist_id),
        created_at=watchlist.created_at,
        codes=codes,
        next_cursor=encode_cursor(codes[-1]) if more and codes else None,
    )


@router.put(
    "/{watchlist_id}/codes",
    summary="Replace a watchlist's codes",
    response_model=WatchlistWritten,
    responses=problem_responses(NotFound, ValidationFailed),
)
async def replace_codes(
    watchlist_id: WatchlistId,
    body: WatchlistCodesIn,
    session: SessionDep,
    principal: PrincipalDep,
) -> WatchlistWritten:
    watchlist = await watchlists.get_owned(session, principal.agency_id, watchlist_id)
    codes, rejected = await watchlists.replace_codes(session, watchlist, body.codes)
    return _written(watchlist, codes, rejected)


@router.delete(
    "/{watchlist_id}",
    status_code=204,
    summary="Delete a watchlist",
    responses=problem_responses(NotFound, Conflict),
)
async def delete_watchlist(
    watchlist_id: WatchlistId, session: SessionDep, principal: PrincipalDep
) -> Response:
    """Refused (409, rule `watchlist-in-use`) while a webhook is narrowed to it."""
    watchlist = await watchlists.get_owned(session, principal.agency_id, watchlist_id)
    await watchlists.remove(session, watchlist)
    return Response(status_code=204)
