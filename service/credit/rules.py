"""The predicate catalog: the only Python a rule set can name.

Rule sets are data (``rulesets/*.toml``); each condition in them names one predicate
from :data:`PREDICATES`. A predicate reads either

* a **bucket** of facts — one record kind, or inspections by final result — optionally
  narrowed by a **fact test** ``(fact, start, end) -> bool``; the engine counts the
  facts within the condition's window (:mod:`service.credit.conditions`); or
* the dossier, through a **dossier test** ``(evidence) -> (count, record_ids)``, for what
  is a state at the evaluation date rather than an event in a window (a licence
  revoked, a case still open, a listing in force).

:func:`gather` fills the buckets once per evaluation with only the facts that count
(active status), counted on or before the evaluation date (``Fact.counted_on``: a penalty
from its decision, a complaint from its receipt) and, when replaying, were recorded by
``known_at``, so the tests only check what is specific to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from service.credit.dossier import Dossier, Fact, RecordKind
from service.credit.licences import is_certification
from service.credit.penalties import is_heavier

__all__ = [
    "FAILED",
    "PASSED",
    "PREDICATES",
    "REFUSED",
    "SAMPLED",
    "Evidence",
    "FactTest",
    "Predicate",
    "gather",
    "occurred_within",
]


# Buckets: the facts that count, sorted once per evaluation into what predicates read.
# Nine default rules read inspections, so inspections are also split by final result.
PASSED = "inspection/pass"
FAILED = "inspection/fail"
REFUSED = "inspection/refused"
SAMPLED = "inspection/sampled"  # pass or fail: an inspection that actually happened


@dataclass(slots=True)
class Evidence:
    """What the predicates read during one evaluation (built once per ``classify``)."""

    as_of: date
    dossier: Dossier
    # RecordKind value or one of the inspection buckets above -> facts
    buckets: dict[str, list[Fact]]
    # window length in months -> first day inside the window ending at as_of (read-only)
    starts: Mapping[int, date]


def gather(facts: Iterable[Fact], as_of: date, known_at: datetime | None) -> dict[str, list[Fact]]:
    """Bucket the facts that count at ``as_of`` (as known at ``known_at``, if given).

    Overturned, withdrawn and superseded facts never count (``Fact.counts``); neither do
    facts counted from after ``as_of`` (a penalty decided later, a complaint received
    later) or recorded after ``known_at``.
    """
    buckets: dict[str, list[Fact]] = {}
    for f in facts:
        if not f.counts or f.counted_on > as_of:
            continue
        if known_at is not None and f.recorded_at > known_at:
            continue
        kind = f.kind
        buckets.setdefault(kind, []).append(f)
        if kind is RecordKind.INSPECTION:
            result = _final_result(f.attrs)
            if result == "pass":
                buckets.setdefault(PASSED, []).append(f)
                buckets.setdefault(SAMPLED, []).append(f)
            elif result == "fail":
                buckets.setdefault(FAILED, []).append(f)
                buckets.setdefault(SAMPLED, []).append(f)
            elif f.attrs.get("refused"):
                buckets.setdefault(REFUSED, []).append(f)
    return buckets


FactTest = Callable[[Fact, date, date], bool]
DossierTest = Callable[[Evidence], tuple[int, Sequence[int]]]


@dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    description: str
    kind: RecordKind | None  # None: reads the dossier, not its records
    bucket: str | None = None  # which facts a fact test reads (default: the kind)
    # None with a bucket: membership of the bucket within the window is the whole test
    fact_test: FactTest | None = None
    dossier_test: DossierTest | None = None

    @property
    def windowed(self) -> bool:
        """Only event predicates take ``window_months``; states are read at the date."""
        return self.dossier_test is None

    @property
    def per_product(self) -> bool:
        """Only inspections carry ``product_category``, so only they filter by product."""
        return self.dossier_test is None and self.kind is RecordKind.INSPECTION


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
# ``end`` is the evaluation date. Facts reaching a test already have counted_on <= end,
# so tests keyed on counted_on only check the start of the window.


def occurred_within(f: Fact, start: date, end: date) -> bool:
    return f.counted_on >= start


def _national_or_provincial(f: Fact, start: date, end: date) -> bool:
    return f.counted_on >= start and f.attrs.get("level") in ("national", "provincial")


def _recheck_fail(f: Fact, start: date, end: date) -> bool:
    # Reads the FAILED bucket: 复查 (Art.47) follows rectification of a failure, and a
    # failure overturned on re-test (Art.42) starts none. The re-check is dated by when
    # it happened, which may be long after sampling — or after the evaluation date,
    # when it had not happened yet.
    a = f.attrs
    if a.get("recheck_result") == "fail":
        on = _date(a.get("recheck_on")) or f.occurred_on
        if start <= on <= end:
            return True
    if a.get("recheck2_result") == "fail":
        on = _date(a.get("recheck2_on")) or f.occurred_on
        if start <= on <= end:
            return True
    return False


# Penalties count from their decision (Fact.counted_on = decided_on): the conduct may be
# years older, and until decided there is no penalty (docs/legal.md counted-from-decision).
def _penalty_heavier(f: Fact, start: date, end: date) -> bool:
    return f.counted_on >= start and is_heavier(f.attrs)


def _penalty_other(f: Fact, start: date, end: date) -> bool:
    return f.counted_on >= start and not is_heavier(f.attrs)


def _police_referral(f: Fact, start: date, end: date) -> bool:
    # 移送公安 counts from the referral (referred_on, stored defaulting to decided_on),
    # which may fall after the decision — and after the evaluation date.
    if not f.attrs.get("police_referral"):
        return False
    on = _date(f.attrs.get("referred_on")) or f.counted_on
    return start <= on <= end


def _incident_major(f: Fact, start: date, end: date) -> bool:
    return f.counted_on >= start and f.attrs.get("severity") == "major"


def _incident_minor(f: Fact, start: date, end: date) -> bool:
    return f.counted_on >= start and f.attrs.get("severity") == "minor"


def _complaint_substantiated(f: Fact, start: date, end: date) -> bool:
    # counted_on = received_on: a complaint counts from when the channel received it
    return f.counted_on >= start and bool(f.attrs.get("substantiated"))


def _recall_refused_or_delayed_ordered(f: Fact, start: date, end: date) -> bool:
    # Order 44 Art.8 targets refusing/delaying an *ordered* recall; a voluntary recall
    # that runs late is the enterprise acting on its own initiative.
    a = f.attrs
    return (
        f.counted_on >= start and a.get("mode") == "ordered" and bool(a.get("refused_or_delayed"))
    )


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
    facts = ev.buckets.get(RecordKind.LICENCE)
    if not facts:
        return 0, []
    ids = [f.id for f in _latest_by(facts, "licence_type").values() if f.attrs.get("revoked")]
    return len(ids), ids


def _valid_certification(ev: Evidence) -> tuple[int, list[int]]:
    facts = ev.buckets.get(RecordKind.LICENCE)
    if not facts:
        return 0, []
    d = ev.as_of
    ids = []
    for f in facts:
        a = f.attrs
        # A certification (CCC, ISO 9001, …), not a production licence: service.credit.licences
        if a.get("revoked") or not is_certification(a.get("licence_type")):
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
    facts = ev.buckets.get(RecordKind.KEY_CASE)
    if not facts:
        return 0, []
    ids = [f.id for f in _latest_by(facts, "case_ref").values() if f.attrs.get("state") == "open"]
    return len(ids), ids


_I, _P = RecordKind.INSPECTION, RecordKind.PENALTY
_CATALOG: tuple[Predicate, ...] = (
    Predicate(
        "inspection_final_fail",
        "inspection whose final result (after any 复检 re-test, Order 18 Art.42) is fail",
        _I,
        FAILED,
    ),
    Predicate("inspection_pass", "inspection whose final result is pass", _I, PASSED),
    Predicate(
        "inspection_pass_national_or_provincial",
        "passed inspection by a national or provincial authority",
        _I,
        PASSED,
        _national_or_provincial,
    ),
    Predicate(
        "inspection_sampled",
        "inspection actually carried out (pass or fail; refused sampling excluded)",
        _I,
        SAMPLED,
    ),
    Predicate(
        "recheck_fail",
        "failed follow-up re-check (复查, Order 18 Art.47), dated by the re-check",
        _I,
        FAILED,
        _recheck_fail,
    ),
    Predicate("sampling_refused", "refused sampling (Order 18 Art.21)", _I, REFUSED),
    Predicate("penalty_any", "any administrative penalty, dated by its decision", _P),
    Predicate(
        "penalty_heavier",
        "heavier penalty (较重行政处罚, Order 44 Art.2), dated by its decision",
        _P,
        None,
        _penalty_heavier,
    ),
    Predicate(
        "penalty_other",
        "penalty that is not heavier, dated by its decision",
        _P,
        None,
        _penalty_other,
    ),
    Predicate(
        "police_referral",
        "penalty case referred to police (移送公安), dated by the referral",
        _P,
        None,
        _police_referral,
    ),
    Predicate(
        "incident_major",
        "major quality-safety incident",
        RecordKind.INCIDENT,
        None,
        _incident_major,
    ),
    Predicate(
        "incident_minor",
        "minor quality-safety incident",
        RecordKind.INCIDENT,
        None,
        _incident_minor,
    ),
    Predicate(
        "complaint_substantiated",
        "substantiated complaint, dated by its receipt",
        RecordKind.COMPLAINT,
        None,
        _complaint_substantiated,
    ),
    Predicate(
        "recall_refused_or_delayed_ordered",
        "ordered recall refused or delayed (Order 44 Art.8)",
        RecordKind.RECALL,
        None,
        _recall_refused_or_delayed_ordered,
    ),
    Predicate("commendation", "commendation or award", RecordKind.COMMENDATION),
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
        "certification (CCC, ISO 9001, product or food-safety-system certification; not a "
        "production licence) not revoked and valid at the evaluation date",
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
