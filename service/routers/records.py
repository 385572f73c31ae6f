"""Dossier records one at a time: add, read one and its history, correct (a new version),
record Order 18 follow-up steps, overturn or withdraw. Batches: records_batch.py; lists,
the dossier document and overdue follow-ups: dossier.py."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from service.auth import Scope
from service.deps import CodeDep, NowDep, PrincipalDep, SessionDep, TodayDep, require
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
from service.schemas.fields import Id64
from service.schemas.records import (
    KINDS,
    FollowupIn,
    HistoryOut,
    RecordIn,
    RecordOut,
    StatusIn,
)
from service.store import calendar, enterprises
from service.store.records import followups, objections
from service.store.records import reads as record_reads
from service.store.records import rows as rr
from service.store.records import write as records


class RecordRoute(APIRoute):
    """Names fields of a record body as the contract does: ``result``, not the pydantic
    union location ``inspection.result``; a bad ``kind`` is an error on ``kind``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def untagged(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise RequestValidationError([_untag(e) for e in exc.errors()]) from None

        return untagged


def _untag(error: dict[str, Any]) -> dict[str, Any]:
    loc = list(error.get("loc", ()))
    if len(loc) > 1 and loc[0] == "body" and loc[1] in KINDS:
        loc = ["body", *loc[2:]]
    if error.get("type") in ("union_tag_invalid", "union_tag_not_found"):
        loc = ["body", "kind"]
    return {**error, "loc": tuple(loc)}


router = APIRouter(tags=["records"], route_class=RecordRoute)

# `{record_id:int}` in the paths: only digits address a record, so `/v1/records/batch` is
# never read as a record id (a GET there is a 405, not a 422).
RecordId = Annotated[Id64, Path(description="Record (version) id", examples=[42])]
WRITE_ERRORS = problem_responses(Forbidden, NotFound, Conflict, ValidationFailed)
NDJSON_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)


def _json(out: RecordOut, status_code: int, *, warnings: bool = False) -> Response:
    payload = out.model_dump(mode="json", exclude=None if warnings else {"warnings"})
    if warnings and payload.get("warnings") is None:
        payload["warnings"] = []
    return Response(orjson.dumps(payload), status_code=status_code, media_type="application/json")


@router.post(
    "/v1/enterprises/{code}/records",
    summary="Add a record to an enterprise's dossier",
    status_code=201,
    response_model=RecordOut,
    responses={
        200: {"model": RecordOut, "description": "Replay of a stored record"},
        **WRITE_ERRORS,
        **problem_responses(InvalidCode),
    },
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def post_record(
    code: CodeDep,
    body: Annotated[RecordIn, Body(description="`kind` selects the fields of the record")],
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    now: NowDep,
) -> Response:
    """201 with the new record. The same `source_ref` from the same agency again answers 200
    with the original record; with a different body it is a 409 naming the fields that
    differ. An inspection that re-samples the same product within 6 months carries a
    `warnings` entry (Order 18 Art.8); it is still stored."""
    enterprise = await enterprises.get(session, code)
    row, created, warnings = await records.create(
        session, principal, enterprise, body, today=today, now=now
    )
    cal = await calendar.work_calendar(session)
    out = rr.record_out(row, cal=cal, today=today, warnings=warnings)
    return _json(out, 201 if created else 200, warnings=True)


@router.get(
    "/v1/records/{record_id:int}",
    summary="One record version",
    response_model=RecordOut,
    responses=problem_responses(NotFound),
    dependencies=[require(Scope.RECORDS_READ)],
)
async def get_record(
    record_id: RecordId, session: SessionDep, request: Request, today: TodayDep
) -> Response:
    """A superseded version says which version replaced it (`superseded_by`)."""
    row = await records.get_row(session, record_id)
    cal = await calendar.work_calendar(session)
    nxt = await record_reads.superseded_by(session, row)
    disputed = await objections.open_for_records(session, [record_id])
    out = rr.record_out(
        row, cal=cal, today=today, superseded_by=nxt, objection_id=disputed.get(record_id)
    )
    return json_response(request, out.model_dump(mode="json", exclude={"warnings"}))


@router.get(
    "/v1/records/{record_id:int}/history",
    summary="Every version of a record",
    response_model=HistoryOut,
    responses=problem_responses(NotFound),
    dependencies=[require(Scope.RECORDS_READ)],
)
async def get_history(record_id: RecordId, session: SessionDep, request: Request) -> Response:
    """Oldest first; any version's id gives the same history."""
    versions = await record_reads.chain(session, await records.get_row(session, record_id))
    items: list[dict[str, Any]] = []
    for prev, row in zip([None, *versions], versions, strict=False):
        if prev is not None:
            items[-1]["superseded_by"] = row.id
        items.append(rr.record_out(row).model_dump(mode="json", exclude={"warnings", "deadlines"}))
    return json_response(request, {"current_id": versions[-1].id, "versions": items})


@router.post(
    "/v1/records/{record_id:int}/corrections",
    summary="Correct a record (a new version supersedes it)",
    status_code=201,
    response_model=RecordOut,
    responses={
        200: {"model": RecordOut, "description": "Replay of this correction"},
        **WRITE_ERRORS,
        **problem_responses(IllegalTransition),
    },
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def post_correction(
    record_id: RecordId,
    body: Annotated[
        dict[str, Any],
        Body(
            description="The full corrected record body (as for POST .../records; `kind` and "
            "`source_ref` may be left out but not changed) plus an optional `reason`",
            examples=[{"occurred_on": "2026-05-01", "substantiated": False, "reason": "核查不实"}],
        ),
    ],
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    now: NowDep,
) -> Response:
    """Only the agency that submitted the record (or an admin) corrects it. The old version
    stays readable (status `superseded`). Sending the same correction again answers 200
    with the version it created."""
    row, created = await records.correct(session, principal, record_id, body, today=today, now=now)
    cal = await calendar.work_calendar(session)
    return _json(rr.record_out(row, cal=cal, today=today), 201 if created else 200)


@router.post(
    "/v1/records/{record_id:int}/followups",
    summary="Record an Order 18 follow-up step on an inspection",
    status_code=201,
    response_model=RecordOut,
    responses={
        200: {"model": RecordOut, "description": "The step was already recorded"},
        **WRITE_ERRORS,
        **problem_responses(IllegalTransition),
    },
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def post_followup(
    record_id: RecordId,
    body: FollowupIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    now: NowDep,
) -> Response:
    """Objection within 15 days of the notice (Art.35-36; a deadline on a weekend or
    holiday rolls to the next working day, Art.55), re-test (final, Art.42), rectification
    order, re-check (within 75 days, Art.47), provincial announcement and second re-check
    (60-90 days after it, Art.48). A step that breaks the chain is a 422 naming the rule."""
    cal = await calendar.work_calendar(session)
    row, created = await followups.add(
        session, principal, record_id, body, today=today, now=now, cal=cal
    )
    return _json(rr.record_out(row, cal=cal, today=today), 201 if created else 200)


@router.post(
    "/v1/records/{record_id:int}/status",
    summary="Mark a record overturned (复议/诉讼撤销) or withdrawn",
    response_model=RecordOut,
    responses={**WRITE_ERRORS, **problem_responses(IllegalTransition)},
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def post_status(
    record_id: RecordId,
    body: StatusIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    now: NowDep,
) -> Response:
    """Overturned and withdrawn records no longer count for the class; an overturned
    penalty also lifts the blacklist entry it backs (Order 44 Art.19)."""
    row, _ = await records.set_status(session, principal, record_id, body, today=today, now=now)
    cal = await calendar.work_calendar(session)
    return _json(rr.record_out(row, cal=cal, today=today), 200)
