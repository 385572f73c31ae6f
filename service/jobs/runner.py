"""Runs the background jobs: in the server's lifespan (``QCREDIT_RUN_BACKGROUND``) or as
``qcredit worker``. Each job loops on its own; a failing job never takes the others down."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

from service.http.observability import log
from service.jobs.dispatcher import Dispatcher, OutboxSignal
from service.jobs.periodic import (
    claimed,
    exclusive,
    prune_delivery_log,
    prune_idempotency_keys,
    recompute_grades,
    record_blacklist_expiries,
)
from service.jobs.runtime import Job, Runtime
from service.settings import Settings


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
