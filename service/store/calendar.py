"""Operator-loaded working-day overrides and the :class:`WorkCalendar` built from them.

The official calendar (chinesecalendar) ends with the last year the State Council has
published; an operator loads later holidays and make-up working days (调休) here, and may
correct a published day. Order 18 Art.55 deadlines read the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.deadlines import Coverage, Overrides, WorkCalendar, coverage
from service.errors import FieldError, ValidationFailed
from service.models import CalendarDay
from service.schemas.calendar import CalendarDayIn
from service.store import ledger


async def work_calendar(session: AsyncSession) -> WorkCalendar:
    rows = await session.execute(select(col(CalendarDay.day), col(CalendarDay.working)))
    return WorkCalendar(Overrides((day, bool(working)) for day, working in rows))


async def calendar_coverage(session: AsyncSession, today: date) -> Coverage:
    """The last year the calendar covers (official or loaded) and whether today + 60 days
    already reaches past it."""
    return coverage(await work_calendar(session), today)


async def list_days(session: AsyncSession) -> list[CalendarDay]:
    return list(
        (await session.execute(select(CalendarDay).order_by(col(CalendarDay.day)))).scalars()
    )


async def replace(session: AsyncSession, days: Sequence[CalendarDayIn]) -> int:
    """Replace every override with ``days`` (PUT semantics); returns how many are stored."""
    seen: dict[object, int] = {}
    errors = []
    for i, d in enumerate(days):
        if d.day in seen:
            errors.append(
                FieldError(
                    field=f"{i}.day",
                    rule="duplicate",
                    message=f"{d.day} is also given at index {seen[d.day]}",
                )
            )
        seen[d.day] = i
    if errors:
        raise ValidationFailed("each day may appear once", errors=errors)
    await session.execute(delete(CalendarDay))
    session.add_all(CalendarDay(day=d.day, working=d.working, note=d.note) for d in days)
    await session.flush()
    first = min((d.day for d in days), default=None)
    last = max((d.day for d in days), default=None)
    ledger.emit(
        session,
        "calendar.updated",
        code=None,
        region_code=None,
        data={
            "days": len(days),
            "from": first.isoformat() if first else None,
            "to": last.isoformat() if last else None,
        },
    )
    ledger.audit(session, "calendar.put", "calendar")
    return len(days)
