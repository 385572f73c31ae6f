"""Grades decided by people (seed 000): a regulator with the `classification:review` scope
confirms the computed class or overrides it until a day; the reviews to revisit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from service.auth import Scope
from service.credit import review as rules
from service.credit.ruleset import Grade
from service.deps import CodeDep, PrincipalDep, SessionDep, TodayDep, require
from service.errors import Forbidden, InvalidCode, NotFound, ValidationFailed, problem_responses
from service.http.etag import json_response
from service.http.pagination import CursorQuery, LimitQuery, decode_cursor_of, encode_cursor
from service.schemas import ClassificationOut
from service.schemas.classification import ReviewIn, ReviewPage
from service.store import enterprises, views
from service.store.grading import review

router = APIRouter(tags=["classification"])


@router.post(
    "/v1/enterprises/{code}/classification/review",
    summary="Confirm or override the computed class (分类结果复核)",
    response_model=ClassificationOut,
    status_code=201,
    responses=problem_responses(InvalidCode, NotFound, Forbidden, ValidationFailed),
    dependencies=[require(Scope.CLASSIFICATION_REVIEW)],
)
async def post_review(
    code: CodeDep,
    body: ReviewIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
) -> Response:
    """`confirm` records that a person checked today's computed class; `override` sets
    another class (`grade`, `reason`, `expires_on` required) that lookups, screening and
    supervision plans use until `expires_on`, or until the dossier computes a class lower
    than the one the reviewer saw. Audited; a `grade.reviewed` event on the change feed; an
    override that changes the class in force is in the grade history with agency and
    reason. Answers the class in force with its `review`."""
    enterprise = await enterprises.get(session, code)
    shown, doc = await review.post(
        session,
        principal,
        enterprise,
        action=rules.Action(body.action),
        grade=Grade(body.grade) if body.grade else None,
        reason=body.reason,
        expires_on=body.expires_on,
        today=today,
    )
    out = views.classification_out(
        enterprise.code, shown, computed_grade=doc["computed_grade"], review_doc=doc
    )
    return Response(out.model_dump_json(), status_code=201, media_type="application/json")


@router.get(
    "/v1/classification/reviews",
    summary="Reviewed enterprises whose computed class has changed since",
    response_model=ReviewPage,
    responses=problem_responses(ValidationFailed),
)
async def list_reviews(
    request: Request,
    session: SessionDep,
    _: PrincipalDep,
    today: TodayDep,
    region: Annotated[
        str | None,
        Query(pattern=r"^\d{1,6}$", description="Division-code prefix", examples=["2111"]),
    ] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Response:
    """Enterprises whose latest review saw another computed class than the rules compute
    now: each is due for a new review. By code."""
    after = decode_cursor_of(cursor, str)
    rows = await review.changed_since_review(
        session, region=region, after=after, limit=limit, today=today
    )
    more = len(rows) > limit
    rows = rows[:limit]
    page = {
        "items": rows,
        "next_cursor": encode_cursor(rows[-1]["code"]) if more and rows else None,
    }
    return json_response(request, page)
