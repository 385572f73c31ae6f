"""Supervision plan: who to inspect next (分类监管 — inspection frequency by class × risk)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from service.deps import PrincipalDep, SessionDep, TodayDep
from service.errors import FieldError, ValidationFailed, problem_responses
from service.http.etag import json_response
from service.http.pagination import (
    CursorQuery,
    LimitQuery,
    decode_cursor,
    encode_cursor,
    malformed_cursor,
)
from service.schemas.classification import PlanItem, PlanPage
from service.store import supervision
from service.store.grading import regrade as grading

router = APIRouter(prefix="/v1/supervision", tags=["supervision"])

RegionQuery = Annotated[
    str | None,
    Query(pattern=r"^\d{1,6}$", description="Division-code prefix, e.g. `2111`", examples=["2111"]),
]


@router.get(
    "/plan",
    summary="Enterprises due for a supervisory inspection, most overdue first",
    response_model=PlanPage,
    responses=problem_responses(ValidationFailed),
)
async def get_plan(
    session: SessionDep,
    _: PrincipalDep,
    today: TodayDep,
    request: Request,
    region: RegionQuery = None,
    due_from: Annotated[
        date | None,
        Query(alias="from", description="Only enterprises due on or after this date"),
    ] = None,
    due_to: Annotated[
        date | None,
        Query(alias="to", description="Plan horizon: due on or before this date (default today)"),
    ] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Response:
    """Due date = last inspection + 365 / inspections-per-year days, from the stored class ×
    highest product risk (kept current by re-grading and `qcredit recompute`). Never
    inspected: due today. "As needed" plans never fall due. Without `from`, everything
    overdue is included; order: due date, then worst class, then code."""
    to = due_to or today
    if due_from is not None and due_from > to:
        detail = f"from ({due_from}) is after to ({to})"
        raise ValidationFailed(
            detail, errors=[FieldError(field="from", rule="range", message=detail)]
        )
    after = None
    if cursor is not None:
        after = supervision.parse_key(decode_cursor(cursor))
        if after is None:
            raise malformed_cursor()
    rows = await supervision.plan_page(
        session,
        rulesets=(await grading.all_rulesets(session)).values(),
        today=today,
        region=region,
        due_from=due_from,
        due_to=to,
        after=after,
        limit=limit,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = []
    for r in rows:
        plan = r.supervision  # "as needed" plans never reach here (SQL leaves them out)
        items.append(
            PlanItem(
                code=r.code,
                name=r.name,
                region_code=r.region_code,
                grade=r.grade,
                ruleset=r.ruleset,
                mode=plan.mode,
                risk_level=plan.risk_level.value if plan.risk_level else None,
                inspections_per_year=plan.inspections_per_year or 0.0,
                last_inspection_on=r.last_inspection_on,
                due_on=r.due_on,
                overdue_days=max(0, (today - r.due_on).days),
            )
        )
    page = PlanPage(
        today=today,
        from_=due_from,
        to=to,
        items=items,
        next_cursor=encode_cursor(list(rows[-1].key)) if more and rows else None,
    )
    return json_response(request, page.model_dump(mode="json", by_alias=True))
