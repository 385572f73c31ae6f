"""Background work: the webhook dispatcher and periodic maintenance jobs.

Runs inside the server (app lifespan, when ``QCREDIT_RUN_BACKGROUND`` is true) and as
``qcredit worker``. Any number of these may run against one database:

* the dispatcher claims subscriptions and deliveries with ``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL (the SQLite write lock serializes), with a lease so a crashed sender's rows
  are retried — delivery is at least once, never twice concurrently;
* maintenance jobs are :func:`exclusive`: a PostgreSQL advisory lock (try-acquire) plus a
  last-run time in ``registry_setting``, checked and written in the job's transaction, so a
  job runs once per interval across all replicas.

The runner is a plain list of :class:`Job` entries; add one with ``exclusive(...)``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import delete, event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session
from sqlmodel import col

from service.clock import Clock
from service.db import Database
from service.http.observability import log
from service.models import Event, IdempotencyKey, RegistrySetting, WebhookDelivery
from service.security import ssrf
from service.settings import Settings
from service.store import deliveries as store
from service.store import ledger

IDEMPOTENCY_TTL = timedelta(hours=24)
DELIVERY_LOG_TTL = timedelta(days=30)
USER_AGENT = "qcredit-webhooks/0.1"


@dataclass(slots=True)
class Runtime:
    db: Database
    clock: Clock
    settings: Settings


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    tick: float  # seconds between runs of `run` on this replica
    run: Callable[[Runtime], Awaitable[None]]
    wake: asyncio.Event | None = None  # set to run before the tick is up


# --- exclusive periodic jobs -------------------------------------------------------------

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
    action: Callable[[Runtime], Awaitable[None]],
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


async def recompute_grades(rt: Runtime) -> None:
    """Grades age with time alone (a failure leaves the 24-month window): re-grade daily."""
    from service.store.recompute import recompute

    summary = await recompute(rt.db, today=rt.clock.today(), trigger="daily")
    log.info("daily recompute", enterprises=summary.enterprises, changed=summary.changed)


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
    from service.store import blacklist

    batch = 500
    return await blacklist.record_expiries(session, today, batch=batch) >= batch


# --- webhook delivery ---------------------------------------------------------------------


def signing_key(secret: str) -> bytes:
    """`whsec_<base64>` is a Standard Webhooks secret (the key is the decoded bytes); any
    other secret is used as its UTF-8 bytes."""
    if secret.startswith("whsec_"):
        raw = secret.removeprefix("whsec_")
        return base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    return secret.encode()


def sign(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """Standard Webhooks v1: base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))."""
    mac = hmac.new(signing_key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


async def send(
    client: httpx.AsyncClient, claimed: store.Claimed, *, allow_private: bool
) -> store.Outcome:
    """One attempt. The URL is checked again (its DNS may have changed since creation) and
    the request goes to the checked address, with the original Host and TLS server name."""
    try:
        target = await ssrf.check_url(claimed.url, allow_private=allow_private)
    except ssrf.UnsafeUrl as err:
        return store.Outcome(ok=False, error=f"refused ({err.rule}): {err.message}")
    body = orjson.dumps(claimed.event)
    # The signature timestamp is transport freshness checked against the receiver's wall
    # clock (5-minute tolerance), so it is real time, not the registry's business clock.
    timestamp = str(int(time.time()))
    msg_id = claimed.event["id"]
    headers = {
        "host": target.host_header,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": sign(claimed.secret, msg_id, timestamp, body),
    }
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        request = client.build_request(
            "POST", target.pinned_url(), content=body, headers=headers, extensions=extensions
        )
        # the receiver's body is never read: a hostile one could stream forever
        response = await client.send(request, stream=True)
        await response.aclose()
    except httpx.HTTPError as err:
        return store.Outcome(ok=False, error=f"{type(err).__name__}: {err}"[:500])
    status = response.status_code
    if 200 <= status < 300:
        return store.Outcome(ok=True, status=status)
    return store.Outcome(ok=False, status=status, error=f"HTTP {status}", gone=status == 410)


@dataclass
class Dispatcher:
    """Fans events out into deliveries and sends the due ones."""

    runtime: Runtime
    policy: store.RetryPolicy = field(default_factory=store.RetryPolicy)
    batch: int = 100
    lease: timedelta = timedelta(seconds=60)
    concurrency: int = 16
    timeout: float = 10.0
    client: httpx.AsyncClient | None = None

    def _client(self) -> httpx.AsyncClient:
        if self.client is None:
            self.client = httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=self.concurrency * 2),
            )
        return self.client

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None

    async def fan_out(self) -> int:
        async with self.runtime.db.session(write=True) as session:
            queued = await store.fan_out(session, now=self.runtime.clock.now())
            await ledger.commit(session)
        return queued

    async def send_due(self) -> int:
        """Claim and send one batch; returns how many were attempted."""
        async with self.runtime.db.session(write=True) as session:
            claimed = await store.claim_due(
                session, now=self.runtime.clock.now(), limit=self.batch, lease=self.lease
            )
            await ledger.commit(session)
        if not claimed:
            return 0
        gate = asyncio.Semaphore(self.concurrency)
        outcomes = await asyncio.gather(*(self._attempt(c, gate) for c in claimed))
        # one transaction for the batch: a commit per delivery would cap throughput
        async with self.runtime.db.session(write=True) as session:
            states = await store.record_outcomes(
                session,
                list(zip(claimed, outcomes, strict=True)),
                now=self.runtime.clock.now(),
                policy=self.policy,
            )
            await ledger.commit(session)
        for c, outcome, state in zip(claimed, outcomes, states, strict=True):
            if not outcome.ok:
                log.info("webhook attempt failed", delivery=c.id, state=state, error=outcome.error)
        return len(claimed)

    async def _attempt(self, claimed: store.Claimed, gate: asyncio.Semaphore) -> store.Outcome:
        async with gate:
            return await send(
                self._client(), claimed, allow_private=self.runtime.settings.webhook_allow_private
            )

    async def run_once(self, *, max_batches: int = 50) -> int:
        """Fan out, then send until nothing is due (bounded); returns deliveries attempted."""
        await self.fan_out()
        attempted = 0
        for _ in range(max_batches):
            n = await self.send_due()
            attempted += n
            if n < self.batch:
                break
        return attempted

    async def has_work(self) -> bool:
        async with self.runtime.db.session(write=False) as session:
            return await store.has_work(session, now=self.runtime.clock.now())

    def job(self, tick: float = 0.5, wake: asyncio.Event | None = None) -> Job:
        async def run(_: Runtime) -> None:
            if await self.has_work():
                await self.run_once()

        return Job("webhooks.dispatch", tick, run, wake)


class OutboxSignal:
    """Wakes this process's dispatcher as soon as a transaction that wrote outbox events has
    committed, so deliveries do not wait for the next poll (other replicas still poll)."""

    _KEY = "qcredit_outbox_written"

    def __init__(self, wake: asyncio.Event) -> None:
        self.wake = wake
        self.loop = asyncio.get_running_loop()

    def install(self) -> None:
        event.listen(Session, "do_orm_execute", self._seen)
        event.listen(Session, "after_commit", self._committed)

    def remove(self) -> None:
        event.remove(Session, "do_orm_execute", self._seen)
        event.remove(Session, "after_commit", self._committed)

    def _seen(self, state: ORMExecuteState) -> None:
        table = getattr(state.statement, "table", None)
        if state.is_insert and getattr(table, "name", None) == Event.__tablename__:
            state.session.info[self._KEY] = True

    def _committed(self, session: Session) -> None:
        if session.info.pop(self._KEY, False):
            with contextlib.suppress(RuntimeError):  # the loop is closing
                self.loop.call_soon_threadsafe(self.wake.set)


# --- the runner ---------------------------------------------------------------------------


def default_jobs(dispatcher: Dispatcher, outbox: asyncio.Event) -> list[Job]:
    return [
        dispatcher.job(wake=outbox),
        exclusive("idempotency.prune", timedelta(hours=1), prune_idempotency_keys),
        exclusive("webhooks.prune_log", timedelta(days=1), prune_delivery_log),
        exclusive("blacklist.expiry", timedelta(hours=1), record_blacklist_expiries),
        claimed("grades.recompute", timedelta(days=1), recompute_grades),
    ]


class Runner:
    """Runs each job in its own loop until stopped; a failing job is logged and retried at
    its next tick, never taking the others down."""

    def __init__(self, runtime: Runtime, jobs: list[Job] | None = None) -> None:
        self.runtime = runtime
        self.dispatcher = Dispatcher(runtime)
        self.outbox = asyncio.Event()
        self.jobs = jobs if jobs is not None else default_jobs(self.dispatcher, self.outbox)
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._signal: OutboxSignal | None = None
        # one wake-up per job: its own (the outbox signal) or a private one; stop sets all
        self._wakes = [job.wake or asyncio.Event() for job in self.jobs]

    async def _loop(self, job: Job, wake: asyncio.Event) -> None:
        while not self._stop.is_set():
            wake.clear()
            try:
                await job.run(self.runtime)
            except Exception:
                log.exception("background job failed", job=job.name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=job.tick)

    def start(self) -> None:
        self._signal = OutboxSignal(self.outbox)
        self._signal.install()
        self._tasks = [
            asyncio.create_task(self._loop(job, wake), name=job.name)
            for job, wake in zip(self.jobs, self._wakes, strict=True)
        ]

    async def stop(self) -> None:
        self.request_stop()
        if self._signal is not None:
            self._signal.remove()
            self._signal = None
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.dispatcher.aclose()

    async def run_forever(self) -> None:
        self.start()
        await self._stop.wait()
        await self.stop()

    def request_stop(self) -> None:
        self._stop.set()
        for wake in self._wakes:
            wake.set()


async def start_in_app(app: Any) -> Runner | None:
    """Lifespan hook: start the runner when the settings ask for it."""
    settings: Settings = app.state.settings
    if not settings.run_background:
        return None
    runner = Runner(Runtime(app.state.db, app.state.clock, settings))
    runner.start()
    return runner


async def stop_in_app(runner: Runner | None) -> None:
    if runner is not None:
        await runner.stop()
