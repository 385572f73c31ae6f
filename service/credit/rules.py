"""The predicate catalog: the only Python a rule set can name.

Rule sets are data (``rulesets/*.toml``); each condition in them names one predicate
from :data:`PREDICATES`. A predicate is either

* a **fact test** ``(fact, start, end) -> bool`` over the facts of one kind, which the
  engine applies within a window ``[start, end]`` and counts; or
* a **dossier test** ``(evidence) -> (count, record_ids)`` for things that are a state at
  the evaluation date rather than events in a window (a licence revoked, a case still
  open, a listing in force).

Fact tests only ever see facts that count (active status), occurred on or before the
evaluation date and, when replaying, were known at ``known_at`` — the engine filters
those once, so tests only check what is specific to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from service.credit.dossier import Dossier, Fact, RecordKind

__all__ = [
    "PREDICATES",
    "Evaluator",
    "Evidence",
    "Outcome",
    "Predicate",
    "compile_any_of",
    "compile_condition",
]


@dataclass(slots=True)
class Evidence:
    """What the predicates read during one evaluation (built once per ``classify``)."""

    as_of: date
    dossier: Dossier
    by_kind: dict[RecordKind, list[Fact]]
    # window length in months -> first day inside the window ending at as_of (read-only)
    starts: Mapping[int, date]


FactTest = Callable[[Fact, date, date], bool]
DossierTest = Callable[[Evidence], tuple[int, Sequence[int]]]
# (holds, matched record ids, count, product categories for the reason text)
Outcome = tuple[bool, Sequence[int], int, tuple[str, ...]]
Evaluator = Callable[[Evidence], Outcome]


@dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    description: str
    kind: RecordKind | None  # None: reads the dossier, not its records
    fact_test: FactTest | None = None
    dossier_test: DossierTest | None = None

    @property
    def windowed(self) -> bool:
        """Only event predicates take ``window_months``; states are read at the date."""
        return self.fact_test is not None

    @property
    def per_product(self) -> bool:
        """Only inspections carry ``product_category``, so only they filter by product."""
        return self.fact_test is not None and self.kind is RecordKind.INSPECTION


def _date(value: object) -> date | None:
    # The dossier contract says dates are ``date``; tolerate ISO strings so one badly
    # typed row cannot abort a million-enterprise recompute with a TypeError.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _final_result(attrs: Mapping[str, object]) -> object:
    """The inspection result that stands: 复检 (re-test) is final — Order 18 Art.42."""
    if attrs.get("refused"):
        # Refused sampling (Order 18 Art.21) produced no sample, hence no result.
        return None
    retest = attrs.get("retest_result")
    return attrs.get("result") if retest is None else retest


# --- fact tests ---------------------------------------------------------------------------
# ``end`` is the evaluation date. Facts reaching a test already have occurred_on <= end,
# so tests keyed on occurred_on only check the start of the window.


def _inspection_final_fail(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and _final_result(f.attrs) == "fail"


def _inspection_pass(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and _final_result(f.attrs) == "pass"


def _inspection_pass_national_or_provincial(f: Fact, start: date, end: date) -> bool:
    return (
        f.occurred_on >= start
        and _final_result(f.attrs) == "pass"
        and f.attrs.get("level") in ("national", "provincial")
    )


def _inspection_sampled(f: Fact, start: date, end: date) -> bool:
    # A refused or still-pending sampling is not evidence of anything.
    return f.occurred_on >= start and _final_result(f.attrs) in ("pass", "fail")


def _recheck_fail(f: Fact, start: date, end: date) -> bool:
    a = f.attrs
    # 复查 (Art.47) follows rectification of a failure; a failure overturned on re-test
    # (Art.42) starts no rectification, so a recheck on it is inconsistent data.
    if _final_result(a) != "fail":
        return False
    # The re-check is dated by when it happened, which may be long after sampling and
    # may lie after the evaluation date (then it had not happened yet).
    if a.get("recheck_result") == "fail":
        on = _date(a.get("recheck_on")) or f.occurred_on
        if start <= on <= end:
            return True
    if a.get("recheck2_result") == "fail":
        on = _date(a.get("recheck2_on")) or f.occurred_on
        if start <= on <= end:
            return True
    return False


def _sampling_refused(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and bool(f.attrs.get("refused"))


def _penalty_any(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start


def _penalty_heavier(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and bool(f.attrs.get("heavier"))


def _penalty_other(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and not f.attrs.get("heavier")


def _police_referral(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and bool(f.attrs.get("police_referral"))


def _incident_major(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and f.attrs.get("severity") == "major"


def _incident_minor(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and f.attrs.get("severity") == "minor"


def _complaint_substantiated(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start and bool(f.attrs.get("substantiated"))


def _recall_refused_or_delayed_ordered(f: Fact, start: date, end: date) -> bool:
    # Order 44 Art.8 targets refusing/delaying an *ordered* recall; a voluntary recall
    # that runs late is the enterprise acting on its own initiative.
    a = f.attrs
    return (
        f.occurred_on >= start and a.get("mode") == "ordered" and bool(a.get("refused_or_delayed"))
    )


def _commendation(f: Fact, start: date, end: date) -> bool:
    return f.occurred_on >= start


# --- dossier tests ------------------------------------------------------------------------


def _sort_key(f: Fact) -> tuple[date, datetime, int]:
    # "Later" for state records: by when it happened, then when it was recorded, then id,
    # so the answer never depends on the order facts arrive in.
    return (f.occurred_on, f.recorded_at, f.id)


def _active_blacklist(ev: Evidence) -> tuple[int, list[int]]:
    # Listings are not dossier records; their ids go into the reason text, not record_ids.
    return len(ev.dossier.active_listing_ids), []


def _latest_by(facts: list[Fact], key: str) -> dict[object, Fact]:
    latest: dict[object, Fact] = {}
    for f in facts:
        k = f.attrs.get(key)
        cur = latest.get(k)
        if cur is None or _sort_key(f) > _sort_key(cur):
            latest[k] = f
    return latest


def _licence_revoked(ev: Evidence) -> tuple[int, list[int]]:
    # A revocation stands until a later non-revoked record of the same licence type
    # (re-issue) supersedes it: the latest record per type decides.
    facts = ev.by_kind.get(RecordKind.LICENCE)
    if not facts:
        return 0, []
    ids = [f.id for f in _latest_by(facts, "licence_type").values() if f.attrs.get("revoked")]
    return len(ids), ids


def _valid_certification(ev: Evidence) -> tuple[int, list[int]]:
    facts = ev.by_kind.get(RecordKind.LICENCE)
    if not facts:
        return 0, []
    d = ev.as_of
    ids = []
    for f in facts:
        a = f.attrs
        if a.get("revoked"):
            continue
        valid_from, valid_to = _date(a.get("valid_from")), _date(a.get("valid_to"))
        if valid_from is None or valid_to is None or not valid_from <= d <= valid_to:
            continue
        # A later revocation of the same licence type ends the certificate early.
        lt, key = a.get("licence_type"), _sort_key(f)
        if any(
            g.attrs.get("revoked") and g.attrs.get("licence_type") == lt and _sort_key(g) > key
            for g in facts
        ):
            continue
        ids.append(f.id)
    return len(ids), ids


def _key_case_open(ev: Evidence) -> tuple[int, list[int]]:
    # Records of one case share ``case_ref``; the latest record of each case decides
    # (a later "closed" ends an "open"). Records without a case_ref form one case.
    facts = ev.by_kind.get(RecordKind.KEY_CASE)
    if not facts:
        return 0, []
    ids = [f.id for f in _latest_by(facts, "case_ref").values() if f.attrs.get("state") == "open"]
    return len(ids), ids


_I = RecordKind.INSPECTION
_CATALOG: tuple[Predicate, ...] = (
    Predicate(
        "inspection_final_fail",
        "inspection whose final result (after any 复检 re-test) is fail",
        _I,
        _inspection_final_fail,
    ),
    Predicate("inspection_pass", "inspection whose final result is pass", _I, _inspection_pass),
    Predicate(
        "inspection_pass_national_or_provincial",
        "passed inspection by a national or provincial authority",
        _I,
        _inspection_pass_national_or_provincial,
    ),
    Predicate(
        "inspection_sampled",
        "inspection actually carried out (pass or fail; refused sampling excluded)",
        _I,
        _inspection_sampled,
    ),
    Predicate(
        "recheck_fail",
        "failed follow-up re-check (复查, Order 18 Art.47), dated by the re-check",
        _I,
        _recheck_fail,
    ),
    Predicate("sampling_refused", "refused sampling (Order 18 Art.21)", _I, _sampling_refused),
    Predicate("penalty_any", "any administrative penalty", RecordKind.PENALTY, _penalty_any),
    Predicate(
        "penalty_heavier", "heavier penalty (较重行政处罚)", RecordKind.PENALTY, _penalty_heavier
    ),
    Predicate("penalty_other", "penalty not flagged heavier", RecordKind.PENALTY, _penalty_other),
    Predicate(
        "police_referral", "penalty case referred to police", RecordKind.PENALTY, _police_referral
    ),
    Predicate(
        "incident_major", "major quality-safety incident", RecordKind.INCIDENT, _incident_major
    ),
    Predicate(
        "incident_minor", "minor quality-safety incident", RecordKind.INCIDENT, _incident_minor
    ),
    Predicate(
        "complaint_substantiated",
        "substantiated complaint",
        RecordKind.COMPLAINT,
        _complaint_substantiated,
    ),
    Predicate(
        "recall_refused_or_delayed_ordered",
        "ordered recall refused or delayed (Order 44 Art.8)",
        RecordKind.RECALL,
        _recall_refused_or_delayed_ordered,
    ),
    Predicate("commendation", "commendation or award", RecordKind.COMMENDATION, _commendation),
    Predicate(
        "active_blacklist",
        "listing on the serious-dishonesty blacklist in force (Order 44)",
        None,
        dossier_test=_active_blacklist,
    ),
    Predicate(
        "licence_revoked",
        "licence whose latest record for its type is a revocation",
        RecordKind.LICENCE,
        dossier_test=_licence_revoked,
    ),
    Predicate(
        "valid_certification",
        "licence/certification not revoked and valid at the evaluation date",
        RecordKind.LICENCE,
        dossier_test=_valid_certification,
    ),
    Predicate(
        "key_case_open",
        "key case (挂牌督办) whose latest record is open",
        RecordKind.KEY_CASE,
        dossier_test=_key_case_open,
    ),
)

PREDICATES: Mapping[str, Predicate] = {p.name: p for p in _CATALOG}


# --- compiling conditions -----------------------------------------------------------------
# A recompute classifies every enterprise, so each condition is turned into one closure at
# load time: per call it only touches the facts of its own kind.

_NO_IDS: tuple[int, ...] = ()


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

    test, kind, months = predicate.fact_test, predicate.kind, window_months
    assert test is not None and kind is not None
    empty: Outcome = ((lo == 0), _NO_IDS, 0, ())

    if each_product:

        def each(ev: Evidence) -> Outcome:
            facts = ev.by_kind.get(kind) or _NO_FACTS
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

    if risk_levels:

        def filtered(ev: Evidence) -> Outcome:
            facts = ev.by_kind.get(kind)
            if not facts:
                return empty
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

    def plain(ev: Evidence) -> Outcome:
        facts = ev.by_kind.get(kind)
        if not facts:
            return empty
        start = date.min if months is None else ev.starts[months]
        end = ev.as_of
        ids = [f.id for f in facts if test(f, start, end)]
        n = len(ids)
        return (n >= lo and (hi is None or n <= hi)), ids, n, ()

    return plain


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


_NO_FACTS: list[Fact] = []
