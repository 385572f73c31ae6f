"""Order 18 follow-up chain: deadlines, chain validation, overdue steps, duplicate plans."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.credit.deadlines import DEFAULT_CALENDAR, WorkCalendar
from service.credit.followup import (
    OpenStep,
    Overdue,
    check_followup,
    duplicate_sampling,
    final_result,
    inspection_deadlines,
    open_steps,
    overdue_steps,
)

CAL = DEFAULT_CALENDAR

# A failure notified on Tue 2024-03-05: objection deadline Wed 03-20; rectification
# due 03-05 + 60 = Sat 05-04 (Labour Day) -> Mon 05-06; re-check 03-05 + 75 = Sun 05-19
# -> Mon 05-20.
FAIL: dict[str, object] = {"result": "fail", "notified_on": date(2024, 3, 5)}
# Announced Mon 2024-06-03: second re-check window 08-02 .. Sun 09-01 -> Mon 09-02.
ANNOUNCED: dict[str, object] = {
    **FAIL,
    "recheck_on": date(2024, 5, 10),
    "recheck_result": "fail",
    "announced_on": date(2024, 6, 3),
}


def rules(attrs: dict[str, object], cal: WorkCalendar = CAL) -> set[str]:
    return {p.rule for p in check_followup(attrs, cal)}


# -- deadlines ----------------------------------------------------------------------


def test_failure_deadlines() -> None:
    d = inspection_deadlines(FAIL, CAL)
    assert d.objection_deadline == date(2024, 3, 20)
    assert d.rectification_due == date(2024, 5, 6)
    assert d.recheck_deadline == date(2024, 5, 20)
    assert d.second_recheck_window is None
    assert d.final_result == "fail"


def test_rectification_runs_from_the_order_when_recorded() -> None:
    d = inspection_deadlines({**FAIL, "rectification_ordered_on": date(2024, 4, 1)}, CAL)
    assert d.rectification_due == date(2024, 5, 31)  # Friday
    assert d.recheck_deadline == date(2024, 6, 17)  # Sat 06-15 -> Mon 06-17


def test_pass_has_no_rectification() -> None:
    d = inspection_deadlines({"result": "pass", "notified_on": date(2024, 3, 5)}, CAL)
    assert d.final_result == "pass"
    assert d.rectification_due is None
    assert d.recheck_deadline is None


def test_retest_overturns_failure() -> None:
    # Art.42: the re-test result is final.
    attrs = {**FAIL, "objection_filed_on": date(2024, 3, 10), "retest_result": "pass"}
    assert final_result(attrs) == "pass"
    assert inspection_deadlines(attrs, CAL).recheck_deadline is None
    assert final_result({**attrs, "retest_result": "fail"}) == "fail"


def test_second_recheck_window() -> None:
    assert inspection_deadlines(ANNOUNCED, CAL).second_recheck_window == (
        date(2024, 8, 2),
        date(2024, 9, 2),
    )


def test_deadlines_reject_missing_result() -> None:
    assert final_result({}) is None
    with pytest.raises(ValueError):
        inspection_deadlines({"notified_on": date(2024, 3, 5)}, CAL)


def test_iso_strings_are_accepted() -> None:
    d = inspection_deadlines({"result": "fail", "notified_on": "2024-03-05"}, CAL)
    assert d.objection_deadline == date(2024, 3, 20)


# -- objection window (Art.35-36, Art.55) --------------------------------------------


@pytest.mark.parametrize(
    ("notified_on", "last_ok"),
    [
        (date(2024, 3, 5), date(2024, 3, 20)),  # day 15 is a Wednesday
        (date(2024, 3, 1), date(2024, 3, 18)),  # day 15 Sat -> Mon
        (date(2024, 9, 16), date(2024, 10, 8)),  # day 15 Oct 1 -> after Golden Week
        (date(2024, 9, 14), date(2024, 9, 29)),  # day 15 is a make-up Sunday: no roll
    ],
)
def test_objection_deadline_boundary(notified_on: date, last_ok: date) -> None:
    attrs: dict[str, object] = {"result": "fail", "notified_on": notified_on}
    assert rules({**attrs, "objection_filed_on": last_ok}) == set()
    late = last_ok + timedelta(days=1)
    assert rules({**attrs, "objection_filed_on": late}) == {"order18-art35-objection-deadline"}


def test_objection_day_16_rejected_on_a_weekday() -> None:
    problems = check_followup({**FAIL, "objection_filed_on": date(2024, 3, 21)}, CAL)
    assert [(p.rule, p.field) for p in problems] == [
        ("order18-art35-objection-deadline", "objection_filed_on")
    ]
    assert "2024-03-20" in problems[0].message


def test_objection_deadline_follows_operator_calendar() -> None:
    attrs: dict[str, object] = {
        "result": "fail",
        "notified_on": date(2027, 9, 16),
        "objection_filed_on": date(2027, 10, 8),
    }
    assert rules(attrs) == {"order18-art35-objection-deadline"}  # fallback: due Fri 10-01
    week = [(date(2027, 10, 1) + timedelta(days=i), False) for i in range(7)]
    assert rules(attrs, CAL.with_overrides(week)) == set()


def test_objection_on_notice_day_ok_before_rejected() -> None:
    assert rules({**FAIL, "objection_filed_on": date(2024, 3, 5)}) == set()
    assert rules({**FAIL, "objection_filed_on": date(2024, 3, 4)}) == {
        "order18-art35-objection-before-notice"
    }
    assert rules({"result": "fail", "objection_filed_on": date(2024, 3, 4)}) == {
        "order18-art35-objection-without-notice"
    }


# -- re-test ------------------------------------------------------------------------


def test_retest_needs_objection_and_failure() -> None:
    assert rules({**FAIL, "retest_result": "pass"}) == {"order18-art42-retest-without-objection"}
    passed = {"result": "pass", "notified_on": date(2024, 3, 5)}
    assert rules({**passed, "objection_filed_on": date(2024, 3, 6), "retest_result": "fail"}) == {
        "order18-art42-retest-on-pass"
    }
    ok = {**FAIL, "objection_filed_on": date(2024, 3, 6), "retest_result": "fail"}
    assert rules(ok) == set()


# -- values and dates ---------------------------------------------------------------


def test_result_values() -> None:
    assert rules({"result": "ok"}) == {"order18-result-value"}
    assert rules({}) == {"order18-result-value"}
    problems = check_followup({**FAIL, "recheck_result": "unknown"}, CAL)
    assert [(p.rule, p.field) for p in problems] == [("order18-result-value", "recheck_result")]


def test_malformed_date() -> None:
    problems = check_followup({**FAIL, "recheck_on": "10/05/2024"}, CAL)
    assert [(p.rule, p.field) for p in problems] == [("invalid-date", "recheck_on")]


def test_order_before_notice() -> None:
    attrs = {**FAIL, "rectification_ordered_on": date(2024, 3, 4)}
    assert rules(attrs) == {"order18-art45-order-before-notice"}


# -- re-check (Art.45-47) -----------------------------------------------------------


def test_recheck_only_on_final_failure() -> None:
    passed = {"result": "pass", "notified_on": date(2024, 3, 5)}
    assert rules({**passed, "recheck_result": "pass"}) == {"order18-art47-recheck-not-failed"}
    overturned = {
        **FAIL,
        "objection_filed_on": date(2024, 3, 6),
        "retest_result": "pass",
        "recheck_on": date(2024, 5, 1),
    }
    assert rules(overturned) == {"order18-art47-recheck-not-failed"}


def test_recheck_not_before_order_date() -> None:
    ordered = {**FAIL, "rectification_ordered_on": date(2024, 3, 11)}
    assert rules({**ordered, "recheck_on": date(2024, 3, 11), "recheck_result": "pass"}) == set()
    assert rules({**ordered, "recheck_on": date(2024, 3, 10)}) == {
        "order18-art47-recheck-before-order"
    }
    # Without an order the notice date is the order date.
    assert rules({**FAIL, "recheck_on": date(2024, 3, 4)}) == {"order18-art47-recheck-before-order"}


# -- announcement and second re-check (Art.48) --------------------------------------


def test_announcement_needs_failed_recheck() -> None:
    assert rules(ANNOUNCED) == set()
    assert rules({**FAIL, "announced_on": date(2024, 6, 3)}) == {
        "order18-art48-announcement-without-failed-recheck"
    }
    assert rules({**ANNOUNCED, "recheck_result": "pass"}) == {
        "order18-art48-announcement-without-failed-recheck"
    }
    assert rules({**ANNOUNCED, "announced_on": date(2024, 5, 9)}) == {
        "order18-art48-announcement-before-recheck"
    }


def test_second_recheck_needs_announcement() -> None:
    attrs = {**ANNOUNCED, "announced_on": None, "recheck2_result": "fail"}
    assert rules(attrs) == {"order18-art48-second-recheck-without-announcement"}


@pytest.mark.parametrize(
    ("recheck2_on", "ok"),
    [
        (date(2024, 8, 1), False),  # day 59
        (date(2024, 8, 2), True),  # day 60
        (date(2024, 9, 1), True),  # day 90, a Sunday
        (date(2024, 9, 2), True),  # day 90 rolled to Monday
        (date(2024, 9, 3), False),
    ],
)
def test_second_recheck_window_boundary(recheck2_on: date, ok: bool) -> None:
    attrs = {**ANNOUNCED, "recheck2_on": recheck2_on, "recheck2_result": "fail"}
    assert rules(attrs) == (set() if ok else {"order18-art48-second-recheck-window"})


# -- open and overdue steps ---------------------------------------------------------


def test_recheck_overdue_boundary() -> None:
    assert overdue_steps(FAIL, date(2024, 5, 20), CAL) == []
    assert overdue_steps(FAIL, date(2024, 5, 23), CAL) == [
        Overdue("recheck", date(2024, 5, 20), 3, "order18-art47-recheck-deadline")
    ]


def test_no_steps_for_a_pass_or_an_overturned_failure() -> None:
    assert open_steps({"result": "pass"}, CAL) == []
    overturned = {**FAIL, "objection_filed_on": date(2024, 3, 6), "retest_result": "pass"}
    assert overdue_steps(overturned, date(2025, 1, 1), CAL) == []


def test_pending_retest_holds_the_recheck() -> None:
    pending = {**FAIL, "objection_filed_on": date(2024, 3, 6)}
    assert open_steps(pending, CAL) == [OpenStep("retest", None, "order18-art42-retest")]
    assert overdue_steps(pending, date(2025, 1, 1), CAL) == []
    ordered = {**pending, "rectification_ordered_on": date(2024, 4, 1)}
    assert [s.step for s in open_steps(ordered, CAL)] == ["retest", "recheck"]


def test_announcement_is_open_without_deadline() -> None:
    failed = {**ANNOUNCED, "announced_on": None}
    assert open_steps(failed, CAL) == [OpenStep("announcement", None, "order18-art48-announcement")]
    assert overdue_steps(failed, date(2030, 1, 1), CAL) == []
    assert open_steps({**failed, "recheck_result": "pass"}, CAL) == []


def test_second_recheck_overdue_boundary() -> None:
    assert overdue_steps(ANNOUNCED, date(2024, 9, 2), CAL) == []
    assert overdue_steps(ANNOUNCED, date(2024, 9, 3), CAL) == [
        Overdue("second_recheck", date(2024, 9, 2), 1, "order18-art48-second-recheck-window")
    ]
    done = {**ANNOUNCED, "recheck2_on": date(2024, 8, 20), "recheck2_result": "pass"}
    assert open_steps(done, CAL) == []


# -- duplicate sampling (Art.8) -----------------------------------------------------

EXISTING = [
    (1, "dairy", "provincial", date(2024, 1, 15)),  # exactly 6 months before
    (2, "dairy", "provincial", date(2024, 1, 14)),  # 6 months and a day before
    (3, "dairy", "provincial", date(2025, 1, 15)),  # exactly 6 months after
    (4, "dairy", "provincial", date(2025, 1, 16)),
    (5, "cement", "provincial", date(2024, 7, 1)),  # other product
    (6, "dairy", "county", date(2024, 7, 1)),  # lower level: a higher one may re-sample
    (7, "dairy", "national", date(2024, 3, 1)),  # higher level sampled first
]


def test_duplicate_sampling() -> None:
    assert duplicate_sampling(("dairy", "provincial", date(2024, 7, 15)), EXISTING) == [1, 3, 7]


def test_lower_level_after_higher() -> None:
    new = ("dairy", "municipal", date(2024, 9, 1))
    assert duplicate_sampling(new, [(7, "dairy", "national", date(2024, 3, 1))]) == [7]
    new = ("dairy", "municipal", date(2024, 9, 2))
    assert duplicate_sampling(new, [(7, "dairy", "national", date(2024, 3, 1))]) == []
    # A lower authority sampling before a higher one is not re-sampling its work.
    new = ("dairy", "municipal", date(2024, 2, 1))
    assert duplicate_sampling(new, [(7, "dairy", "national", date(2024, 3, 1))]) == []


def test_month_end_is_symmetric() -> None:
    # Feb 29 + 6 months = Aug 29, so Aug 31 is outside whichever record is new.
    a, b = date(2024, 2, 29), date(2024, 8, 31)
    assert duplicate_sampling(("dairy", "county", a), [(1, "dairy", "county", b)]) == []
    assert duplicate_sampling(("dairy", "county", b), [(1, "dairy", "county", a)]) == []


sampling_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


@given(sampling_dates, sampling_dates)
def test_same_level_duplicate_is_symmetric(a: date, b: date) -> None:
    forward = duplicate_sampling(("x", "county", a), [(1, "x", "county", b)])
    backward = duplicate_sampling(("x", "county", b), [(1, "x", "county", a)])
    assert forward == backward
    # Six calendar months are 181 to 184 days long.
    gap = abs((a - b).days)
    if gap <= 181:
        assert forward == [1]
    if gap > 184:
        assert forward == []
