"""Day and working-day arithmetic for legal deadlines (期间计算).

Two kinds of period occur in the rules:

- calendar-day periods ("within 15 days", Order 18 Art.36): the start day is not counted
  and a last day falling on a weekend or public holiday moves to the next working day
  (Order 18 Art.55; the same rule as 民法典 Art.201 and Art.203);
- working-day periods ("within 20 working days", Order 44 Art.14): counted on the official
  calendar, where weekends can be make-up working days (调休) and weekdays can be holidays.

The official calendar comes from the ``chinesecalendar`` package (2004 to the last year its
release publishes, :func:`official_last_year`). Beyond it the State Council has not
published anything yet, so an operator loads overrides for later years; without them
Monday–Friday are working days, and a deadline reaching that far says so
(:meth:`WorkCalendar.covers`, ``calendar_complete: false`` in responses).
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

import chinese_calendar
from dateutil.relativedelta import relativedelta

_ONE_DAY = timedelta(days=1)


class Overrides(Mapping[date, bool]):
    """An immutable, hashable ``date -> is working day`` mapping.

    Hashable so that a :class:`WorkCalendar` holding it stays a valid frozen value that
    can be cached and compared.
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, entries: Mapping[date, bool] | Iterable[tuple[date, bool]] = ()) -> None:
        data: dict[date, bool] = {}
        pairs = entries.items() if isinstance(entries, Mapping) else entries
        for day, working in pairs:
            if isinstance(day, datetime) or not isinstance(day, date):
                raise TypeError(f"override key must be a date, got {day!r}")
            if not isinstance(working, bool):
                raise TypeError(f"override for {day} must be a bool, got {working!r}")
            data[day] = working
        self._data = data
        self._hash = hash(frozenset(data.items()))

    def __getitem__(self, key: date) -> bool:
        return self._data[key]

    def lookup(self, key: date) -> bool | None:
        """The override for ``key``, or None; the hot path (no KeyError round trip)."""
        return self._data.get(key)

    def __iter__(self) -> Iterator[date]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Overrides):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"Overrides({self._data!r})"


# Order 18 Art.55 deadlines reach this far ahead (a 60-day rectification period), so the
# calendar must cover today + 60 days; past that, deadlines rest on weekends only.
COVERAGE_WARNING_DAYS = 60
_FIRST_OFFICIAL_YEAR = 2004


@functools.lru_cache(maxsize=1)
def official_last_year() -> int:
    """The last year the installed ``chinesecalendar`` release publishes (0 if none)."""
    year = _FIRST_OFFICIAL_YEAR - 1
    while True:
        try:
            chinese_calendar.is_workday(date(year + 1, 6, 1))
        except NotImplementedError:
            return year if year >= _FIRST_OFFICIAL_YEAR else 0
        year += 1


@functools.lru_cache(maxsize=65536)
def _official_is_working_day(d: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        # No published calendar for this year (the package covers 2004–2026): weekends only.
        return d.weekday() < 5


@dataclass(frozen=True)
class WorkCalendar:
    """The official working-day calendar plus operator-loaded overrides.

    ``overrides`` maps a date to ``True`` (a working day, e.g. a 调休 make-up Sunday) or
    ``False`` (a holiday). Overrides win over the published calendar, which wins over the
    Monday–Friday fallback.
    """

    overrides: Mapping[date, bool] = field(default_factory=Overrides)

    def __post_init__(self) -> None:
        if not isinstance(self.overrides, Overrides):
            object.__setattr__(self, "overrides", Overrides(self.overrides))

    def is_working_day(self, d: date) -> bool:
        # __post_init__ guarantees an Overrides instance.
        override = cast(Overrides, self.overrides).lookup(d)
        if override is not None:
            return override
        return _official_is_working_day(d)

    @functools.cached_property
    def covered_through(self) -> date:
        """The last day whose working status is known rather than guessed: 31 December of
        the later of the last official year and the last year the operator loaded days
        for (loading a year's holidays declares that year's calendar, docs/legal.md)."""
        last = official_last_year()
        loaded = max(self.overrides, default=None)
        if loaded is not None and loaded.year > last:
            last = loaded.year
        return date(last, 12, 31)

    @property
    def source(self) -> str:
        """``official`` or ``operator``: whose data reaches :attr:`covered_through`."""
        return "official" if self.covered_through.year <= official_last_year() else "operator"

    def covers(self, d: date) -> bool:
        """True when every day up to ``d`` follows published or loaded data."""
        return d <= self.covered_through

    def with_overrides(self, entries: Iterable[tuple[date, bool]]) -> WorkCalendar:
        """A new calendar with ``entries`` added; a later entry for a date wins."""
        merged = dict(self.overrides)
        merged.update(entries)
        return WorkCalendar(Overrides(merged))

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself never counts.

        ``n == 0`` returns ``start`` unchanged.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        d = start
        remaining = n
        while remaining:
            d += _ONE_DAY
            if self.is_working_day(d):
                remaining -= 1
        return d

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, else the next working day (Order 18 Art.55)."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; negative when ``end`` is before ``start``.

        The inverse of :meth:`add_working_days`:
        ``working_days_between(s, add_working_days(s, n)) == n``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        d = start
        while d < end:
            d += _ONE_DAY
            if self.is_working_day(d):
                count += 1
        return count


DEFAULT_CALENDAR = WorkCalendar()


def deadline_days(start: date, days: int, cal: WorkCalendar) -> date:
    """Last day of a calendar-day period of ``days`` days starting on ``start``.

    The start day is not counted, so the period ends on ``start + days``; a last day that
    is not a working day moves to the next working day (Order 18 Art.55).
    """
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    return cal.roll_forward(start + timedelta(days=days))


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` months; a day missing in the target month clamps to its last day.

    Plain arithmetic, not ``relativedelta``: the duplicate-sampling check of a bulk ingest
    calls this hundreds of thousands of times, and relativedelta costs ~4 µs a call."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    last = 29 if month0 == 1 and calendar.isleap(year) else _MONTH_DAYS[month0]
    return date(year, month0 + 1, min(d.day, last))


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_years(d: date, n: int) -> date:
    """``d`` moved by ``n`` years; Feb 29 clamps to Feb 28 in a common year."""
    result: date = d + relativedelta(years=n)
    return result


@dataclass(frozen=True)
class Coverage:
    """How far the working-day calendar is known, as operations report it."""

    last_year: int
    source: str  # "official" (chinesecalendar) or "operator" (PUT /v1/calendar)
    covered_through: date
    short: bool  # today + COVERAGE_WARNING_DAYS is beyond covered_through


def coverage(cal: WorkCalendar, today: date) -> Coverage:
    through = cal.covered_through
    return Coverage(
        last_year=through.year,
        source=cal.source,
        covered_through=through,
        short=today + timedelta(days=COVERAGE_WARNING_DAYS) > through,
    )
