"""The AA/A/B/C engine under the default rule set aqsiq-2012-v1 (domain.md §4).

Window convention pinned here: "within N months of D" is D − N months <= date <= D, so
for each windowed rule a record N months minus one day ago counts, one exactly N months
ago counts, and one N months plus one day ago does not.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import (
    AS_OF,
    EARLIEST,
    at,
    commendation,
    complaint,
    dated_dossiers,
    dates_around,
    dossier,
    dossiers,
    facts,
    incident,
    inspection,
    is_negative,
    key_case,
    licence,
    negative_facts,
    penalty,
    recall,
)

from service.credit.classification import (
    DEFAULT_RULESET_ID,
    Classification,
    Grade,
    Reason,
    Supervision,
    builtin_rulesets,
    classify,
    next_inspection_due,
)
from service.credit.dossier import Dossier, Fact, RecordKind, RecordStatus, RiskLevel
from service.credit.ruleset import window_start

RULES = builtin_rulesets()[DEFAULT_RULESET_ID]
D = AS_OF  # 2024-06-15


def edge(months: int, offset_days: int) -> date:
    """The window start for ``months`` at D, moved by ``offset_days`` (+ is more recent)."""
    return D - relativedelta(months=months) + timedelta(days=offset_days)


# (offset from the window start in days, counts?) — minus one day ago, exactly, plus one day ago
BOUNDARY = [
    pytest.param(1, True, id="N months minus 1 day ago: in"),
    pytest.param(0, True, id="exactly N months ago: in"),
    pytest.param(-1, False, id="N months plus 1 day ago: out"),
]


def grade_of(*fs: Fact, risks: dict[str, RiskLevel] | None = None, on: date = D) -> Grade:
    return classify(dossier(*fs, risks=risks), on, RULES).grade


def rules_of(c: Classification) -> list[str]:
    return [r.rule for r in c.reasons]


# A dossier that is A and nothing better: one recent pass.
RECENT_PASS = inspection(1, D - timedelta(days=30))


def aa_facts() -> list[Fact]:
    """An AA dossier: three passes within 36 months (a national one of the risk-I dairy
    product within 12 months), a commendation, no failure or penalty."""
    return [
        inspection(1, D - timedelta(days=30), category="dairy", level="national"),
        inspection(2, D - timedelta(days=200), category="cement"),
        inspection(3, D - timedelta(days=500), category="cement"),
        commendation(4, D - timedelta(days=100)),
    ]


AA_RISKS = {"dairy": RiskLevel.I, "cement": RiskLevel.III}


# --- the window convention itself --------------------------------------------------------


def test_window_start_is_calendar_months_and_clamps_leap_day() -> None:
    assert window_start(date(2024, 6, 15), 24) == date(2022, 6, 15)
    assert window_start(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert window_start(date(2025, 2, 28), 12) == date(2024, 2, 28)
    assert window_start(date(2024, 3, 31), 1) == date(2024, 2, 29)


def test_leap_day_evaluation_date_window() -> None:
    on = date(2024, 2, 29)
    three = [complaint(10 + i, on - timedelta(days=i)) for i in range(2)]
    base = [inspection(1, on - timedelta(days=10)), *three]
    assert grade_of(*base, complaint(20, date(2023, 2, 28)), on=on) is Grade.B
    assert grade_of(*base, complaint(20, date(2023, 2, 27)), on=on) is Grade.A


# --- C rules -------------------------------------------------------------------------------


def test_base_dossier_is_a() -> None:
    c = classify(dossier(RECENT_PASS), D, RULES)
    assert c.grade is Grade.A
    assert rules_of(c) == ["A-recent-pass"]
    assert c.reasons[0].record_ids == (1,)


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
@pytest.mark.parametrize(
    ("rule", "make"),
    [
        ("C-heavier-penalty", lambda on: penalty(9, on, heavier=True)),
        ("C-police-referral", lambda on: penalty(9, on, police_referral=True, heavier=True)),
        ("C-major-incident", lambda on: incident(9, on, "major")),
        ("C-sampling-refused", lambda on: inspection(9, on, None, refused=True)),
        ("C-recall-refused", lambda on: recall(9, on, "ordered", True)),
    ],
)
def test_c_rules_24_month_window(rule: str, make: object, offset: int, counts: bool) -> None:
    record = make(edge(24, offset))  # type: ignore[operator]
    c = classify(dossier(RECENT_PASS, record), D, RULES)
    if counts:
        assert c.grade is Grade.C
        assert rule in rules_of(c)
        assert next(r for r in c.reasons if r.rule == rule).record_ids == (9,)
    else:
        assert c.grade is Grade.A


def test_police_referral_alone_is_c() -> None:
    c = classify(dossier(RECENT_PASS, penalty(9, D, police_referral=True)), D, RULES)
    assert (c.grade, rules_of(c)) == (Grade.C, ["C-police-referral"])


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_two_final_failures_within_24_months_is_c(offset: int, counts: bool) -> None:
    first = inspection(2, D - timedelta(days=60), "fail")
    second = inspection(3, edge(24, offset), "fail")
    c = classify(dossier(RECENT_PASS, first, second), D, RULES)
    if counts:
        assert c.grade is Grade.C
        reason = c.reasons[0]
        assert (reason.rule, reason.record_ids) == ("C-repeated-failures", (2, 3))
        assert "2" in reason.text_en
    else:
        assert c.grade is Grade.B
        assert rules_of(c) == ["B-one-failure"]


def test_one_failure_is_b_two_is_c() -> None:
    one = [RECENT_PASS, inspection(2, D - timedelta(days=60), "fail")]
    assert grade_of(*one) is Grade.B
    assert grade_of(*one, inspection(3, D - timedelta(days=90), "fail")) is Grade.C


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
@pytest.mark.parametrize("field", ["recheck", "recheck2"])
def test_failed_recheck_dated_by_recheck(field: str, offset: int, counts: bool) -> None:
    # The failure itself is 30 months old (outside 24): only the re-check can count.
    recheck: dict[str, Any] = {f"{field}_result": "fail", f"{field}_on": edge(24, offset)}
    failed = inspection(2, D - relativedelta(months=30), "fail", **recheck)
    c = classify(dossier(RECENT_PASS, failed), D, RULES)
    assert c.grade is (Grade.C if counts else Grade.A)
    if counts:
        assert rules_of(c) == ["C-recheck-failed"]


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_undated_recheck_uses_occurred_on(offset: int, counts: bool) -> None:
    failed = inspection(2, edge(24, offset), "fail", recheck_result="fail")
    assert grade_of(RECENT_PASS, failed) is (Grade.C if counts else Grade.A)


def test_recheck_after_the_evaluation_date_has_not_happened() -> None:
    failed = inspection(
        2, D - timedelta(days=100), "fail", recheck_result="fail", recheck_on=D + timedelta(days=1)
    )
    assert grade_of(RECENT_PASS, failed) is Grade.B  # only the failure itself


def test_passed_recheck_is_not_c() -> None:
    failed = inspection(2, D - timedelta(days=100), "fail", recheck_result="pass", recheck_on=D)
    assert grade_of(RECENT_PASS, failed) is Grade.B


def test_recall_that_was_voluntary_or_timely_is_not_c() -> None:
    assert grade_of(RECENT_PASS, recall(9, D, "voluntary", True)) is Grade.A
    assert grade_of(RECENT_PASS, recall(9, D, "ordered", False)) is Grade.A


def test_active_blacklist_is_c_with_listing_ids_in_text() -> None:
    c = classify(dossier(*aa_facts(), risks=AA_RISKS, listings=(42, 7)), D, RULES)
    assert c.grade is Grade.C
    (reason,) = c.reasons
    assert reason.rule == "C-active-blacklist"
    assert reason.record_ids == ()
    assert "7, 42" in reason.text_zh and "7, 42" in reason.text_en


def test_licence_revoked_has_no_window_and_reissue_ends_it() -> None:
    revoked = licence(5, D - relativedelta(years=10), revoked=True)
    c = classify(dossier(RECENT_PASS, revoked), D, RULES)
    assert (c.grade, rules_of(c), c.reasons[0].record_ids) == (Grade.C, ["C-licence-revoked"], (5,))
    reissued = licence(6, D - relativedelta(years=9))
    assert grade_of(RECENT_PASS, revoked, reissued) is Grade.A
    other_type = licence(6, D - relativedelta(years=9), licence_type="ccc")
    assert grade_of(RECENT_PASS, revoked, other_type) is Grade.C
    # A revocation after the re-issue stands again.
    again = licence(7, D - relativedelta(years=1), revoked=True)
    assert grade_of(RECENT_PASS, revoked, reissued, again) is Grade.C


def test_c_lists_every_c_rule_that_fired_in_file_order() -> None:
    c = classify(
        dossier(RECENT_PASS, incident(3, D, "major"), penalty(2, D, heavier=True), listings=(1,)),
        D,
        RULES,
    )
    assert rules_of(c) == ["C-active-blacklist", "C-heavier-penalty", "C-major-incident"]
    assert all(r.grade is Grade.C for r in c.reasons)


# --- B rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
@pytest.mark.parametrize(
    ("rule", "make"),
    [
        ("B-one-failure", lambda on: inspection(9, on, "fail")),
        ("B-other-penalty", lambda on: penalty(9, on)),
        ("B-minor-incident", lambda on: incident(9, on, "minor")),
    ],
)
def test_b_rules_24_month_window(rule: str, make: object, offset: int, counts: bool) -> None:
    c = classify(dossier(RECENT_PASS, make(edge(24, offset))), D, RULES)  # type: ignore[operator]
    if counts:
        assert (c.grade, rules_of(c)) == (Grade.B, [rule])
        assert c.reasons[0].record_ids == (9,)
        assert c.reasons[0].grade is Grade.B
    else:
        assert c.grade is Grade.A


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_three_substantiated_complaints_within_12_months(offset: int, counts: bool) -> None:
    two = [complaint(2, D), complaint(3, D - timedelta(days=40))]
    c = classify(dossier(RECENT_PASS, *two, complaint(4, edge(12, offset))), D, RULES)
    if counts:
        assert (c.grade, rules_of(c), c.reasons[0].record_ids) == (
            Grade.B,
            ["B-complaints"],
            (2, 3, 4),
        )
    else:
        assert c.grade is Grade.A


def test_two_complaints_or_unsubstantiated_ones_do_not_count() -> None:
    two = [complaint(2, D), complaint(3, D)]
    assert grade_of(RECENT_PASS, *two) is Grade.A
    assert grade_of(RECENT_PASS, *two, complaint(4, D, substantiated=False)) is Grade.A
    assert grade_of(RECENT_PASS, *two, complaint(4, D)) is Grade.B


def test_open_key_case_and_closing_it() -> None:
    opened = key_case(5, D - relativedelta(years=6), "open")  # no window: open is open
    c = classify(dossier(RECENT_PASS, opened), D, RULES)
    assert (c.grade, rules_of(c), c.reasons[0].record_ids) == (Grade.B, ["B-key-case-open"], (5,))
    closed = key_case(6, D - relativedelta(years=5), "closed")
    assert grade_of(RECENT_PASS, opened, closed) is Grade.A
    # Closing in the future (after D) has not happened yet.
    assert grade_of(RECENT_PASS, opened, key_case(6, D + timedelta(days=1), "closed")) is Grade.B


def test_key_cases_are_tracked_per_case_ref() -> None:
    k1_open = key_case(5, D - timedelta(days=300), "open", case_ref="K1")
    k2_open = key_case(6, D - timedelta(days=200), "open", case_ref="K2")
    k2_closed = key_case(7, D - timedelta(days=100), "closed", case_ref="K2")
    c = classify(dossier(RECENT_PASS, k1_open, k2_open, k2_closed), D, RULES)
    assert (c.grade, c.reasons[0].record_ids) == (Grade.B, (5,))
    k1_closed = key_case(8, D - timedelta(days=50), "closed", case_ref="K1")
    assert grade_of(RECENT_PASS, k1_open, k2_open, k2_closed, k1_closed) is Grade.A


def test_same_day_key_case_records_order_by_recorded_at() -> None:
    day = D - timedelta(days=10)
    opened = key_case(5, day, "open", recorded_at=at(day, 9))
    closed = key_case(6, day, "closed", recorded_at=at(day, 10))
    assert grade_of(RECENT_PASS, opened, closed) is Grade.A
    reopened = key_case(7, day, "open", recorded_at=at(day, 11))
    assert grade_of(RECENT_PASS, opened, closed, reopened) is Grade.B


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_no_inspection_within_36_months_is_b(offset: int, counts: bool) -> None:
    # An inspection inside 36 months stops "no inspection"; it is too old for A either way.
    c = classify(dossier(inspection(1, edge(36, offset))), D, RULES)
    assert c.grade is Grade.B
    if counts:
        assert rules_of(c) == ["A-recent-pass"]
        assert c.reasons[0].grade is Grade.B
        assert c.reasons[0].record_ids == ()
        assert c.reasons[0].text_en == "No passed sampling inspection within 24 months"
    else:
        assert rules_of(c) == ["B-no-inspection"]


def test_refused_sampling_is_not_an_inspection() -> None:
    refused = inspection(1, D - relativedelta(months=30), None, refused=True)
    assert rules_of(classify(dossier(refused), D, RULES)) == ["B-no-inspection"]


def test_empty_dossier_is_b_for_lack_of_evidence() -> None:
    c = classify(dossier(), D, RULES)
    assert c.grade is Grade.B
    assert c.reasons == (
        Reason(
            "B-no-inspection",
            Grade.B,
            "36个月内无监督抽查记录",
            "No sampling inspection within 36 months",
            (),
        ),
    )
    assert c.reasons[0].text == "36个月内无监督抽查记录"
    assert (c.ruleset, c.as_of) == (DEFAULT_RULESET_ID, D)


def test_b_lists_caps_not_the_unmet_requirement() -> None:
    # Only a failure: B because of it; "no pass" is not listed on top.
    c = classify(dossier(inspection(1, D, "fail")), D, RULES)
    assert rules_of(c) == ["B-one-failure"]


# --- A and re-test finality ----------------------------------------------------------------


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_a_needs_a_pass_within_24_months(offset: int, counts: bool) -> None:
    assert grade_of(inspection(1, edge(24, offset))) is (Grade.A if counts else Grade.B)


def test_retest_pass_overturns_failure() -> None:
    # Order 18 Art.42: the 复检 result is final.
    overturned = inspection(1, D - timedelta(days=10), "fail", retest_result="pass")
    c = classify(dossier(overturned), D, RULES)
    assert (c.grade, rules_of(c)) == (Grade.A, ["A-recent-pass"])
    confirmed = inspection(1, D - timedelta(days=10), "fail", retest_result="fail")
    assert grade_of(confirmed) is Grade.B


def test_retest_pass_does_not_count_as_failure_for_c() -> None:
    fs = [
        inspection(1, D - timedelta(days=10), "fail", retest_result="pass"),
        inspection(2, D - timedelta(days=20), "fail"),
    ]
    assert grade_of(*fs) is Grade.B


@pytest.mark.parametrize("status", [s for s in RecordStatus if s is not RecordStatus.ACTIVE])
def test_inactive_records_never_count(status: RecordStatus) -> None:
    for bad in (
        penalty(9, D, heavier=True, status=status),
        inspection(9, D, "fail", status=status),
        key_case(9, D, status=status),
    ):
        assert grade_of(RECENT_PASS, bad) is Grade.A
    # ... including positive ones: an overturned pass proves nothing.
    assert grade_of(replace(RECENT_PASS, status=status)) is Grade.B


def test_overturning_a_positive_record_can_worsen_the_grade() -> None:
    fs = aa_facts()
    assert grade_of(*fs, risks=AA_RISKS) is Grade.AA
    fs[3] = replace(fs[3], status=RecordStatus.OVERTURNED)  # the commendation
    assert grade_of(*fs, risks=AA_RISKS) is Grade.A


# --- AA ------------------------------------------------------------------------------------


def test_aa_reasons() -> None:
    c = classify(dossier(*aa_facts(), risks=AA_RISKS), D, RULES)
    assert c.grade is Grade.AA
    assert rules_of(c) == [
        "A-recent-pass",
        "AA-three-passes",
        "AA-no-failure",
        "AA-no-penalty",
        "AA-commendation-or-certification",
        "AA-risk-I-high-level-pass",
    ]
    by_rule = {r.rule: r for r in c.reasons}
    assert by_rule["AA-three-passes"].record_ids == (1, 2, 3)
    assert by_rule["AA-commendation-or-certification"].record_ids == (4,)
    assert by_rule["AA-risk-I-high-level-pass"].record_ids == (1,)
    assert "dairy" in by_rule["AA-risk-I-high-level-pass"].text_zh


def test_aa_without_risk_i_products_does_not_cite_the_risk_i_rule() -> None:
    c = classify(dossier(*aa_facts(), risks={"cement": RiskLevel.II}), D, RULES)
    assert c.grade is Grade.AA
    assert "AA-risk-I-high-level-pass" not in rules_of(c)


def test_a_cites_only_what_made_it_a() -> None:
    fs = aa_facts()[:2]
    c = classify(dossier(*fs, risks=AA_RISKS), D, RULES)
    assert (c.grade, rules_of(c)) == (Grade.A, ["A-recent-pass"])


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_aa_three_passes_within_36_months(offset: int, counts: bool) -> None:
    fs = aa_facts()
    fs[2] = replace(fs[2], occurred_on=edge(36, offset), recorded_at=at(edge(36, offset)))
    assert grade_of(*fs, risks=AA_RISKS) is (Grade.AA if counts else Grade.A)


def test_aa_needs_three_passes_not_two() -> None:
    fs = aa_facts()
    assert grade_of(*fs[:2], fs[3], risks=AA_RISKS) is Grade.A


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_aa_no_failure_within_36_months(offset: int, counts: bool) -> None:
    c = classify(
        dossier(*aa_facts(), inspection(9, edge(36, offset), "fail"), risks=AA_RISKS), D, RULES
    )
    assert c.grade is (Grade.A if counts else Grade.AA)


def test_aa_ignores_failure_overturned_on_retest() -> None:
    overturned = inspection(9, D - timedelta(days=800), "fail", retest_result="pass")
    assert grade_of(*aa_facts(), overturned, risks=AA_RISKS) is Grade.AA


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_aa_no_penalty_within_36_months(offset: int, counts: bool) -> None:
    assert grade_of(*aa_facts(), penalty(9, edge(36, offset)), risks=AA_RISKS) is (
        Grade.A if counts else Grade.AA
    )


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_aa_commendation_within_36_months(offset: int, counts: bool) -> None:
    fs = aa_facts()
    fs[3] = commendation(4, edge(36, offset))
    assert grade_of(*fs, risks=AA_RISKS) is (Grade.AA if counts else Grade.A)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "revoked", "expected"),
    [
        (D - timedelta(days=400), D, False, Grade.AA),  # valid through D
        (D, D + timedelta(days=400), False, Grade.AA),  # valid from D
        (D - timedelta(days=400), D - timedelta(days=1), False, Grade.A),  # expired
        (D + timedelta(days=1), D + timedelta(days=400), False, Grade.A),  # not yet valid
        (D - timedelta(days=400), D + timedelta(days=400), True, Grade.C),  # revoked
    ],
)
def test_aa_valid_certification_instead_of_commendation(
    valid_from: date, valid_to: date, revoked: bool, expected: Grade
) -> None:
    cert = licence(
        4,
        D - timedelta(days=400),
        licence_type="iso9001",
        valid_from=valid_from,
        valid_to=valid_to,
        revoked=revoked,
    )
    assert grade_of(*aa_facts()[:3], cert, risks=AA_RISKS) is expected


def test_certification_revoked_later_is_not_valid() -> None:
    cert = licence(4, D - timedelta(days=400), licence_type="ccc", valid_to=D + timedelta(days=400))
    revoked = licence(5, D - timedelta(days=100), licence_type="ccc", revoked=True)
    assert grade_of(*aa_facts()[:3], cert, revoked, risks=AA_RISKS) is Grade.C
    # Re-issued, but valid only from tomorrow: no longer revoked, not yet certified.
    reissued = licence(
        6, D - timedelta(days=50), licence_type="ccc", valid_from=D + timedelta(days=1)
    )
    assert grade_of(*aa_facts()[:3], cert, revoked, reissued, risks=AA_RISKS) is Grade.A
    assert grade_of(*aa_facts()[:3], cert, reissued, risks=AA_RISKS) is Grade.AA


def test_aa_neither_commendation_nor_certification_is_a() -> None:
    assert grade_of(*aa_facts()[:3], risks=AA_RISKS) is Grade.A


@pytest.mark.parametrize(("offset", "counts"), BOUNDARY)
def test_aa_risk_i_needs_national_or_provincial_pass_within_12_months(
    offset: int, counts: bool
) -> None:
    fs = aa_facts()
    fs[0] = inspection(1, D - timedelta(days=30), category="cement")
    high = inspection(5, edge(12, offset), category="dairy", level="provincial")
    assert grade_of(*fs, high, risks=AA_RISKS) is (Grade.AA if counts else Grade.A)


@pytest.mark.parametrize(
    ("level", "category", "expected"),
    [
        ("national", "dairy", Grade.AA),
        ("provincial", "dairy", Grade.AA),
        ("municipal", "dairy", Grade.A),
        ("county", "dairy", Grade.A),
        ("national", "cement", Grade.A),  # wrong product
    ],
)
def test_aa_risk_i_pass_level_and_category(level: str, category: str, expected: Grade) -> None:
    fs = aa_facts()
    fs[0] = inspection(1, D - timedelta(days=30), category=category, level=level)
    c = classify(dossier(*fs, risks=AA_RISKS), D, RULES)
    assert c.grade is expected


def test_aa_risk_i_needs_every_risk_i_product() -> None:
    risks = {**AA_RISKS, "liquor": RiskLevel.I}
    assert grade_of(*aa_facts(), risks=risks) is Grade.A
    liquor = inspection(5, D - timedelta(days=60), category="liquor", level="national")
    assert grade_of(*aa_facts(), liquor, risks=risks) is Grade.AA


# --- supervision plan ----------------------------------------------------------------------

PLAN = {
    Grade.AA: (0.5, 0.33, None),
    Grade.A: (1.0, 0.5, 0.33),
    Grade.B: (2.0, 1.0, 0.5),
    Grade.C: (4.0, 3.0, 2.0),
}
MODES = {
    Grade.AA: ("credit", "信用监管"),
    Grade.A: ("responsibility", "责任监管"),
    Grade.B: ("routine", "常态监管"),
    Grade.C: ("strict", "加严监管"),
}


@pytest.mark.parametrize("grade", list(Grade))
@pytest.mark.parametrize("risk", [RiskLevel.I, RiskLevel.II, RiskLevel.III, None])
def test_supervision_table_cells(grade: Grade, risk: RiskLevel | None) -> None:
    plan = RULES.supervision_for(grade, risk)
    column = {RiskLevel.I: 0, RiskLevel.II: 1, RiskLevel.III: 2, None: 2}[risk]
    assert plan.inspections_per_year == PLAN[grade][column]
    assert (plan.mode, plan.mode_zh) == MODES[grade]
    assert plan.risk_level is risk
    strict = grade is Grade.C
    assert (
        plan.key_supervised
        is plan.accountability_interview
        is plan.rectification_required
        is strict
    )


@pytest.mark.parametrize(
    ("risks", "expected_risk", "ipy"),
    [
        ({}, None, 0.33),
        ({"cement": RiskLevel.III}, RiskLevel.III, 0.33),
        ({"cement": RiskLevel.III, "cable": RiskLevel.II}, RiskLevel.II, 0.5),
        ({"cement": RiskLevel.II, "dairy": RiskLevel.I}, RiskLevel.I, 1.0),
    ],
)
def test_classify_uses_highest_product_risk(
    risks: dict[str, RiskLevel], expected_risk: RiskLevel | None, ipy: float
) -> None:
    c = classify(dossier(RECENT_PASS, risks=risks), D, RULES)
    assert c.grade is Grade.A
    assert (c.supervision.risk_level, c.supervision.inspections_per_year) == (expected_risk, ipy)


def test_c_supervision_is_strict() -> None:
    c = classify(dossier(penalty(1, D, heavier=True), risks={"dairy": RiskLevel.I}), D, RULES)
    assert c.supervision == Supervision("strict", "加严监管", RiskLevel.I, 4.0, True, True, True)


# --- dates and replay ----------------------------------------------------------------------


def test_as_of_before_any_record_is_the_no_data_grade() -> None:
    fs = [*aa_facts(), penalty(9, D, heavier=True)]
    early = date(2015, 1, 1)
    c = classify(dossier(*fs, risks=AA_RISKS), early, RULES)
    assert c == classify(dossier(risks=AA_RISKS), early, RULES)
    assert (c.grade, rules_of(c), c.as_of) == (Grade.B, ["B-no-inspection"], early)


def test_records_after_as_of_are_ignored() -> None:
    assert grade_of(RECENT_PASS, penalty(9, D + timedelta(days=1), heavier=True)) is Grade.A
    assert grade_of(RECENT_PASS, penalty(9, D, heavier=True)) is Grade.C


def test_known_at_replays_what_was_known() -> None:
    late = penalty(9, D - timedelta(days=100), heavier=True, recorded_at=at(D - timedelta(days=5)))
    d = dossier(RECENT_PASS, late)
    assert classify(d, D, RULES).grade is Grade.C
    assert classify(d, D, RULES, known_at=at(D - timedelta(days=6))).grade is Grade.A
    assert classify(d, D, RULES, known_at=late.recorded_at).grade is Grade.C  # inclusive


# --- next inspection due -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "risk", "days"),
    [
        (Grade.C, RiskLevel.I, 91),  # 365/4 = 91.25
        (Grade.C, RiskLevel.II, 122),  # 365/3 = 121.67
        (Grade.B, RiskLevel.II, 365),
        (Grade.B, RiskLevel.I, 183),  # 182.5 rounds half up
        (Grade.A, RiskLevel.III, 1106),  # 365/0.33 = 1106.06
        (Grade.AA, RiskLevel.I, 730),
    ],
)
def test_next_inspection_due(grade: Grade, risk: RiskLevel, days: int) -> None:
    plan = RULES.supervision_for(grade, risk)
    last = date(2024, 1, 1)
    assert next_inspection_due(last, plan, D) == last + timedelta(days=days)


def test_next_inspection_due_never_inspected_and_as_needed() -> None:
    assert next_inspection_due(None, RULES.supervision_for(Grade.B, None), D) == D
    as_needed = RULES.supervision_for(Grade.AA, None)
    assert as_needed.inspections_per_year is None
    assert next_inspection_due(date(2020, 1, 1), as_needed, D) is None
    assert next_inspection_due(None, as_needed, D) is None


# --- properties ----------------------------------------------------------------------------


def _with(d: Dossier, extra: Fact) -> Dossier:
    fresh_id = max((f.id for f in d.facts), default=0) + 1
    return replace(d, facts=(*d.facts, replace(extra, id=fresh_id)))


@settings(max_examples=300, deadline=None)
@given(dated_dossiers(), st.data())
def test_adding_a_negative_record_never_improves_the_grade(
    dated: tuple[Dossier, date], data: st.DataObject
) -> None:
    d, on = dated
    negative = data.draw(negative_facts(on=dates_around(on)))
    before = classify(d, on, RULES).grade
    after = classify(_with(d, negative), on, RULES).grade
    assert after.rank <= before.rank


@settings(max_examples=300, deadline=None)
@given(dated_dossiers(), st.data())
def test_overturning_a_negative_record_never_worsens_the_grade(
    dated: tuple[Dossier, date], data: st.DataObject
) -> None:
    d, on = dated
    negatives = [i for i, f in enumerate(d.facts) if f.counts and is_negative(f)]
    assume(negatives)
    i = data.draw(st.sampled_from(negatives))
    status = data.draw(st.sampled_from([s for s in RecordStatus if s is not RecordStatus.ACTIVE]))
    after_facts = list(d.facts)
    after_facts[i] = replace(after_facts[i], status=status)
    before = classify(d, on, RULES).grade
    after = classify(replace(d, facts=tuple(after_facts)), on, RULES).grade
    assert after.rank >= before.rank


@settings(max_examples=200, deadline=None)
@given(dated_dossiers(), st.randoms(use_true_random=False))
def test_result_is_independent_of_fact_order(
    dated: tuple[Dossier, date], rnd: random.Random
) -> None:
    d, on = dated
    shuffled = list(d.facts)
    rnd.shuffle(shuffled)
    first = classify(d, on, RULES)
    assert classify(replace(d, facts=tuple(shuffled)), on, RULES) == first
    assert classify(d, on, RULES) == first  # and repeatable


@settings(max_examples=100, deadline=None)
@given(dossiers(), st.dates(max_value=EARLIEST - timedelta(days=1)))
def test_as_of_before_every_record_is_the_no_data_grade(d: Dossier, on: date) -> None:
    assert all(f.occurred_on > on for f in d.facts)
    assert classify(d, on, RULES) == classify(replace(d, facts=()), on, RULES)
    expected = Grade.C if d.active_listing_ids else Grade.B
    assert classify(d, on, RULES).grade is expected


@settings(max_examples=100, deadline=None)
@given(dated_dossiers())
def test_inactive_records_are_as_if_absent(dated: tuple[Dossier, date]) -> None:
    d, on = dated
    active = replace(d, facts=tuple(f for f in d.facts if f.counts))
    assert classify(d, on, RULES) == classify(active, on, RULES)


@settings(max_examples=200, deadline=None)
@given(dated_dossiers())
def test_reasons_are_well_formed(dated: tuple[Dossier, date]) -> None:
    d, on = dated
    c = classify(d, on, RULES)
    assert c.reasons, "every grade is explained"
    order = [r.id for r in RULES.rules]
    indexes = [order.index(r.rule) for r in c.reasons]
    assert indexes == sorted(indexes)
    ids = {f.id for f in d.facts if f.counts and f.occurred_on <= on}
    for reason in c.reasons:
        assert list(reason.record_ids) == sorted(set(reason.record_ids))
        assert set(reason.record_ids) <= ids
        assert reason.grade.rank <= c.grade.rank
        assert reason.text_zh and reason.text_en and "{" not in reason.text_en
    if c.grade in (Grade.B, Grade.C):
        assert all(r.grade is c.grade for r in c.reasons)
    if c.grade in (Grade.A, Grade.AA):
        assert rules_of(c)[0] == "A-recent-pass"


@settings(max_examples=100, deadline=None)
@given(dated_dossiers())
def test_known_at_after_every_record_changes_nothing(dated: tuple[Dossier, date]) -> None:
    d, on = dated
    latest = max((f.recorded_at for f in d.facts), default=at(on))
    assert classify(d, on, RULES, known_at=latest) == classify(d, on, RULES)


@settings(max_examples=100, deadline=None)
@given(dated_dossiers(), st.data())
def test_known_at_equals_dropping_later_records(
    dated: tuple[Dossier, date], data: st.DataObject
) -> None:
    d, on = dated
    known_at = at(data.draw(dates_around(on)))
    known = replace(d, facts=tuple(f for f in d.facts if f.recorded_at <= known_at))
    assert classify(d, on, RULES, known_at=known_at) == classify(known, on, RULES)


@settings(max_examples=100, deadline=None)
@given(facts(RecordKind.INSPECTION))
def test_fact_strategy_is_consistent(f: Fact) -> None:
    # A pass never has a re-test (Order 18 Art.42); refused sampling has no result.
    if f.attrs.get("result") == "pass":
        assert f.attrs.get("retest_result") is None
    if f.attrs.get("refused"):
        assert f.attrs.get("result") is None


@pytest.mark.parametrize(
    ("licence_type", "expected"),
    [
        ("ccc", Grade.AA),
        ("iso9001", Grade.AA),
        ("product_certification", Grade.AA),
        ("food_safety_system", Grade.AA),
        # a licence is the precondition of producing, not a certification
        ("production_licence", Grade.A),
        ("food_production_licence", Grade.A),
        ("special_equipment_licence", Grade.A),
        ("other", Grade.A),
    ],
)
def test_only_certifications_count_for_aa(licence_type: str, expected: Grade) -> None:
    held = licence(4, D - timedelta(days=400), licence_type=licence_type)
    c = classify(dossier(*aa_facts()[:3], held, risks=AA_RISKS), D, RULES)
    assert c.grade is expected
    if expected is Grade.A:
        assert rules_of(c) == ["A-recent-pass"]
    else:
        assert c.reasons[-2].rule == "AA-commendation-or-certification"
        assert c.reasons[-2].record_ids == (4,)


def test_commendation_window_is_stated_in_the_reason() -> None:
    c = classify(dossier(*aa_facts(), risks=AA_RISKS), D, RULES)
    [reason] = [r for r in c.reasons if r.rule == "AA-commendation-or-certification"]
    assert reason.text == "36个月内获得表彰奖励，或持有有效认证（CCC、ISO 9001等）"


@settings(max_examples=150, deadline=None)
@given(dated_dossiers())
def test_licences_never_lift_a_grade(case: tuple[Dossier, date]) -> None:
    """A licence that is not a certification (and whose type was never revoked, so it
    re-issues nothing) can be left out without changing the grade."""
    from service.credit.licences import CERTIFICATION_TYPES

    d, on = case
    licences = [f for f in d.facts if f.kind is RecordKind.LICENCE]
    revoked_types = {f.attrs.get("licence_type") for f in licences if f.attrs.get("revoked")}
    kept = tuple(
        f
        for f in d.facts
        if f.kind is not RecordKind.LICENCE
        or f.attrs.get("licence_type") in CERTIFICATION_TYPES | revoked_types
    )
    assert classify(replace(d, facts=kept), on, RULES).grade == classify(d, on, RULES).grade
