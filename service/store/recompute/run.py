"""Set-based re-evaluation of stored classes: grades change with time alone (a failure ages
out of its 24-month window, a listing expires), and a newly activated rule set re-grades
everyone.

A recompute is a maintenance job, not a request: it streams enterprises in chunks ordered
by code, loads each chunk's records with one query (only the columns the rules read, no
ORM objects), classifies in Python and writes only what changed — classification rows,
grade history, ``enterprise.grade`` and ``grade.changed`` events — committing per chunk.
An interrupted run leaves every finished chunk current; running it again is safe.

Concurrent writers: an API write re-grades its enterprise in its own transaction. On
PostgreSQL a chunk only overwrites a classification row whose ``computed_at`` is still
the one it read (and only inserts rows nobody inserted meanwhile), so a result computed
from a snapshot older than a concurrent write never replaces the writer's newer one.
SQLite write transactions (BEGIN IMMEDIATE) hold the database lock for the whole chunk.

Throughput: on PostgreSQL the next chunk is read while the current one is classified in
a worker thread, so database and Python time overlap; with ``workers`` > 1 (the CLI) the
code space is split into ranges re-graded by that many processes, each with its own
connection. Only rows that changed are written.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.db import Database
from service.models import Enterprise, StoredRuleSet
from service.models import utcnow as _utcnow
from service.store import ledger
from service.store.grading import dossiers
from service.store.grading import regrade as grading
from service.store.recompute import chunk_io as io
from service.store.recompute import work

__all__ = ["CHUNK_SIZE", "Progress", "RecomputeSummary", "recompute"]

CHUNK_SIZE = 5000
# (enterprises done, total) after each committed chunk
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class RecomputeSummary:
    today: date
    ruleset: str
    region: str | None
    enterprises: int = 0  # evaluated
    changed: int = 0  # grade changes (history rows and grade.changed events)
    written: int = 0  # classification rows inserted or rewritten
    skipped: int = 0  # rows a concurrent writer re-graded meanwhile (theirs kept)
    chunks: int = 0
    seconds: float = 0.0
    superseded: bool = False  # stopped early: another rule set was activated meanwhile
    processes: int = 1  # code ranges given to worker processes (1: all in the calling one)

    @property
    def per_second(self) -> float:
        return self.enterprises / self.seconds if self.seconds else 0.0


class RulesetChanged(Exception):
    """The active rule set changed under a running recompute."""


async def _apply(
    session: AsyncSession,
    chunk: work.RawChunk,
    evaluated: work.Evaluated,
    *,
    today: date,
    now: datetime,
    trigger: str,
    is_pg: bool,
) -> tuple[set[str], int]:
    """Write one chunk's results; returns (codes written, grade changes)."""
    writes = evaluated.writes
    if is_pg:
        done = await io.write_pg(session, writes, chunk.current, today, now)
    else:
        done = await io.write_plain(session, writes, today, now)
    changed = [w for w in writes if w.code in done and w.previous != w.grade]
    for w in changed:
        ledger.emit(
            session, "grade.changed", code=w.code, region_code=w.region_code, data=w.event, at=now
        )
    if is_pg:
        await io.record_changes_pg(session, changed, today=today, now=now, trigger=trigger)
        await io.sync_enterprise_grades(session, evaluated.repairs)
    elif changed:
        await io.write_history(session, changed, today=today, now=now, trigger=trigger)
        await io.sync_enterprise_grades(session, [w.code for w in changed] + evaluated.repairs)
    else:
        await io.sync_enterprise_grades(session, evaluated.repairs)
    return done, len(changed)


async def _context(db: Database, region: str | None) -> tuple[str, str | None, dict[str, str], int]:
    """(rule-set id, its TOML when published, product risks, enterprises to do)."""
    async with db.session(write=False) as session:
        ruleset_id = await grading.active_ruleset_id(session)
        stored = await session.get(StoredRuleSet, ruleset_id)
        risks = {c: r.value for c, r in (await dossiers.catalog_risks(session)).items()}
        count = select(func.count()).select_from(Enterprise)
        if region:
            count = count.where(col(Enterprise.region_code).startswith(region))
        total = int((await session.execute(count)).scalar_one())
    return ruleset_id, stored.body if stored else None, risks, total


@dataclass(frozen=True, slots=True)
class _Spec:
    """Everything a run needs, picklable so worker processes can run part of it."""

    url: str
    pgbouncer: bool
    today: date
    region: str | None
    chunk_size: int
    trigger: str
    now: datetime | None
    init_args: tuple[str, str | None, dict[str, str]]  # (rule-set id, TOML, risks)


async def _finish(
    db: Database,
    session: AsyncSession,
    spec: _Spec,
    chunk: work.RawChunk,
    evaluated: work.Evaluated,
    summary: RecomputeSummary,
) -> None:
    """Write a chunk's results (the caller commits) and account for them."""
    written = changed = 0
    active = await grading.active_ruleset_id(session)
    if active != spec.init_args[0]:
        # A newer activation runs its own re-grade; results of the old rule set must not
        # land after it (on SQLite this check and the write share one lock).
        raise RulesetChanged(f"rule set {active} was activated during the run")
    if evaluated.writes or evaluated.repairs:
        done, changed = await _apply(
            session,
            chunk,
            evaluated,
            today=spec.today,
            now=spec.now or _utcnow(),
            trigger=spec.trigger,
            is_pg=not db.is_sqlite,
        )
        written = len(done)
        codes = chunk.codes
        ledger.audit(session, "classification.recompute", f"{codes[0]}..{codes[-1]}")
    summary.enterprises += len(chunk.enterprises)
    summary.chunks += 1
    summary.written += written
    summary.skipped += len(evaluated.writes) - written
    summary.changed += changed


async def recompute(
    db: Database,
    *,
    today: date,
    region: str | None = None,
    progress: Progress | None = None,
    chunk_size: int | None = None,
    trigger: str = "recompute",
    now: datetime | None = None,
    workers: int = 0,
) -> RecomputeSummary:
    """Re-evaluate every enterprise (or those whose division code starts with ``region``)
    at ``today`` under the active rule set, writing only what changed.

    ``workers`` > 1 splits the code space into that many ranges, each re-graded by its own
    process with its own connection (PostgreSQL only; SQLite has one writer anyway)."""
    if region is not None and not (region.isdigit() and len(region) <= 6):
        raise ValueError(f"region must be a 1-6 digit division-code prefix, got {region!r}")
    started = time.perf_counter()
    chunk_size = chunk_size or CHUNK_SIZE
    ruleset_id, body, risks, total = await _context(db, region)
    summary = RecomputeSummary(today=today, ruleset=ruleset_id, region=region or None)
    spec = _Spec(
        db.url,
        db.pgbouncer,
        today,
        region or None,
        chunk_size,
        trigger,
        now,
        (ruleset_id, body, risks),
    )

    def report(_: int) -> None:
        if progress is not None:
            progress(summary.enterprises, max(total, summary.enterprises))

    try:
        if db.is_sqlite:
            await _run_sqlite(db, spec, summary, report)
        elif workers > 1 and total > workers * chunk_size:
            await _run_parallel(db, spec, workers, total, summary, progress)
        else:
            await _run_range(db, spec, "", None, summary, report)
    except RulesetChanged:
        summary.superseded = True
    if region is None and not summary.superseded:
        await _mark_graded_through(db, ruleset_id, today)
    summary.seconds = time.perf_counter() - started
    return summary


async def _mark_graded_through(db: Database, ruleset_id: str, today: date) -> None:
    """Every class is now ``today``'s: lookups may serve an unchanged row stored earlier
    (its ``as_of`` is when it last changed) without evaluating it again."""
    async with db.session(write=True) as session:
        if await grading.active_ruleset_id(session) == ruleset_id:
            await grading.mark_graded_through(session, today)
            await ledger.commit(session)


async def _run_sqlite(
    db: Database, spec: _Spec, summary: RecomputeSummary, on_chunk: Callable[[int], None]
) -> None:
    """Each chunk is read, classified and written in one BEGIN IMMEDIATE transaction."""
    ctx = work.make_context(*spec.init_args)
    after = ""
    while True:
        async with db.session(write=True) as session:
            chunk = await io.read_sqlite(
                session,
                after=after,
                upto=None,
                region=spec.region,
                limit=spec.chunk_size,
                today=spec.today,
            )
            if chunk is None:
                await session.rollback()
                return
            evaluated = work.evaluate(chunk, spec.today, ctx)
            await _finish(db, session, spec, chunk, evaluated, summary)
            await ledger.commit(session)
        after = chunk.codes[-1]
        on_chunk(len(chunk.enterprises))


async def _run_range(
    db: Database,
    spec: _Spec,
    after: str,
    upto: str | None,
    summary: RecomputeSummary,
    on_chunk: Callable[[int], None],
) -> None:
    """PostgreSQL, codes in (after, upto]: while chunk i is classified in a thread, chunk
    i-1 is written and chunk i+1 read, each on its own connection, so the database's time
    on writes (most of a cold run) overlaps Python's. Chunks are written in order. Reads
    and writes are separate transactions, which the optimistic write (io.write_pg) makes
    safe."""
    loop = asyncio.get_running_loop()
    ctx = work.make_context(*spec.init_args)
    in_flight: deque[tuple[work.RawChunk, asyncio.Future[work.Evaluated]]] = deque()

    async def read(after: str) -> work.RawChunk | None:
        async with db.session(write=False) as session:
            return await io.read_pg(
                session,
                after=after,
                upto=upto,
                region=spec.region,
                limit=spec.chunk_size,
                today=spec.today,
            )

    async def write_oldest() -> None:
        chunk, pending = in_flight.popleft()
        evaluated = await pending
        async with db.session(write=True) as session:
            await _finish(db, session, spec, chunk, evaluated, summary)
            await ledger.commit(session)
        on_chunk(len(chunk.enterprises))

    with ThreadPoolExecutor(1, thread_name_prefix="recompute") as executor:
        reading = asyncio.ensure_future(read(after))
        try:
            while (chunk := await reading) is not None:
                after = chunk.codes[-1]
                reading = asyncio.ensure_future(read(after))
                task = partial(work.evaluate, chunk, spec.today, ctx)
                in_flight.append((chunk, loop.run_in_executor(executor, task)))
                if len(in_flight) >= 2:
                    await write_oldest()
            while in_flight:
                await write_oldest()
        finally:
            reading.cancel()
            await asyncio.gather(reading, return_exceptions=True)
            for _, pending in in_flight:
                pending.cancel()


# --- worker processes -------------------------------------------------------------------------

_done_counter: Any = None  # multiprocessing.Value shared with the parent, per worker process


def _init_worker(counter: Any) -> None:
    global _done_counter
    _done_counter = counter


def _count(n: int) -> None:
    with _done_counter.get_lock():
        _done_counter.value += n


def _range_process(spec: _Spec, after: str, upto: str | None) -> RecomputeSummary:
    """Entry point of a worker process: re-grade codes in (after, upto]."""
    from service.settings import Settings

    async def main() -> RecomputeSummary:
        settings = Settings(database_url=spec.url, db_pool_size=2, pgbouncer=spec.pgbouncer)
        db = Database(settings)
        summary = RecomputeSummary(spec.today, spec.init_args[0], spec.region)
        try:
            await _run_range(db, spec, after, upto, summary, _count)
        except RulesetChanged:
            summary.superseded = True
        finally:
            await db.dispose()
        return summary

    return asyncio.run(main())


async def _boundaries(db: Database, region: str | None, total: int, parts: int) -> list[str]:
    """Codes splitting the enterprises (in code order) into ``parts`` equal ranges."""
    out: list[str] = []
    async with db.session(write=False) as session:
        for i in range(1, parts):
            stmt = select(col(Enterprise.code)).order_by(col(Enterprise.code))
            if region:
                stmt = stmt.where(col(Enterprise.region_code).startswith(region))
            code = (await session.execute(stmt.offset(total * i // parts).limit(1))).scalar()
            if code is not None and (not out or code > out[-1]):
                out.append(code)
    return out


async def _run_parallel(
    db: Database,
    spec: _Spec,
    workers: int,
    total: int,
    summary: RecomputeSummary,
    progress: Progress | None,
) -> None:
    cuts = await _boundaries(db, spec.region, total, workers)
    ranges = list(zip(["", *cuts], [*cuts, None], strict=True))
    mp = multiprocessing.get_context("spawn")  # not fork: this process runs an event loop
    counter = mp.Value("q", 0)
    with ProcessPoolExecutor(
        len(ranges), mp_context=mp, initializer=_init_worker, initargs=(counter,)
    ) as pool:
        futures = [
            asyncio.wrap_future(pool.submit(_range_process, spec, lo, hi)) for lo, hi in ranges
        ]
        waiting = asyncio.gather(*futures)
        while not waiting.done():
            await asyncio.wait([waiting], timeout=0.5)
            if progress is not None:
                progress(counter.value, total)
        for part in waiting.result():
            for name in ("enterprises", "changed", "written", "skipped", "chunks"):
                setattr(summary, name, getattr(summary, name) + getattr(part, name))
            summary.superseded |= part.superseded
        summary.processes = len(ranges)
