"""The app against a real primary and streaming standby (tests/cluster/conftest.py):
public reads run on the standby, an agency sees its own write at once and the standby
after catch-up, and a standby stopped under load falls back to the primary without errors."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from service.app import create_app
from service.auth import ALL_SCOPES, Level
from service.clock import FixedClock
from service.credit.codes import make_uscc
from service.settings import Settings
from service.store import agencies, ledger
from tests.cluster.conftest import StreamingPair, fetchval
from tests.conftest import NOW

pytestmark = pytest.mark.cluster

SEARCH = "%blacklist_entry%"


def routed(metrics: str) -> dict[str, float]:
    found = re.findall(r'qcredit_replica_routed_reads_total\{target="(\w+)"\} ([0-9.e+]+)', metrics)
    return {target: float(n) for target, n in found}


@pytest.fixture
async def app(streaming_pair: StreamingPair) -> AsyncIterator[Any]:
    if not streaming_pair.standby_running():
        streaming_pair.start_standby()
    settings = Settings(
        database_url=streaming_pair.primary_url,
        read_database_url=streaming_pair.standby_url,
        max_replica_lag=3600,  # replay is paused on purpose below
        log_level="WARNING",
        run_background=False,
        public_rate_limit=100_000,
    )
    application = create_app(settings, clock=FixedClock(NOW))
    yield application
    await application.state.db.dispose()


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
async def headers(app: Any) -> dict[str, str]:
    async with app.state.db.session(write=True) as session:
        _, key = await agencies.create(
            session, name="辽宁省", level=Level.PROVINCE, region="21", scopes=ALL_SCOPES
        )
        await ledger.commit(session)
    return {"Authorization": f"Bearer {key}"}


async def test_public_reads_run_on_the_standby(
    client: httpx.AsyncClient, streaming_pair: StreamingPair
) -> None:
    primary_before = await streaming_pair.statements_on(streaming_pair.primary_port, SEARCH)
    standby_before = await streaming_pair.statements_on(streaming_pair.standby_port, SEARCH)
    for q in ("乳业", "食品", "线缆", "912111"):
        r = await client.get("/public/v1/blacklist", params={"q": q})
        assert r.status_code == 200, r.text
    r = await client.get("/public/v1/blacklist/export", params={"format": "csv"})
    assert r.status_code == 200
    standby_after = await streaming_pair.statements_on(streaming_pair.standby_port, SEARCH)
    primary_after = await streaming_pair.statements_on(streaming_pair.primary_port, SEARCH)
    assert standby_after - standby_before >= 5
    assert primary_after == primary_before
    ready = (await client.get("/readyz")).json()
    assert ready["replica"]["status"] == "in_use"
    assert ready["replica"]["lag_seconds"] < 5


async def test_own_write_visible_at_once_and_on_the_standby_after_catch_up(
    client: httpx.AsyncClient, headers: dict[str, str], streaming_pair: StreamingPair
) -> None:
    standby = streaming_pair.standby_port
    uscc = make_uscc("40000001", region="211100")
    await fetchval(standby, "SELECT pg_wal_replay_pause()")
    try:
        r = await client.put(
            f"/v1/enterprises/{uscc}", headers=headers, json={"name": "盘锦副本乳业有限公司"}
        )
        assert r.status_code == 201, r.text
        complaint = {
            "kind": "complaint",
            "source_ref": "12365-REPLICA-1",
            "occurred_on": "2026-06-10",
            "substantiated": True,
        }
        r = await client.post(f"/v1/enterprises/{uscc}/records", headers=headers, json=complaint)
        assert r.status_code == 201, r.text
        lsn = r.headers["x-write-lsn"]
        export = f"/v1/enterprises/{uscc}/dossier"
        consistent = {**headers, "X-Min-LSN": lsn}
        await asyncio.sleep(1.1)  # the app's view of the standby is refreshed
        before = routed((await client.get("/metrics")).text)
        # presenting the write's position: answered by the primary, with the write in it
        r = await client.get(export, params={"format": "csv"}, headers=consistent)
        assert r.status_code == 200 and "12365-REPLICA-1" in r.text
        # without it the read goes to the (paused, so stale) standby: the write is not there
        r = await client.get(export, params={"format": "csv"}, headers=headers)
        assert r.status_code == 404
        after = routed((await client.get("/metrics")).text)
        assert after["primary"] - before.get("primary", 0) == 1
        assert after["replica"] - before.get("replica", 0) == 1
    finally:
        await fetchval(standby, "SELECT pg_wal_replay_resume()")
    await streaming_pair.wait_replayed(lsn)
    await asyncio.sleep(1.1)
    before = routed((await client.get("/metrics")).text)
    r = await client.get(export, params={"format": "csv"}, headers=consistent)
    assert r.status_code == 200 and "12365-REPLICA-1" in r.text
    after = routed((await client.get("/metrics")).text)
    assert after["replica"] - before.get("replica", 0) == 1
    assert after.get("primary", 0) == before.get("primary", 0)


async def test_a_stopped_standby_falls_back_to_the_primary_without_errors(
    client: httpx.AsyncClient, streaming_pair: StreamingPair
) -> None:
    statuses: list[int] = []
    stop = asyncio.Event()

    async def reader() -> None:
        while not stop.is_set():
            r = await client.get("/public/v1/blacklist", params={"q": "乳业"})
            statuses.append(r.status_code)

    readers = [asyncio.create_task(reader()) for _ in range(4)]
    try:
        await asyncio.sleep(1.0)
        await asyncio.to_thread(streaming_pair.stop_standby)
        await asyncio.sleep(2.5)
    finally:
        stop.set()
        await asyncio.gather(*readers)
    assert len(statuses) > 20
    assert set(statuses) == {200}, [s for s in statuses if s != 200][:5]
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["replica"]["status"] == "down"
    metrics = (await client.get("/metrics")).text
    counts = routed(metrics)
    assert counts["primary"] > 0 and counts["replica"] > 0
    assert "qcredit_replica_in_use 0.0" in metrics
    streaming_pair.start_standby()  # for the tests after this one
