"""Working-day calendar and period arithmetic, pinned on the official 2024/2025 calendar.

2024 National Day: Oct 1-7 off, Sun Sep 29 and Sat Oct 12 worked (调休).
2024 Mid-Autumn: Sep 15-17 off, Sat Sep 14 worked. 2024 Labour Day: May 1-5 off,
Sun Apr 28 and Sat May 11 worked. 2024 Spring Festival: Sun Feb 4 worked.
2025 Spring Festival: Sun Jan 26 worked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.credit.deadlines import (
    DEFAULT_CALENDAR,
    Overrides,
    WorkCalendar,
    add_months,
    add_years,
    deadline_days,
)

CAL = DEFAULT_CALENDAR
# Spans the package's 2004-2026 data and the weekend-only years either side of it.
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 2, 4), True),  # Sunday, Spring Festival make-up day
        (date(2024, 2, 12), False),  # Monday in the Spring Festival holiday
        (date(2024, 9, 14), True),  # Saturday, Mid-Autumn make-up day
        (date(2024, 9, 29), True),  # Sunday, National Day make-up day
        (date(2024, 10, 1), False),
        (date(2024, 10, 7), False),  # Monday, still National Day holiday
        (date(2024, 10, 8), True),
        (date(2024, 10, 12), True),  # Saturday, make-up day
        (date(2024, 10, 13), False),  # ordinary Sunday
        (date(2025, 1, 26), True),  # Sunday, Spring Festival make-up day
        (date(2024, 3, 16), False),  # ordinary Saturday
        (date(2024, 3, 15), True),  # ordinary Friday
    ],
)
def test_official_calendar(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_beyond_published_calendar_falls_back_to_weekends() -> None:
    # No data after 2026 (or before 2004): New Year's Day 2027 is a plain Friday.
    assert CAL.is_working_day(date(2027, 1, 1)) is True
    assert CAL.is_working_day(date(2027, 1, 2)) is False  # Saturday
    assert CAL.is_working_day(date(2003, 10, 1)) is True  # Wednesday, before 2004
    assert CAL.roll_forward(date(2030, 1, 5)) == date(2030, 1, 7)  # Sat -> Mon


def test_operator_overrides_change_a_2027_deadline() -> None:
    # 15 days from 2027-09-16 ends on Fri 2027-10-01: a working day in the fallback.
    assert deadline_days(date(2027, 9, 16), 15, CAL) == date(2027, 10, 1)
    golden_week = [(date(2027, 10, 1) + timedelta(days=i), False) for i in range(7)]
    loaded = CAL.with_overrides([*golden_week, (date(2027, 9, 26), True)])
    assert deadline_days(date(2027, 9, 16), 15, loaded) == date(2027, 10, 8)
    assert loaded.is_working_day(date(2027, 9, 26)) is True  # loaded make-up Sunday
    assert loaded.add_working_days(date(2027, 9, 24), 2) == date(2027, 9, 27)
    assert CAL.add_working_days(date(2027, 9, 24), 2) == date(2027, 9, 28)


def test_overrides_win_over_the_published_calendar() -> None:
    cal = WorkCalendar({date(2024, 10, 1): True, date(2024, 3, 15): False})
    assert cal.is_working_day(date(2024, 10, 1)) is True
    assert cal.is_working_day(date(2024, 3, 15)) is False
    assert cal.is_working_day(date(2024, 10, 2)) is False  # untouched days unchanged


def test_with_overrides_later_entry_wins_and_original_unchanged() -> None:
    d = date(2027, 5, 3)
    cal = CAL.with_overrides([(d, False)]).with_overrides([(d, True)])
    assert cal.is_working_day(d) is True
    assert CAL.overrides == {}


def test_calendar_is_a_hashable_value() -> None:
    a = WorkCalendar({date(2027, 1, 1): False})
    b = WorkCalendar(Overrides([(date(2027, 1, 1), False)]))
    assert a == b
    assert hash(a) == hash(b)
    assert a != CAL
    assert isinstance(a.overrides, Overrides)


@pytest.mark.parametrize("bad", [{datetime(2027, 1, 1): False}, {date(2027, 1, 1): 0}])
def test_overrides_reject_bad_entries(bad: dict[date, object]) -> None:
    with pytest.raises(TypeError):
        Overrides(bad)  # type: ignore[arg-type]


# -- calendar-day periods (Order 18 Art.55) -------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2024, 3, 5), 15, date(2024, 3, 20)),  # Wednesday: no roll
        (date(2024, 3, 1), 15, date(2024, 3, 18)),  # Sat 03-16 -> Mon 03-18
        (date(2024, 9, 16), 15, date(2024, 10, 8)),  # Tue 10-01 -> after Golden Week
        (date(2024, 9, 14), 15, date(2024, 9, 29)),  # make-up Sunday is the last day
        (date(2024, 9, 27), 15, date(2024, 10, 12)),  # make-up Saturday is the last day
        (date(2025, 1, 11), 15, date(2025, 1, 26)),  # make-up Sunday 2025
        (date(2024, 3, 5), 60, date(2024, 5, 6)),  # Sat 05-04 in Labour Day -> Mon 05-06
        (date(2024, 3, 5), 0, date(2024, 3, 5)),
    ],
)
def test_deadline_days(start: date, days: int, expected: date) -> None:
    assert deadline_days(start, days, CAL) == expected


def test_deadline_days_rejects_negative() -> None:
    with pytest.raises(ValueError):
        deadline_days(date(2024, 3, 5), -1, CAL)


# -- working days -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 3, 7), 5, date(2024, 3, 14)),  # Thu + 5 across a weekend
        (date(2024, 3, 1), 20, date(2024, 3, 29)),
        (date(2024, 9, 27), 1, date(2024, 9, 29)),  # make-up Sunday counts
        (date(2024, 9, 30), 1, date(2024, 10, 8)),  # over Golden Week
        (date(2024, 9, 20), 20, date(2024, 10, 23)),
        (date(2024, 3, 16), 0, date(2024, 3, 16)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2024, 3, 7), -1)


def test_working_days_between() -> None:
    assert CAL.working_days_between(date(2024, 9, 27), date(2024, 10, 8)) == 3
    assert CAL.working_days_between(date(2024, 10, 8), date(2024, 9, 27)) == -3
    assert CAL.working_days_between(date(2024, 3, 7), date(2024, 3, 7)) == 0


@given(dates, st.integers(min_value=1, max_value=60))
def test_add_working_days_lands_on_a_working_day(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert end > start
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n


@given(dates, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_add_working_days_monotonic(start: date, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert CAL.add_working_days(start, lo) <= CAL.add_working_days(start, hi)
    if lo < hi:
        assert CAL.add_working_days(start, lo) < CAL.add_working_days(start, hi)


@given(dates)
def test_roll_forward_is_idempotent_and_minimal(d: date) -> None:
    rolled = CAL.roll_forward(d)
    assert rolled >= d
    assert CAL.is_working_day(rolled)
    assert CAL.roll_forward(rolled) == rolled
    assert CAL.working_days_between(d, rolled) == (0 if rolled == d else 1)


@given(dates, st.integers(min_value=0, max_value=120))
def test_deadline_is_never_early(start: date, days: int) -> None:
    end = deadline_days(start, days, CAL)
    assert end >= start + timedelta(days=days)
    assert CAL.is_working_day(end)


@given(dates, st.dictionaries(dates, st.booleans(), max_size=10))
def test_overrides_always_win(d: date, entries: dict[date, bool]) -> None:
    cal = WorkCalendar(entries)
    expected = entries.get(d, CAL.is_working_day(d))
    assert cal.is_working_day(d) is expected


# -- months and years ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 3, 15), 3, date(2027, 3, 15)),
    ],
)
def test_add_years(d: date, years: int, expected: date) -> None:
    assert add_years(d, years) == expected


@pytest.mark.parametrize(
    ("d", "months", "expected"),
    [
        (date(2024, 1, 15), 6, date(2024, 7, 15)),
        (date(2024, 8, 31), -6, date(2024, 2, 29)),
        (date(2024, 2, 29), 6, date(2024, 8, 29)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),
    ],
)
def test_add_months(d: date, months: int, expected: date) -> None:
    assert add_months(d, months) == expected


@given(dates, st.integers(min_value=1, max_value=5))
def test_add_years_minus_one_day_is_earlier(d: date, n: int) -> None:
    exact = add_years(d, n)
    assert exact - timedelta(days=1) < exact
    assert exact.year == d.year + n
    assert (exact.month, exact.day) == (d.month, d.day) or (d.month, d.day) == (2, 29)
