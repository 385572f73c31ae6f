"""Grades change with time alone: the daily background job re-grades stored classes, once
per day across replicas."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from service.db import Database
from service.jobs.dispatcher import Dispatcher
from service.jobs.periodic import recompute_grades
from service.jobs.runner import default_jobs
from service.jobs.runtime import Runtime
from service.store.recompute import run as recompute_run
from tests.api._grading import add_record, code, inspection, put_enterprise


async def _run_daily(app: Any, db: Database) -> None:
    rt = Runtime(db, app.state.clock, app.state.settings)
    [job] = [
        j for j in default_jobs(Dispatcher(rt), asyncio.Event()) if j.name == "grades.recompute"
    ]
    await job.run(rt)


async def _stored(client: httpx.AsyncClient, headers: dict[str, str], uscc: str) -> str | None:
    r = await client.get("/v1/enterprises", params={"q": uscc[-6:]}, headers=headers)
    grades = {e["code"]: e["grade"] for e in r.json()["items"]}
    return grades.get(uscc)


async def test_failure_ageing_out_is_regraded_once_a_day(
    client: httpx.AsyncClient, app: Any, national: Any, clock: Any
) -> None:
    uscc = code(901)
    await put_enterprise(client, national.headers, uscc)
    await add_record(client, national.headers, uscc, inspection("d-pass", "2026-03-01"))
    await add_record(client, national.headers, uscc, inspection("d-fail", "2024-07-02", "fail"))
    assert await _stored(client, national.headers, uscc) == "B"

    # China date 2026-07-02: the failure is exactly 24 months old and still counts
    clock.at = datetime(2026, 7, 2, 2, tzinfo=UTC)
    await _run_daily(app, app.state.db)
    assert await _stored(client, national.headers, uscc) == "B"

    # 2026-07-03 09:00 China time: it has aged out (reads see it at once), but a second
    # replica finds the day's run already claimed 23 hours ago, so nothing is re-graded yet
    clock.at = datetime(2026, 7, 3, 1, tzinfo=UTC)
    r = await client.get(f"/v1/enterprises/{uscc}/classification", headers=national.headers)
    assert r.json()["grade"] == "A"
    # the lookup does not serve yesterday's stored class either
    r = await client.get(f"/v1/enterprises/{uscc}", headers=national.headers)
    assert r.json()["classification"]["grade"] == "A"
    other = Database(app.state.settings)
    try:
        await _run_daily(app, other)
    finally:
        await other.dispose()
    assert await _stored(client, national.headers, uscc) == "B"

    # past 24 hours since the last run: the stored grade and its history follow
    clock.at = datetime(2026, 7, 3, 3, tzinfo=UTC)
    await _run_daily(app, app.state.db)
    assert await _stored(client, national.headers, uscc) == "A"
    r = await client.get(f"/v1/enterprises/{uscc}/classification/history", headers=national.headers)
    latest = r.json()["items"][0]
    assert (latest["from"], latest["to"]) == ("B", "A")


async def test_daily_recompute_runs_in_worker_processes(
    client: httpx.AsyncClient, app: Any, national: Any, clock: Any, monkeypatch: Any
) -> None:
    """PostgreSQL: the daily job re-grades in QCREDIT_RECOMPUTE_WORKERS processes, the
    path `qcredit recompute --workers` takes, and the grades follow."""
    if app.state.settings.is_sqlite:
        pytest.skip("SQLite re-grades in one process")
    codes = [code(910 + n) for n in range(4)]
    for uscc in codes:
        await put_enterprise(client, national.headers, uscc)
        await add_record(client, national.headers, uscc, inspection(f"w-{uscc}", "2024-07-02"))
    assert {await _stored(client, national.headers, uscc) for uscc in codes} == {"A"}
    # chunks of one enterprise, so four enterprises are worth two processes
    monkeypatch.setattr(recompute_run, "CHUNK_SIZE", 1)
    rt = Runtime(
        app.state.db,
        app.state.clock,
        app.state.settings.model_copy(update={"recompute_workers": 2}),
    )
    clock.at = datetime(2026, 7, 3, 3, tzinfo=UTC)  # the passes are past 24 months: B
    summary = await recompute_grades(rt)
    assert (summary.processes, summary.enterprises, summary.changed) == (2, 4, 4)
    assert {await _stored(client, national.headers, uscc) for uscc in codes} == {"B"}
    one = await recompute_grades(
        Runtime(
            app.state.db, app.state.clock, rt.settings.model_copy(update={"recompute_workers": 1})
        )
    )
    assert (one.processes, one.enterprises, one.changed, one.written) == (1, 4, 0, 0)
