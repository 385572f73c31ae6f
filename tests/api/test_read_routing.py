"""Read routing with ``QCREDIT_READ_DATABASE_URL`` at the API level: which reads may go to
the replica, read-your-writes positions, lagging and unreachable replicas, and what
/readyz and /metrics say. Here the "replica" is the test database itself (PostgreSQL); the
real streaming standby is in tests/cluster/test_replica.py."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from service.app import create_app
from service.clock import FixedClock
from service.replica import format_lsn, parse_lsn
from service.settings import Settings
from tests.api._blacklist import code, enterprise
from tests.procs import free_port

PG = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def routed(metrics: str) -> dict[str, float]:
    found = re.findall(r'qcredit_replica_routed_reads_total\{target="(\w+)"\} ([0-9.e+]+)', metrics)
    return {target: float(n) for target, n in found}


@pytest.fixture
async def replica_client(
    settings: Settings, clock: FixedClock, request: pytest.FixtureRequest
) -> AsyncIterator[httpx.AsyncClient]:
    extra: dict[str, Any] = getattr(request, "param", {})
    update = {"read_database_url": settings.database_url, **extra}
    app = create_app(settings.model_copy(update=update), clock=clock)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c
    finally:
        await app.state.db.dispose()


def test_lsn_round_trip() -> None:
    assert parse_lsn("0/16B3748") == 0x16B3748
    assert parse_lsn("1/0") == 1 << 32
    assert format_lsn(parse_lsn("A/FF") or 0) == "A/FF"
    assert parse_lsn("0/") is None and parse_lsn("x/1") is None and parse_lsn("1/2/3") is None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_has_no_replica(settings: Settings) -> None:
    with pytest.raises(ValueError, match="QCREDIT_READ_DATABASE_URL"):
        create_app(settings.model_copy(update={"read_database_url": "postgresql+asyncpg://x/y"}))


@PG
async def test_public_reads_go_to_the_replica_agency_reads_to_the_primary(
    replica_client: httpx.AsyncClient, make_agency: Any
) -> None:
    # make_agency writes through the app's own database: its primary
    c = replica_client
    h = (await make_agency()).headers
    ready = (await c.get("/readyz")).json()
    assert ready["replica"] == {"status": "in_use", "lag_seconds": 0.0, "max_lag_seconds": 10.0}
    before = routed((await c.get("/metrics")).text)
    assert (await c.get("/public/v1/blacklist")).status_code == 200
    assert (await c.get("/v1/stats/grades", headers=h)).status_code == 200
    assert (await c.post("/public/v1/screen", json={"codes": []})).status_code == 200
    # an agency's lookup is not replica-eligible
    uscc = code(1)
    put = await enterprise(c, h, uscc)
    assert put["code"] == uscc
    assert (await c.get(f"/v1/enterprises/{uscc}", headers=h)).status_code == 200
    after = routed((await c.get("/metrics")).text)
    assert after.get("replica", 0) - before.get("replica", 0) == 3
    assert after.get("primary", 0) == before.get("primary", 0)


@PG
async def test_a_write_carries_its_position_and_a_read_presenting_it_is_consistent(
    replica_client: httpx.AsyncClient, national: Any
) -> None:
    c, h = replica_client, national.headers
    uscc = code(2)
    r = await c.put(f"/v1/enterprises/{uscc}", headers=h, json={"name": "盘锦位置乳业有限公司"})
    assert r.status_code == 201, r.text
    lsn = r.headers["x-write-lsn"]
    assert parse_lsn(lsn) is not None
    assert "x-write-lsn" not in (await c.get("/public/v1/blacklist")).headers
    before = routed((await c.get("/metrics")).text)
    # a position the replica has not reached: the primary answers, with the write in it
    ahead = {**h, "X-Min-LSN": "FFFFFFF/0"}
    r = await c.get(f"/v1/enterprises/{uscc}/dossier", params={"format": "csv"}, headers=ahead)
    assert r.status_code == 200
    after = routed((await c.get("/metrics")).text)
    assert after["primary"] - before.get("primary", 0) == 1
    r = await c.get("/public/v1/blacklist", headers={"X-Min-LSN": "not-a-position"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "X-Min-LSN"


@PG
@pytest.mark.parametrize("replica_client", [{"max_replica_lag": -1.0}], indirect=True)
async def test_a_lagging_replica_is_bypassed(replica_client: httpx.AsyncClient) -> None:
    c = replica_client
    assert (await c.get("/readyz")).json()["replica"]["status"] == "lagging"
    assert (await c.get("/public/v1/blacklist")).status_code == 200
    metrics = (await c.get("/metrics")).text
    assert routed(metrics) == {"primary": 1.0}
    assert "qcredit_replica_in_use 0.0" in metrics


@PG
async def test_an_unreachable_replica_falls_back_to_the_primary(
    settings: Settings, clock: FixedClock
) -> None:
    down = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none"
    app = create_app(settings.model_copy(update={"read_database_url": down}), clock=clock)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            for _ in range(3):
                assert (await c.get("/public/v1/blacklist")).status_code == 200
            ready = await c.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["replica"]["status"] == "down"
            assert ready.json()["replica"]["lag_seconds"] is None
            metrics = (await c.get("/metrics")).text
            assert routed(metrics) == {"primary": 3.0}
            assert "qcredit_replica_lag_seconds NaN" in metrics
    finally:
        await app.state.db.dispose()


async def test_without_a_replica_nothing_changes(client: httpx.AsyncClient, national: Any) -> None:
    uscc = code(3)
    r = await client.put(
        f"/v1/enterprises/{uscc}", headers=national.headers, json={"name": "盘锦单库乳业有限公司"}
    )
    assert r.status_code == 201
    assert "x-write-lsn" not in r.headers
    ready = (await client.get("/readyz")).json()
    assert ready["status"] == "ready" and "replica" not in ready
    assert "qcredit_replica_routed_reads_total{" not in (await client.get("/metrics")).text
