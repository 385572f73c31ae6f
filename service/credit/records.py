"""Rules a dossier record must satisfy beyond its shape: date order, amounts, enums that
depend on each other, the Order 18 chain. Pure: the date, catalog and calendar come in.

Each problem names the field and a stable rule id, so an agency system can map it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from service.credit.deadlines import WorkCalendar
from service.credit.followup import check_followup
from service.credit.penalties import HEAVIER_TYPES

# Dates that record the past: none may be later than the day the registry learns of them.
_PAST_DATES = frozenset(
    {
        "notified_on",
        "objection_filed_on",
        "retest_on",
        "retest_notified_on",
        "retest_formalities_on",
        "retest_lab_designated_on",
        "rectification_ordered_on",
        "recheck_on",
        "announced_on",
        "recheck2_on",
        "decided_on",
        "referred_on",
        "received_on",
        "closed_on",
    }
)
# Fields of the Order 18 chain after the first result; without them there is no chain to check.
_CHAIN_FIELDS = frozenset(
    {
        "objection_filed_on",
        "retest_requested",
        "retest_notified_on",
        "retest_formalities_on",
        "retest_lab",
        "retest_lab_designated_on",
        "retest_on",
        "retest_result",
        "rectification_ordered_on",
        "recheck_on",
        "recheck_result",
        "announced_on",
        "recheck2_on",
        "recheck2_result",
    }
)


@dataclass(frozen=True)
class Problem:
    field: str
    rule: str
    message: str


def _d(fields: Mapping[str, object], name: str) -> date | None:
    value = fields.get(name)
    return value if isinstance(value, date) else None


def check_record(
    kind: str,
    occurred_on: date,
    fields: Mapping[str, object],
    *,
    today: date,
    catalog: Collection[str],
    cal: WorkCalendar,
) -> list[Problem]:
    """Problems with one structurally valid record (``fields`` holds ``date`` values)."""
    problems: list[Problem] = []
    if occurred_on > today:
        problems.append(
            Problem("occurred_on", "future-date", f"{occurred_on} is after today ({today})")
        )
    for name, value in fields.items():
        if name in _PAST_DATES and isinstance(value, date) and value > today:
            problems.append(Problem(name, "future-date", f"{value} is after today ({today})"))
    check = _CHECKS.get(kind)
    if check is not None:
        problems.extend(check(occurred_on, fields, catalog, cal))
    return problems


def _not_before(fields: Mapping[str, object], name: str, start: date, what: str) -> list[Problem]:
    value = _d(fields, name)
    if value is not None and value < start:
        return [Problem(name, "date-order", f"{name} {value} is before {what} {start}")]
    return []


def _inspection(
    occurred_on: date, f: Mapping[str, object], catalog: Collection[str], cal: WorkCalendar
) -> list[Problem]:
    out: list[Problem] = []
    category = f.get("product_category")
    if category not in catalog:
        out.append(
            Problem(
                "product_category",
                "catalog",
                f"'{category}' is not in the product catalog (see GET /v1/catalog)",
            )
        )
    result = f.get("result")
    failed_items = f.get("failed_items") or []
    if f.get("refused"):
        # Order 18 Art.21: a refused sampling has no result to record.
        if result is not None:
            out.append(
                Problem(
                    "result", "order18-art21-refused-no-result", "a refused sampling has no result"
                )
            )
        return out
    if result is None:
        out.append(Problem("result", "missing", "result is required unless refused is true"))
        return out
    if result == "fail" and not failed_items:
        out.append(
            Problem("failed_items", "failed-items-required", "a fail result names the failed items")
        )
    if result == "pass" and failed_items:
        out.append(
            Problem("failed_items", "failed-items-on-pass", "a pass result has no failed items")
        )
    out.extend(_not_before(f, "notified_on", occurred_on, "the sampling on"))
    objection = _d(f, "objection_filed_on")
    if objection is not None:
        out.extend(_not_before(f, "retest_on", objection, "the objection of"))
    if f.get("retest_on") is not None and f.get("retest_result") is None:
        out.append(Problem("retest_result", "missing", "a re-test date needs its result"))
    for date_name, result_name in (
        ("recheck_on", "recheck_result"),
        ("recheck2_on", "recheck2_result"),
    ):
        if f.get(result_name) is not None and f.get(date_name) is None:
            out.append(Problem(date_name, "missing", f"{result_name} needs the date {date_name}"))
    # Order 18 Art.35-48: objection, re-test, rectification, re-checks, announcement.
    if not _CHAIN_FIELDS.isdisjoint(f):
        out.extend(Problem(p.field, p.rule, p.message) for p in check_followup(dict(f), cal))
    return out


def _penalty(
    occurred_on: date, f: Mapping[str, object], catalog: Collection[str], cal: WorkCalendar
) -> list[Problem]:
    out: list[Problem] = []
    types = [str(t) for t in f.get("penalty_types") or []]  # type: ignore[attr-defined]
    if len(set(types)) != len(types):
        out.append(Problem("penalty_types", "duplicate", "each penalty type appears once"))
    amount = f.get("fine_amount")
    if "fine" in types and (amount is None or amount == 0):
        out.append(
            Problem("fine_amount", "fine-amount-required", "a fine needs a fine_amount above 0")
        )
    if amount is not None and amount != 0 and "fine" not in types:
        out.append(
            Problem("fine_amount", "fine-amount-without-fine", "penalty_types has no 'fine'")
        )
    if f.get("heavier") and not HEAVIER_TYPES.intersection(types):
        out.append(
            Problem(
                "heavier",
                "order44-art2-heavier-type",
                "a heavier penalty (较重) is an aggravated fine, qualification downgrade, "
                "revocation, restriction, suspension or closure; a warning or confiscation "
                "alone is not",
            )
        )
    out.extend(_not_before(f, "decided_on", occurred_on, "the conduct on"))
    if f.get("referred_on") is not None and not f.get("police_referral"):
        out.append(
            Problem(
                "referred_on",
                "referral-date-without-referral",
                "referred_on is the police referral's date; set police_referral to true",
            )
        )
    out.extend(_not_before(f, "referred_on", occurred_on, "the conduct on"))
    return out


def _recall(
    occurred_on: date, f: Mapping[str, object], catalog: Collection[str], cal: WorkCalendar
) -> list[Problem]:
    if f.get("mode") == "voluntary" and f.get("refused_or_delayed"):
        return [
            Problem(
                "refused_or_delayed",
                "recall-refusal-needs-order",
                "only an ordered recall can be refused or delayed",
            )
        ]
    category = f.get("product_category")
    if category is not None and category not in catalog:
        return [Problem("product_category", "catalog", f"'{category}' is not in the catalog")]
    return []


def _licence(
    occurred_on: date, f: Mapping[str, object], catalog: Collection[str], cal: WorkCalendar
) -> list[Problem]:
    start = _d(f, "valid_from")
    return _not_before(f, "valid_to", start, "valid_from") if start is not None else []


def _key_case(
    occurred_on: date, f: Mapping[str, object], catalog: Collection[str], cal: WorkCalendar
) -> list[Problem]:
    if f.get("state") == "open" and f.get("closed_on") is not None:
        return [Problem("closed_on", "open-case-closed-on", "an open case has no closed_on")]
    return _not_before(f, "closed_on", occurred_on, "the opening on")


def _complaint(
    occurred_on: date, f: Mapping[str, object], catalog: Collection[str], cal: WorkCalendar
) -> list[Problem]:
    return _not_before(f, "received_on", occurred_on, "occurred_on")


def _monitoring(
    occurred_on: date, f: Mapping[str, object], catalog: Collection[str], cal: WorkCalendar
) -> list[Problem]:
    """风险监测 / 产品伤害监测: a catalog product; a severity exactly when a hazard was found."""
    problems: list[Problem] = []
    category = f.get("product_category")
    if category not in catalog:
        problems.append(
            Problem(
                "product_category",
                "catalog",
                f"'{category}' is not in the product catalog (see GET /v1/catalog)",
            )
        )
    found, severity = f.get("hazard_found"), f.get("severity", "none")
    if found and severity == "none":
        problems.append(Problem("severity", "hazard-severity", "a hazard found needs a severity"))
    if not found and severity != "none":
        problems.append(Problem("severity", "hazard-severity", "no hazard found: severity none"))
    return problems


_CHECKS = {
    "monitoring": _monitoring,
    "injury": _monitoring,
    "inspection": _inspection,
    "penalty": _penalty,
    "recall": _recall,
    "licence": _licence,
    "key_case": _key_case,
    "complaint": _complaint,
}
