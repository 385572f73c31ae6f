"""Order 18 Art.38-39: re-test formalities within 7 days of the re-test notice, the re-test
lab designated within 10 days and not the first lab; deadlines roll past rest days
(Art.55)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.credit import followup, retest
from service.credit.deadlines import DEFAULT_CALENDAR as CAL

FAILED = {
    "result": "fail",
    "notified_on": date(2026, 5, 25),
    "objection_filed_on": date(2026, 5, 28),
    "lab": "辽宁省产品质量监督检验院",
}
notices = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 20))


@given(notices)
def test_formalities_deadline_is_the_seventh_day_rolled_past_rest_days(notice: date) -> None:
    due = followup.retest_formalities_deadline({**FAILED, "retest_notified_on": notice}, CAL)
    assert due is not None and CAL.is_working_day(due)
    nominal = notice + timedelta(days=7)
    assert due >= nominal
    # every day skipped is a rest day
    assert all(
        not CAL.is_working_day(nominal + timedelta(days=i)) for i in range((due - nominal).days)
    )


@given(notices, st.integers(0, 7))
def test_lab_deadline_runs_from_the_formalities(notice: date, after: int) -> None:
    done = notice + timedelta(days=after)
    attrs = {**FAILED, "retest_notified_on": notice, "retest_formalities_on": done}
    due = followup.retest_lab_deadline(attrs, CAL)
    assert due == CAL.roll_forward(done + timedelta(days=10))
    [step, _] = followup.open_steps(attrs, CAL)
    assert (step.step, step.due, step.rule) == ("retest_lab", due, "order18-art39-retest-lab")
    assert followup.overdue_steps(attrs, due, CAL) == []
    [late] = followup.overdue_steps(attrs, due + timedelta(days=1), CAL)
    assert (late.step, late.days_overdue) == ("retest_lab", 1)


def test_dragon_boat_2026_rolls_the_formalities_deadline() -> None:
    attrs = {**FAILED, "retest_notified_on": date(2026, 6, 12)}
    assert followup.retest_formalities_deadline(attrs, CAL) == date(2026, 6, 22)
    assert followup.overdue_steps(attrs, date(2026, 6, 22), CAL) == []
    [late] = followup.overdue_steps(attrs, date(2026, 6, 23), CAL)
    assert (late.step, late.due, late.rule) == (
        "retest_formalities",
        date(2026, 6, 22),
        "order18-art38-retest-formalities",
    )


@pytest.mark.parametrize(
    ("done", "problems"),
    [
        (date(2026, 6, 22), []),  # the rolled last day
        (date(2026, 6, 23), ["order18-art38-formalities-deadline"]),
        (date(2026, 6, 11), ["order18-art38-formalities-before-notice"]),
    ],
)
def test_formalities_date_is_checked(done: date, problems: list[str]) -> None:
    attrs = {**FAILED, "retest_notified_on": date(2026, 6, 12), "retest_formalities_on": done}
    assert [p.rule for p in followup.check_followup(attrs, CAL)] == problems


@given(st.text(min_size=1, max_size=20).filter(str.strip), st.sampled_from(["", " ", "\u3000"]))
def test_same_lab_ignores_spacing_and_case(name: str, pad: str) -> None:
    assert retest.same_lab(name, f"{pad}{name.upper()}{pad}") is retest.same_lab(name, name.upper())
    assert retest.same_lab(name, f"{pad}{name}{pad}")


def test_retest_lab_equal_to_first_lab_is_refused() -> None:
    attrs = {
        **FAILED,
        "retest_notified_on": date(2026, 6, 12),
        "retest_formalities_on": date(2026, 6, 15),
        "retest_lab": "辽宁省产品质量监督检验院",
        "retest_lab_designated_on": date(2026, 6, 16),
    }
    assert [(p.rule, p.field) for p in followup.check_followup(attrs, CAL)] == [
        ("order18-art39-retest-lab-differs", "retest_lab")
    ]
    ok = {**attrs, "retest_lab": "国家乳制品质量检验检测中心"}
    assert followup.check_followup(ok, CAL) == []
    assert [s.step for s in followup.open_steps(ok, CAL)] == ["retest"]
