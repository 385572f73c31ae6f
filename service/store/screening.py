"""Bulk screening: up to 100,000 codes answered with one set-based query.

The hot path does no per-item ORM or pydantic work. Plain codes are looked up as sent
(upper-cased); only those that match nothing, and other spellings, go through
:func:`~service.credit.codes.try_parse`. The lookup is ONE driver-level statement — on
PostgreSQL ``= ANY($1)`` with a single array parameter (asyncpg allows at most 32,767 bind
parameters, so an expanded ``IN`` list cannot work), on SQLite the codes as one JSON text
read with ``json_each`` — and the answer is a list of plain dicts for orjson. The dataset
version (the feed seq) is read in the same snapshot as the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy import and_, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.codes import CodeError, ParsedCode, try_parse
from service.db import driver_of
from service.models import BlacklistEntry, Enterprise
from service.store import phases
from service.store.grading import review
from service.store.grading.dossiers import listing_in_force_clause

AGENCY_MAX_CODES = 100_000
PUBLIC_MAX_CODES = 1_000


@dataclass(slots=True)
class Screened:
    results: list[dict[str, Any]]
    dataset_version: int
    hits: list[str]


def _type_error(raw: object, public: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"code": str(raw), "valid": False, "known": False, "listed": False}
    if not public:
        item["grade"] = None
    item["error"] = {"rule": "type", "message": "a code must be a string"}
    return item


def _lookup_sql(dialect: Dialect, today: date, *, public: bool, with_orgs: bool) -> str:
    """``code, org_code, grade, listed`` of the enterprises whose USCC is in the first
    parameter or whose org code is in the second, as driver-level SQL.

    The listing condition is :func:`~service.store.grading.dossiers.listing_in_force_clause`
    compiled for the dialect (the day as a literal), so the screen and the dossier agree
    on what "listed" means.
    """
    condition = listing_in_force_clause(today)
    if public:
        # The public learns only what has been published (Order 44 Art.14).
        condition = and_(condition, col(BlacklistEntry.published_on).is_not(None))
    in_force = condition.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    # A non-correlated IN: the listings in force are read once into a hash (PostgreSQL
    # hashed subplan, SQLite ephemeral index) instead of probed once per enterprise.
    org = "enterprise.org_code" if with_orgs else "NULL"  # decoded only when asked for
    if public:
        grade, reviews = "NULL", ""  # never read for a public answer
    else:
        # The class in force: a regulator's override while it holds (service.credit.review).
        override = review.in_force_sql(col(Enterprise.grade), today).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}
        )
        grade = f"CASE WHEN {override} THEN classification_review.grade ELSE enterprise.grade END"
        reviews = (
            "LEFT JOIN classification_review ON classification_review.code = enterprise.code "
            "AND classification_review.latest "
        )
    select = (
        f"SELECT enterprise.code, {org}, {grade}, enterprise.code IN ("
        f"SELECT blacklist_entry.code FROM blacklist_entry WHERE {in_force}) "
        f"FROM enterprise {reviews}WHERE "
    )
    if dialect.name == "postgresql":
        # One array parameter each: asyncpg allows at most 32,767 bind parameters.
        sql = select + "enterprise.code = ANY($1::text[])"
        if with_orgs:
            sql += f" UNION ALL {select}enterprise.org_code = ANY($2::text[])"
        return sql
    sql = select + "enterprise.code IN (SELECT value FROM json_each(:codes))"
    if with_orgs:
        # Legacy 9-character organization codes are USCC positions 9-17 (enterprise.org_code).
        sql += f" UNION ALL {select}enterprise.org_code IN (SELECT value FROM json_each(:orgs))"
    return sql


async def _lookup(
    session: AsyncSession, usccs: set[str], orgs: set[str], today: date, *, public: bool
) -> tuple[int, dict[str, dict[str, Any]], set[str]]:
    """The dataset version, keyed by USCC and by org code the answer for every registered
    enterprise among the codes, and the listed ones' codes: one statement on the driver
    connection (the ORM's per-row work costs more than the query itself at 100,000 codes)."""
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        # One snapshot for the version and the data (READ COMMITTED would give each
        # statement its own); SQLite's read transaction is a snapshot already.
        conn = await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        conn = await session.connection()
    # This statement also opens the transaction the driver-level query below runs in.
    version = int(
        (await conn.execute(text("SELECT event_seq FROM ledger WHERE id = 1"))).scalar_one()
    )
    found: dict[str, dict[str, Any]] = {}
    listed_codes: set[str] = set()
    if not usccs and not orgs:
        return version, found, listed_codes
    sql = _lookup_sql(dialect, today, public=public, with_orgs=bool(orgs))
    driver = await driver_of(conn)
    rows: Any
    # Unsorted: both databases probe the code index once per value whatever the order.
    if dialect.name == "postgresql":
        rows = await driver.fetch(sql, list(usccs), *([list(orgs)] if orgs else []))
    else:
        params = {"codes": orjson.dumps(list(usccs)).decode()}
        if orgs:
            params["orgs"] = orjson.dumps(list(orgs)).decode()
        rows = await driver.execute_fetchall(sql, params)
    for code, org_code, grade, listed in rows:
        # One dict per enterprise, shared by every request item naming it (orjson
        # serializes a shared dict as often as it appears).
        item = {"code": code, "valid": True, "known": True, "listed": bool(listed)}
        # Grades are a supervision reference, never public (design.md "Screening").
        if not public:
            item["grade"] = grade
        found[code] = item
        if org_code is not None:
            found[org_code] = item
        if listed:
            listed_codes.add(code)
    return version, found, listed_codes


async def screen(
    session: AsyncSession, raw_codes: Sequence[object], today: date, *, public: bool
) -> Screened:
    """Results in request order; an invalid code is answered in its own item.

    A plain ASCII code (the common case) is looked up as it is, upper-cased, without its
    check digits being computed: the enterprise table only holds codes validated when they
    were registered, so a match is valid. Everything else — other spellings, codes that
    match nothing — goes through :func:`~service.credit.codes.try_parse`.
    """
    with phases.span("screen: codes sorted out"):
        keys, usccs, orgs, slow = _sort_out(raw_codes)
    with phases.span("screen: the statement"):
        version, found, listed_codes = await _lookup(session, usccs, orgs, today, public=public)
    with phases.span("screen: answers in request order"):
        results = _answers(raw_codes, keys, slow, found, public)
    return Screened(results=results, dataset_version=version, hits=sorted(listed_codes))


def _sort_out(
    raw_codes: Sequence[object],
) -> tuple[list[str | None], set[str], set[str], dict[int, ParsedCode | CodeError | None]]:
    """Per code its lookup key (None: parse it), the USCCs and org codes to look up, and
    the parsed forms of the codes that needed parsing."""
    keys: list[str | None] = []
    usccs: set[str] = set()
    orgs: set[str] = set()
    slow: dict[int, ParsedCode | CodeError | None] = {}
    for i, raw in enumerate(raw_codes):
        if type(raw) is str and (len(raw) == 18 or len(raw) == 9) and raw.isalnum():
            key = raw.upper() if raw.isascii() else None
        else:
            key = None
        keys.append(key)
        if key is not None:
            (usccs if len(key) == 18 else orgs).add(key)
            continue
        p = try_parse(raw) if isinstance(raw, str) else None
        slow[i] = p
        if isinstance(p, ParsedCode):
            if p.uscc is not None:
                usccs.add(p.uscc)
            else:
                orgs.add(p.org_code)
    return keys, usccs, orgs, slow


def _answers(
    raw_codes: Sequence[object],
    keys: list[str | None],
    slow: dict[int, ParsedCode | CodeError | None],
    found: dict[str, dict[str, Any]],
    public: bool,
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    append = results.append
    for i, (raw, key) in enumerate(zip(raw_codes, keys, strict=True)):
        item = found.get(key) if key is not None else None
        if item is None:
            p = slow[i] if key is None else try_parse(key)
            if p is None:
                append(_type_error(raw, public))
                continue
            if isinstance(p, CodeError):
                append(_invalid(raw, p, public))
                continue
            item = found.get(p.uscc or p.org_code)
            if item is None:
                code = p.uscc or p.org_code_display
                item = {"code": code, "valid": True, "known": False, "listed": False}
                if not public:
                    item["grade"] = None
        append(item if raw == item["code"] else {**item, "input": raw})
    if public:
        results = [{k: v for k, v in r.items() if k != "grade"} for r in results]
    return results


def _invalid(raw: object, err: CodeError, public: bool) -> dict[str, Any]:
    error: dict[str, Any] = {"rule": err.rule, "message": err.message}
    if err.expected is not None:
        error["expected"] = err.expected
    item: dict[str, Any] = {"code": raw, "valid": False, "known": False, "listed": False}
    if not public:
        item["grade"] = None
    item["error"] = error
    return item
