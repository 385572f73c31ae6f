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
    # Decoded JSON by its text. Few distinct texts recur across a million rows (a passed
    # inspection's data is one of a few hundred; an enterprise's products one of a few
    # dozen lists; a stored plan one of a dozen), and a dict lookup costs a fraction of
    # decoding, date parsing and building the dict again. The values are shared and never
    # mutated (the rules read attrs as a Mapping).
    attrs: dict[str, dict[str, Any]] = field(default_factory=dict)
    product_risks: dict[Any, dict[str, RiskLevel]] = field(default_factory=dict)
    stored_plans: dict[str, Any] = field(default_factory=dict)


def make_context(ruleset_id: str, body: str | None, risks: Mapping[str, str]) -> Context:
    """The rule set (built-in by id, or the published ``body``) and product risks."""
    ruleset = builtin_rulesets()[ruleset_id] if body is None else load_ruleset(body)
    return Context(ruleset, {code: RiskLevel(level) for code, level in risks.items()})


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str) else value


# Bounds each cache of :class:`Context`, should unique texts come to be cached.
_CACHE_LIMIT = 20_000


def _attrs(data: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = orjson.loads(data) if isinstance(data, str) else dict(data)
    for key in _DATE_FIELDS.intersection(attrs):
        value = attrs[key]
        if isinstance(value, str):
            attrs[key] = date.fromisoformat(value)
    return attrs


def facts_by_code(
    records: Sequence[tuple[int, str, str, date, datetime, Any]],
    cache: dict[str, dict[str, Any]] | None = None,
) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = defaultdict(list)
    kinds = _KINDS
    if cache is None:
        cache = {}
    get = cache.get
    for rid, code, kind, occurred_on, recorded_at, data in records:
        attrs = get(data) if type(data) is str else None
        if attrs is None:
            attrs = _attrs(data)
            # Data with dates (a failure's notice and re-check) is nearly always unique:
            # only dateless data recurs, and only it is kept.
            if type(data) is str and not _DATE_FIELDS.intersection(attrs):
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[data] = attrs
        out[code].append(Fact(rid, kinds[kind], occurred_on, recorded_at, _ACTIVE, attrs))
    return out


def _product_risks(raw: Any, ctx: Context) -> dict[str, RiskLevel]:
    key = raw if raw is None or isinstance(raw, str) else orjson.dumps(raw)
    found = ctx.product_risks.get(key)
    if found is None:
        risks = ctx.risks
        found = {p: risks[p] for p in (_json(raw) or ()) if p in risks}
        if len(ctx.product_risks) >= _CACHE_LIMIT:
            ctx.product_risks.clear()
        ctx.product_risks[key] = found
    return found


def _stored_plan(raw: Any, ctx: Context) -> Any:
    if not isinstance(raw, str):
        return raw
    found = ctx.stored_plans.get(raw)
    if found is None:
        if len(ctx.stored_plans) >= _CACHE_LIMIT:
            ctx.stored_plans.clear()
        found = ctx.stored_plans[raw] = orjson.loads(raw)
    return found


def evaluate(chunk: RawChunk, today: date, ctx: Context) -> Evaluated:
    """Classify every enterprise of the chunk at ``today``; keep only what differs from
    what is stored (grade, rule set, reasons or plan)."""
    # A chunk allocates ~10 objects per record and frees them all together: the cyclic
    # GC finds nothing to collect, yet its passes cost a quarter of the time.
    with gcpause.paused():
        return _evaluate(chunk, today, ctx)


def _evaluate(chunk: RawChunk, today: date, ctx: Context) -> Evaluated:
    ruleset, plans = ctx.ruleset, ctx.plans
    facts = facts_by_code(chunk.records, ctx.attrs)
    listings, current = chunk.listings, chunk.current
    out = Evaluated()
    no_facts: tuple[Fact, ...] = ()
    for code, region_code, raw_products, ent_grade in chunk.enterprises:
        found = facts.get(code)
        listed = listings.get(code)
        dossier = Dossier(
            code=code,
            facts=tuple(found) if found else no_facts,
            product_risks=_product_risks(raw_products, ctx),
            active_listing_ids=tuple(sorted(listed)) if listed else (),
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
            or _stored_plan(cur[3], ctx) != supervision
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
