"""The CPU half of a recompute: raw rows of one chunk in, the rows to write out.

No database and no event loop here, so a chunk is classified in a worker thread while
the event loop reads the next one. The rule set and product risks are prepared once per
run (:func:`make_context`), not per chunk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson

from service.credit.classification import (
    RuleSet,
    Supervision,
    builtin_rulesets,
    classify,
    load_ruleset,
)
from service.credit.dossier import Dossier, Fact, RecordKind, RecordStatus, RiskLevel
from service.store import gcpause
from service.store.grading import dossiers
from service.store.grading import regrade as grading

_KINDS: Mapping[str, RecordKind] = {k.value: k for k in RecordKind}
_DATE_FIELDS = dossiers.DATE_FIELDS
_ACTIVE = RecordStatus.ACTIVE


@dataclass(slots=True)
class RawChunk:
    """One chunk as read. Rows are tuple-like (driver records); JSON is text (PostgreSQL)
    or already decoded (SQLite)."""

    # (code, region_code, products, stored enterprise.grade), ordered by code
    enterprises: Sequence[Any]
    # (id, code, kind, occurred_on, recorded_at, data) of active records occurred by today
    records: Sequence[Any]
    listings: dict[str, list[int]]  # code -> blacklist entries in force
    # code -> (grade, ruleset, reasons, supervision, computed_at) as stored
    current: Mapping[str, Sequence[Any]]

    @property
    def codes(self) -> list[str]:
        return [e[0] for e in self.enterprises]


@dataclass(slots=True)
class Write:
    code: str
    region_code: str
    grade: str
    ruleset: str
    reasons: list[dict[str, Any]]
    supervision: dict[str, Any]
    previous: str | None  # grade stored before; None: no classification row yet
    event: dict[str, Any]  # grade.changed event data (used when the grade changed)


@dataclass(slots=True)
class Evaluated:
    writes: list[Write] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # enterprise.grade out of step


@dataclass(slots=True)
class Context:
    """What every chunk of one run is evaluated with."""

    ruleset: RuleSet
    risks: dict[str, RiskLevel]
    plans: dict[Supervision, dict[str, Any]] = field(default_factory=dict)


def make_context(ruleset_id: str, body: str | None, risks: Mapping[str, str]) -> Context:
    """The rule set (built-in by id, or the published ``body``) and product risks."""
    ruleset = builtin_rulesets()[ruleset_id] if body is None else load_ruleset(body)
    return Context(ruleset, {code: RiskLevel(level) for code, level in risks.items()})


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str) else value


def _attrs(data: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = orjson.loads(data) if isinstance(data, str) else dict(data)
    for key in _DATE_FIELDS.intersection(attrs):
        value = attrs[key]
        if isinstance(value, str):
            attrs[key] = date.fromisoformat(value)
    return attrs


def facts_by_code(
    records: Sequence[tuple[int, str, str, date, datetime, Any]],
) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = defaultdict(list)
    kinds = _KINDS
    for rid, code, kind, occurred_on, recorded_at, data in records:
        out[code].append(Fact(rid, kinds[kind], occurred_on, recorded_at, _ACTIVE, _attrs(data)))
    return out


def evaluate(chunk: RawChunk, today: date, ctx: Context) -> Evaluated:
    """Classify every enterprise of the chunk at ``today``; keep only what differs from
    what is stored (grade, rule set, reasons or plan)."""
    # A chunk allocates ~10 objects per record and frees them all together: the cyclic
    # GC finds nothing to collect, yet its passes cost a quarter of the time.
    with gcpause.paused():
        return _evaluate(chunk, today, ctx)


def _evaluate(chunk: RawChunk, today: date, ctx: Context) -> Evaluated:
    ruleset, risks, plans = ctx.ruleset, ctx.risks, ctx.plans
    facts = facts_by_code(chunk.records)
    listings, current = chunk.listings, chunk.current
    out = Evaluated()
    for code, region_code, raw_products, ent_grade in chunk.enterprises:
        products = _json(raw_products) or ()
        dossier = Dossier(
            code=code,
            facts=tuple(facts.get(code, ())),
            product_risks={p: risks[p] for p in products if p in risks},
            active_listing_ids=tuple(sorted(listings.get(code, ()))),
        )
        result = classify(dossier, today, ruleset)
        grade = result.grade.value
        reasons = grading.reasons_json(result)
        supervision = plans.get(result.supervision)
        if supervision is None:  # a handful of distinct plans per rule set
            supervision = plans[result.supervision] = grading.supervision_json(result)
        cur = current.get(code)
        if (
            cur is None
            or cur[0] != grade
            or cur[1] != result.ruleset
            or _json(cur[2]) != reasons
            or _json(cur[3]) != supervision
        ):
            previous = cur[0] if cur else None
            out.writes.append(
                Write(
                    code,
                    region_code,
                    grade,
                    result.ruleset,
                    reasons,
                    supervision,
                    previous,
                    grading.grade_event(previous, result, reasons),
                )
            )
            if previous != grade:
                continue  # a change of grade sets enterprise.grade with its history row
        if ent_grade != grade:
            # enterprise.grade out of step with the stored class: put it back in step
            out.repairs.append(code)
    return out
