"""Set-based re-grading of the enterprises a bulk write touched, in the writing transaction.

:func:`service.store.grading.regrade.regrade` builds ORM objects per enterprise and record, which
is right for one request's one enterprise and far too slow for the tens of thousands a
100,000-record batch touches. This reads each chunk of codes with three Core queries
(enterprises, their active records, their stored classes), classifies with the pure
recompute worker (:mod:`service.store.recompute.work`, the same code ``qcredit
recompute`` runs) and writes only the classes that changed, with their history rows and
``grade.changed`` events — the results :func:`grading.regrade` would store.

The caller's transaction has just written the records, so its result is the newest: rows
are overwritten without the optimistic check the standalone recompute needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.dossier import RecordStatus
from service.db import driver_of
from service.models import ClassificationRow, CreditRecord, Enterprise, StoredRuleSet
from service.store import ledger, phases
from service.store.grading import dossiers
from service.store.grading import regrade as grading
from service.store.recompute import chunk_io as rio
from service.store.recompute import work

# small enough that the first read and the last write, which nothing overlaps, stay short
CHUNK = 2500
SQLITE_CHUNK = 5000
_CLS = ClassificationRow.__table__  # type: ignore[attr-defined]


async def _context(session: AsyncSession) -> work.Context:
    ruleset_id = await grading.active_ruleset_id(session)
    stored = await session.get(StoredRuleSet, ruleset_id)
    risks = {c: r.value for c, r in (await dossiers.catalog_risks(session)).items()}
    return work.make_context(ruleset_id, stored.body if stored else None, risks)


async def _read_pg(session: AsyncSession, codes: list[str], today: date) -> work.RawChunk:
    """Driver SQL (as :mod:`recompute_io` reads PostgreSQL): JSON as text for orjson, one
    array parameter instead of thousands of bind parameters."""
    pg = await driver_of(session)
    ents = await pg.fetch(
        "SELECT code, region_code, products::text, grade FROM enterprise "
        "WHERE code = ANY($1::text[]) ORDER BY code",
        codes,
    )
    records = await pg.fetch(
        "SELECT id, code, kind, occurred_on, recorded_at, data::text FROM credit_record "
        "WHERE code = ANY($1::text[]) AND status = 'active' AND occurred_on <= $2",
        codes,
        today,
    )
    current = await pg.fetch(
        "SELECT code, grade, ruleset, reasons::text, supervision::text, computed_at "
        "FROM classification WHERE code = ANY($1::text[])",
        codes,
    )
    return work.RawChunk(
        enterprises=ents,
        records=records,
        listings=await dossiers.listings_in_force(session, codes, today),
        current={r[0]: tuple(r)[1:] for r in current},
    )


async def _read(session: AsyncSession, codes: list[str], today: date) -> work.RawChunk:
    if session.get_bind().dialect.name == "postgresql":
        return await _read_pg(session, codes, today)
    ents = await session.execute(
        select(
            col(Enterprise.code),
            col(Enterprise.region_code),
            col(Enterprise.products),
            col(Enterprise.grade),
        )
        .where(col(Enterprise.code).in_(codes))
        .order_by(col(Enterprise.code))
    )
    records = await session.execute(
        select(
            col(CreditRecord.id),
            col(CreditRecord.code),
            col(CreditRecord.kind),
            col(CreditRecord.occurred_on),
            col(CreditRecord.recorded_at),
            col(CreditRecord.data),
        ).where(
            col(CreditRecord.code).in_(codes),
            # overturned, withdrawn and superseded records never count (Fact.counts)
            col(CreditRecord.status) == RecordStatus.ACTIVE.value,
            col(CreditRecord.occurred_on) <= today,
        )
    )
    c = _CLS.c
    current = await session.execute(
        select(c.code, c.grade, c.ruleset, c.reasons, c.supervision, c.computed_at).where(
            c.code.in_(codes)
        )
    )
    return work.RawChunk(
        enterprises=[tuple(r) for r in ents],
        records=[tuple(r) for r in records],
        listings=await dossiers.listings_in_force(session, codes, today),
        current={r[0]: tuple(r)[1:] for r in current},
    )


async def _write(
    session: AsyncSession,
    evaluated: work.Evaluated,
    *,
    today: date,
    now: datetime,
    trigger: str,
) -> int:
    with phases.span("regrade: write classes"):
        await rio.write_plain(session, evaluated.writes, today, now)
    changed = [w for w in evaluated.writes if w.previous != w.grade]
    for w in changed:
        ledger.emit(
            session, "grade.changed", code=w.code, region_code=w.region_code, data=w.event, at=now
        )
    with phases.span("regrade: history + enterprise.grade"):
        if session.get_bind().dialect.name == "postgresql":
            # the classification rows just written are ours until COMMIT, so their grades
            # go to enterprise.grade as values (one unnest UPDATE), as the recompute does
            await rio.record_changes_pg(session, changed, today=today, now=now, trigger=trigger)
            await rio.sync_enterprise_grades(session, evaluated.repairs)
        else:
            await rio.write_history(session, changed, today=today, now=now, trigger=trigger)
            await rio.sync_enterprise_grades(session, [w.code for w in changed] + evaluated.repairs)
    return len(changed)


async def regrade(
    session: AsyncSession,
    codes: Iterable[str],
    *,
    today: date,
    now: datetime,
    trigger: str,
    chunk: int | None = None,
) -> int:
    """Re-evaluate these enterprises at ``today``; returns how many changed grade."""
    todo: Sequence[str] = sorted(set(codes))
    if not todo:
        return 0
    await session.flush()
    ctx = await _context(session)
    if session.get_bind().dialect.name != "postgresql":
        # SQLite's driver already works in a thread of its own; a second one classifying
        # measured slower (bench.ingest_batch), so chunks are done one after the other
        changed = 0
        step = chunk or SQLITE_CHUNK
        for start in range(0, len(todo), step):
            part = list(todo[start : start + step])
            with phases.span("regrade: read"):
                raw = await _read(session, part, today)
            with phases.span("regrade: evaluate (wait)"):
                evaluated = work.evaluate(raw, today, ctx)
            with phases.span("regrade: write"):
                changed += await _write(session, evaluated, today=today, now=now, trigger=trigger)
        return changed
    step = chunk or CHUNK
    parts = [list(todo[i : i + step]) for i in range(0, len(todo), step)]
    # A chunk is classified in a worker thread (as the recompute does) while this
    # connection writes the previous chunk and reads the next one: PostgreSQL and Python
    # work at the same time instead of taking turns.
    changed = 0
    with phases.span("regrade: read"):
        raw = await _read(session, parts[0], today)
    done: work.Evaluated | None = None  # classified, not written yet
    for k in range(len(parts)):
        evaluating = asyncio.ensure_future(asyncio.to_thread(work.evaluate, raw, today, ctx))
        try:
            if done is not None:
                with phases.span("regrade: write"):
                    changed += await _write(session, done, today=today, now=now, trigger=trigger)
            if k + 1 < len(parts):
                with phases.span("regrade: read"):
                    raw = await _read(session, parts[k + 1], today)
        finally:
            with phases.span("regrade: evaluate (wait)"):
                done = await evaluating
    assert done is not None
    with phases.span("regrade: write"):
        changed += await _write(session, done, today=today, now=now, trigger=trigger)
    return changed
