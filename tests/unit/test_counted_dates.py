"""Which day a record counts from (docs/legal.md ``counted-from-decision``): a penalty from
its decision, a police referral from the referral, a complaint from its receipt — in every
window and in the cut-off at the evaluation date. Heavier penalty types of Order 44 Art.2.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import AS_OF, commendation, complaint, dated_dossiers, dossier, inspection, penalty

from service.credit.classification import DEFAULT_RULESET_ID, Grade, builtin_rulesets, classify
from service.credit.dossier import Dossier, Fact, RecordKind, RiskLevel
from service.credit.penalties import HEAVIER_BY_TYPE, PENALTY_TYPES, heavier_by_type, is_heavier

RULES = builtin_rulesets()[DEFAULT_RULESET_ID]
D = AS_OF
LONG_AGO = date(2015, 1, 1)  # conduct outside every window
AA_RISKS = {"dairy": RiskLevel.I, "cement": RiskLevel.III}


def edge(months: int, offset_days: int) -> date:
    return D - relativedelta(months=months) + timedelta(days=offset_days)


BOUNDARY = [
    pytest.param(1, True, id="N months minus 1 day ago: in"),
    pytest.param(0, True, id="exactly N months ago: in"),
    pytest.param(-1, False, id="N months plus 1 day ago: out"),
]


def aa_facts() -> list[Fact]:
    return [
        inspection(1, D - timedelta(days=30), category="dairy", level="national"),
        inspection(2, D - timedelta(days=200), category="cement"),
        inspection(3, D - timedelta(days=500), category="cement"),
        commendation(4, D - timedelta(days=100)),
    ]


def classify_at(*fs: Fact, on: date = D) -> tuple[Grade, list[str]]:
    c = classify(dossier(*fs, risks=AA_RISKS), on, RULES)
    return c.grade, [r.rule for r in c.reasons]


def test_aa_to_c_on_the_day_of_the_decision() -> None:
    """The issue's reproduction: conduct years ago, decided the day of evaluation."""
    heavy = penalty(9, LONG_AGO, decided_on=D, heavier=True, penalty_types=["suspension"])
    assert classify_at(*aa_facts(), heavy) == (Grade.C, ["C-heavier-penalty"])
    assert classify_at(*aa_facts(), heavy, on=D - timedelta(days=1))[0] is Grade.AA


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_heavier_penalty_window_from_decision(offset: int, counts: bool) -> None:
    heavy = penalty(9, LONG_AGO, decided_on=edge(24, offset), penalty_types=["closure"])
    assert classify_at(*aa_facts(), heavy)[0] is (Grade.C if counts else Grade.A)


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_other_penalty_window_from_decision(offset: int, counts: bool) -> None:
    light = penalty(9, LONG_AGO, decided_on=edge(24, offset), penalty_types=["warning"])
    assert classify_at(*aa_facts(), light)[0] is (Grade.B if counts else Grade.A)


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_aa_no_penalty_window_from_decision(offset: int, counts: bool) -> None:
    light = penalty(9, LONG_AGO, decided_on=edge(36, offset), penalty_types=["warning"])
    assert classify_at(*aa_facts(), light)[0] is (Grade.A if counts else Grade.AA)


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_police_referral_window_from_referral(offset: int, counts: bool) -> None:
    # decided long before the AA window; only the referral is recent
    referred = penalty(
        9,
        LONG_AGO,
        decided_on=LONG_AGO,
        police_referral=True,
        referred_on=edge(24, offset),
        penalty_types=["warning"],
    )
    assert classify_at(*aa_facts(), referred)[0] is (Grade.C if counts else Grade.AA)


def test_police_referral_after_the_evaluation_date_has_not_happened() -> None:
    referred = penalty(
        9, LONG_AGO, decided_on=LONG_AGO, police_referral=True, referred_on=D + timedelta(days=1)
    )
    assert classify_at(*aa_facts(), referred)[0] is Grade.AA
    assert classify_at(*aa_facts(), referred, on=D + timedelta(days=1))[0] is Grade.C


def test_undated_referral_counts_from_the_decision() -> None:
    referred = penalty(9, LONG_AGO, decided_on=D, police_referral=True, penalty_types=["warning"])
    assert classify_at(*aa_facts(), referred) == (Grade.C, ["C-police-referral"])


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_complaints_window_from_receipt(offset: int, counts: bool) -> None:
    received = edge(12, offset)
    cs = [complaint(10 + i, LONG_AGO, received_on=received) for i in range(3)]
    assert classify_at(*aa_facts(), *cs)[0] is (Grade.B if counts else Grade.AA)


def test_complaint_received_after_the_evaluation_date_does_not_count() -> None:
    cs = [complaint(10 + i, D, received_on=D + timedelta(days=1)) for i in range(3)]
    assert classify_at(*aa_facts(), *cs)[0] is Grade.AA


def test_undated_records_count_from_occurred_on() -> None:
    assert penalty(1, D).counted_on == D
    assert complaint(1, D).counted_on == D
    assert inspection(1, D, decided_on=D + timedelta(days=9)).counted_on == D


# --- properties ----------------------------------------------------------------------------


def _with_decisions(d: Dossier, shift: int) -> Dossier:
    """Each penalty and complaint dated back ``shift`` days, keeping the day it counts
    from (the decision / the receipt) where it was."""
    out = []
    for f in d.facts:
        field = {RecordKind.PENALTY: "decided_on", RecordKind.COMPLAINT: "received_on"}.get(f.kind)
        if field is None:
            out.append(f)
            continue
        attrs = {**f.attrs, field: f.counted_on}
        if f.kind is RecordKind.PENALTY and f.attrs.get("police_referral"):
            attrs.setdefault("referred_on", f.counted_on)
        out.append(replace(f, occurred_on=f.occurred_on - timedelta(days=shift), attrs=attrs))
    return replace(d, facts=tuple(out))


@settings(max_examples=200, deadline=None)
@given(dated_dossiers(), st.integers(1, 3000))
def test_conduct_date_never_matters_once_decided(case: tuple[Dossier, date], shift: int) -> None:
    """Only the decision (receipt, referral) dates a penalty (complaint): moving the
    conduct back leaves grade and reasons unchanged."""
    d, on = case
    assert classify(_with_decisions(d, shift), on, RULES) == classify(d, on, RULES)


@settings(max_examples=200, deadline=None)
@given(
    dated_dossiers(),
    st.integers(1, 400),
    st.integers(0, 3000),
    st.sampled_from(PENALTY_TYPES),
    st.booleans(),
)
def test_a_penalty_decided_after_the_date_never_counts(
    case: tuple[Dossier, date], later: int, earlier: int, kind: str, referral: bool
) -> None:
    d, on = case
    pending = penalty(
        999,
        on - timedelta(days=earlier),
        decided_on=on + timedelta(days=later),
        penalty_types=[kind],
        heavier=kind in HEAVIER_BY_TYPE,
        police_referral=referral,
    )
    with_pending = replace(d, facts=(*d.facts, pending))
    assert classify(with_pending, on, RULES) == classify(d, on, RULES)


@given(st.lists(st.sampled_from(PENALTY_TYPES), unique=True), st.booleans())
def test_heavier_by_law_or_by_flag(types: list[str], flag: bool) -> None:
    # Order 44 Art.2(2)-(3), written out here so the test pins the law, not the code
    art2 = {
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
        "business_restriction",
        "suspension",
        "closure",
        "practice_restriction",
    }
    by_law = bool(art2 & set(types))
    assert heavier_by_type(types) is by_law
    assert is_heavier({"penalty_types": types, "heavier": flag}) is (flag or by_law)
