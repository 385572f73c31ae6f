"""Maintenance jobs that run once per interval across all replicas (:func:`exclusive`: a
PostgreSQL advisory lock plus a last-run time in ``registry_setting``), and the jobs
themselves: pruning, Order 44 expiry recording, the daily re-grade."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.http.observability import log
from service.jobs.runtime import Job, Runtime
from service.models import IdempotencyKey, RegistrySetting, WebhookDelivery
from service.security import checkpoints
from service.store import audit, ledger

if TYPE_CHECKING:
    from service.store.recompute.run import RecomputeSummary

IDEMPOTENCY_TTL = timedelta(hours=24)
DELIVERY_LOG_TTL = timedelta(days=30)

# work(session, now, today) -> True to be run again at once (a full batch: maybe more to do)
JobWork = Callable[[AsyncSession, datetime, date], Awaitable[bool]]


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a job name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


async def try_job_lock(session: AsyncSession, name: str) -> bool:
    """PostgreSQL: try the job's transaction-scoped advisory lock (released by COMMIT).
    SQLite: the write transaction (BEGIN IMMEDIATE) already excludes every other writer."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    got = await session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": lock_key(name)})
    return bool(got.scalar_one())


def exclusive(name: str, every: timedelta, work: JobWork, *, tick: float = 60.0) -> Job:
    """A job that runs at most once per `every` across all replicas. Each replica looks every
    `tick` seconds; the database decides whether it is due."""
    setting_key = f"job.last_run.{name}"[:64]

    async def run(rt: Runtime) -> None:
        again = True
        while again:
            async with rt.db.session(write=True) as session:
                if not await try_job_lock(session, name):
                    return  # another replica is running it right now
                now = rt.clock.now()
                last = await session.get(RegistrySetting, setting_key)
                if last is not None and datetime.fromisoformat(last.value) + every > now:
                    return
                again = await work(session, now, rt.clock.today())
                if not again:
                    if last is None:
                        session.add(RegistrySetting(key=setting_key, value=now.isoformat()))
                    else:
                        last.value = now.isoformat()
                await ledger.commit(session)

    return Job(name, min(tick, every.total_seconds()), run)


def claimed(
    name: str,
    every: timedelta,
    action: Callable[[Runtime], Awaitable[object]],
    *,
    tick: float = 60.0,
) -> Job:
    """A long job that commits in chunks itself, so it must not run inside the claiming
    transaction (on SQLite that would hold the only write lock): one replica claims the period
    in a short exclusive transaction, then runs `action`. A crash mid-run is repaired by the
    next period's run, so `action` must be idempotent."""
    won = False

    async def claim(_session: AsyncSession, _now: datetime, _today: date) -> bool:
        nonlocal won
        won = True
        return False

    gate = exclusive(name, every, claim, tick=tick)

    async def run(rt: Runtime) -> None:
        nonlocal won
        won = False
        await gate.run(rt)
        if won:
            await action(rt)

    return Job(name, gate.tick, run)


async def recompute_grades(rt: Runtime) -> RecomputeSummary:
    """Grades age with time alone (a failure leaves the 24-month window): re-grade daily,
    in ``QCREDIT_RECOMPUTE_WORKERS`` processes like ``qcredit recompute --workers``."""
    from service.store.recompute.run import recompute

    summary = await recompute(
        rt.db, today=rt.clock.today(), trigger="daily", workers=rt.settings.recompute_workers
    )
    log.info(
        "daily recompute",
        enterprises=summary.enterprises,
        changed=summary.changed,
        processes=summary.processes,
        seconds=round(summary.seconds, 1),
    )
    return summary


def audit_checkpoint_work(key_file: str) -> JobWork:
    """Sign the audit head when it moved since the last checkpoint."""

    async def work(session: AsyncSession, now: datetime, _today: date) -> bool:
        key = checkpoints.configured_key(key_file)
        if key is not None:
            cp, made = await audit.make_checkpoint(session, key, now)
            if made:
                log.info("audit checkpoint signed", seq=cp.seq, head=cp.head)
        return False

    return work


async def prune_idempotency_keys(session: AsyncSession, now: datetime, _today: date) -> bool:
    """Idempotency keys are honoured for 24 hours. Nothing is left for a next batch."""
    await session.execute(
        delete(IdempotencyKey).where(col(IdempotencyKey.created_at) < now - IDEMPOTENCY_TTL)
    )
    return False


async def prune_delivery_log(session: AsyncSession, now: datetime, _today: date) -> bool:
    """The per-subscription delivery log keeps finished attempts for 30 days."""
    await session.execute(
        delete(WebhookDelivery).where(
            col(WebhookDelivery.state).in_(("delivered", "failed")),
            col(WebhookDelivery.created_at) < now - DELIVERY_LOG_TTL,
        )
    )
    return False


async def record_blacklist_expiries(session: AsyncSession, _now: datetime, today: date) -> bool:
    """Order 44 Art.21 expiries (reads already show them; this records them and emits the
    `blacklist.removed` events). True while a full batch was recorded (maybe more to do)."""
    from service.store.blacklist import procedure as blacklist

    batch = 500
    return await blacklist.record_expiries(session, today, batch=batch) >= batch
