"""Objection deadlines (service.credit.objections), pinned at their boundary days."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from service.credit.deadlines import DEFAULT_CALENDAR as CAL
from service.credit.objections import Status, check_decision, check_filing, due_on, is_overdue


def test_due_fifteen_working_days_after_filing() -> None:
    # Friday 2026-06-19 is Dragon Boat Festival.
    assert due_on(date(2026, 6, 15), CAL) == date(2026, 7, 7)
    assert due_on(date(2026, 6, 4), CAL) == date(2026, 6, 26)


def test_overdue_only_after_the_due_day_and_only_open() -> None:
    due = date(2026, 7, 7)
    assert not is_overdue(Status.OPEN, due, due)
    assert is_overdue(Status.OPEN, due, due + timedelta(days=1))
    assert not is_overdue(Status.REJECTED, due, due + timedelta(days=30))


def rules(filed: date, notified: date | None, kind: str = "inspection") -> list[str]:
    today = date(2026, 12, 31)
    return [
        p.rule
        for p in check_filing(filed_on=filed, today=today, kind=kind, notified_on=notified, cal=CAL)
    ]


def test_sampling_result_objection_within_fifteen_days_of_notice() -> None:
    notified = date(2026, 5, 20)
    assert rules(date(2026, 6, 4), notified) == []
    assert rules(date(2026, 6, 5), notified) == ["order18-art35-objection-window"]
    assert rules(date(2026, 6, 5), notified, kind="penalty") == []
    assert rules(date(2026, 6, 5), None) == []
    # the last day rolls past a holiday (Art.55): notified 06-04 -> 06-19 festival -> 06-22
    assert rules(date(2026, 6, 22), date(2026, 6, 4)) == []
    assert rules(date(2026, 6, 23), date(2026, 6, 4)) == ["order18-art35-objection-window"]


def test_decision_dates() -> None:
    filed, today = date(2026, 6, 15), date(2026, 6, 20)
    assert [p.rule for p in check_decision(filed_on=filed, decided_on=filed, today=today)] == []
    assert [
        p.rule for p in check_decision(filed_on=filed, decided_on=date(2026, 6, 14), today=today)
    ] == ["date-order"]
    assert [
        p.rule for p in check_decision(filed_on=filed, decided_on=date(2026, 6, 21), today=today)
    ] == ["not-in-future"]


@given(st.dates(date(2005, 1, 1), date(2026, 12, 1)))
def test_due_is_the_fifteenth_working_day_after_filing(filed: date) -> None:
    """Counted on the official calendar, make-up working days included: a 15-working-day
    span is not always three weeks (filed Sunday 2017-01-08, due Thursday 2017-01-26, as
    Sunday 2017-01-22 was worked before the Spring Festival)."""
    due = due_on(filed, CAL)
    span = [filed + timedelta(days=k) for k in range(1, (due - filed).days + 1)]
    assert CAL.is_working_day(due)
    assert sum(CAL.is_working_day(day) for day in span) == 15


def test_a_make_up_working_day_counts_toward_the_fifteen() -> None:
    assert due_on(date(2017, 1, 8), CAL) == date(2017, 1, 26)
