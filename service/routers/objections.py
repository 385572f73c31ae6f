"""Objections to credit information (信用异议): filed through the receiving agency against a
record or a class; decided upheld or rejected; overdue ones listed."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from service.auth import Scope
from service.credit import objections as rules
from service.deps import NowDep, PrincipalDep, SessionDep, TodayDep, parse_code_or_422, require
from service.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    InvalidCode,
    NotFound,
    ValidationFailed,
    problem_responses,
)
from service.http.etag import json_response
from service.http.pagination import CursorQuery, LimitQuery, decode_cursor_of, encode_cursor
from service.schemas.fields import Id32
from service.schemas.objections import DecisionIn, ObjectionIn, ObjectionOut, ObjectionPage
from service.store import enterprises
from service.store.records import objections

router = APIRouter(prefix="/v1/objections", tags=["objections"])

ObjectionId = Annotated[Id32, Path(description="Objection id")]


@router.post(
    "",
    summary="File an objection (信用异议) against a record or a class",
    response_model=ObjectionOut,
    status_code=201,
    responses=problem_responses(InvalidCode, NotFound, Forbidden, Conflict, ValidationFailed),
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def file_objection(
    body: ObjectionIn, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> Response:
    """The receiving agency records the enterprise's objection (its jurisdiction). The record
    reads as disputed — in the dossier and in the reasons that cite it — until decided; the
    decision is due 15 working days after filing. An objection to a sampling result must be
    filed within 15 days of its notice (Order 18 Art.35)."""
    enterprise = await enterprises.get(session, parse_code_or_422(body.code))
    o = await objections.file(
        session,
        principal,
        enterprise,
        target=rules.Target(body.target),
        record_id=body.record_id,
        filed_on=body.filed_on or today,
        reason=body.reason,
        today=today,
    )
    doc = objections.objection_json(o, await objections.agency_name(session, o.agency_id), today)
    return Response(
        ObjectionOut(**doc).model_dump_json(), status_code=201, media_type="application/json"
    )


@router.get(
    "",
    summary="Objections: open, decided, or overdue",
    response_model=ObjectionPage,
    responses=problem_responses(InvalidCode, ValidationFailed),
)
async def list_objections(
    request: Request,
    session: SessionDep,
    _: PrincipalDep,
    today: TodayDep,
    status: Annotated[Literal["open", "upheld", "rejected"] | None, Query()] = None,
    overdue: Annotated[bool, Query(description="Only open ones past their due day")] = False,
    region: Annotated[str | None, Query(pattern=r"^\d{1,6}$")] = None,
    code: Annotated[str | None, Query(description="One enterprise")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Response:
    """By id."""
    uscc = None
    if code is not None:
        uscc = (await enterprises.get(session, parse_code_or_422(code))).code
    rows = await objections.page(
        session,
        today=today,
        status=status,
        overdue=overdue,
        region=region,
        code=uscc,
        after=decode_cursor_of(cursor, int),
        limit=limit,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    payload = {
        "items": rows,
        "next_cursor": encode_cursor(rows[-1]["id"]) if more and rows else None,
    }
    return json_response(request, payload)


@router.get(
    "/{objection_id}",
    summary="One objection",
    response_model=ObjectionOut,
    responses=problem_responses(NotFound),
)
async def get_objection(
    objection_id: ObjectionId,
    request: Request,
    session: SessionDep,
    _: PrincipalDep,
    today: TodayDep,
) -> Response:
    o = await objections.get_row(session, objection_id)
    doc = objections.objection_json(o, await objections.agency_name(session, o.agency_id), today)
    return json_response(request, doc)


@router.post(
    "/{objection_id}/decide",
    summary="Decide an objection: upheld or rejected",
    response_model=ObjectionOut,
    responses=problem_responses(NotFound, Forbidden, Conflict, IllegalTransition, ValidationFailed),
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def decide_objection(
    objection_id: ObjectionId,
    body: DecisionIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    now: NowDep,
) -> Response:
    """Upheld: the record leaves the dossier — withdrawn here with `withdraw: true`, or
    corrected first through the correction path (409 otherwise); the class follows.
    Rejected: the record stands. Each with its decision date and reason; the record is no
    longer disputed either way."""
    o = await objections.decide(
        session,
        principal,
        objection_id,
        outcome=rules.Status(body.outcome),
        decided_on=body.decided_on or today,
        reason=body.reason,
        withdraw=body.withdraw,
        today=today,
        now=now,
    )
    doc = objections.objection_json(o, await objections.agency_name(session, o.agency_id), today)
    return Response(ObjectionOut(**doc).model_dump_json(), media_type="application/json")
