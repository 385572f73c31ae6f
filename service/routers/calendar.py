"""Working-day calendar overrides (admin): holidays and 调休 make-up days for the years the
official calendar does not cover yet. Order 18 Art.55 deadlines roll forward on it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from service.auth import Scope
from service.deps import PrincipalDep, SessionDep, require_national
from service.errors import Forbidden, ValidationFailed, problem_responses
from service.schemas.calendar import CalendarDayIn, CalendarOut
from service.store import calendar

router = APIRouter(prefix="/v1/calendar", tags=["calendar"])


def _out(rows: list[CalendarDayIn]) -> CalendarOut:
    return CalendarOut(items=rows)


@router.get("", summary="The loaded working-day overrides", response_model=CalendarOut)
async def get_calendar(session: SessionDep, _: PrincipalDep) -> CalendarOut:
    """Days that differ from the official calendar (chinesecalendar, 2004-2026) or extend it."""
    rows = await calendar.list_days(session)
    return _out([CalendarDayIn(day=r.day, working=r.working, note=r.note) for r in rows])


@router.put(
    "",
    summary="Replace the working-day overrides (admin)",
    response_model=CalendarOut,
    responses=problem_responses(Forbidden, ValidationFailed),
    dependencies=[require_national(Scope.ADMIN)],
)
async def put_calendar(
    session: SessionDep,
    body: Annotated[
        list[CalendarDayIn],
        Body(
            max_length=5000,
            examples=[[{"day": "2027-10-01", "working": False, "note": "国庆节"}]],
        ),
    ],
) -> CalendarOut:
    """The body is the complete set (PUT): send every override to keep, e.g. the next
    year's holidays and make-up working days as the State Council publishes them. An
    override wins over the official calendar; beyond both, Monday-Friday are working days."""
    await calendar.replace(session, body)
    return _out(sorted(body, key=lambda d: d.day))
