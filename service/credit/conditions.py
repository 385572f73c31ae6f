"""Compile rule-set conditions into closures the engine calls per dossier.

A recompute classifies every enterprise, so each condition of a rule set is turned into
one closure when the rule set is loaded: per call it touches only the facts of its own
bucket, with its window start looked up, not computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from service.credit.dossier import Fact
from service.credit.rules import Evidence, FactTest, Predicate, occurred_within

__all__ = ["Evaluator", "Outcome", "compile_any_of", "compile_condition"]

# (holds, matched record ids, count, product categories for the reason text)
Outcome = tuple[bool, Sequence[int], int, tuple[str, ...]]
Evaluator = Callable[[Evidence], Outcome]

_NO_IDS: tuple[int, ...] = ()
_NO_FACTS: list[Fact] = []


def compile_condition(
    predicate: Predicate,
    window_months: int | None,
    min_count: int,
    max_count: int | None,
    risk_levels: frozenset[str],
    each_product: bool,
) -> Evaluator:
    lo, hi = min_count, max_count
    if predicate.dossier_test is not None:
        dossier_test = predicate.dossier_test

        def state(ev: Evidence) -> Outcome:
            n, ids = dossier_test(ev)
            return (n >= lo and (hi is None or n <= hi)), ids, n, ()

        return state

    bucket, months = predicate.bucket or predicate.kind, window_months
    assert bucket is not None
    test = predicate.fact_test
    empty: Outcome = ((lo == 0), _NO_IDS, 0, ())

    if each_product or risk_levels:
        return _compile_per_product(
            test or occurred_within, bucket, months, lo, hi, risk_levels, each_product
        )

    if test is None:
        # Bucket membership is the test: only the window is left to check.
        def in_window(ev: Evidence) -> Outcome:
            facts = ev.buckets.get(bucket)
            if not facts:
                return empty
            start = date.min if months is None else ev.starts[months]
            ids = [f.id for f in facts if f.counted_on >= start]
            n = len(ids)
            return (n >= lo and (hi is None or n <= hi)), ids, n, ()

        return in_window

    def tested(ev: Evidence) -> Outcome:
        facts = ev.buckets.get(bucket)
        if not facts:
            return empty
        start = date.min if months is None else ev.starts[months]
        end = ev.as_of
        ids = [f.id for f in facts if test(f, start, end)]
        n = len(ids)
        return (n >= lo and (hi is None or n <= hi)), ids, n, ()

    return tested


def _compile_per_product(
    test: FactTest,
    bucket: str,
    months: int | None,
    lo: int,
    hi: int | None,
    risk_levels: frozenset[str],
    each_product: bool,
) -> Evaluator:
    if each_product:

        def each(ev: Evidence) -> Outcome:
            facts = ev.buckets.get(bucket) or _NO_FACTS
            start = date.min if months is None else ev.starts[months]
            end = ev.as_of
            # Sorted so the outcome and the text never depend on dict order.
            categories = sorted(k for k, v in ev.dossier.product_risks.items() if v in risk_levels)
            ids: list[int] = []
            missing: list[str] = []
            for category in categories:
                matched = [
                    f.id
                    for f in facts
                    if f.attrs.get("product_category") == category and test(f, start, end)
                ]
                n = len(matched)
                if n < lo or (hi is not None and n > hi):
                    missing.append(category)
                ids.extend(matched)
            # Without such products it holds vacuously (it is about products the
            # enterprise has); the empty category tuple marks that for the reasons.
            return not missing, ids, len(ids), tuple(missing or categories)

        return each

    def filtered(ev: Evidence) -> Outcome:
        facts = ev.buckets.get(bucket) or _NO_FACTS
        start = date.min if months is None else ev.starts[months]
        end, risks = ev.as_of, ev.dossier.product_risks
        ids = [
            f.id
            for f in facts
            if risks.get(f.attrs.get("product_category")) in risk_levels  # type: ignore[call-overload]
            and test(f, start, end)
        ]
        n = len(ids)
        return (n >= lo and (hi is None or n <= hi)), ids, n, ()

    return filtered


def compile_any_of(evaluators: tuple[Evaluator, ...]) -> Evaluator:
    if len(evaluators) == 1:
        return evaluators[0]

    def any_of(ev: Evidence) -> Outcome:
        # The first alternative that holds explains the rule; if none does, every record
        # any of them looked at belongs to the explanation.
        outcomes = []
        for evaluate in evaluators:
            outcome = evaluate(ev)
            if outcome[0]:
                return outcome
            outcomes.append(outcome)
        ids = sorted({i for o in outcomes for i in o[1]})
        return False, ids, outcomes[0][2], outcomes[0][3]

    return any_of
