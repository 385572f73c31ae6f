"""Shared pieces of the record write paths (single and batch): canonical bodies and their
hashes, row values, set-based insert with ``ON CONFLICT DO NOTHING``, response documents.

A record's identity is (agency_id, source_ref); its versions share both and count up from 1.
The canonical body (code, kind, source_ref, occurred_on and the kind fields, defaults filled
in) is hashed so that a replay can be told from a conflicting re-use of a reference.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import orjson
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit import followup
from service.credit.deadlines import WorkCalendar
from service.credit.records import Problem
from service.db import driver_of
from service.errors import FieldError
from service.models import CatalogCategory, CreditRecord
from service.schemas.fields import control_problem
from service.schemas.records import (
    COMMON_FIELDS,
    KIND_FIELDS,
    KINDS,
    DeadlinesOut,
    OpenStepOut,
    RecordCommon,
    RecordOut,
    SecondRecheckWindow,
    WarningOut,
)
from service.store import phases
from service.store.grading.dossiers import attrs_from_json

TABLE = CreditRecord.__table__  # type: ignore[attr-defined]
_DUPLICATE_RULE = "order18-art8-duplicate-sampling"


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def canonical_data(item: RecordCommon) -> dict[str, Any]:
    """The kind fields as stored in ``credit_record.data``: JSON types, dates as ISO strings,
    unset optional fields left out."""
    return split_fields(item)[0]


def split_fields(item: RecordCommon) -> tuple[dict[str, Any], dict[str, Any]]:
    """(canonical JSON data, the same fields with Python values for the rule checks).

    What model_dump(mode="json", exclude_none=True) gives for these flat models, without
    its per-call overhead: this runs once per item of a 100,000-record batch."""
    data: dict[str, Any] = {}
    py: dict[str, Any] = {}
    for key, value in item.__dict__.items():
        if value is None or key in COMMON_FIELDS:
            continue
        py[key] = value
        kind = type(value)
        if kind is date:
            value = value.isoformat()
        elif kind is Decimal:
            value = _number(value)
        elif kind is list:
            value = list(value)
        data[key] = value
    return data, py


def body_hash(
    code: str, kind: str, source_ref: str, occurred_on: str, data: Mapping[str, Any]
) -> str:
    body = {
        **data,
        "code": code,
        "kind": kind,
        "source_ref": source_ref,
        "occurred_on": occurred_on,
    }
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def row_hash(row: Any) -> str:
    return body_hash(row.code, row.kind, row.source_ref, row.occurred_on.isoformat(), row.data)


def conflict_errors(
    stored: Mapping[str, Any], sent: Mapping[str, Any], existing_id: int
) -> list[FieldError]:
    """Which fields differ between the body stored under a source_ref and the one re-sent."""
    errors = []
    for key in sorted(set(stored) | set(sent)):
        if stored.get(key) != sent.get(key):
            errors.append(
                FieldError(
                    field=key,
                    rule="source-ref-conflict",
                    message=f"record {existing_id} has {stored.get(key)!r} under this "
                    f"source_ref; this request sends {sent.get(key)!r}",
                )
            )
    return errors or [
        FieldError(field="source_ref", rule="source-ref-conflict", message="body differs")
    ]


def canonical_body(row: Any) -> dict[str, Any]:
    return {
        **row.data,
        "code": row.code,
        "kind": row.kind,
        "source_ref": row.source_ref,
        "occurred_on": row.occurred_on.isoformat(),
    }


def row_values(
    *,
    code: str,
    region_code: str,
    agency_id: int,
    kind: str,
    source_ref: str,
    occurred_on: date,
    data: dict[str, Any],
    digest: str,
    now: datetime,
    version: int = 1,
    supersedes_id: int | None = None,
) -> dict[str, Any]:
    inspection = kind == "inspection"
    monitored = kind in MONITORING_KINDS
    return {
        "code": code,
        "kind": kind,
        "agency_id": agency_id,
        "source_ref": source_ref,
        "version": version,
        "supersedes_id": supersedes_id,
        "status": "active",
        "status_reason": None,
        "status_changed_at": None,
        "occurred_on": occurred_on,
        "recorded_at": now,
        "region_code": region_code,
        "product_category": data.get("product_category") if inspection or monitored else None,
        # Order 18 Art.42: the re-test result is final; statistics read this column. A
        # monitoring sample "passes" when no hazard was found (its own rate, seeds 000/002).
        "final_result": followup.final_result(data)
        if inspection
        else (("fail" if data.get("hazard_found") else "pass") if monitored else None),
        "body_hash": digest,
        "data": data,
    }


async def insert_rows(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Multi-row insert; rows whose (agency, source_ref, version) exists already are skipped.
    Returns ``source_ref -> id`` for the rows inserted (callers insert one agency and one
    version per call, so the source_ref identifies the row)."""
    if not rows:
        return {}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(TABLE)
        .on_conflict_do_nothing(index_elements=["agency_id", "source_ref", "version"])
        .returning(TABLE.c.id, TABLE.c.source_ref)
    )
    result = await session.execute(stmt, list(rows))
    return {source_ref: record_id for record_id, source_ref in result.all()}


_COPY_COLUMNS = (
    "code",
    "kind",
    "agency_id",
    "source_ref",
    "version",
    "supersedes_id",
    "status",
    "occurred_on",
    "recorded_at",
    "region_code",
    "product_category",
    "final_result",
    "body_hash",
    "data",
)
_COPY_TABLE = "_qcredit_ingest"


def _copy_tuples(rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    dumps = orjson.dumps
    return [
        (
            r["code"],
            r["kind"],
            r["agency_id"],
            r["source_ref"],
            r["version"],
            r["supersedes_id"],
            r["status"],
            r["occurred_on"],
            r["recorded_at"],
            r["region_code"],
            r["product_category"],
            r["final_result"],
            r["body_hash"],
            dumps(r["data"]).decode(),
        )
        for r in rows
    ]


async def copy_new_rows(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> dict[str, int] | None:
    """PostgreSQL fast path for rows expected to be new: ids taken from the sequence up
    front, then one binary ``COPY`` straight into ``credit_record`` — what a plain COPY
    costs, without the staging table, ``ON CONFLICT`` and ``RETURNING`` of
    :func:`copy_rows` (together about as much again). Inside a savepoint: when any row
    exists already (a retried batch, a concurrent request) the COPY fails, nothing of it
    stays, and None tells the caller to use :func:`copy_rows`, which sorts them out."""
    if not rows:
        return {}
    pg = await driver_of(session)
    ids = sorted(
        r[0]
        for r in await pg.fetch(
            "SELECT nextval(pg_get_serial_sequence('credit_record', 'id')) "
            "FROM generate_series(1, $1)",
            len(rows),
        )
    )
    with phases.span("insert: encode"):
        records = [(i, *t) for i, t in zip(ids, _copy_tuples(rows), strict=True)]
    await pg.execute("SAVEPOINT qcredit_copy")
    try:
        with phases.span("insert: COPY"):
            await pg.copy_records_to_table(
                "credit_record", records=records, columns=["id", *_COPY_COLUMNS]
            )
    except asyncpg.UniqueViolationError:
        await pg.execute("ROLLBACK TO SAVEPOINT qcredit_copy")
        return None
    await pg.execute("RELEASE SAVEPOINT qcredit_copy")
    return {r["source_ref"]: i for r, i in zip(rows, ids, strict=True)}


async def copy_rows(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """PostgreSQL bulk path of :func:`insert_rows`: binary ``COPY`` into a temporary table,
    then one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING`` (design.md: hot
    paths may use driver SQL). No bind-parameter limit, no per-row statement overhead."""
    if not rows:
        return {}
    pg = await driver_of(session)
    cols = ", ".join(_COPY_COLUMNS)
    await pg.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_COPY_TABLE} "
        f"(LIKE credit_record INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    records = _copy_tuples(rows)
    await pg.copy_records_to_table(_COPY_TABLE, records=records, columns=list(_COPY_COLUMNS))
    inserted = await pg.fetch(
        f"INSERT INTO credit_record ({cols}) SELECT {cols} FROM {_COPY_TABLE} "
        "ON CONFLICT (agency_id, source_ref, version) DO NOTHING RETURNING id, source_ref"
    )
    await pg.execute(f"TRUNCATE {_COPY_TABLE}")
    return {source_ref: record_id for record_id, source_ref in inserted}


async def catalog_codes(session: AsyncSession) -> frozenset[str]:
    return frozenset((await session.execute(select(col(CatalogCategory.code)))).scalars())


def problem_errors(problems: Iterable[Problem]) -> list[FieldError]:
    return [FieldError(field=p.field, rule=p.rule, message=p.message) for p in problems]


def validation_errors(err: ValidationError) -> list[FieldError]:
    """Pydantic errors of a record body, with the union tag dropped from the location
    (``inspection.result`` -> ``result``) and a bad ``kind`` named as such."""
    out = []
    for e in err.errors(include_url=False):
        loc = list(e.get("loc", ()))
        if loc and loc[0] in KINDS:
            loc = loc[1:]
        rule = str(e.get("type", "invalid"))
        if rule in ("union_tag_invalid", "union_tag_not_found"):
            loc = ["kind"]
        ctx = e.get("ctx") or {}
        expected = ctx.get("expected") if isinstance(ctx, dict) else None
        rule, message = control_problem(dict(e)) or (rule, str(e.get("msg", "invalid value")))
        out.append(
            FieldError(
                field=".".join(str(p) for p in loc) or "item",
                rule=rule,
                message=message,
                expected=str(expected) if expected is not None else None,
            )
        )
    return out


def python_fields(item: RecordCommon) -> dict[str, Any]:
    """Kind fields with Python values (dates as ``date``) for the rule checks."""
    return split_fields(item)[1]


# -- responses ---------------------------------------------------------------------------------


def deadlines_out(data: Mapping[str, Any], cal: WorkCalendar, today: date) -> DeadlinesOut | None:
    attrs = attrs_from_json(data)
    try:
        d = followup.inspection_deadlines(attrs, cal)
        steps = followup.open_steps(attrs, cal)
    except ValueError:
        return None  # a refused sampling has no result and so no chain
    window = d.second_recheck_window
    computed = [
        d.objection_deadline,
        d.retest_formalities_deadline,
        d.retest_lab_deadline,
        d.rectification_due,
        d.recheck_deadline,
        window[1] if window else None,
    ]
    return DeadlinesOut(
        calendar_complete=all(cal.covers(x) for x in computed if x is not None),
        final_result=d.final_result,
        objection_deadline=d.objection_deadline,
        retest_formalities_deadline=d.retest_formalities_deadline,
        retest_lab_deadline=d.retest_lab_deadline,
        rectification_due=d.rectification_due,
        recheck_deadline=d.recheck_deadline,
        second_recheck_window=SecondRecheckWindow(opens_on=window[0], closes_on=window[1])
        if window
        else None,
        open_steps=[
            OpenStepOut(
                step=s.step,
                due=s.due,
                overdue_days=(today - s.due).days if s.due is not None and today > s.due else None,
                rule=s.rule,
            )
            for s in steps
        ],
    )


MONITORING_KINDS = frozenset({"monitoring", "injury"})


def record_out(
    row: Any,
    *,
    cal: WorkCalendar | None = None,
    today: date | None = None,
    superseded_by: int | None = None,
    warnings: list[WarningOut] | None = None,
    objection_id: int | None = None,
) -> RecordOut:
    """The response document; pass ``cal`` and ``today`` to include inspection deadlines."""
    fields = dict.fromkeys(KIND_FIELDS[row.kind])
    fields.update(row.data)
    deadlines = None
    if row.kind == "inspection" and cal is not None and today is not None:
        deadlines = deadlines_out(row.data, cal, today)
    return RecordOut(
        id=row.id,
        code=row.code,
        kind=row.kind,
        status=row.status,
        source_ref=row.source_ref,
        agency_id=row.agency_id,
        version=row.version,
        supersedes_id=row.supersedes_id,
        superseded_by=superseded_by,
        occurred_on=row.occurred_on,
        recorded_at=row.recorded_at,
        status_reason=row.status_reason,
        status_changed_at=row.status_changed_at,
        deadlines=deadlines,
        warnings=warnings,
        disputed=objection_id is not None,
        objection_id=objection_id,
        **fields,
    )


def sampling_warning(new_id: int, hits: Collection[int]) -> WarningOut:
    ids = sorted(hits)
    return WarningOut(
        rule=_DUPLICATE_RULE,
        message=f"record {new_id} samples the same product as record(s) "
        f"{', '.join(map(str, ids))} within 6 months (Order 18 Art.8); "
        "allowed only for follow-up sampling of a failed product or an emergency",
        record_ids=ids,
    )
