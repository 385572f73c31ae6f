"""Supervision class AA/A/B/C of one enterprise: now, at a past date, as known at a past
moment, and the history of its changes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from service.clock import CHINA
from service.deps import CodeDep, NowDep, PrincipalDep, SessionDep, TodayDep
from service.errors import FieldError, InvalidCode, NotFound, ValidationFailed, problem_responses
from service.http.etag import json_response
from service.http.pagination import CursorQuery, LimitQuery, decode_cursor_of, encode_cursor
from service.schemas import ClassificationOut, ReasonOut
from service.schemas.classification import GradeChangeOut, GradeHistoryPage
from service.store import enterprises, views
from service.store.grading import regrade as grading

router = APIRouter(prefix="/v1/enterprises", tags=["classification"])

AsOfQuery = Annotated[
    date | None,
    Query(
        description="Evaluate at this past date (YYYY-MM-DD) with the records that had "
        "occurred by then; default today (or the China date of `known_at`)",
        examples=["2025-12-31"],
    ),
]
KnownAtQuery = Annotated[
    datetime | None,
    Query(
        description="Replay what the registry knew at this moment (ISO 8601 with offset): "
        "records recorded later are ignored and later overturns/withdrawals undone",
        examples=["2026-01-01T00:00:00Z"],
    ),
]


def _future(field: str, detail: str) -> ValidationFailed:
    return ValidationFailed(detail, errors=[FieldError(field=field, rule="future", message=detail)])


@router.get(
    "/{code}/classification",
    summary="The enterprise's class with reasons and supervision plan",
    response_model=ClassificationOut,
    responses=problem_responses(InvalidCode, NotFound, ValidationFailed),
)
async def get_classification(
    code: CodeDep,
    session: SessionDep,
    _: PrincipalDep,
    today: TodayDep,
    now: NowDep,
    request: Request,
    as_of: AsOfQuery = None,
    known_at: KnownAtQuery = None,
) -> Response:
    """Computed from the dossier under the active rule set (the result names it). Each
    reason cites the rule and the records that triggered it."""
    if known_at is not None:
        if known_at.tzinfo is None:
            raise ValidationFailed(
                "known_at needs a UTC offset (e.g. 2026-01-01T00:00:00Z or +08:00)",
                errors=[
                    FieldError(
                        field="known_at", rule="timezone", message="timestamp without offset"
                    )
                ],
            )
        if known_at > now:
            raise _future("known_at", f"known_at {known_at.isoformat()} is in the future")
    if as_of is None:
        as_of = today if known_at is None else min(today, known_at.astimezone(CHINA).date())
    elif as_of > today:
        raise _future("as_of", f"as_of {as_of} is after today ({today}); grades are not forecast")
    enterprise = await enterprises.get(session, code)
    result = await grading.evaluate(session, enterprise, as_of, known_at=known_at)
    out = views.classification_out(enterprise.code, result, known_at)
    return json_response(request, out.model_dump(mode="json"))


@router.get(
    "/{code}/classification/history",
    summary="Every change of the enterprise's class, newest first",
    response_model=GradeHistoryPage,
    responses=problem_responses(InvalidCode, NotFound, ValidationFailed),
)
async def get_classification_history(
    code: CodeDep,
    session: SessionDep,
    _: PrincipalDep,
    request: Request,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Response:
    """One item per change of grade: from, to, when it was stored (`at`), the evaluation
    date (`as_of`), the rule set, what triggered it and the reasons at that moment."""
    before = decode_cursor_of(cursor, int)
    enterprise = await enterprises.get(session, code)
    rows = await grading.history(session, enterprise.code, before_id=before, limit=limit)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        GradeChangeOut(
            id=r.id or 0,
            from_=r.from_grade,
            to=r.to_grade,
            at=r.at,
            as_of=r.as_of,
            ruleset=r.ruleset,
            trigger=r.trigger,
            reasons=[ReasonOut(**reason) for reason in r.reasons],
        )
        for r in rows
    ]
    page = GradeHistoryPage(
        code=enterprise.code,
        items=items,
        next_cursor=encode_cursor(rows[-1].id) if more and rows else None,
    )
    return json_response(request, page.model_dump(mode="json", by_alias=True))
