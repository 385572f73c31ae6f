"""Rule sets as data: the packaged ones load, broken ones fail loudly, custom ones work."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

import pytest
from strategies import AS_OF, complaint, dossier, inspection

from service.credit.classification import (
    DEFAULT_RULESET_ID,
    Grade,
    RuleSet,
    RuleSetError,
    builtin_rulesets,
    classify,
    load_ruleset,
)
from service.credit.dossier import RiskLevel
from service.credit.rules import PREDICATES
from service.credit.ruleset import Effect

BUILTIN_TEXT = (
    resources.files("service.credit") / "rulesets" / f"{DEFAULT_RULESET_ID}.toml"
).read_text(encoding="utf-8")

SUPERVISION = """
[supervision.AA]
mode = "credit"
mode_zh = "信用监管"
key_supervised = false
accountability_interview = false
rectification_required = false
inspections_per_year = { I = 0.5, II = 0.33, III = "as-needed" }
[supervision.A]
mode = "responsibility"
mode_zh = "责任监管"
key_supervised = false
accountability_interview = false
rectification_required = false
inspections_per_year = { I = 1, II = 0.5, III = 0.33 }
[supervision.B]
mode = "routine"
mode_zh = "常态监管"
key_supervised = false
accountability_interview = false
rectification_required = false
inspections_per_year = { I = 2, II = 1, III = 0.5 }
[supervision.C]
mode = "strict"
mode_zh = "加严监管"
key_supervised = true
accountability_interview = true
rectification_required = true
inspections_per_year = { I = 4, II = 3, III = 2 }
"""

HEADER = """
format_version = 1
id = "test-v1"
title = "test"
"""

A_RULE = """
[[rule]]
id = "A-pass"
grade = "A"
effect = "require"
predicate = "inspection_pass"
window_months = 24
text_zh = "合格"
text_en = "passed"
unmet_text_zh = "无合格"
unmet_text_en = "no pass"
"""


def minimal(rules: str = A_RULE, *, header: str = HEADER, supervision: str = SUPERVISION) -> str:
    return header + supervision + rules


def rule(**fields: object) -> str:
    """One [[rule]] table; values are written as TOML literals."""
    base: dict[str, object] = {
        "id": "C-x",
        "grade": "C",
        "effect": "cap",
        "predicate": "penalty_heavier",
        "window_months": 24,
        "text_zh": "x",
        "text_en": "x",
    }
    base.update(fields)
    lines = ["[[rule]]"]
    for key, value in base.items():
        if value is None:
            continue
        lines.append(f"{key} = {_toml(value)}")
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def load_error(text: str) -> str:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(text, source="custom.toml")
    message = str(info.value)
    assert message.startswith("custom.toml"), message
    return message


# --- the packaged rule sets --------------------------------------------------------------


def test_builtin_loads_and_is_the_default() -> None:
    rulesets = builtin_rulesets()
    assert DEFAULT_RULESET_ID in rulesets
    rs = rulesets[DEFAULT_RULESET_ID]
    assert rs.id == DEFAULT_RULESET_ID
    assert rs.origin.endswith(f"rulesets/{DEFAULT_RULESET_ID}.toml")
    assert "工业企业产品质量分类监管试行办法" in (rs.basis or "")
    assert len(rs.rules) == 21
    assert {r.grade for r in rs.rules} == set(Grade)
    assert all(r.text_zh and r.text_en for r in rs.rules)


def test_builtin_is_cached_but_returned_as_a_fresh_dict() -> None:
    first, second = builtin_rulesets(), builtin_rulesets()
    assert first is not second
    assert first[DEFAULT_RULESET_ID] is second[DEFAULT_RULESET_ID]
    first.clear()
    assert DEFAULT_RULESET_ID in builtin_rulesets()


def test_builtin_rule_ids_follow_the_grade() -> None:
    rs = builtin_rulesets()[DEFAULT_RULESET_ID]
    for r in rs.rules:
        assert r.id.split("-")[0] == r.grade.value
        assert r.effect is (Effect.CAP if r.grade in (Grade.C, Grade.B) else Effect.REQUIRE)


def test_builtin_text_loads_from_a_string_to_an_equal_rule_set() -> None:
    rs = load_ruleset(BUILTIN_TEXT)
    assert rs.origin == "<string>"
    assert rs.rules == builtin_rulesets()[DEFAULT_RULESET_ID].rules


def test_every_predicate_is_documented() -> None:
    for name, predicate in PREDICATES.items():
        assert predicate.name == name
        assert predicate.description


def test_grade_rank() -> None:
    assert [g.rank for g in (Grade.AA, Grade.A, Grade.B, Grade.C)] == [3, 2, 1, 0]
    assert Grade.AA.below is Grade.A and Grade.C.below is None
    assert Grade.C.above is Grade.B and Grade.AA.above is None
    assert max([Grade.B, Grade.AA, Grade.C], key=lambda g: g.rank) is Grade.AA


# --- strict validation -----------------------------------------------------------------------


def test_minimal_rule_set_loads() -> None:
    rs = load_ruleset(minimal())
    assert isinstance(rs, RuleSet)
    assert [r.id for r in rs.rules] == ["A-pass"]


def test_invalid_toml() -> None:
    assert "invalid TOML" in load_error(minimal() + "\n[[rule]\n")


def test_unknown_predicate() -> None:
    message = load_error(minimal(A_RULE + rule(predicate="penalty_heavyer")))
    assert "rule 'C-x'" in message
    assert "unknown predicate 'penalty_heavyer'" in message
    assert "penalty_heavier" in message  # lists the known ones


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (minimal() + '\ncolour = "red"\n', "unknown key(s) 'colour'"),
        (minimal(A_RULE + rule(windw_months=3)), "rule 'C-x': unknown key(s) 'windw_months'"),
        (
            minimal(
                supervision=SUPERVISION.replace('mode = "routine"', 'mode = "routine"\nfoo = 1')
            ),
            "[supervision.B]: unknown key(s) 'foo'",
        ),
    ],
)
def test_unknown_key(text: str, expected: str) -> None:
    assert expected in load_error(text)


def test_unknown_key_inside_any_of() -> None:
    text = minimal(
        A_RULE
        + """
[[rule]]
id = "AA-x"
grade = "AA"
effect = "require"
any_of = [{ predicate = "commendation", months = 36 }]
text_zh = "x"
text_en = "x"
unmet_text_zh = "x"
unmet_text_en = "x"
"""
    )
    assert "rule 'AA-x' any_of[0]: unknown key(s) 'months'" in load_error(text)


@pytest.mark.parametrize("grade", ["D", "a", "AAA", ""])
def test_bad_grade(grade: str) -> None:
    message = load_error(minimal(A_RULE + rule(grade=grade)))
    assert "'grade' must be one of AA, A, B, C" in message


def test_bad_grade_in_supervision_table() -> None:
    text = minimal(supervision=SUPERVISION + '[supervision.D]\nmode = "x"\n')
    assert "must be one of AA, A, B, C, got 'D'" in load_error(text)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"effect": "forbid"}, "'effect' must be 'cap' or 'require'"),
        ({"grade": "AA"}, "a cap at AA restricts nothing"),
        (
            {"effect": "require", "unmet_text_zh": "x", "unmet_text_en": "x"},
            "a requirement at C can never be unmet",
        ),
        ({"grade": "B", "effect": "require"}, "missing required key 'unmet_text_zh'"),
        ({"unmet_text_zh": "x"}, "'unmet_text_zh' is only for requirements"),
        ({"text_en": None}, "missing required key 'text_en'"),
        ({"text_en": " "}, "'text_en' must not be empty"),
        ({"id": "C x"}, "may only hold letters"),
        ({"predicate": None}, "missing required key 'predicate'"),
        ({"text_en": "within {monthz} months"}, "unknown placeholder {monthz}"),
        ({"text_en": "within {months:>3} months"}, "takes no format spec"),
        ({"text_en": "within {months months"}, "not a valid text template"),
    ],
)
def test_bad_rule(fields: dict[str, object], expected: str) -> None:
    assert expected in load_error(minimal(A_RULE + rule(**fields)))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"window_months": 0}, "'window_months' must be 1..1200, got 0"),
        ({"window_months": -12}, "'window_months' must be 1..1200"),
        ({"window_months": 5000}, "'window_months' must be 1..1200"),
        ({"window_months": "24"}, "'window_months' must be an integer"),
        ({"window_months": 1.5}, "'window_months' must be an integer"),
        ({"window_months": True}, "'window_months' must be an integer, got True"),
        (
            {"predicate": "licence_revoked", "window_months": 24},
            "'window_months' does not apply to 'licence_revoked'",
        ),
        ({"min_count": 3, "max_count": 2}, "'max_count' (2) is below 'min_count' (3)"),
        ({"min_count": -1}, "must not be negative"),
        ({"min_count": 0}, "'min_count = 0' without 'max_count' always holds"),
        ({"risk_levels": ["I"]}, "'risk_levels' does not apply to 'penalty_heavier'"),
        (
            {"predicate": "inspection_final_fail", "risk_levels": ["IV"]},
            "'risk_levels' entries are I, II or III, got 'IV'",
        ),
        ({"predicate": "inspection_final_fail", "risk_levels": []}, "must not be empty"),
        (
            {"predicate": "inspection_final_fail", "risk_levels": ["I"], "each_product": True},
            "'each_product' is only allowed on requirements",
        ),
    ],
)
def test_bad_condition(fields: dict[str, object], expected: str) -> None:
    assert expected in load_error(minimal(A_RULE + rule(**fields)))


def test_each_product_needs_risk_levels() -> None:
    text = minimal(A_RULE.replace("window_months = 24", "window_months = 24\neach_product = true"))
    assert "'each_product' needs 'risk_levels'" in load_error(text)


def test_any_of_and_inline_condition_are_exclusive() -> None:
    text = minimal(
        A_RULE.replace(
            "window_months = 24", 'window_months = 24\nany_of = [{ predicate = "commendation" }]'
        )
    )
    assert "use either 'any_of' or inline predicate, window_months, not both" in load_error(text)


def test_duplicate_rule_id() -> None:
    assert "duplicate rule id 'A-pass'" in load_error(minimal(A_RULE + A_RULE))


@pytest.mark.parametrize(
    ("supervision", "expected"),
    [
        (SUPERVISION.split("[supervision.C]")[0], "[supervision.C]: missing"),
        (
            SUPERVISION.replace("{ I = 2, II = 1, III = 0.5 }", "{ I = 2, II = 1 }"),
            "[supervision.B]: inspections_per_year: missing cell for risk level III",
        ),
        (
            SUPERVISION.replace(
                "{ I = 2, II = 1, III = 0.5 }", "{ I = 2, II = 1, III = 0.5, IV = 1 }"
            ),
            "unknown risk level 'IV'",
        ),
        (
            SUPERVISION.replace("{ I = 2, II = 1, III = 0.5 }", "{ I = 2, II = 0, III = 0.5 }"),
            "[supervision.B] inspections_per_year.II: must be a positive number or 'as-needed'",
        ),
        (
            SUPERVISION.replace('III = "as-needed"', 'III = "never"'),
            "inspections_per_year.III: must be a positive number",
        ),
        (
            SUPERVISION.replace('mode_zh = "加严监管"\n', ""),
            "[supervision.C]: missing required key 'mode_zh'",
        ),
        (
            SUPERVISION.replace("key_supervised = true", 'key_supervised = "yes"'),
            "'key_supervised' must be a boolean",
        ),
        ("", "missing required table [supervision]"),
    ],
)
def test_bad_supervision_table(supervision: str, expected: str) -> None:
    assert expected in load_error(minimal(supervision=supervision))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('id = "x"\ntitle = "t"\n', "missing required key 'format_version'"),
        ('format_version = 2\nid = "x"\ntitle = "t"\n', "format_version 2 is not supported"),
        ('format_version = 1\ntitle = "t"\n', "missing required key 'id'"),
        ('format_version = 1\nid = "a b"\ntitle = "t"\n', "may only hold letters"),
    ],
)
def test_bad_header(header: str, expected: str) -> None:
    assert expected in load_error(minimal(header=header))


def test_no_rules() -> None:
    assert "missing required key 'rule'" in load_error(HEADER + SUPERVISION)
    assert "at least one [[rule]]" in load_error(HEADER + "rule = []\n" + SUPERVISION)


# --- custom rule sets change results ---------------------------------------------------------


def test_stricter_variant_changes_results() -> None:
    # An agency decides a single standing failure within 24 months is already C.
    rule_head = 'id = "C-repeated-failures"\ngrade = "C"\neffect = "cap"\n'
    condition = 'predicate = "inspection_final_fail"\nwindow_months = 24\nmin_count = '
    assert rule_head + condition + "2" in BUILTIN_TEXT
    strict_text = BUILTIN_TEXT.replace('id = "aqsiq-2012-v1"', 'id = "strict-v1"').replace(
        rule_head + condition + "2", rule_head + condition + "1"
    )
    strict = load_ruleset(strict_text, source="strict-v1.toml")
    default = builtin_rulesets()[DEFAULT_RULESET_ID]
    d = dossier(inspection(1, AS_OF - timedelta(days=10)), inspection(2, AS_OF, "fail"))
    assert classify(d, AS_OF, default).grade is Grade.B
    result = classify(d, AS_OF, strict)
    assert (result.grade, result.ruleset) == (Grade.C, "strict-v1")
    assert result.reasons[0].rule == "C-repeated-failures"


def test_custom_rule_set_with_its_own_rules_and_table() -> None:
    # A two-rule scheme: C on any substantiated complaint in 6 months, A on a recent pass,
    # AA never required beyond A (no AA requirement), with its own supervision table.
    text = minimal(
        A_RULE
        + rule(
            id="C-complaint",
            predicate="complaint_substantiated",
            window_months=6,
            text_zh="{months}个月内投诉{count}起",
            text_en="{count} complaint(s) within {months} months",
        ),
        supervision=SUPERVISION.replace(
            "{ I = 4, II = 3, III = 2 }", "{ I = 12, II = 6, III = 4 }"
        ),
    )
    rs = load_ruleset(text)
    on = date(2024, 6, 15)
    good = dossier(inspection(1, on - timedelta(days=10)), risks={"cement": RiskLevel.II})
    assert classify(good, on, rs).grade is Grade.AA  # nothing stands between A and AA
    bad = dossier(*good.facts, complaint(2, on - timedelta(days=20)), risks=good.product_risks)
    result = classify(bad, on, rs)
    assert result.grade is Grade.C
    assert result.reasons[0].text_en == "1 complaint(s) within 6 months"
    assert result.supervision.inspections_per_year == 6.0
    nothing = classify(dossier(), on, rs)
    assert (nothing.grade, nothing.reasons[0].rule, nothing.reasons[0].text_en) == (
        Grade.B,
        "A-pass",
        "no pass",
    )


def test_risk_level_filter_on_a_cap() -> None:
    # Only failures of risk-I products pull the grade down to C in this variant.
    text = minimal(
        A_RULE
        + rule(
            id="C-risk-I-failure",
            predicate="inspection_final_fail",
            window_months=12,
            risk_levels=["I"],
        )
    )
    rs = load_ruleset(text)
    on = date(2024, 6, 15)
    risks = {"dairy": RiskLevel.I, "cement": RiskLevel.III}
    passed = inspection(1, on)
    dairy_fail = inspection(2, on, "fail", category="dairy")
    cement_fail = inspection(2, on, "fail", category="cement")
    assert classify(dossier(passed, dairy_fail, risks=risks), on, rs).grade is Grade.C
    assert classify(dossier(passed, cement_fail, risks=risks), on, rs).grade is Grade.AA


def test_window_omitted_means_whole_history() -> None:
    text = minimal(
        A_RULE
        + rule(id="B-ever-failed", grade="B", predicate="inspection_final_fail", window_months=None)
    )
    rs = load_ruleset(text)
    on = date(2024, 6, 15)
    ancient = inspection(2, date(1990, 1, 1), "fail")
    result = classify(dossier(inspection(1, on), ancient), on, rs)
    assert (result.grade, result.reasons[0].rule, result.reasons[0].record_ids) == (
        Grade.B,
        "B-ever-failed",
        (2,),
    )
