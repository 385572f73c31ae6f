"""Sampling-inspection follow-up chain (监督抽查后处理), SAMR Order 18 (2019).

The chain an inspection record carries in its ``attrs``::

    notified_on ─┬─ objection_filed_on ── retest_result            (异议/复检, Art.35-42)
                 │     └─ retest_notified_on ── retest_formalities_on ── retest_lab
                 │          (复检通知 · 办理复检手续 7 days, Art.38 · 确定复检机构 10 days, Art.39)
                 └─ rectification_ordered_on ── recheck_on/_result (整改/复查, Art.45-47)
                        └─ announced_on ── recheck2_on/_result     (公告/再次复查, Art.48)

All functions are pure: dates come from the attrs and ``today`` is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from service.credit import retest
from service.credit.deadlines import WorkCalendar, add_months, deadline_days

Result = Literal["pass", "fail"]
_RESULTS: frozenset[str] = frozenset({"pass", "fail"})

# Order 18 Art.36: an objection within 15 days of receiving the result.
OBJECTION_DAYS = 15
# Order 18 Art.45-47: rectify within 60 days; the authority re-checks within 75 days.
RECTIFICATION_DAYS = 60
RECHECK_DAYS = 75
# Order 18 Art.48: a second re-check 60 to 90 days after the public announcement.
SECOND_RECHECK_FROM_DAYS = 60
SECOND_RECHECK_TO_DAYS = 90
# Order 18 Art.8: the same product is sampled at most once per 6 months.
DUPLICATE_MONTHS = 6

# Sampling authority levels (the ``level`` attr), highest first.
_LEVEL_RANK: dict[str, int] = {"national": 4, "provincial": 3, "municipal": 2, "county": 1}


def attr_date(attrs: Mapping[str, object], name: str) -> date | None:
    """A date attr, accepting ``date`` or an ISO string; ``ValueError`` when malformed."""
    value = attrs.get(name)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{name} is not a date: {value!r}")


def _result(attrs: Mapping[str, object], name: str) -> Result | None:
    value = attrs.get(name)
    if value == "pass":
        return "pass"
    if value == "fail":
        return "fail"
    return None


def final_result(attrs: Mapping[str, object]) -> Result | None:
    """The inspection's final result, or ``None`` when ``result`` is missing or invalid.

    Order 18 Art.42: the re-test (复检) result is final, so a failure overturned on
    re-test is a pass. A re-test only exists for a failed first result.
    """
    first = _result(attrs, "result")
    if first == "fail":
        return _result(attrs, "retest_result") or "fail"
    return first


def order_date(attrs: Mapping[str, object]) -> date | None:
    """The date the rectification period runs from: the order, else the notice."""
    return attr_date(attrs, "rectification_ordered_on") or attr_date(attrs, "notified_on")


@dataclass(frozen=True)
class InspectionDeadlines:
    objection_deadline: date | None
    rectification_due: date | None
    recheck_deadline: date | None
    second_recheck_window: tuple[date, date] | None
    final_result: Result
    retest_formalities_deadline: date | None = None
    retest_lab_deadline: date | None = None


def retest_requested(attrs: Mapping[str, object]) -> bool:
    """An objection asks for a re-test unless ``retest_requested`` is false (Art.35: an
    objection to the result is a written re-test application; one about the sampling
    procedure alone is not)."""
    return (
        attr_date(attrs, "objection_filed_on") is not None
        and attrs.get("retest_requested") is not False
    )


def retest_formalities_deadline(attrs: Mapping[str, object], cal: WorkCalendar) -> date | None:
    """Order 18 Art.38: the notice + 7 days, rolled past rest days (Art.55)."""
    notice = attr_date(attrs, "retest_notified_on")
    if notice is None or not retest_requested(attrs):
        return None
    return deadline_days(notice, retest.FORMALITIES_DAYS, cal)


def retest_lab_deadline(attrs: Mapping[str, object], cal: WorkCalendar) -> date | None:
    """Order 18 Art.39: 10 days from the formalities (``retest_formalities_on``), or from
    the re-test notice while they are not recorded, rolled past rest days (Art.55)."""
    if not retest_requested(attrs):
        return None
    start = attr_date(attrs, "retest_formalities_on") or attr_date(attrs, "retest_notified_on")
    return deadline_days(start, retest.LAB_DAYS, cal) if start is not None else None


def second_recheck_window(announced_on: date, cal: WorkCalendar) -> tuple[date, date]:
    """Order 18 Art.48: from ``announced_on + 60`` to ``announced_on + 90`` days.

    Only the end is a deadline, so only the end rolls forward (Art.55); the start is the
    earliest permitted day and moving it would shorten the window.
    """
    start = announced_on + timedelta(days=SECOND_RECHECK_FROM_DAYS)
    return start, deadline_days(announced_on, SECOND_RECHECK_TO_DAYS, cal)


def inspection_deadlines(attrs: Mapping[str, object], cal: WorkCalendar) -> InspectionDeadlines:
    """The legal deadlines an inspection record implies.

    Raises ``ValueError`` when ``result`` is not pass/fail or a date attr is malformed
    (:func:`check_followup` reports those as problems instead).
    """
    final = final_result(attrs)
    if final is None:
        raise ValueError(f"result must be 'pass' or 'fail', got {attrs.get('result')!r}")
    notified_on = attr_date(attrs, "notified_on")
    objection_deadline = (
        deadline_days(notified_on, OBJECTION_DAYS, cal) if notified_on is not None else None
    )
    rectification_due = recheck_deadline = None
    ordered_on = order_date(attrs)
    if final == "fail" and ordered_on is not None:
        rectification_due = deadline_days(ordered_on, RECTIFICATION_DAYS, cal)
        recheck_deadline = deadline_days(ordered_on, RECHECK_DAYS, cal)
    announced_on = attr_date(attrs, "announced_on")
    window = second_recheck_window(announced_on, cal) if announced_on is not None else None
    return InspectionDeadlines(
        objection_deadline=objection_deadline,
        rectification_due=rectification_due,
        recheck_deadline=recheck_deadline,
        second_recheck_window=window,
        final_result=final,
        retest_formalities_deadline=retest_formalities_deadline(attrs, cal),
        retest_lab_deadline=retest_lab_deadline(attrs, cal),
    )


@dataclass(frozen=True)
class FollowupProblem:
    rule: str
    field: str
    message: str


_DATE_FIELDS = (
    "notified_on",
    "objection_filed_on",
    "retest_notified_on",
    "retest_formalities_on",
    "retest_lab_designated_on",
    "rectification_ordered_on",
    "recheck_on",
    "announced_on",
    "recheck2_on",
)
_RESULT_FIELDS = ("retest_result", "recheck_result", "recheck2_result")


def check_followup(attrs: Mapping[str, object], cal: WorkCalendar) -> list[FollowupProblem]:
    """Problems in an inspection's follow-up chain; empty when it is consistent."""
    problems: list[FollowupProblem] = []

    def add(rule: str, field: str, message: str) -> None:
        problems.append(FollowupProblem(rule=rule, field=field, message=message))

    dates: dict[str, date | None] = {}
    for name in _DATE_FIELDS:
        try:
            dates[name] = attr_date(attrs, name)
        except ValueError as exc:
            add("invalid-date", name, str(exc))
            dates[name] = None
    if _result(attrs, "result") is None:
        add("order18-result-value", "result", f"must be pass or fail, got {attrs.get('result')!r}")
        return problems
    for name in _RESULT_FIELDS:
        if attrs.get(name) is not None and _result(attrs, name) is None:
            add("order18-result-value", name, f"must be pass or fail, got {attrs.get(name)!r}")

    first = _result(attrs, "result")
    final = final_result(attrs)
    notified_on = dates["notified_on"]
    objection_on = dates["objection_filed_on"]
    ordered_on = dates["rectification_ordered_on"] or notified_on
    recheck_on = dates["recheck_on"]
    announced_on = dates["announced_on"]
    recheck2_on = dates["recheck2_on"]

    # Objection (异议), Order 18 Art.35-36: within 15 days of receiving the result.
    if objection_on is not None:
        if notified_on is None:
            add(
                "order18-art35-objection-without-notice",
                "objection_filed_on",
                "an objection needs the date the result was notified (notified_on)",
            )
        elif objection_on < notified_on:
            add(
                "order18-art35-objection-before-notice",
                "objection_filed_on",
                f"objection filed on {objection_on}, before the notice of {notified_on}",
            )
        else:
            deadline = deadline_days(notified_on, OBJECTION_DAYS, cal)
            if objection_on > deadline:
                add(
                    "order18-art35-objection-deadline",
                    "objection_filed_on",
                    f"objection filed on {objection_on}, after the deadline {deadline} "
                    f"({OBJECTION_DAYS} days from the notice of {notified_on})",
                )

    # Re-test (复检), Order 18 Art.37-42: only on an objection to a failed result.
    if attrs.get("retest_result") is not None:
        if first != "fail":
            add(
                "order18-art42-retest-on-pass",
                "retest_result",
                "a re-test only follows a failed result",
            )
        if objection_on is None:
            add(
                "order18-art42-retest-without-objection",
                "retest_result",
                "a re-test needs an objection (objection_filed_on)",
            )

    retest.check_procedure(attrs, dates, cal, add)

    # Rectification order (责令整改), Order 18 Art.45: issued on or after the notice.
    rect_on = dates["rectification_ordered_on"]
    if rect_on is not None and notified_on is not None and rect_on < notified_on:
        add(
            "order18-art45-order-before-notice",
            "rectification_ordered_on",
            f"rectification ordered on {rect_on}, before the notice of {notified_on}",
        )

    # Re-check (复查), Order 18 Art.47: only for a final failure, after the order.
    for name in ("recheck_on", "recheck_result"):
        if attrs.get(name) is not None and final != "fail":
            add(
                "order18-art47-recheck-not-failed",
                name,
                "a re-check only follows a final failure (the re-test result is final, Art.42)",
            )
    if recheck_on is not None and ordered_on is not None and recheck_on < ordered_on:
        add(
            "order18-art47-recheck-before-order",
            "recheck_on",
            f"re-check on {recheck_on}, before the rectification order of {ordered_on}",
        )

    # Announcement (公告), Order 18 Art.48: only after a failed re-check.
    if announced_on is not None:
        if _result(attrs, "recheck_result") != "fail":
            add(
                "order18-art48-announcement-without-failed-recheck",
                "announced_on",
                "a public announcement only follows a failed re-check (recheck_result fail)",
            )
        elif recheck_on is not None and announced_on < recheck_on:
            add(
                "order18-art48-announcement-before-recheck",
                "announced_on",
                f"announced on {announced_on}, before the re-check of {recheck_on}",
            )

    # Second re-check, Order 18 Art.48: 60-90 days after the announcement.
    for name in ("recheck2_on", "recheck2_result"):
        if attrs.get(name) is not None and announced_on is None:
            add(
                "order18-art48-second-recheck-without-announcement",
                name,
                "a second re-check only follows a public announcement (announced_on)",
            )
    if recheck2_on is not None and announced_on is not None:
        start, end = second_recheck_window(announced_on, cal)
        if not start <= recheck2_on <= end:
            add(
                "order18-art48-second-recheck-window",
                "recheck2_on",
                f"second re-check on {recheck2_on}, outside {start}..{end} "
                f"({SECOND_RECHECK_FROM_DAYS}-{SECOND_RECHECK_TO_DAYS} days after "
                f"the announcement of {announced_on})",
            )
    return problems


@dataclass(frozen=True)
class OpenStep:
    """A follow-up step not done yet; ``due`` is ``None`` when the law sets no deadline."""

    step: str
    due: date | None
    rule: str


@dataclass(frozen=True)
class Overdue:
    step: str
    due: date
    days_overdue: int
    rule: str


def open_steps(attrs: Mapping[str, object], cal: WorkCalendar) -> list[OpenStep]:
    """The authority's follow-up steps still open on this inspection.

    A step is done when its result is recorded; a malformed date attr raises
    ``ValueError`` (validate with :func:`check_followup` first). Steps:

    - ``retest_formalities``: a re-test notice without the formalities recorded, due 7
      days after the notice (Art.38; past it the re-test is waived);
    - ``retest_lab``: formalities done and no re-test lab designated, due 10 days after
      them (Art.39);
    - ``retest``: an objection asking for a re-test, with no re-test result yet (Art.42
      sets no period for the result: ``due`` is None);
    - ``recheck``: a final failure with no re-check result, due ``recheck_deadline``
      (Art.47). While a re-test is pending and no rectification order is recorded, the
      failure is not final yet, so this step waits;
    - ``announcement``: a failed re-check not yet announced. Order 18 fixes no deadline
      for the provincial announcement (Art.48), so ``due`` is None and it is never
      overdue; it is listed so regulators can see the chain is stuck;
    - ``second_recheck``: announced with no second re-check result, due at the end of
      the 60-90 day window (Art.48).
    """
    if final_result(attrs) != "fail":
        return []
    steps: list[OpenStep] = []
    retest_pending = retest_requested(attrs) and attrs.get("retest_result") is None
    if retest_pending:
        steps.extend(_retest_procedure_steps(attrs, cal))
        steps.append(OpenStep("retest", None, "order18-art42-retest"))
    if attrs.get("recheck_result") is None:
        if not retest_pending or attr_date(attrs, "rectification_ordered_on") is not None:
            ordered_on = order_date(attrs)
            due = deadline_days(ordered_on, RECHECK_DAYS, cal) if ordered_on else None
            steps.append(OpenStep("recheck", due, "order18-art47-recheck-deadline"))
        return steps
    if _result(attrs, "recheck_result") != "fail":
        return steps
    announced_on = attr_date(attrs, "announced_on")
    if announced_on is None:
        steps.append(OpenStep("announcement", None, "order18-art48-announcement"))
    elif attrs.get("recheck2_result") is None:
        _, end = second_recheck_window(announced_on, cal)
        steps.append(OpenStep("second_recheck", end, "order18-art48-second-recheck-window"))
    return steps


def _retest_procedure_steps(attrs: Mapping[str, object], cal: WorkCalendar) -> list[OpenStep]:
    if attrs.get("retest_lab") is not None:
        return []
    if attr_date(attrs, "retest_formalities_on") is None:
        due = retest_formalities_deadline(attrs, cal)
        if due is None:
            return []  # no re-test notice recorded yet: no period runs
        return [OpenStep("retest_formalities", due, "order18-art38-retest-formalities")]
    return [OpenStep("retest_lab", retest_lab_deadline(attrs, cal), "order18-art39-retest-lab")]


def overdue_steps(attrs: Mapping[str, object], today: date, cal: WorkCalendar) -> list[Overdue]:
    """Open steps whose legal deadline passed before ``today`` (the due day itself is on time).

    Steps without a legal deadline (the announcement) are never overdue; see
    :func:`open_steps` for them.
    """
    return [
        Overdue(step=s.step, due=s.due, days_overdue=(today - s.due).days, rule=s.rule)
        for s in open_steps(attrs, cal)
        if s.due is not None and today > s.due
    ]


def _within_months(a: date, b: date, months: int) -> bool:
    earlier, later = min(a, b), max(a, b)
    return later <= add_months(earlier, months)


def duplicate_sampling(
    new: tuple[str, str, date], existing: Iterable[tuple[int, str, str, date]]
) -> list[int]:
    """Ids of earlier or planned samplings that make ``new`` a duplicate (Order 18 Art.8).

    ``new`` is ``(product_category, level, sampled_on)``; ``existing`` holds
    ``(id, product_category, level, sampled_on)`` for the same producer's product (the
    caller selects them). A warning, not a refusal: follow-up sampling of a failed
    product and emergencies are exempt.

    - Same level, same category, within 6 months in either direction. The 6 months run
      from the earlier sampling and include their last day (民法典 Art.201-202:
      Jan 15 + 6 months ends on Jul 15), so the check is symmetric.
    - A lower authority re-sampling what a higher one sampled in the previous 6 months.
      A higher authority sampling after a lower one is not restricted.
    """
    category, level, sampled_on = new
    new_rank = _LEVEL_RANK.get(level)
    hits: list[int] = []
    for record_id, other_category, other_level, other_on in existing:
        if other_category != category:
            continue
        if other_level == level:
            if _within_months(sampled_on, other_on, DUPLICATE_MONTHS):
                hits.append(record_id)
            continue
        other_rank = _LEVEL_RANK.get(other_level)
        if (
            new_rank is not None
            and other_rank is not None
            and other_rank > new_rank
            and other_on <= sampled_on <= add_months(other_on, DUPLICATE_MONTHS)
        ):
            hits.append(record_id)
    return hits
