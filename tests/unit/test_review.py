"""Reviews of computed classes: when an override decides the class (service.credit.review)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from strategies import dated_dossiers

from service.credit.classification import builtin_rulesets, classify
from service.credit.dossier import Dossier, RecordKind
from service.credit.review import RANK, Action, Review, check, grade_in_force, in_force, lower
from service.credit.ruleset import DEFAULT_RULESET_ID, Grade

RULES = builtin_rulesets()[DEFAULT_RULESET_ID]
D = date(2026, 6, 15)
END = date(2026, 7, 15)
GRADES = list(Grade)


def override(grade: Grade = Grade.C, computed: Grade = Grade.B) -> Review:
    return Review(Action.OVERRIDE, grade, computed, D, END)


def test_in_force_from_the_review_day_to_the_day_before_expiry() -> None:
    r = override()
    assert not in_force(r, Grade.B, D - timedelta(days=1))
    assert in_force(r, Grade.B, D)
    assert in_force(r, Grade.B, END - timedelta(days=1))
    assert not in_force(r, Grade.B, END)
    assert not in_force(Review(Action.CONFIRM, Grade.B, Grade.B, D, None), Grade.B, D)


def test_a_lower_computed_class_ends_it_a_higher_does_not() -> None:
    r = override(Grade.A, Grade.B)
    assert not in_force(r, Grade.C, D)  # new adverse facts the reviewer did not weigh
    assert in_force(r, Grade.A, D)
    assert in_force(r, Grade.AA, D)
    assert grade_in_force(r, Grade.C, D) is Grade.C
    assert grade_in_force(r, Grade.AA, D) is Grade.A


def test_check_rules() -> None:
    ok = check(Action.OVERRIDE, Grade.A, END, computed=Grade.B, today=D)
    assert ok == []
    assert [p.rule for p in check(Action.OVERRIDE, Grade.B, END, computed=Grade.B, today=D)] == [
        "override-same-grade"
    ]
    assert [p.field for p in check(Action.OVERRIDE, None, None, computed=Grade.B, today=D)] == [
        "grade",
        "expires_on",
    ]
    assert [p.rule for p in check(Action.OVERRIDE, Grade.A, D, computed=Grade.B, today=D)] == [
        "future"
    ]
    assert check(Action.CONFIRM, None, None, computed=Grade.B, today=D) == []
    assert check(Action.CONFIRM, Grade.B, None, computed=Grade.B, today=D) == []
    assert [p.rule for p in check(Action.CONFIRM, Grade.A, None, computed=Grade.B, today=D)] == [
        "confirm-computed"
    ]


@given(
    st.sampled_from(GRADES),
    st.sampled_from(GRADES),
    st.sampled_from(GRADES),
    st.integers(-30, 60),
)
def test_grade_in_force_is_the_override_or_the_computed(
    decided: Grade, seen: Grade, now: Grade, offset: int
) -> None:
    r = Review(Action.OVERRIDE, decided, seen, D, END)
    on = D + timedelta(days=offset)
    got = grade_in_force(r, now, on)
    expect_override = D <= on < END and RANK[now] >= RANK[seen]
    assert got is (decided if expect_override else now)
    assert lower(Grade.C, Grade.B) and not lower(Grade.B, Grade.B)


@given(dated_dossiers())
def test_monitoring_records_never_change_the_computed_class(drawn: tuple[Dossier, date]) -> None:
    """风险监测 / 产品伤害监测 find risks; they are not findings against the producer."""
    d, on = drawn
    kept = tuple(f for f in d.facts if f.kind not in (RecordKind.MONITORING, RecordKind.INJURY))
    without = Dossier(d.code, kept, d.product_risks, d.active_listing_ids)
    assert classify(d, on, RULES).grade is classify(without, on, RULES).grade
