"""The serious-dishonesty list procedure (严重违法失信名单, SAMR Order 44) for agencies.

``proposed -> notified -> listed -> removed``, with approval by a higher authority for
county and prefecture decisions (Art.22), publication (Art.14), removal (Art.16-19), and
restoration after a fraudulent repair (Art.20). A refused transition is a 409 problem whose
``rule`` names the article.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import Principal, Scope
from service.deps import PrincipalDep, SessionDep, TodayDep, parse_code_or_422, require
from service.errors import (
    Forbidden,
    IllegalTransition,
    InvalidCode,
    NotFound,
    ValidationFailed,
    problem_responses,
)
from service.http.etag import json_response
from service.http.pagination import CursorQuery, LimitQuery, decode_cursor_of, encode_cursor
from service.schemas import Page
from service.schemas.blacklist import (
    ApproveIn,
    CandidateOut,
    EntryOut,
    EntryStatus,
    ListIn,
    NotifyIn,
    ProposeIn,
    PublishIn,
    RemoveIn,
    RestoreIn,
)
from service.store import enterprises
from service.store.blacklist import procedure as blacklist
from service.store.blacklist import reads as blacklist_reads
from service.store.calendar import work_calendar

router = APIRouter(prefix="/v1/blacklist", tags=["blacklist"])

EntryId = Annotated[int, Path(ge=1, description="Blacklist entry id", examples=[1])]
RegionQuery = Annotated[
    str | None,
    Query(pattern=r"^\d{1,6}$", description="Division-code prefix, e.g. `21`", examples=["2111"]),
]
_TRANSITION_ERRORS = problem_responses(Forbidden, NotFound, IllegalTransition, ValidationFailed)


@router.post(
    "",
    status_code=201,
    summary="Propose a listing",
    response_model=EntryOut,
    responses=problem_responses(InvalidCode, Forbidden, NotFound, IllegalTransition),
    dependencies=[require(Scope.BLACKLIST_WRITE)],
)
async def propose(
    body: ProposeIn, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> EntryOut:
    """Opens the procedure against an enterprise in the caller's jurisdiction. The linked
    penalty must be a heavier administrative penalty (较重行政处罚) of the same enterprise
    that has not been overturned (Order 44 Art.2). `authority` is the caller's name."""
    enterprise = await enterprises.get(session, parse_code_or_422(body.code, "code"))
    principal.require_region(enterprise.region_code)
    row = await blacklist.propose(
        session,
        principal,
        code=enterprise.code,
        region_code=enterprise.region_code,
        category=body.category,
        reason=body.reason,
        legal_basis=body.legal_basis,
        remedy=body.remedy,
        penalty_record_id=body.penalty_record_id,
        today=today,
    )
    return await blacklist_reads.entry_out(session, row, today, name=enterprise.name)


@router.get(
    "",
    summary="List entries (agency view)",
    response_model=Page[EntryOut],
    responses=problem_responses(ValidationFailed),
)
async def list_entries(
    session: SessionDep,
    _: PrincipalDep,
    today: TodayDep,
    status: Annotated[
        EntryStatus | None, Query(description="Status as it reads today (expiry applied)")
    ] = None,
    region: RegionQuery = None,
    overdue_publication: Annotated[
        bool, Query(description="Only listings past their Art.14 publication deadline")
    ] = False,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[EntryOut]:
    """Newest first."""
    rows = await blacklist_reads.list_page(
        session,
        today=today,
        status=status,
        region=region,
        overdue=overdue_publication,
        after=decode_cursor_of(cursor, int),
        limit=limit,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    names = await blacklist_reads.names(session, [r.code for r in rows])
    cal = await work_calendar(session)
    items = [
        await blacklist_reads.entry_out(
            session, r, today, name=names.get(r.code), history=False, cal=cal
        )
        for r in rows
    ]
    return Page(items=items, next_cursor=encode_cursor(rows[-1].id) if more and rows else None)


@router.get(
    "/candidates",
    summary="Enterprises that meet a listing trigger but have no entry",
    response_model=Page[CandidateOut],
    responses=problem_responses(ValidationFailed),
)
async def list_candidates(
    session: SessionDep,
    _: PrincipalDep,
    today: TodayDep,
    region: RegionQuery = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[CandidateOut]:
    """Dossiers meeting Order 44 Art.7(3) (failed, announced, still failing on re-check) or
    Art.8 (refused or delayed an ordered recall), or a revoked licence with a heavier
    penalty, with the records that qualify each. A trigger is a reason to review, not a
    listing: an officer decides whether to propose. Ordered by code."""
    after = decode_cursor_of(cursor, str)
    items = await blacklist_reads.candidates(
        session, today=today, region=region, after=after, limit=limit
    )
    more = len(items) > limit
    items = items[:limit]
    return Page(items=items, next_cursor=encode_cursor(items[-1].code) if more else None)


@router.get(
    "/{entry_id}",
    summary="An entry with its history and what may happen next",
    response_model=EntryOut,
    responses=problem_responses(NotFound),
)
async def get_entry(
    entry_id: EntryId, session: SessionDep, _: PrincipalDep, today: TodayDep, request: Request
) -> Response:
    """Status as it reads today: a listing past its 3 years reads as removed with reason
    `expired` (Art.21) whether or not the expiry job has run. `publication_overdue` flags a
    listing not published within 20 working days (Art.14)."""
    row = await blacklist.get_row(session, entry_id)
    out = await blacklist_reads.entry_out(session, row, today)
    return json_response(request, out.model_dump(mode="json"))


async def _transition(
    session: AsyncSession,
    principal: Principal,
    entry_id: int,
    transition: str,
    body: BaseModel | None,
    today: date,
) -> EntryOut:
    row = await blacklist.get_row(session, entry_id, lock=True)
    if transition == "approve":
        # Art.22: level and region are the rule's to judge (409 naming it), not jurisdiction.
        principal.require(Scope.BLACKLIST_APPROVE)
    else:
        principal.require(Scope.BLACKLIST_WRITE)
        principal.require_region(row.region_code)
    params: dict[str, Any] = body.model_dump() if body is not None else {}
    await blacklist.apply(session, row, transition, principal=principal, today=today, params=params)
    return await blacklist_reads.entry_out(session, row, today)


@router.post(
    "/{entry_id}/notify",
    summary="Record the prior notice (告知), Art.13",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def notify(
    entry_id: EntryId, body: NotifyIn, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> EntryOut:
    """Starts the 5-working-day statement/defence window."""
    return await _transition(session, principal, entry_id, "notify", body, today)


@router.post(
    "/{entry_id}/approve",
    summary="Approve a county or prefecture listing, Art.22",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def approve(
    entry_id: EntryId,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    body: ApproveIn | None = None,
) -> EntryOut:
    """Needs `blacklist:approve`; the caller's level must be strictly higher than the
    proposer's and its region must contain the enterprise (rule `order44-art22-approval`)."""
    return await _transition(session, principal, entry_id, "approve", body, today)


@router.post(
    "/{entry_id}/list",
    summary="Decide the listing (列入决定)",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def list_entry(
    entry_id: EntryId, body: ListIn, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> EntryOut:
    """Refused inside the defence window unless `defence_waived` (Art.13), and before the
    approval where one is needed (Art.22). Sets `expires_on` = decided_on + 3 years (Art.21)
    and `publish_by` = decided_on + 20 working days (Art.14)."""
    return await _transition(session, principal, entry_id, "list", body, today)


@router.post(
    "/{entry_id}/publish",
    summary="Record publication, Art.14",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def publish(
    entry_id: EntryId,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    body: PublishIn | None = None,
) -> EntryOut:
    """From publication on, the entry (and later its removal) is on the public list."""
    return await _transition(session, principal, entry_id, "publish", body, today)


@router.post(
    "/{entry_id}/remove",
    summary="Remove a listing or end the procedure, Art.16-19",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def remove(
    entry_id: EntryId, body: RemoveIn, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> EntryOut:
    """`repaired` only ≥ 1 year after the listing date and with no new heavier penalty since
    (Art.16); `overturned` and `error` at any stage. Expiry is automatic (Art.21)."""
    return await _transition(session, principal, entry_id, "remove", body, today)


@router.post(
    "/{entry_id}/restore",
    summary="Restore after a fraudulent repair, Art.20",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def restore(
    entry_id: EntryId,
    body: RestoreIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
) -> EntryOut:
    """Only a removal by credit repair can be undone; the 3-year period restarts on
    `restored_on` and the listing is to be published again within 20 working days."""
    return await _transition(session, principal, entry_id, "restore", body, today)
