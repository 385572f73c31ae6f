"""Unexpected errors and outages: a 500 or 503 problem document that carries the request id,
and a log line that names the same id with the exception."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
import structlog
from fastapi import APIRouter

from service import migrate
from service.app import create_app
from service.auth import ALL_SCOPES, Level
from service.clock import FixedClock
from service.http.observability import configure_logging
from service.settings import Settings
from service.store import agencies, ledger
from tests.api._pgcluster import own_cluster
from tests.api._sharing import PANJIN, put_enterprise
from tests.conftest import NOW


def _log_lines(text: str) -> list[dict[str, Any]]:
    out = []
    for line in text.splitlines():
        try:
            out.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue
    return out


@pytest.fixture
def logs(app: Any) -> Iterator[io.StringIO]:
    """The service's JSON log lines, in a buffer (after the app configured logging)."""
    buffer = io.StringIO()
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(buffer))
    yield buffer
    configure_logging("WARNING", json=True)


async def test_a_500_carries_the_request_id_and_its_log_line_the_exception(
    app: Any, client: httpx.AsyncClient, national: Any, logs: io.StringIO
) -> None:
    router = APIRouter()

    @router.get("/v1/_test/boom")
    async def boom() -> None:
        raise RuntimeError("kaboom")

    app.include_router(router)
    r = await client.get("/v1/_test/boom", headers=national.headers)
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/internal")
    request_id = r.headers["x-request-id"]
    assert request_id
    [line] = [e for e in _log_lines(logs.getvalue()) if e.get("event") != "request"]
    assert line["request_id"] == request_id
    assert line["level"] == "error"
    assert "RuntimeError: kaboom" in line["exception"]
    # a caller's own id is kept
    r = await client.get("/v1/_test/boom", headers={**national.headers, "X-Request-ID": "abc-1"})
    assert r.headers["x-request-id"] == "abc-1"


async def test_requests_during_a_database_outage_get_503_with_retry_after() -> None:
    """Stops (and restarts) a PostgreSQL cluster this test started itself."""
    with own_cluster() as cluster:
        await asyncio.to_thread(migrate.upgrade, cluster.url)
        settings = Settings(
            database_url=cluster.url,
            log_level="WARNING",
            run_background=False,
            auth_cache_seconds=0,
        )
        app = create_app(settings, clock=FixedClock(NOW))
        logs = io.StringIO()
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(logs))
        try:
            async with app.state.db.session(write=True) as session:
                _, key = await agencies.create(
                    session,
                    name="national",
                    level=Level.NATIONAL,
                    region="",
                    scopes=ALL_SCOPES,
                )
                await ledger.commit(session)
            auth = {"Authorization": f"Bearer {key}"}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                await put_enterprise(client, auth, PANJIN)
                assert (await client.get(f"/v1/enterprises/{PANJIN}", headers=auth)).is_success
                logs.seek(0)
                logs.truncate()

                await asyncio.to_thread(cluster.stop)
                requests = [
                    client.get(f"/v1/enterprises/{PANJIN}", headers=auth),
                    client.put(f"/v1/enterprises/{PANJIN}", json={"name": "x"}, headers=auth),
                    client.post(
                        "/v1/watchlists",
                        json={"name": "w", "codes": [PANJIN]},
                        headers={**auth, "Idempotency-Key": "during-outage"},
                    ),
                    client.get("/public/v1/blacklist", params={"q": "盘锦"}),
                    client.get("/readyz"),
                ]
                for request in requests:
                    r = await request
                    assert r.status_code == 503, (r.request.url, r.status_code, r.text)
                    assert r.headers["content-type"] == "application/problem+json"
                    assert int(r.headers["retry-after"]) > 0
                    assert r.headers["x-request-id"]
                logged = _log_lines(logs.getvalue())
                ids = {e.get("request_id") for e in logged if e.get("level") == "error"}
                assert len(ids) >= 4

                await asyncio.to_thread(cluster.start)
                r = await client.get(f"/v1/enterprises/{PANJIN}", headers=auth)
                assert r.status_code == 200, r.text
        finally:
            configure_logging("WARNING", json=True)
            await app.state.db.dispose()
