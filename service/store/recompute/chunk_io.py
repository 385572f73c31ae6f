"""Reads and writes of one recompute chunk, per database.

PostgreSQL is the production path and a million enterprises must re-grade within a
minute, so it talks to asyncpg directly (design.md: hot paths may use driver SQL): JSON
arrives as text (decoded with orjson in :mod:`recompute_work`), rows become plain tuples
that can be sent to a worker process, and writes are single ``unnest`` statements.
SQLite goes through SQLAlchemy Core; it serves small registries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.dossier import RecordStatus
from service.db import driver_of
from service.models import (
    BlacklistEntry,
    ClassificationRow,
    CreditRecord,
    Enterprise,
    GradeChange,
)
from service.store.grading import dossiers
from service.store.recompute.work import RawChunk, Write

_CLS = ClassificationRow.__table__  # type: ignore[attr-defined]
_ENT = Enterprise.__table__  # type: ignore[attr-defined]


async def _listings(
    session: AsyncSession, codes: Sequence[str], today: date, full_run: bool
) -> dict[str, list[int]]:
    column = col(BlacklistEntry.code)
    where = column.between(codes[0], codes[-1]) if full_run else column.in_(codes)
    stmt = select(column, col(BlacklistEntry.id)).where(
        where, dossiers.listing_in_force_clause(today)
    )
    out: dict[str, list[int]] = defaultdict(list)
    for code, entry_id in await session.execute(stmt):
        if entry_id is not None:
            out[code].append(entry_id)
    return out


# --- PostgreSQL -----------------------------------------------------------------------------

# A full run's chunks are contiguous in code order, so a range scan serves them; a regional
# chunk is not (USCC positions 1-2 come before the region), so it is listed.
_PG_RANGE = "code BETWEEN $1 AND $2"
_PG_LIST = "code = ANY($1::text[])"


async def read_pg(
    session: AsyncSession,
    *,
    after: str,
    upto: str | None,
    region: str | None,
    limit: int,
    today: date,
) -> RawChunk | None:
    """The next ``limit`` enterprises with code in (after, upto] and what they need."""
    pg = await driver_of(session)
    where: list[str] = ["code > $1"]
    args: list[Any] = [after]
    if upto is not None:
        args.append(upto)
        where.append(f"code <= ${len(args)}")
    if region:
        args.append(region + "%")
        where.append(f"region_code LIKE ${len(args)}")
    args.append(limit)
    ents = await pg.fetch(
        "SELECT code, region_code, products::text, grade FROM enterprise "
        f"WHERE {' AND '.join(where)} ORDER BY code LIMIT ${len(args)}",
        *args,
    )
    if not ents:
        return None
    codes = [r[0] for r in ents]
    scope: tuple[Any, ...] = (codes,) if region else (codes[0], codes[-1])
    within = _PG_LIST if region else _PG_RANGE
    records = await pg.fetch(
        "SELECT id, code, kind, occurred_on, recorded_at, data::text FROM credit_record "
        f"WHERE {within} AND status = 'active' AND occurred_on <= ${len(scope) + 1}",
        *scope,
        today,
    )
    current = await pg.fetch(
        "SELECT code, grade, ruleset, reasons::text, supervision::text, computed_at "
        f"FROM classification WHERE {within}",
        *scope,
    )
    # asyncpg Records index and unpack like tuples; they never leave this process
    return RawChunk(
        enterprises=ents,
        records=records,
        listings=await _listings(session, codes, today, not region),
        current={r[0]: tuple(r)[1:] for r in current},
    )


_PG_INSERT_CLS = (
    "INSERT INTO classification (code, grade, ruleset, as_of, reasons, supervision, computed_at) "
    "SELECT v.code, v.grade, v.ruleset, $6, v.reasons::jsonb, v.supervision::jsonb, $7 "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) "
    "AS v(code, grade, ruleset, reasons, supervision)"
)


def _columns(ws: Sequence[Write]) -> list[list[str]]:
    """Classification values as the text arrays of the ``unnest`` statements."""
    dumps = orjson.dumps
    return [
        [w.code for w in ws],
        [w.grade for w in ws],
        [w.ruleset for w in ws],
        [dumps(w.reasons).decode() for w in ws],
        [dumps(w.supervision).decode() for w in ws],
    ]


async def write_pg(
    session: AsyncSession,
    writes: Sequence[Write],
    current: Mapping[str, Sequence[Any]],
    today: date,
    now: datetime,
) -> set[str]:
    """Insert/overwrite classification rows; returns the codes actually written.

    A row is overwritten only if its ``computed_at`` is still the one this chunk read,
    and inserted only if nobody inserted it meanwhile: a concurrent request's newer
    result always wins over this chunk's older snapshot.
    """
    pg = await driver_of(session)
    done: set[str] = set()
    new = [w for w in writes if w.previous is None]
    old = [w for w in writes if w.previous is not None]
    if new:
        rows = await pg.fetch(
            _PG_INSERT_CLS + " ON CONFLICT (code) DO NOTHING RETURNING code",
            *_columns(new),
            today,
            now,
        )
        done.update(r[0] for r in rows)
    if old:
        rows = await pg.fetch(
            "UPDATE classification AS c SET grade = v.grade, ruleset = v.ruleset, as_of = $7, "
            "reasons = v.reasons::jsonb, supervision = v.supervision::jsonb, computed_at = $8 "
            "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
            "$6::timestamptz[]) AS v(code, grade, ruleset, reasons, supervision, seen) "
            "WHERE c.code = v.code AND c.computed_at = v.seen RETURNING c.code",
            *_columns(old),
            [current[w.code][4] for w in old],  # computed_at as read
            today,
            now,
        )
        done.update(r[0] for r in rows)
    return done


# --- SQLite ---------------------------------------------------------------------------------


async def read_sqlite(
    session: AsyncSession,
    *,
    after: str,
    upto: str | None,
    region: str | None,
    limit: int,
    today: date,
) -> RawChunk | None:
    stmt = (
        select(
            col(Enterprise.code),
            col(Enterprise.region_code),
            col(Enterprise.products),
            col(Enterprise.grade),
        )
        .where(col(Enterprise.code) > after)
        .order_by(col(Enterprise.code))
        .limit(limit)
    )
    if upto is not None:
        stmt = stmt.where(col(Enterprise.code) <= upto)
    if region:
        stmt = stmt.where(col(Enterprise.region_code).startswith(region))
    ents = list(await session.execute(stmt))
    if not ents:
        return None
    codes = [e[0] for e in ents]

    def within(column: Any) -> Any:
        return column.in_(codes) if region else column.between(codes[0], codes[-1])

    cr = CreditRecord
    records = await session.execute(
        select(
            col(cr.id),
            col(cr.code),
            col(cr.kind),
            col(cr.occurred_on),
            col(cr.recorded_at),
            col(cr.data),
        ).where(
            within(col(cr.code)),
            col(cr.status) == RecordStatus.ACTIVE.value,  # other statuses never count (Fact.counts)
            col(cr.occurred_on) <= today,
        )
    )
    c = _CLS.c
    current = await session.execute(
        select(c.code, c.grade, c.ruleset, c.reasons, c.supervision, c.computed_at).where(
            within(c.code)
        )
    )
    return RawChunk(
        enterprises=ents,
        records=list(records),
        listings=await _listings(session, codes, today, not region),
        current={r[0]: tuple(r)[1:] for r in current},
    )


async def write_plain(
    session: AsyncSession, writes: Sequence[Write], today: date, now: datetime
) -> set[str]:
    """Unconditional insert/update of the classification rows. For SQLite recompute chunks
    (their BEGIN IMMEDIATE transaction excludes every other writer) and for re-grading inside
    a writing request (which already holds what it changed)."""

    def row(w: Write) -> dict[str, Any]:
        return {
            "grade": w.grade,
            "ruleset": w.ruleset,
            "as_of": today,
            "reasons": w.reasons,
            "supervision": w.supervision,
            "computed_at": now,
        }

    if session.get_bind().dialect.name == "postgresql":
        await _write_plain_pg(session, writes, today, now)
        return {w.code for w in writes}
    new = [row(w) | {"code": w.code} for w in writes if w.previous is None]
    old = [row(w) | {"k": w.code} for w in writes if w.previous is not None]
    if new:
        await session.execute(insert(_CLS), new)
    if old:
        await session.execute(update(_CLS).where(_CLS.c.code == bindparam("k")), old)
    return {w.code for w in writes}


async def _write_plain_pg(
    session: AsyncSession, writes: Sequence[Write], today: date, now: datetime
) -> None:
    """:func:`write_plain` as two ``unnest`` statements: an executemany of 20,000 rows costs
    ~45 µs a row on asyncpg, an array statement a fraction of that."""
    pg = await driver_of(session)
    new = [w for w in writes if w.previous is None]
    old = [w for w in writes if w.previous is not None]
    if new:
        await pg.execute(_PG_INSERT_CLS, *_columns(new), today, now)
    if old:
        await pg.execute(
            "UPDATE classification AS c SET grade = v.grade, ruleset = v.ruleset, as_of = $6, "
            "reasons = v.reasons::jsonb, supervision = v.supervision::jsonb, computed_at = $7 "
            "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) "
            "AS v(code, grade, ruleset, reasons, supervision) WHERE c.code = v.code",
            *_columns(old),
            today,
            now,
        )


async def write_history(
    session: AsyncSession, changed: Sequence[Write], *, today: date, now: datetime, trigger: str
) -> None:
    """One grade_change row per change of grade."""
    if not changed:
        return
    if session.get_bind().dialect.name == "postgresql":
        await _history_pg(await driver_of(session), changed, today=today, now=now, trigger=trigger)
        return
    await session.execute(
        insert(GradeChange.__table__),  # type: ignore[attr-defined]
        [
            {
                "code": w.code,
                "from_grade": w.previous,
                "to_grade": w.grade,
                "at": now,
                "as_of": today,
                "ruleset": w.ruleset,
                "trigger": trigger,
                "reasons": w.reasons,
            }
            for w in changed
        ],
    )


async def sync_enterprise_grades(session: AsyncSession, codes: Sequence[str]) -> None:
    """Copy the classification grade to ``enterprise.grade`` (list filters, statistics)
    for these enterprises, from the row as it is now — consistent even if a concurrent
    writer re-graded one of them after this chunk read it."""
    if not codes:
        return
    stored = select(_CLS.c.grade).where(_CLS.c.code == _ENT.c.code).scalar_subquery()
    await session.execute(
        update(_ENT)
        .where(_ENT.c.code.in_(list(codes)), _ENT.c.grade.is_distinct_from(stored))
        .values(grade=stored)
    )


async def record_changes_pg(
    session: AsyncSession,
    changed: Sequence[Write],
    *,
    today: date,
    now: datetime,
    trigger: str,
) -> None:
    """History rows and ``enterprise.grade`` for grades this chunk just changed, each one
    statement. Our UPDATE holds those classification rows until COMMIT, so the grades
    written here cannot be overtaken before then."""
    if not changed:
        return
    pg = await driver_of(session)
    await _history_pg(pg, changed, today=today, now=now, trigger=trigger)
    await pg.execute(
        "UPDATE enterprise AS e SET grade = v.grade "
        "FROM unnest($1::text[], $2::text[]) AS v(code, grade) "
        "WHERE e.code = v.code AND e.grade IS DISTINCT FROM v.grade",
        [w.code for w in changed],
        [w.grade for w in changed],
    )


async def _history_pg(
    pg: Any, changed: Sequence[Write], *, today: date, now: datetime, trigger: str
) -> None:
    await pg.execute(
        "INSERT INTO grade_change (code, from_grade, to_grade, at, as_of, ruleset, trigger, "
        "reasons) SELECT v.code, v.from_grade, v.to_grade, $5, $6, v.ruleset, $7, "
        "v.reasons::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
        "$8::text[]) AS v(code, from_grade, to_grade, ruleset, reasons)",
        [w.code for w in changed],
        [w.previous for w in changed],
        [w.grade for w in changed],
        [w.ruleset for w in changed],
        now,
        today,
        trigger,
        [orjson.dumps(w.reasons).decode() for w in changed],
    )
