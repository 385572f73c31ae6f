"""The rule-set model: grades, rules, the supervision table.

A rule set is a versioned TOML file (``service/credit/rulesets/<id>.toml``) so an agency
can publish a new version without code; :mod:`service.credit.ruleset_loader` parses and
validates it, and only the predicates it names are Python (:mod:`service.credit.rules`).
The file format is documented at the top of ``rulesets/aqsiq-2012-v1.toml``.

Semantics, shared by every rule set. Each rule is

* a **cap** at grade G: when its condition holds, the grade is at most G; or
* a **requirement** at grade G: the grade reaches G only if its condition holds
  (when it does not, the grade is at most the grade just below G).

The grade is the best one that no cap or unmet requirement rules out. A cap at AA and a
requirement at C would be meaningless; the loader rejects them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from service.credit.conditions import Evaluator, compile_any_of, compile_condition
from service.credit.dossier import RiskLevel
from service.credit.rules import Predicate

__all__ = [
    "DEFAULT_RULESET_ID",
    "GRADES_WORST_FIRST",
    "Condition",
    "Effect",
    "Grade",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "Supervision",
    "SupervisionPolicy",
    "window_start",
    "window_starts",
]

DEFAULT_RULESET_ID = "aqsiq-2012-v1"


class RuleSetError(ValueError):
    """A rule set that cannot be used; the message names the source, rule and field."""


class Grade(StrEnum):
    """Supervision class (工业企业产品质量分类监管试行办法, AQSIQ 2012)."""

    AA = "AA"  # 优秀自律
    A = "A"  # 良好自律
    B = "B"  # 常态
    C = "C"  # 自律较差

    @property
    def rank(self) -> int:
        """Goodness: AA 3 > A 2 > B 1 > C 0. Compare grades by rank, never as strings."""
        return _RANK[self]

    @property
    def below(self) -> Grade | None:
        """The next worse grade (None for C)."""
        return _BY_RANK.get(_RANK[self] - 1)

    @property
    def above(self) -> Grade | None:
        """The next better grade (None for AA)."""
        return _BY_RANK.get(_RANK[self] + 1)


_RANK: dict[Grade, int] = {Grade.AA: 3, Grade.A: 2, Grade.B: 1, Grade.C: 0}
_BY_RANK: dict[int, Grade] = {r: g for g, r in _RANK.items()}
GRADES_WORST_FIRST: tuple[Grade, ...] = (Grade.C, Grade.B, Grade.A, Grade.AA)


class Effect(StrEnum):
    CAP = "cap"
    REQUIRE = "require"


def window_start(as_of: date, months: int) -> date:
    """The first day inside a window of ``months`` calendar months ending at ``as_of``.

    "Within N months of D" means ``D − N months <= date <= D``, both ends inclusive: on
    D = 2024-06-15 a 24-month window starts at 2022-06-15, so a record of that day counts
    and one of 2022-06-14 does not. Months are calendar months (relativedelta), clamped
    to the month end: 12 months before 2024-02-29 is 2023-02-28.
    """
    try:
        return as_of - relativedelta(months=months)
    except (ValueError, OverflowError):
        # Before year 1: the window reaches back past every possible record.
        return date.min


@lru_cache(maxsize=1024)
def window_starts(as_of: date, windows: tuple[int, ...]) -> Mapping[int, date]:
    """All window starts a rule set needs at ``as_of``; cached because a recompute
    classifies millions of dossiers at one date."""
    return MappingProxyType({m: window_start(as_of, m) for m in windows})


@dataclass(frozen=True, slots=True)
class Supervision:
    """The supervision plan for a grade × the enterprise's highest product risk."""

    mode: str  # "credit" | "responsibility" | "routine" | "strict" in aqsiq-2012-v1
    mode_zh: str  # 信用监管 | 责任监管 | 常态监管 | 加严监管
    # Highest risk among the enterprise's catalogued products; None when it has none,
    # in which case the plan uses the Ⅲ (general) column.
    risk_level: RiskLevel | None
    inspections_per_year: float | None  # None: inspect as needed (AA × Ⅲ)
    key_supervised: bool
    accountability_interview: bool  # 履责约谈
    rectification_required: bool


@dataclass(frozen=True, slots=True)
class SupervisionPolicy:
    """One row (one grade) of a rule set's supervision table."""

    mode: str
    mode_zh: str
    key_supervised: bool
    accountability_interview: bool
    rectification_required: bool
    inspections_per_year: Mapping[RiskLevel, float | None] = field(hash=False)


@dataclass(frozen=True, slots=True)
class Condition:
    predicate: Predicate
    window_months: int | None  # None: the whole history up to the evaluation date
    min_count: int
    max_count: int | None
    risk_levels: frozenset[RiskLevel]  # empty: every product
    each_product: bool  # the count must hold for each catalogued product at risk_levels
    evaluate: Evaluator = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        evaluate = compile_condition(
            self.predicate,
            self.window_months,
            self.min_count,
            self.max_count,
            frozenset(self.risk_levels),
            self.each_product,
        )
        object.__setattr__(self, "evaluate", evaluate)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    grade: Grade
    effect: Effect
    conditions: tuple[Condition, ...]  # alternatives: the rule holds if any one holds
    text_zh: str  # templates, see PLACEHOLDERS in ruleset_loader
    text_en: str
    unmet_text_zh: str | None  # requirements only: why the grade was not reached
    unmet_text_en: str | None
    basis: str | None  # legal/policy citation
    index: int  # position in the file; reasons are listed in this order
    evaluate: Evaluator = field(init=False, repr=False, compare=False, hash=False)
    # A cap triggers when its condition holds, a requirement when it does not.
    triggered_when_holds: bool = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        evaluate = compile_any_of(tuple(c.evaluate for c in self.conditions))
        object.__setattr__(self, "evaluate", evaluate)
        object.__setattr__(self, "triggered_when_holds", self.effect is Effect.CAP)

    @property
    def level(self) -> Grade:
        """The grade this rule pulls the result down to when it triggers."""
        if self.effect is Effect.CAP:
            return self.grade
        below = self.grade.below
        if below is None:
            raise RuleSetError(f"rule {self.id!r}: a requirement at C can never be unmet")
        return below


@dataclass(frozen=True)
class RuleSet:
    """A validated rule set. Build it with :func:`service.credit.ruleset_loader.load_ruleset`."""

    id: str
    title: str
    title_zh: str | None
    basis: str | None
    rules: tuple[Rule, ...]
    supervision: Mapping[Grade, SupervisionPolicy] = field(hash=False)
    origin: str = "<string>"
    # --- derived for the engine ---
    # (level, rules that can pull the grade down to it): worst level first, file order.
    levels: tuple[tuple[Grade, tuple[Rule, ...]], ...] = field(
        init=False, repr=False, compare=False
    )
    # The same, flattened to (rule index, evaluator, triggers-when-holds) for the hot loop.
    steps: tuple[tuple[Grade, tuple[tuple[int, Evaluator, bool], ...]], ...] = field(
        init=False, repr=False, compare=False
    )
    # Every window length used, so all window starts are computed once per date.
    windows: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # Per final grade: rules whose holding outcome explains it (caps at that grade,
    # requirements at or below it), and the requirements that explain it when unmet.
    cited_when_held: Mapping[Grade, tuple[Rule, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )
    cited_when_unmet: Mapping[Grade, tuple[Rule, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _plans: Mapping[tuple[Grade, RiskLevel | None], Supervision] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        rules, put = self.rules, object.__setattr__
        levels = ((g, tuple(r for r in rules if r.level is g)) for g in GRADES_WORST_FIRST[:-1])
        put(self, "levels", tuple((g, rs) for g, rs in levels if rs))
        put(
            self,
            "steps",
            tuple(
                (g, tuple((r.index, r.evaluate, r.triggered_when_holds) for r in rs))
                for g, rs in self.levels
            ),
        )
        windows = {c.window_months for r in rules for c in r.conditions}
        put(self, "windows", tuple(sorted(m for m in windows if m is not None)))
        held = {
            g: tuple(
                r
                for r in rules
                if (r.effect is Effect.CAP and r.grade is g)
                or (r.effect is Effect.REQUIRE and r.grade.rank <= g.rank)
            )
            for g in Grade
        }
        unmet = {
            g: tuple(r for r in rules if r.effect is Effect.REQUIRE and r.level is g) for g in Grade
        }
        put(self, "cited_when_held", MappingProxyType(held))
        put(self, "cited_when_unmet", MappingProxyType(unmet))
        plans: dict[tuple[Grade, RiskLevel | None], Supervision] = {}
        for grade, policy in self.supervision.items():
            for risk in (None, *RiskLevel):
                plans[grade, risk] = Supervision(
                    mode=policy.mode,
                    mode_zh=policy.mode_zh,
                    risk_level=risk,
                    inspections_per_year=policy.inspections_per_year[risk or RiskLevel.III],
                    key_supervised=policy.key_supervised,
                    accountability_interview=policy.accountability_interview,
                    rectification_required=policy.rectification_required,
                )
        put(self, "_plans", MappingProxyType(plans))

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def supervision_for(self, grade: Grade, risk_level: RiskLevel | None) -> Supervision:
        return self._plans[grade, risk_level]
