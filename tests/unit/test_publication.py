"""Order 45 penalty publication and 国市监信规〔2021〕3号 credit repair, pinned at boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from service.credit.deadlines import DEFAULT_CALENDAR, add_months, add_years
from service.credit.publication import (
    Penalty,
    Window,
    check_repair,
    is_public,
    public_until,
    repair_earliest,
    window,
    withdraw_by,
)

D = date(2026, 3, 20)
TYPES = ["warning", "fine", "confiscation", "suspension", "licence_revocation", "closure"]


def pen(
    *types: str, fine: str | None = None, heavier: bool = False, sectors: tuple[str, ...] = ()
) -> Penalty:
    return Penalty(
        decided_on=D,
        penalty_types=frozenset(types),
        fine_amount=None if fine is None else Decimal(fine),
        heavier=heavier,
        sectors=frozenset(sectors),
    )


def test_windows_and_the_small_fine_threshold() -> None:
    assert window(pen("warning")) is Window.SHORT
    assert window(pen("fine", fine="3000")) is Window.SHORT
    assert window(pen("warning", "fine", fine="3000")) is Window.SHORT
    assert window(pen("fine", fine="3000.01")) is Window.LONG
    assert window(pen("fine")) is Window.LONG  # no amount: not shown to be small
    assert window(pen("warning", heavier=True)) is Window.LONG
    assert window(pen("warning", "confiscation")) is Window.LONG
    assert public_until(pen("warning")) == date(2026, 6, 20)
    assert public_until(pen("suspension")) == date(2029, 3, 20)


def test_public_on_the_last_day_not_on_the_end_day() -> None:
    p = pen("warning")
    assert not is_public(p, D - timedelta(days=1))
    assert is_public(p, D)
    assert is_public(p, date(2026, 6, 19))
    assert not is_public(p, date(2026, 6, 20))
    assert not is_public(p, D, active=False)
    assert is_public(p, date(2026, 5, 1), repaired_on=date(2026, 5, 2))
    assert not is_public(p, date(2026, 5, 2), repaired_on=date(2026, 5, 2))


def test_withdrawal_within_three_working_days() -> None:
    # Friday 2026-06-19 is Dragon Boat Festival: revoked Thursday 06-18 -> Mon, Tue, Wed 06-24.
    assert withdraw_by(date(2026, 6, 18), DEFAULT_CALENDAR) == date(2026, 6, 24)


def ok(p: Penalty, granted_on: date, **over: object) -> list[str]:
    kwargs: dict[str, object] = {
        "granted_on": granted_on,
        "today": granted_on,
        "performed": True,
        "harm_eliminated": True,
        "heavier_since": [],
        **over,
    }
    return [pr.rule for pr in check_repair(p, **kwargs)]  # type: ignore[arg-type]


def test_repair_period_six_months_one_year_for_food_drugs_special_equipment() -> None:
    general = pen("suspension")
    assert repair_earliest(general) == date(2026, 9, 20)
    assert ok(general, date(2026, 9, 19)) == ["repair-min-period"]
    assert ok(general, date(2026, 9, 20)) == []
    for sector in ("dairy", "alcoholic-drink", "special-equipment", "elevator", "drug"):
        strict = pen("suspension", sectors=(sector,))
        assert ok(strict, date(2027, 3, 19)) == ["repair-min-period"]
        assert ok(strict, date(2027, 3, 20)) == []


def test_repair_conditions() -> None:
    p = pen("suspension")
    day = date(2026, 10, 1)
    assert ok(p, day, performed=False) == ["repair-obligations"]
    assert ok(p, day, harm_eliminated=False) == ["repair-obligations"]
    assert ok(p, day, heavier_since=[date(2026, 5, 1)]) == ["repair-heavier-since"]
    assert ok(p, day, heavier_since=[D, date(2026, 10, 2)]) == []  # itself; after the grant
    assert ok(p, day, today=day - timedelta(days=1)) == ["not-in-future"]
    assert ok(pen("warning"), date(2026, 9, 20)) == ["repair-window-over"]


@given(
    st.dates(date(2015, 1, 1), date(2035, 12, 31)),
    st.sets(st.sampled_from(TYPES), min_size=1),
    st.one_of(st.none(), st.decimals(0, 100_000, places=2)),
    st.booleans(),
    st.integers(-400, 1200),
)
def test_public_exactly_inside_its_window(
    decided: date, types: set[str], fine: Decimal | None, heavier: bool, offset: int
) -> None:
    p = Penalty(decided, frozenset(types), fine, heavier)
    today = decided + timedelta(days=offset)
    end = add_months(decided, 3) if window(p) is Window.SHORT else add_years(decided, 3)
    assert is_public(p, today) == (decided <= today < end)
    assert end <= add_years(decided, 3)
    if heavier or not set(types) <= {"warning", "fine"}:
        assert window(p) is Window.LONG


@given(st.dates(date(2015, 1, 1), date(2035, 12, 31)), st.integers(0, 800))
def test_repair_never_before_six_months(decided: date, offset: int) -> None:
    p = Penalty(decided, frozenset({"suspension"}), None, False)
    granted = decided + timedelta(days=offset)
    rules = ok(p, granted)
    assert ("repair-min-period" in rules) == (granted < add_months(decided, 6))
