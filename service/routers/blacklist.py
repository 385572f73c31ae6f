"""The serious-dishonesty list procedure (严重违法失信名单, SAMR Order 44) for agencies.

``proposed -> notified -> listed -> removed``, with approval by the next higher authority
for county and prefecture decisions (Art.22), the cross-province push and publication
(Art.14), the credit-repair application (Art.17), removal (Art.16-19), and restoration after
a fraudulent repair (Art.20). A refused transition is a 409 problem whose ``rule`` names the
article.
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
    AcceptRepairIn,
    ApplyRepairIn,
    ApproveIn,
    CandidateOut,
    EntryOut,
    EntryStatus,
    ListIn,
    NotifyIn,
    ProposeIn,
    PublishIn,
    PushIn,
    RefuseRepairIn,
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
    """Opens the procedure against an enterprise in the caller's jurisdiction, or one the
    caller penalized (Art.13: the listing is decided with the penalty, also when the
    enterprise is registered elsewhere — then Art.14's cross-province push applies). The
    linked penalty must be a heavier administrative penalty (较重行政处罚) of the same
    enterprise that has not been overturned (Order 44 Art.2). `fault_basis` records the
    subjective-fault finding (Art.12) and `remedy` the review path and deadline (Art.13,
    public). `proposed_on` (default today, never in the future) records a procedure that
    began earlier. `authority` is the caller's name."""
    enterprise = await enterprises.get(session, parse_code_or_422(body.code, "code"))
    if not principal.covers(enterprise.region_code):
        penalty = await blacklist.current_penalty(session, body.penalty_record_id)
        if penalty.agency_id != principal.agency_id:
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
        fault_basis=body.fault_basis,
        penalty_record_id=body.penalty_record_id,
        today=today,
        proposed_on=body.proposed_on,
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
    """Dossiers meeting Order 44 Art.7(3) (failed, announced, still failing on re-check),
    Art.8 (refused or delayed an ordered recall), Art.10(3) (refused or obstructed
    sampling), or Art.2(2) (a licence revoked with a heavier penalty), with the records
    that qualify each and the article each cites. An enterprise with an entry open or in
    force is no candidate; one whose earlier listing expired or was repaired is a candidate
    again only for a chain that qualified after that listing. A trigger is a reason to
    review, not a listing: an officer decides whether to propose. Ordered by code."""
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
        # The deciding authority runs its own procedure even for an enterprise registered
        # outside its region (Art.13-14); anyone else needs jurisdiction over it.
        if principal.agency_id != row.proposer_agency_id:
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
    """Needs `blacklist:approve`. Only the next higher authority (上一级) approves: a county
    listing by the prefecture containing the county, a prefecture listing by the province
    containing the prefecture. Any other approver — a national authority, a province for a
    county, the same level, another region — is refused with rule `order44-art22-approval`."""
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
    """Refused inside the defence window unless `defence_waived` (Art.13), before the penalty
    decision (Art.13, rule `order44-art13-decided-with-penalty`), and before the approval
    where one is needed (Art.22). Sets `expires_on` = decided_on + 3 years, or
    `restricted_until` when a statutory restriction runs longer (Art.21), and `publish_by` =
    decided_on + 20 working days (Art.14; across provinces see `push`)."""
    return await _transition(session, principal, entry_id, "list", body, today)


@router.post(
    "/{entry_id}/push",
    summary="Record the cross-province push, Art.14",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def push(
    entry_id: EntryId,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    body: PushIn | None = None,
) -> EntryOut:
    """Only for an enterprise registered outside the deciding authority's province
    (`cross_province`): pushed to the registration province within 10 working days of the
    decision (`push_by`), which publishes it within 10 working days of receiving it
    (`publish_by` becomes received_on + 10 working days). Publication waits for it."""
    return await _transition(session, principal, entry_id, "push", body, today)


@router.post(
    "/{entry_id}/apply_repair",
    summary="Record a credit-repair application, Art.17",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def apply_repair(
    entry_id: EntryId,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    body: ApplyRepairIn | None = None,
) -> EntryOut:
    """Acceptance is due within 2 working days (`repair_accept_by`,
    `repair_acceptance_overdue`). Granting it is `remove` with reason `repaired`."""
    return await _transition(session, principal, entry_id, "apply_repair", body, today)


@router.post(
    "/{entry_id}/accept_repair",
    summary="Accept a credit-repair application (受理), Art.17",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def accept_repair(
    entry_id: EntryId,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    body: AcceptRepairIn | None = None,
) -> EntryOut:
    """The decision is due within 15 working days of acceptance (`repair_decide_by`,
    `repair_decision_overdue`)."""
    return await _transition(session, principal, entry_id, "accept_repair", body, today)


@router.post(
    "/{entry_id}/refuse_repair",
    summary="Refuse a credit-repair application, Art.17",
    response_model=EntryOut,
    responses=_TRANSITION_ERRORS,
)
async def refuse_repair(
    entry_id: EntryId,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    body: RefuseRepairIn | None = None,
) -> EntryOut:
    """Not accepted, or early removal refused: the listing stays and the application is
    closed; a new one may follow."""
    return await _transition(session, principal, entry_id, "refuse_repair", body, today)


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
    """From publication on, the entry (and later its removal record) is on the public list.
    Across provinces it needs the push first (rule `order44-art14-cross-province`)."""
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
    (Art.16); `overturned` and `error` at any stage. Expiry is automatic (Art.21). The
    caller is recorded as the removal authority, public with the removal (Art.18);
    `stop_publication_by` shows the 3-working-day deadline to stop publishing the listing."""
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
    """Only a removal by credit repair can be undone, and only while the penalty is in force
    (rule `order44-art19-penalty-not-in-force`). The 3-year period restarts on `restored_on`
    (a longer statutory restriction still extends it, Art.21); a published entry stays
    published and its earlier removal record stays public as history. Grades evaluated
    for days before `restored_on` are not rewritten."""
    return await _transition(session, principal, entry_id, "restore", body, today)
