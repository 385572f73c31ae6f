"""Supervision class AA / A / B / C with reasons and a supervision plan.

AQSIQ 《工业企业产品质量分类监管试行办法》 (2012) classes producers by how they carry their
quality responsibility, crossed with the product risk level (Ⅰ/Ⅱ/Ⅲ). The thresholds
are not in the law; they are a versioned rule set (``rulesets/*.toml``, see
:mod:`service.credit.ruleset` for the cap/requirement semantics).

Pure: no I/O, no clock. The same dossier, date and rule set always give the same result,
whatever the order of the facts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from service.credit.dossier import Dossier, Fact, RecordKind, RiskLevel
from service.credit.rules import Evidence
from service.credit.ruleset import (
    DEFAULT_RULESET_ID,
    Condition,
    Effect,
    Grade,
    Rule,
    RuleSet,
    RuleSetError,
    Supervision,
    builtin_rulesets,
    load_ruleset,
    window_start,
)

__all__ = [
    "DEFAULT_RULESET_ID",
    "Classification",
    "Grade",
    "Reason",
    "RuleSet",
    "RuleSetError",
    "Supervision",
    "builtin_rulesets",
    "classify",
    "load_ruleset",
    "next_inspection_due",
]


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule behind a grade, with the records that triggered it."""

    rule: str
    grade: Grade  # the grade this reason supports (for an unmet requirement: the one below)
    text_zh: str
    text_en: str
    record_ids: tuple[int, ...]  # sorted

    @property
    def text(self) -> str:
        """The contract field ``text`` is the Chinese wording."""
        return self.text_zh


@dataclass(frozen=True, slots=True)
class Classification:
    grade: Grade
    ruleset: str
    as_of: date
    reasons: tuple[Reason, ...]
    supervision: Supervision


# (holds, record ids, count, categories for the text) of one rule at one date
_Outcome = tuple[bool, list[int], int, tuple[str, ...]]


def _evidence(dossier: Dossier, as_of: date, known_at: datetime | None) -> Evidence:
    by_kind: dict[RecordKind, list[Fact]] = {}
    for f in dossier.facts:
        if not f.counts or f.occurred_on > as_of:
            continue
        if known_at is not None and f.recorded_at > known_at:
            continue
        bucket = by_kind.get(f.kind)
        if bucket is None:
            by_kind[f.kind] = [f]
        else:
            bucket.append(f)
    return Evidence(as_of, dossier, by_kind, {})


def _condition(c: Condition, ev: Evidence) -> _Outcome:
    p = c.predicate
    test = p.fact_test
    if test is None:
        assert p.dossier_test is not None
        count, ids = p.dossier_test(ev)
        return c.accepts(count), ids, count, ()

    facts = ev.by_kind.get(p.kind) if p.kind is not None else None
    months = c.window_months
    if months is None:
        start = date.min
    else:
        start = ev.starts.get(months)  # type: ignore[assignment]
        if start is None:
            start = ev.starts[months] = window_start(ev.as_of, months)
    end = ev.as_of

    if c.each_product:
        return _each_product(c, ev, facts or [], start, end)
    if not facts:
        ids: list[int] = []
    elif c.risk_levels:
        risks, levels = ev.dossier.product_risks, c.risk_levels
        ids = [
            f.id
            for f in facts
            if risks.get(f.attrs.get("product_category")) in levels  # type: ignore[call-overload]
            and test(f, start, end)
        ]
    else:
        ids = [f.id for f in facts if test(f, start, end)]
    n = len(ids)
    return (n >= c.min_count and (c.max_count is None or n <= c.max_count)), ids, n, ()


def _each_product(
    c: Condition, ev: Evidence, facts: list[Fact], start: date, end: date
) -> _Outcome:
    test = c.predicate.fact_test
    assert test is not None
    # Sorted so the text and the outcome do not depend on dict order.
    categories = sorted(k for k, v in ev.dossier.product_risks.items() if v in c.risk_levels)
    ids: list[int] = []
    missing: list[str] = []
    for category in categories:
        matched = [
            f.id
            for f in facts
            if f.attrs.get("product_category") == category and test(f, start, end)
        ]
        if not c.accepts(len(matched)):
            missing.append(category)
        ids.extend(matched)
    # Vacuously true without such products (the requirement is about products it has);
    # the empty category list marks it so it is not cited as a reason.
    return not missing, ids, len(ids), tuple(missing or categories)


def _rule(rule: Rule, ev: Evidence) -> _Outcome:
    conditions = rule.conditions
    if len(conditions) == 1:
        return _condition(conditions[0], ev)
    # Alternatives: the first that holds explains the rule; if none does, every record
    # any of them looked at belongs to the explanation.
    outcomes = []
    for c in conditions:
        outcome = _condition(c, ev)
        if outcome[0]:
            return outcome
        outcomes.append(outcome)
    ids = sorted({i for o in outcomes for i in o[1]})
    return False, ids, outcomes[0][2], outcomes[0][3]


def _vacuous(rule: Rule, outcome: _Outcome) -> bool:
    return len(rule.conditions) == 1 and rule.conditions[0].each_product and not outcome[3]


def _reason(rule: Rule, outcome: _Outcome, grade: Grade, ev: Evidence) -> Reason:
    holds, ids, count, categories = outcome
    zh, en = (rule.text_zh, rule.text_en) if holds else (rule.unmet_text_zh, rule.unmet_text_en)
    assert zh is not None and en is not None
    if "{" in zh or "{" in en:
        first = rule.conditions[0]
        values = {
            "count": count,
            "months": first.window_months,
            "min_count": first.min_count,
            "max_count": first.max_count,
            "listing_ids": ", ".join(map(str, sorted(ev.dossier.active_listing_ids))),
            "categories": ", ".join(categories),
        }
        zh, en = zh.format(**values), en.format(**values)
    return Reason(rule.id, grade, zh, en, tuple(sorted(ids)))


def _highest_risk(dossier: Dossier) -> RiskLevel | None:
    risks = dossier.product_risks
    if not risks:
        return None
    values = set(risks.values())
    for level in RiskLevel:  # Ⅰ first: the most dangerous product sets the pace
        if level in values:
            return level
    return None


def classify(
    dossier: Dossier, as_of: date, ruleset: RuleSet, *, known_at: datetime | None = None
) -> Classification:
    """Classify ``dossier`` at ``as_of`` under ``ruleset``.

    Only facts that count (status active), occurred on or before ``as_of`` and — when
    ``known_at`` is given, to replay what the registry knew then — were recorded on or
    before ``known_at`` are considered. ``known_at`` must be comparable with the facts'
    ``recorded_at`` (both timezone-aware, as the store produces them).

    Reasons explain the grade, in rule-file order: the caps that fired at that grade and
    the requirements it met; when neither names it (the default B), the unmet
    requirements of the next grade up.
    """
    ev = _evidence(dossier, as_of, known_at)
    outcomes: dict[int, _Outcome] = {}
    grade = Grade.AA
    for level, rules in ruleset.levels:
        triggered = False
        for rule in rules:
            outcome = _rule(rule, ev)
            outcomes[rule.index] = outcome
            # A cap triggers when it holds, a requirement when it does not.
            if outcome[0] is (rule.effect is Effect.CAP):
                triggered = True
        if triggered:
            grade = level
            break

    rank = grade.rank
    reasons = []
    for rule in ruleset.rules:
        outcome = outcomes.get(rule.index)
        if outcome is None or not outcome[0]:
            continue
        if (rule.effect is Effect.CAP and rule.grade is grade) or (
            rule.effect is Effect.REQUIRE
            and rule.grade.rank <= rank
            and not _vacuous(rule, outcome)
        ):
            reasons.append(_reason(rule, outcome, rule.grade, ev))
    if not reasons:
        for rule in ruleset.rules:
            outcome = outcomes.get(rule.index)
            if outcome is not None and rule.effect is Effect.REQUIRE and not outcome[0]:
                if rule.level is grade:
                    reasons.append(_reason(rule, outcome, grade, ev))

    return Classification(
        grade=grade,
        ruleset=ruleset.id,
        as_of=as_of,
        reasons=tuple(reasons),
        supervision=ruleset.supervision_for(grade, _highest_risk(dossier)),
    )


def next_inspection_due(
    last_inspection_on: date | None, supervision: Supervision, today: date
) -> date | None:
    """When the next supervisory inspection is due under ``supervision``.

    ``last + 365 / inspections_per_year`` days, rounded half up (4/year → 91 days,
    0.33/year → 1106 days). Never inspected → due ``today``. "As needed" (AA × Ⅲ) →
    None. A date before ``today`` means overdue; it is not clamped, so callers can say
    by how much.
    """
    ipy = supervision.inspections_per_year
    if ipy is None:
        return None
    if last_inspection_on is None:
        return today
    return last_inspection_on + timedelta(days=math.floor(365 / ipy + 0.5))
