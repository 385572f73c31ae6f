"""The public rate limit: whom it counts (trusted proxies only), what it covers (every
anonymous route that does work), and one budget across replicas sharing Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from service.app import create_app
from service.clock import FixedClock
from service.settings import Settings
from tests.procs import qcredit_serve

REDIS_URL = os.environ.get("QCREDIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _client(app: Any, peer: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 4000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def _statuses(c: httpx.AsyncClient, n: int, **kw: Any) -> list[int]:
    return [(await c.get("/public/v1/blacklist", **kw)).status_code for _ in range(n)]


async def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    settings: Settings, clock: FixedClock
) -> None:
    app = create_app(settings.model_copy(update={"public_rate_limit": 3}), clock=clock)
    try:
        async with _client(app, "127.0.0.1") as c:
            # a loopback peer naming a new client each time still has one budget
            got = [
                (
                    await c.get("/public/v1/blacklist", headers={"X-Forwarded-For": f"10.0.0.{i}"})
                ).status_code
                for i in range(5)
            ]
            assert got == [200, 200, 200, 429, 429]
    finally:
        await app.state.db.dispose()


async def test_trusted_proxy_forwards_the_client_address(
    settings: Settings, clock: FixedClock
) -> None:
    app = create_app(
        settings.model_copy(
            update={"public_rate_limit": 2, "trusted_proxies": "10.1.0.0/16, 192.0.2.9"}
        ),
        clock=clock,
    )
    try:
        async with _client(app, "10.1.2.3") as balancer:
            a = {"X-Forwarded-For": "203.0.113.1"}
            b = {"X-Forwarded-For": "203.0.113.2"}
            assert await _statuses(balancer, 3, headers=a) == [200, 200, 429]
            # another citizen behind the same balancer has a budget of their own
            assert await _statuses(balancer, 2, headers=b) == [200, 200]
            # a client cannot pose as someone else by prepending: the rightmost untrusted
            # address is the one the balancer saw
            spoof = {"X-Forwarded-For": "198.51.100.77, 203.0.113.1"}
            assert await _statuses(balancer, 1, headers=spoof) == [429]
        async with _client(app, "192.0.2.9") as second_proxy:
            # chained proxies: both trusted, the client is the first untrusted from the right
            chain = {"X-Forwarded-For": "203.0.113.2, 10.1.9.9"}
            assert await _statuses(second_proxy, 1, headers=chain) == [429]
        async with _client(app, "198.51.100.5") as direct:
            # an untrusted peer's header is ignored: the peer itself is counted
            assert await _statuses(direct, 3, headers=a) == [200, 200, 429]
    finally:
        await app.state.db.dispose()


def test_trusted_proxies_must_be_addresses_or_networks(settings: Settings) -> None:
    with pytest.raises(ValueError, match="QCREDIT_TRUSTED_PROXIES"):
        create_app(settings.model_copy(update={"trusted_proxies": "10.0.0.0/8, balancer"}))


@pytest.mark.parametrize(
    "path", ["/", "/stats", "/downloads", "/public/v1/blacklist/export?format=csv"]
)
async def test_every_anonymous_route_that_works_is_limited(
    settings: Settings, clock: FixedClock, path: str
) -> None:
    app = create_app(settings.model_copy(update={"public_rate_limit": 1}), clock=clock)
    try:
        async with _client(app, "203.0.113.50") as c:
            first = await c.get(path)
            assert first.status_code == 200, first.text
            assert first.headers["ratelimit-limit"] == "1"
            assert (await c.get(path)).status_code == 429
            # operations endpoints stay open for the balancer's health checks
            assert (await c.get("/readyz")).status_code == 200
            assert (await c.get("/static/app.css")).status_code in (200, 404)
    finally:
        await app.state.db.dispose()


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix unique to this test; its keys are deleted afterwards."""
    prefix = f"qcredit-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    client = aioredis.from_url(REDIS_URL)
    try:
        await client.ping()
    except OSError as err:  # pragma: no cover - environment problem
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {err}")
    try:
        yield prefix
    finally:
        keys = [k async for k in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_two_replicas_sharing_redis_enforce_one_budget(
    settings: Settings, clock: FixedClock, redis_prefix: str
) -> None:
    shared = settings.model_copy(
        update={"public_rate_limit": 3, "redis_url": REDIS_URL, "redis_key_prefix": redis_prefix}
    )
    one, two = create_app(shared, clock=clock), create_app(shared, clock=clock)
    try:
        async with _client(one, "203.0.113.9") as a, _client(two, "203.0.113.9") as b:
            assert await _statuses(a, 2) == [200, 200]
            r = await b.get("/public/v1/blacklist")
            assert r.status_code == 200
            assert r.headers["ratelimit-remaining"] == "0"
            assert await _statuses(b, 1) == [429]
            assert await _statuses(a, 1) == [429]
        async with _client(one, "203.0.113.10") as other:
            assert await _statuses(other, 1) == [200]
        probe = aioredis.from_url(REDIS_URL)
        try:
            assert [k async for k in probe.scan_iter(match=f"{redis_prefix}*")]
        finally:
            await probe.aclose()
    finally:
        await one.state.db.dispose()
        await two.state.db.dispose()


async def test_unreachable_redis_falls_back_to_a_local_budget(
    settings: Settings, clock: FixedClock
) -> None:
    from tests.procs import free_port

    down = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app = create_app(
        settings.model_copy(update={"public_rate_limit": 2, "redis_url": down}), clock=clock
    )
    try:
        async with _client(app, "203.0.113.11") as c:
            assert await _statuses(c, 3) == [200, 200, 429]
    finally:
        await app.state.db.dispose()


def test_served_app_ignores_forwarded_for_from_loopback(database_url: str, tmp_path: Path) -> None:
    """Through ``qcredit serve`` (uvicorn trusts 127.0.0.1's X-Forwarded-For by default)."""
    env = {"QCREDIT_DATABASE_URL": database_url, "QCREDIT_PUBLIC_RATE_LIMIT": "3"}
    with qcredit_serve(env, tmp_path) as server, httpx.Client(base_url=server.url) as c:
        got = [
            c.get("/public/v1/blacklist", headers={"X-Forwarded-For": f"10.9.0.{i}"})
            for i in range(5)
        ]
    assert [r.status_code for r in got] == [200, 200, 200, 429, 429]


async def test_a_refused_public_request_still_counts_and_says_its_budget(
    settings: Settings, clock: FixedClock
) -> None:
    """A control character in a public query is a 422 — after the request was counted, so
    such requests are not a way around the limit, and the answer carries the budget."""
    app = create_app(settings.model_copy(update={"public_rate_limit": 2}), clock=clock)
    try:
        async with _client(app, "198.51.100.7") as c:
            first = await c.get("/public/v1/blacklist", params={"q": "\x01"})
            assert first.status_code == 422
            assert first.headers["ratelimit-remaining"] == "1"
            assert (await c.get("/public/v1/blacklist")).status_code == 200
            assert (await c.get("/public/v1/blacklist", params={"q": "\x01"})).status_code == 429
    finally:
        await app.state.db.dispose()
