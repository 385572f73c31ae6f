"""How far the working-day calendar is known (issue 14 item 13): the installed official
release, years an operator loaded, and the 60-day warning."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from service.credit.deadlines import (
    COVERAGE_WARNING_DAYS,
    DEFAULT_CALENDAR,
    WorkCalendar,
    coverage,
    official_last_year,
)


def test_the_installed_release_covers_the_current_year() -> None:
    # pyproject pins chinesecalendar>=1.11.0, the first release with the 2026 calendar
    assert official_last_year() >= 2026
    assert DEFAULT_CALENDAR.source == "official"
    assert DEFAULT_CALENDAR.covered_through == date(official_last_year(), 12, 31)


def test_loaded_days_extend_the_coverage_to_their_year() -> None:
    last = official_last_year()
    cal = WorkCalendar({date(last + 1, 10, 1): False})
    assert (cal.covered_through, cal.source) == (date(last + 1, 12, 31), "operator")
    # a correction inside the official range extends nothing
    fixed = WorkCalendar({date(last, 6, 1): False})
    assert (fixed.covered_through, fixed.source) == (date(last, 12, 31), "official")


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_short_exactly_when_today_plus_60_days_is_past_the_coverage(today: date) -> None:
    cov = coverage(DEFAULT_CALENDAR, today)
    assert cov.short is (today + timedelta(days=COVERAGE_WARNING_DAYS) > cov.covered_through)
    assert DEFAULT_CALENDAR.covers(cov.covered_through)
    assert not DEFAULT_CALENDAR.covers(cov.covered_through + timedelta(days=1))


def test_warning_boundary() -> None:
    last = date(official_last_year(), 12, 31)
    assert coverage(DEFAULT_CALENDAR, last - timedelta(days=60)).short is False
    assert coverage(DEFAULT_CALENDAR, last - timedelta(days=59)).short is True
