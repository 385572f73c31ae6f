"""Idempotency-Key on every POST under /v1 (one middleware), and the maintenance runner that
prunes keys after 24 hours — once across replicas."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import func, select

from service.clock import FixedClock
from service.db import Database
from service.jobs.periodic import exclusive, prune_idempotency_keys
from service.jobs.runtime import Runtime
from service.models import IdempotencyKey, Watchlist
from service.settings import Settings
from tests.api._records import record_body
from tests.api._sharing import HEBEI, PANJIN, put_enterprise

BODY = {"name": "供应商", "codes": [PANJIN, HEBEI]}


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def count(app: Any, model: Any) -> int:
    async with app.state.db.session(write=False) as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_replay_returns_the_stored_response(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    first = await client.post("/v1/watchlists", json=BODY, headers=keyed(national.headers, "k-1"))
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    again = await client.post("/v1/watchlists", json=BODY, headers=keyed(national.headers, "k-1"))
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["content-type"] == first.headers["content-type"]
    assert await count(app, Watchlist) == 1
    # without a key, or with a new one, the request runs again
    other = await client.post("/v1/watchlists", json=BODY, headers=keyed(national.headers, "k-2"))
    assert other.json()["id"] != first.json()["id"]
    assert await count(app, Watchlist) == 2


async def test_same_key_different_request_is_422(client: httpx.AsyncClient, national: Any) -> None:
    await client.post("/v1/watchlists", json=BODY, headers=keyed(national.headers, "k"))
    r = await client.post(
        "/v1/watchlists", json={**BODY, "name": "另一个"}, headers=keyed(national.headers, "k")
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["rule"] == "idempotency-key-reuse"
    # another path with the same key and body is another request too
    r = await client.post("/v1/webhooks", json=BODY, headers=keyed(national.headers, "k"))
    assert r.json()["rule"] == "idempotency-key-reuse"


async def test_keys_are_per_agency(
    app: Any, client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    other = await make_agency("province", "21")
    a = await client.post("/v1/watchlists", json=BODY, headers=keyed(national.headers, "same"))
    b = await client.post("/v1/watchlists", json=BODY, headers=keyed(other.headers, "same"))
    assert a.status_code == b.status_code == 201
    assert "idempotent-replayed" not in b.headers
    assert a.json()["id"] != b.json()["id"]


async def test_in_flight_duplicate_is_409_and_5xx_is_not_stored(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    release, entered = asyncio.Event(), asyncio.Event()
    calls: list[int] = []
    router = APIRouter()

    @router.post("/v1/_test/slow", response_model=None)
    async def slow(body: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        calls.append(1)
        entered.set()
        if body.get("fail") and len(calls) == 1:
            return JSONResponse({"detail": "try later"}, status_code=503)
        if body.get("fail") and len(calls) == 2:
            raise RuntimeError("boom")  # an unexpected error: 500
        await release.wait()
        return {"n": len(calls)}

    app.include_router(router)
    h = keyed(national.headers, "slow-1")
    first = asyncio.create_task(client.post("/v1/_test/slow", json={}, headers=h))
    await asyncio.wait_for(entered.wait(), timeout=10)
    dup = await client.post("/v1/_test/slow", json={}, headers=h)
    assert dup.status_code == 409
    assert dup.json()["rule"] == "idempotency-in-flight"
    assert dup.headers["retry-after"] == "1"
    release.set()
    assert (await first).json() == {"n": 1}
    replay = await client.post("/v1/_test/slow", json={}, headers=h)
    assert replay.json() == {"n": 1}
    assert replay.headers["idempotent-replayed"] == "true"

    calls.clear()
    h = keyed(national.headers, "fails-first")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        r = await c.post("/v1/_test/slow", json={"fail": True}, headers=h)
        assert r.status_code == 503
        r = await c.post("/v1/_test/slow", json={"fail": True}, headers=h)
        assert r.status_code == 500
        r = await c.post("/v1/_test/slow", json={"fail": True}, headers=h)
    assert r.status_code == 200  # no 5xx was stored: each retry ran
    assert "idempotent-replayed" not in r.headers
    assert len(calls) == 3


async def test_4xx_is_stored_and_replayed(client: httpx.AsyncClient, national: Any) -> None:
    h = keyed(national.headers, "bad-body")
    r = await client.post("/v1/watchlists", json={"name": ""}, headers=h)
    assert r.status_code == 422
    again = await client.post("/v1/watchlists", json={"name": ""}, headers=h)
    assert again.status_code == 422
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == r.json()


async def test_works_for_other_areas_post_routes(client: httpx.AsyncClient, national: Any) -> None:
    """Nothing in the records router knows about idempotency; the middleware covers it."""
    await put_enterprise(client, national.headers, PANJIN)
    body = record_body("inspection")
    h = keyed(national.headers, "rec-1")
    a = await client.post(f"/v1/enterprises/{PANJIN}/records", json=body, headers=h)
    assert a.status_code == 201, a.text
    b = await client.post(f"/v1/enterprises/{PANJIN}/records", json=body, headers=h)
    assert b.headers["idempotent-replayed"] == "true"
    assert b.json() == a.json()


async def test_bad_keys_and_unauthenticated_requests(
    client: httpx.AsyncClient, national: Any
) -> None:
    r = await client.post("/v1/watchlists", json=BODY, headers=keyed(national.headers, "x" * 201))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "Idempotency-Key"
    r = await client.post("/v1/watchlists", json=BODY, headers={"Idempotency-Key": "k"})
    assert r.status_code == 401  # the route's own answer; nothing stored


async def test_keys_expire_after_24_hours_and_are_pruned_once(
    app: Any, client: httpx.AsyncClient, national: Any, clock: FixedClock, settings: Settings
) -> None:
    h = keyed(national.headers, "old")
    first = await client.post("/v1/watchlists", json=BODY, headers=h)
    clock.at += timedelta(hours=24, minutes=1)
    # expired: the same key runs as a new request
    again = await client.post("/v1/watchlists", json=BODY, headers=h)
    assert "idempotent-replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    await client.post("/v1/watchlists", json=BODY, headers=keyed(national.headers, "fresh"))
    clock.at += timedelta(hours=24, minutes=1)
    await client.post("/v1/watchlists", json=BODY, headers=keyed(national.headers, "newest"))
    assert await count(app, IdempotencyKey) == 3

    runs: list[int] = []

    async def counted(session: Any, now: Any, today: Any) -> bool:
        runs.append(1)
        return await prune_idempotency_keys(session, now, today)

    job = exclusive("idempotency.prune", timedelta(hours=1), counted)
    # two replicas (own engines) run the job at the same moment, then again soon after
    other_db = Database(settings)
    try:
        replicas = [Runtime(app.state.db, clock, settings), Runtime(other_db, clock, settings)]
        await asyncio.gather(*(job.run(rt) for rt in replicas))
        clock.at += timedelta(minutes=30)
        await asyncio.gather(*(job.run(rt) for rt in replicas))
        assert len(runs) == 1, "the job ran twice within its interval"
        clock.at += timedelta(minutes=31)
        await job.run(replicas[1])
        assert len(runs) == 2
    finally:
        await other_db.dispose()
    assert await count(app, IdempotencyKey) == 1  # only "newest" is younger than 24 h
