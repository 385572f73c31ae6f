"""Builders and hypothesis strategies for dossier facts, reusable across unit tests.

Builders (``inspection(...)``, ``penalty(...)`` …) make one ``Fact`` with the contract's
attribute names. Strategies generate consistent records: ``facts()``, ``negative_facts()``
(records that can only worsen a grade), ``dossiers()``, and ``dated_dossiers()`` — a
dossier with an evaluation date its records cluster around, so every window and grade
comes up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import strategies as st

from service.credit.dossier import Dossier, Fact, RecordKind, RecordStatus, RiskLevel
from service.credit.penalties import PENALTY_TYPES

AS_OF = date(2024, 6, 15)  # a default evaluation date for tests
EARLIEST = date(2018, 1, 1)
LATEST = date(2025, 12, 31)
CATEGORIES = ("dairy", "liquor", "cement", "cable", "toys")
CODE = "91210100000123457K"


def at(day: date, hour: int = 12) -> datetime:
    """A UTC timestamp on ``day`` (records are stored with aware timestamps)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def fact(id: int, kind: RecordKind, occurred_on: date, **attrs: object) -> Fact:
    """One active fact recorded at noon of ``occurred_on``; the keywords ``status`` and
    ``recorded_at`` set those fields, every other keyword is a contract attribute."""
    status = attrs.pop("status", RecordStatus.ACTIVE)
    recorded_at = attrs.pop("recorded_at", None) or at(occurred_on)
    assert isinstance(status, RecordStatus) and isinstance(recorded_at, datetime)
    return Fact(id, kind, occurred_on, recorded_at, status, attrs)


def inspection(
    id: int,
    on: date,
    result: str | None = "pass",
    *,
    category: str = "cement",
    level: str = "municipal",
    **attrs: object,
) -> Fact:
    return fact(
        id,
        RecordKind.INSPECTION,
        on,
        product_category=category,
        level=level,
        result=result,
        **attrs,
    )


def penalty(id: int, on: date, **attrs: object) -> Fact:
    attrs.setdefault("heavier", False)
    attrs.setdefault("police_referral", False)
    return fact(id, RecordKind.PENALTY, on, **attrs)


def complaint(id: int, on: date, substantiated: bool = True, **attrs: object) -> Fact:
    return fact(id, RecordKind.COMPLAINT, on, substantiated=substantiated, **attrs)


def incident(id: int, on: date, severity: str = "minor", **attrs: object) -> Fact:
    return fact(id, RecordKind.INCIDENT, on, severity=severity, **attrs)


def recall(
    id: int, on: date, mode: str = "ordered", refused_or_delayed: bool = True, **attrs: object
) -> Fact:
    return fact(
        id, RecordKind.RECALL, on, mode=mode, refused_or_delayed=refused_or_delayed, **attrs
    )


def commendation(id: int, on: date, title: str = "省长质量奖", **attrs: object) -> Fact:
    return fact(id, RecordKind.COMMENDATION, on, title=title, **attrs)


def licence(
    id: int,
    on: date,
    *,
    licence_type: str = "production_licence",
    valid_from: date | None = None,
    valid_to: date | None = None,
    revoked: bool = False,
    **attrs: object,
) -> Fact:
    return fact(
        id,
        RecordKind.LICENCE,
        on,
        licence_type=licence_type,
        valid_from=valid_from or on,
        valid_to=valid_to or on.replace(year=on.year + 5),
        revoked=revoked,
        **attrs,
    )


def key_case(id: int, on: date, state: str = "open", **attrs: object) -> Fact:
    return fact(id, RecordKind.KEY_CASE, on, state=state, **attrs)


def dossier(
    *facts: Fact,
    risks: Mapping[str, RiskLevel] | None = None,
    listings: tuple[int, ...] = (),
) -> Dossier:
    return Dossier(CODE, tuple(facts), dict(risks or {}), listings)


def is_negative(f: Fact) -> bool:
    """A record that can only make a grade worse under aqsiq-2012-v1.

    A failed inspection is negative only if the failure stands (no passing 复检 re-test);
    refused sampling is negative; passes, commendations and licences are not (they can
    lift a grade), and neither is a closed key case.
    """
    a = f.attrs
    match f.kind:
        case RecordKind.INSPECTION:
            retest = a.get("retest_result")
            final = a.get("result") if retest is None else retest
            return bool(a.get("refused")) or final == "fail"
        case RecordKind.PENALTY | RecordKind.INCIDENT:
            return True
        case RecordKind.COMPLAINT:
            return bool(a.get("substantiated"))
        case RecordKind.RECALL:
            return a.get("mode") == "ordered" and bool(a.get("refused_or_delayed"))
        case RecordKind.KEY_CASE:
            return a.get("state") == "open"
    return False


# --- strategies ---------------------------------------------------------------------------

dates = st.dates(min_value=EARLIEST, max_value=LATEST)
as_of_dates = st.dates(min_value=date(2019, 1, 1), max_value=LATEST)
categories = st.sampled_from(CATEGORIES)
levels = st.sampled_from(("national", "provincial", "municipal", "county"))
risk_levels = st.sampled_from(RiskLevel)
# Mostly active, so that generated dossiers say something.
statuses = st.sampled_from(
    (RecordStatus.ACTIVE,) * 6
    + (RecordStatus.OVERTURNED, RecordStatus.WITHDRAWN, RecordStatus.SUPERSEDED)
)


def dates_around(as_of: date) -> st.SearchStrategy[date]:
    """Dates that exercise every window at ``as_of``: four years back, a little ahead,
    with the last two years (where most rules look) drawn more often."""
    return st.one_of(
        st.dates(min_value=as_of - timedelta(days=730), max_value=as_of),
        st.dates(min_value=as_of - timedelta(days=4 * 366), max_value=as_of + timedelta(days=60)),
    )


def _later(draw: st.DrawFn, on: date) -> date:
    return on + timedelta(days=draw(st.integers(30, 400)))


def _inspection_attrs(draw: st.DrawFn, on: date, negative: bool) -> dict[str, object]:
    """Consistent inspection fields: a pass has no re-test (Order 18 Art.42); only a
    failure that stands has re-checks (复查 follows rectification, Art.47), dated after
    the sampling; refused sampling (Art.21) has no result."""
    category, level = draw(categories), draw(levels)
    if draw(st.integers(0, 9)) == 0:
        return {"product_category": category, "level": level, "refused": True, "result": None}
    if negative:
        result, retest = "fail", draw(st.sampled_from((None, "fail")))
    else:
        result = draw(st.sampled_from(("pass", "pass", "fail")))
        retest = None if result == "pass" else draw(st.sampled_from((None, "pass", "fail")))
    attrs: dict[str, object] = {
        "product_category": category,
        "level": level,
        "result": result,
        "retest_result": retest,
        "refused": False,
    }
    if result == "fail" and retest != "pass":
        outcomes = st.sampled_from((None, "pass", "fail"))
        attrs["recheck_result"] = draw(outcomes)
        attrs["recheck_on"] = draw(st.none() | st.just(_later(draw, on)))
        attrs["recheck2_result"] = draw(outcomes)
        attrs["recheck2_on"] = draw(st.none() | st.just(_later(draw, on) + timedelta(days=90)))
    return attrs


def _attrs(draw: st.DrawFn, kind: RecordKind, on: date, negative: bool) -> dict[str, object]:
    """Contract fields for ``kind``; ``negative`` restricts them to grade-worsening ones."""
    flag = st.just(True) if negative else st.booleans()
    match kind:
        case RecordKind.INSPECTION:
            return _inspection_attrs(draw, on, negative)
        case RecordKind.PENALTY:
            types = st.sampled_from(PENALTY_TYPES)
            return {
                "heavier": draw(st.booleans()),
                "police_referral": draw(st.booleans()),
                "penalty_types": draw(st.lists(types, max_size=2, unique=True)),
            }
        case RecordKind.COMPLAINT:
            return {"substantiated": draw(flag)}
        case RecordKind.INCIDENT:
            return {"severity": draw(st.sampled_from(("minor", "major")))}
        case RecordKind.RECALL:
            mode = st.just("ordered") if negative else st.sampled_from(("voluntary", "ordered"))
            return {"mode": draw(mode), "refused_or_delayed": draw(flag)}
        case RecordKind.COMMENDATION:
            return {"title": "质量奖"}
        case RecordKind.LICENCE:
            valid_from = on + timedelta(days=draw(st.integers(-30, 30)))
            return {
                "licence_type": draw(
                    st.sampled_from(("production_licence", "ccc", "iso9001", "other"))
                ),
                "valid_from": valid_from,
                "valid_to": valid_from + timedelta(days=draw(st.integers(0, 2000))),
                "revoked": draw(st.integers(0, 5)) == 0,
            }
        case RecordKind.KEY_CASE:
            state = st.just("open") if negative else st.sampled_from(("open", "closed"))
            return {"state": draw(state), "case_ref": draw(st.sampled_from((None, "K1", "K2")))}
        case RecordKind.MONITORING | RecordKind.INJURY:
            # 风险监测 / 产品伤害监测: never counted for the class, whatever they found
            found = draw(st.booleans())
            return {
                "product_category": draw(categories),
                "hazard_found": found,
                "severity": draw(st.sampled_from(("low", "high"))) if found else "none",
            }
    raise AssertionError(kind)


# Inspections dominate real dossiers; weight them so grades above B get generated.
_KINDS = (RecordKind.INSPECTION,) * 5 + tuple(RecordKind)
_NEGATIVE_KINDS = (
    RecordKind.INSPECTION,
    RecordKind.PENALTY,
    RecordKind.INCIDENT,
    RecordKind.RECALL,
    RecordKind.COMPLAINT,
    RecordKind.KEY_CASE,
)


@st.composite
def facts(
    draw: st.DrawFn,
    kind: RecordKind | None = None,
    *,
    on: st.SearchStrategy[date] = dates,
    negative: bool = False,
) -> Fact:
    """A fact (of ``kind`` if given) with consistent contract attrs, dated by ``on``.

    ``negative=True`` gives only active records that can only worsen a grade (see
    :func:`is_negative`). The id is 0: ``dossiers()`` numbers facts; number them
    yourself when using facts alone.
    """
    if kind is None:
        kind = draw(st.sampled_from(_NEGATIVE_KINDS if negative else _KINDS))
    occurred_on = draw(on)
    delay = timedelta(days=draw(st.integers(0, 400)), hours=draw(st.integers(0, 23)))
    return Fact(
        id=0,
        kind=kind,
        occurred_on=occurred_on,
        recorded_at=at(occurred_on, 0) + delay,
        status=RecordStatus.ACTIVE if negative else draw(statuses),
        attrs=_attrs(draw, kind, occurred_on, negative),
    )


def negative_facts(on: st.SearchStrategy[date] = dates) -> st.SearchStrategy[Fact]:
    """Active records that can only worsen a grade: a standing inspection failure,
    refused sampling, a penalty, an incident, a refused/delayed ordered recall, a
    substantiated complaint, an open key case."""
    return facts(on=on, negative=True)


def _good_core(draw: st.DrawFn, as_of: date) -> list[Fact]:
    """Records of a well-behaved enterprise at ``as_of`` (AA unless something else
    spoils it): recent passes by a high-level authority for every product, a commendation."""
    recent = st.dates(min_value=as_of - timedelta(days=330), max_value=as_of)
    core = []
    for category in CATEGORIES[: draw(st.integers(3, 4))]:
        on = draw(recent)
        attrs = {"product_category": category, "level": "national", "result": "pass"}
        core.append(Fact(0, RecordKind.INSPECTION, on, at(on), RecordStatus.ACTIVE, attrs))
    on = draw(recent)
    core.append(Fact(0, RecordKind.COMMENDATION, on, at(on), RecordStatus.ACTIVE, {"title": "奖"}))
    return core


@st.composite
def dossiers(
    draw: st.DrawFn,
    *,
    max_facts: int = 10,
    on: st.SearchStrategy[date] = dates,
    good_core_at: date | None = None,
) -> Dossier:
    """A dossier with facts numbered 1..n, some catalogued products and, rarely, a
    blacklist listing in force. With ``good_core_at``, it may start from the records of
    an AA enterprise at that date, so that grades at the top get exercised too."""
    drawn = draw(st.lists(facts(on=on), max_size=max_facts))
    if good_core_at is not None and draw(st.booleans()):
        drawn = _good_core(draw, good_core_at) + drawn
    numbered = tuple(replace(f, id=i) for i, f in enumerate(drawn, start=1))
    risks = draw(st.dictionaries(categories, risk_levels, max_size=3))
    listed = draw(st.integers(0, 19).map(lambda n: n == 7))
    listings = (draw(st.integers(1, 999)),) if listed else ()
    return Dossier(CODE, numbered, risks, listings)


@st.composite
def dated_dossiers(draw: st.DrawFn, *, max_facts: int = 10) -> tuple[Dossier, date]:
    """A dossier and an evaluation date its records cluster around, so every window
    and every grade (AA included) comes up."""
    as_of = draw(as_of_dates)
    d = draw(dossiers(max_facts=max_facts, on=dates_around(as_of), good_core_at=as_of))
    return d, as_of
