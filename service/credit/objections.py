"""Objections to credit information (信用异议): deadlines and outcomes. Pure.

Sources and reading choices (docs/legal.md, "Objections"):
- An enterprise objects through the agency that receives it; the registry records the
  objection as accepted on ``filed_on``.
- The decision is due within **15 working days** of acceptance — the period SAMR sets for
  deciding a party's credit application (Order 44 Art.17; 国市监信规〔2021〕3号 uses the
  same 15 working days), absent a dedicated period for objections.
- An objection to a sampling result must be filed within **15 days** of receiving it
  (Order 18 Art.35-36); later, the result stands (the re-test route is closed too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from service.credit.deadlines import WorkCalendar, deadline_days

DECISION_WORKING_DAYS = 15  # Order 44 Art.17 / 国市监信规〔2021〕3号, by analogy
INSPECTION_OBJECTION_DAYS = 15  # Order 18 Art.35-36


class Target(StrEnum):
    RECORD = "record"
    GRADE = "grade"


class Status(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    REJECTED = "rejected"


def due_on(filed_on: date, cal: WorkCalendar) -> date:
    return cal.add_working_days(filed_on, DECISION_WORKING_DAYS)


def is_overdue(status: Status, due: date, today: date) -> bool:
    """Open after its due day (the due day itself is still in time)."""
    return status is Status.OPEN and today > due


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    rule: str
    message: str
    expected: str | None = None


def check_filing(
    *,
    filed_on: date,
    today: date,
    kind: str | None,
    notified_on: date | None,
    cal: WorkCalendar,
) -> list[Problem]:
    problems: list[Problem] = []
    if filed_on > today:
        problems.append(Problem("filed_on", "not-in-future", "cannot be in the future"))
    if kind == "inspection" and notified_on is not None:
        # the same day as the record's `deadlines.objection_deadline` (rolled, Art.55)
        last = deadline_days(notified_on, INSPECTION_OBJECTION_DAYS, cal)
        if filed_on > last:
            problems.append(
                Problem(
                    "filed_on",
                    "order18-art35-objection-window",
                    "an objection to a sampling result is filed within 15 days of receiving it",
                    expected=f"<= {last.isoformat()}",
                )
            )
    return problems


def check_decision(*, filed_on: date, decided_on: date, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if decided_on < filed_on:
        problems.append(
            Problem(
                "decided_on",
                "date-order",
                "cannot be before the filing",
                expected=f">= {filed_on.isoformat()}",
            )
        )
    if decided_on > today:
        problems.append(Problem("decided_on", "not-in-future", "cannot be in the future"))
    return problems
