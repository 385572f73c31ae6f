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
from functools import lru_cache

from service.credit.conditions import Outcome
from service.credit.dossier import Dossier, RiskLevel
from service.credit.rules import Evidence, gather
from service.credit.ruleset import (
    DEFAULT_RULESET_ID,
    Grade,
    Rule,
    RuleSet,
    RuleSetError,
    Supervision,
    window_starts,
)
from service.credit.ruleset_loader import builtin_rulesets, load_ruleset

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


def _evidence(
    dossier: Dossier, as_of: date, known_at: datetime | None, ruleset: RuleSet
) -> Evidence:
    buckets = gather(dossier.facts, as_of, known_at)
    return Evidence(as_of, dossier, buckets, window_starts(as_of, ruleset.windows))


@lru_cache(maxsize=8192)
def _render(
    zh: str,
    en: str,
    months: int | None,
    min_count: int,
    max_count: int | None,
    count: int,
    listing_ids: tuple[int, ...],
    categories: tuple[str, ...],
) -> tuple[str, str]:
    # Few distinct texts recur across a million dossiers: format each once.
    values = {
        "count": count,
        "months": months,
        "min_count": min_count,
        "max_count": max_count,
        "listing_ids": ", ".join(map(str, sorted(listing_ids))),
        "categories": ", ".join(categories),
    }
    return zh.format_map(values), en.format_map(values)


def _vacuous(rule: Rule, outcome: Outcome) -> bool:
    """A per-product requirement met only because there is no such product shows nothing."""
    return not outcome[3] and len(rule.conditions) == 1 and rule.conditions[0].each_product


@lru_cache(maxsize=4096)
def _shared_reason(rule_id: str, grade: Grade, zh: str, en: str) -> Reason:
    # Reasons citing no record ("no penalty within 36 months") are identical across
    # dossiers; sharing the frozen instance saves most of their cost in a recompute.
    return Reason(rule_id, grade, zh, en, ())


def _reason(rule: Rule, outcome: Outcome, grade: Grade, ev: Evidence) -> Reason:
    holds, ids, count, categories = outcome
    zh, en = (rule.text_zh, rule.text_en) if holds else (rule.unmet_text_zh, rule.unmet_text_en)
    assert zh is not None and en is not None
    if "{" in zh or "{" in en:
        # Placeholders describe the rule's first condition (the only one, for most rules).
        c = rule.conditions[0]
        listing_ids = ev.dossier.active_listing_ids
        zh, en = _render(
            zh, en, c.window_months, c.min_count, c.max_count, count, listing_ids, categories
        )
    if not ids:
        return _shared_reason(rule.id, grade, zh, en)
    return Reason(rule.id, grade, zh, en, tuple(sorted(ids)))


_RISK_RANK = {RiskLevel.I: 0, RiskLevel.II: 1, RiskLevel.III: 2}


def _highest_risk(dossier: Dossier) -> RiskLevel | None:
    # Ⅰ is highest: the most dangerous product sets the pace of supervision.
    highest = None
    for level in dossier.product_risks.values():
        if level is RiskLevel.I:
            return level
        if highest is None or _RISK_RANK[level] < _RISK_RANK[highest]:
            highest = level
    return highest


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
    ev = _evidence(dossier, as_of, known_at, ruleset)
    outcomes: dict[int, Outcome] = {}
    grade = Grade.AA
    for level, steps in ruleset.steps:
        triggered = False
        for index, evaluate, triggers_when_holds in steps:
            outcome = evaluate(ev)
            outcomes[index] = outcome
            if outcome[0] is triggers_when_holds:
                triggered = True
        if triggered:
            grade = level
            break

    reasons = []
    for rule in ruleset.cited_when_held[grade]:
        outcome = outcomes[rule.index]
        if outcome[0] and not _vacuous(rule, outcome):
            reasons.append(_reason(rule, outcome, rule.grade, ev))
    if not reasons:
        # Nothing fired at this grade and nothing positive names it (the default B):
        # say which requirement of the grade above was not met.
        for rule in ruleset.cited_when_unmet[grade]:
            outcome = outcomes[rule.index]
            if not outcome[0]:
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
