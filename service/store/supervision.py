"""Supervision plan: which enterprises are due for a supervisory inspection.

Due date = last inspection + 365 / (inspections per year) days, the plan of the stored
class × highest product risk (:func:`service.credit.classification.next_inspection_due`);
never inspected = due now; "as needed" (AA × Ⅲ in aqsiq-2012-v1) never falls due.

The ordering (most overdue first) and the keyset pagination run in SQL so a page costs the
same on page 1 and page 1,000. SQL gets the interval per inspections-per-year value from
the pure function — every value any rule set can produce is known in advance — and works
on day numbers (days since 1970-01-01) because date arithmetic differs between SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, case, cast, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.classification import RuleSet, Supervision, next_inspection_due
from service.credit.dossier import RecordKind, RecordStatus, RiskLevel
from service.credit.ruleset import Grade
from service.models import ClassificationReview, ClassificationRow, CreditRecord, Enterprise
from service.store.grading import review

EPOCH = date(1970, 1, 1)
# Worst class first among enterprises due the same day: stricter supervision, sooner visit.
GRADE_RANK = {"C": 0, "B": 1, "A": 2, "AA": 3}


@dataclass(frozen=True, slots=True)
class PlanRow:
    code: str
    name: str
    region_code: str
    grade: str
    ruleset: str
    supervision: Supervision
    last_inspection_on: date | None
    due_on: date
    key: tuple[int, int, str]  # cursor: (due day number, grade rank, code)


def day_number(d: date) -> int:
    return (d - EPOCH).days


def interval_days(rulesets: Iterable[RuleSet]) -> dict[float, int]:
    """Days between inspections for every inspections-per-year value in these rule sets."""
    out: dict[float, int] = {}
    for ruleset in rulesets:
        for grade in ruleset.supervision:
            for risk in (None, *RiskLevel):
                plan = ruleset.supervision_for(grade, risk)
                due = next_inspection_due(EPOCH, plan, EPOCH)
                if plan.inspections_per_year is not None and due is not None:
                    out[plan.inspections_per_year] = (due - EPOCH).days
    return out


def supervision_of(stored: Mapping[str, Any]) -> Supervision:
    """The plan as stored in ``classification.supervision`` (see grading.supervision_json)."""
    risk = stored.get("risk_level")
    return Supervision(
        mode=str(stored.get("mode", "")),
        mode_zh=str(stored.get("mode_zh", "")),
        risk_level=RiskLevel(risk) if risk else None,
        inspections_per_year=stored.get("inspections_per_year"),
        key_supervised=bool(stored.get("key_supervised")),
        accountability_interview=bool(stored.get("accountability_interview")),
        rectification_required=bool(stored.get("rectification_required")),
    )


def _day_number_sql(session: AsyncSession, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return cast(column - literal(EPOCH), Integer)  # date - date is an integer there
    return cast(func.julianday(column) - 2440587.5, Integer)  # julianday(1970-01-01)


def last_inspection_sql(today: date) -> Any:
    """Correlated subquery: the enterprise's last sampling that was actually made (refused
    sampling is not an inspection; overturned/withdrawn/superseded records do not count)."""
    cr = CreditRecord
    refused = col(cr.data)["refused"].as_boolean()
    return (
        select(func.max(col(cr.occurred_on)))
        .where(
            col(cr.code) == col(Enterprise.code),
            col(cr.kind) == RecordKind.INSPECTION.value,
            col(cr.status) == RecordStatus.ACTIVE.value,
            col(cr.occurred_on) <= today,
            ~func.coalesce(refused, False),
        )
        .correlate(Enterprise)
        .scalar_subquery()
    )


async def plan_page(
    session: AsyncSession,
    *,
    rulesets: Iterable[RuleSet],
    today: date,
    region: str | None,
    due_from: date | None,
    due_to: date,
    after: tuple[int, int, str] | None,
    limit: int,
) -> list[PlanRow]:
    """Enterprises due on or before ``due_to`` (and on or after ``due_from``), most
    overdue first; ``limit + 1`` rows so the caller can tell whether a page follows."""
    days = interval_days(rulesets)
    # The class in force: a regulator's override (its plan's frequency) while it holds.
    overridden = review.in_force_sql(col(ClassificationRow.grade), today)
    ipy = case(
        (overridden, col(ClassificationReview.inspections_per_year)),
        else_=col(ClassificationRow.supervision)["inspections_per_year"].as_float(),
    )
    grade = review.grade_in_force_sql(today)
    interval = case(*((ipy == value, n) for value, n in sorted(days.items())), else_=None)
    rank = case(GRADE_RANK, value=grade, else_=9)
    last_on = last_inspection_sql(today).label("last_on")
    inner = (
        select(
            col(Enterprise.code).label("code"),
            col(Enterprise.name).label("name"),
            col(Enterprise.region_code).label("region_code"),
            grade.label("grade"),
            col(ClassificationRow.ruleset).label("ruleset"),
            col(ClassificationRow.supervision).label("supervision"),
            overridden.label("overridden"),
            interval.label("interval"),
            rank.label("rank"),
            last_on,
        )
        .join(ClassificationRow, col(ClassificationRow.code) == col(Enterprise.code))
        .outerjoin(ClassificationReview, review.latest_join())
        .where(interval.is_not(None))
    )
    if region:
        inner = inner.where(col(Enterprise.region_code).startswith(region))
    sub = inner.subquery()
    due = func.coalesce(_day_number_sql(session, sub.c.last_on) + sub.c.interval, day_number(today))
    stmt = select(sub, due.label("due")).where(due <= day_number(due_to))
    if due_from is not None:
        stmt = stmt.where(due >= day_number(due_from))
    if after is not None:
        stmt = stmt.where(tuple_(due, sub.c.rank, sub.c.code) > tuple_(*after))
    stmt = stmt.order_by(due, sub.c.rank, sub.c.code).limit(limit + 1)
    out = []
    for row in await session.execute(stmt):
        plan = supervision_of(row.supervision)
        if row.overridden:
            plan = _plan_of(rulesets, row.ruleset, row.grade, plan)
        # The pure function is the authority; SQL used its intervals only to order and page.
        due_on = next_inspection_due(row.last_on, plan, today) or EPOCH + timedelta(row.due)
        out.append(
            PlanRow(
                code=row.code,
                name=row.name,
                region_code=row.region_code,
                grade=row.grade,
                ruleset=row.ruleset,
                supervision=plan,
                last_inspection_on=row.last_on,
                due_on=due_on,
                key=(row.due, row.rank, row.code),
            )
        )
    return out


def _plan_of(
    rulesets: Iterable[RuleSet], ruleset_id: str, grade: str, computed: Supervision
) -> Supervision:
    """The plan of an overriding grade at the computed plan's risk level."""
    for ruleset in rulesets:
        if ruleset.id == ruleset_id:
            return ruleset.supervision_for(Grade(grade), computed.risk_level)
    return computed


def parse_key(raw: Any) -> tuple[int, int, str] | None:
    """A decoded cursor back to its key, or None when it is not one we issued."""
    if (
        isinstance(raw, list)
        and len(raw) == 3
        and isinstance(raw[0], int)
        and isinstance(raw[1], int)
        and isinstance(raw[2], str)
    ):
        return raw[0], raw[1], raw[2]
    return None


__all__ = ["PlanRow", "interval_days", "parse_key", "plan_page", "supervision_of"]
