"""The enterprise lookup's hot path: one statement for the enterprise, its stored class, the
active rule set and whether a listing is in force — the read agencies make most.

`views.enterprise_out` assembles the same document from the ORM and live classification;
this module serves it only when the stored class is exact — computed under the active rule
set today, or earlier and confirmed unchanged by today's full re-grade (`graded_through`) —
and raises `Stale` otherwise.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import orjson

from service.credit.codes import ParsedCode
from service.credit.regions import region_name
from service.credit.ruleset import DEFAULT_RULESET_ID
from service.db import Database
from service.store.grading.regrade import ACTIVE_RULESET_KEY, GRADED_THROUGH_KEY

# The listing test is dossiers.listing_in_force_clause (Order 44 Art.21: in force from
# decided_on until expires_on or removed_on); a test holds the two to the same answers.
_SELECT = f"""
SELECT e.code, e.org_code, e.name, e.region_code, e.industry, e.address,
       e.legal_representative, e.established_on, e.products, e.created_at, e.updated_at,
       c.grade, c.ruleset, c.as_of, c.reasons, c.supervision,
       (SELECT s.value FROM registry_setting s WHERE s.key = '{ACTIVE_RULESET_KEY}')
           AS active_ruleset,
       (SELECT s.value FROM registry_setting s WHERE s.key = '{GRADED_THROUGH_KEY}')
           AS graded_through,
       EXISTS (SELECT 1 FROM blacklist_entry b
               WHERE b.code = e.code AND b.status IN ('listed', 'removed')
                 AND b.decided_on <= $2 AND b.expires_on > $2
                 AND (b.removed_on IS NULL OR b.removed_on > $2)) AS listed,
       EXISTS (SELECT 1 FROM classification_review r WHERE r.code = e.code)
           OR EXISTS (SELECT 1 FROM objection o WHERE o.code = e.code AND o.status = 'open')
           AS reviewed
FROM enterprise e LEFT JOIN classification c ON c.code = e.code
"""
BY_USCC = _SELECT + "WHERE e.code = $1"
BY_ORG_CODE = _SELECT + "WHERE e.org_code = $1"


class Stale(Exception):
    """The stored class is not today's under the active rule set: evaluate live."""


async def enterprise_document(db: Database, code: ParsedCode, today: date) -> dict[str, Any] | None:
    """The `EnterpriseOut` document, None when no such enterprise; raises `Stale` when only
    a live evaluation can answer."""
    sql, key = (BY_USCC, code.uscc) if code.uscc is not None else (BY_ORG_CODE, code.org_code)
    row = await db.fetch_row(sql, key, today.isoformat() if db.is_sqlite else today)
    if row is None:
        return None
    return document(from_sqlite(row) if db.is_sqlite else row, today)


def document(row: dict[str, Any], today: date) -> dict[str, Any]:
    """The document from the statement's row (PostgreSQL types); raises `Stale`. Also the
    lookup floor's (bench/floor.py), so both serialize the same document."""
    if (
        row["ruleset"] != (row["active_ruleset"] or DEFAULT_RULESET_ID)
        or (row["as_of"] != today and row["graded_through"] != today.isoformat())
        # a reviewed or disputed class is assembled live (views.current_classification)
        or row["reviewed"]
    ):
        raise Stale(row["code"])
    org = row["org_code"]
    supervision = row["supervision"]
    return {
        "code": row["code"],
        "org_code": f"{org[:8]}-{org[8]}",
        "name": row["name"],
        "region_code": row["region_code"],
        "region_name": region_name(row["region_code"]),
        "industry": row["industry"],
        "address": row["address"],
        "legal_representative": row["legal_representative"],
        "established_on": row["established_on"],
        "products": row["products"],
        "classification": {
            "code": row["code"],
            "grade": row["grade"],
            "ruleset": row["ruleset"],
            "as_of": today,
            "known_at": None,
            # rebuilt key by key: the schema's order (jsonb keeps its own) and nothing more
            "reasons": [
                {
                    "rule": r["rule"],
                    "text": r["text"],
                    "text_en": r["text_en"],
                    "grade": r["grade"],
                    "record_ids": r["record_ids"],
                    "disputed_record_ids": [],
                }
                for r in row["reasons"]
            ],
            "supervision": {
                "mode": supervision["mode"],
                "mode_zh": supervision["mode_zh"],
                "risk_level": supervision["risk_level"],
                "inspections_per_year": supervision["inspections_per_year"],
                "key_supervised": supervision["key_supervised"],
                "accountability_interview": supervision["accountability_interview"],
                "rectification_required": supervision["rectification_required"],
            },
            "computed_grade": row["grade"],
            "review": None,
        },
        "blacklisted": bool(row["listed"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def from_sqlite(row: dict[str, Any]) -> dict[str, Any]:
    """SQLite hands back what SQLAlchemy stored: ISO text for dates, naive UTC timestamps
    and JSON as text."""
    out = dict(row)
    for name in ("established_on", "as_of"):
        if out[name] is not None:
            out[name] = date.fromisoformat(out[name])
    for name in ("created_at", "updated_at"):
        out[name] = datetime.fromisoformat(out[name]).replace(tzinfo=UTC)
    for name in ("products", "reasons", "supervision"):
        if out[name] is not None:
            out[name] = orjson.loads(out[name])
    return out
