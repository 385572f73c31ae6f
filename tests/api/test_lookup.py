"""`GET /v1/enterprises/{code}`: the stored-class path answers exactly what live evaluation
answers, including the listing-in-force boundary; keys are cached for a bounded time."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from service.app import create_app
from service.clock import FixedClock
from service.credit.codes import parse_code
from service.settings import Settings
from service.store import agencies, enterprises, ledger, views
from service.store.grading import dossiers
from service.store.recompute import run as recompute
from tests.api._blacklist import T0, code, listed, set_day

pytestmark = pytest.mark.usefixtures("database_url")


async def _live_document(app: Any, uscc: str, today: date) -> dict[str, Any]:
    async with app.state.db.session(write=False) as session:
        enterprise = await enterprises.get(session, parse_code(uscc))
        out = await views.enterprise_out(session, enterprise, today)
    return out.model_dump(mode="json")


async def test_stored_class_document_equals_live_evaluation(
    client: httpx.AsyncClient, national: Any, app: Any
) -> None:
    uscc = code(41)
    await listed(client, national.headers, uscc, "L41")
    for spelling in (uscc, uscc[8:17]):  # by USCC and by organization code
        r = await client.get(f"/v1/enterprises/{spelling}", headers=national.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["blacklisted"] is True
        assert body["classification"]["grade"] == "C"
        assert body["classification"]["reasons"], "a listed enterprise has a reason"
        assert body == await _live_document(app, uscc, T0)
    # the same bytes from either path, so the ETag does not flip between them
    again = await client.get(
        f"/v1/enterprises/{uscc}",
        headers={**national.headers, "If-None-Match": r.headers["etag"]},
    )
    assert again.status_code == 304


async def test_stale_stored_class_is_evaluated_live(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    uscc = code(42)
    await listed(client, national.headers, uscc, "L42")
    set_day(clock, date(2026, 9, 1))  # no write and no daily run since T0
    body = (await client.get(f"/v1/enterprises/{uscc}", headers=national.headers)).json()
    assert body["classification"]["as_of"] == "2026-09-01"
    assert body["blacklisted"] is True


async def test_unchanged_class_is_served_after_the_daily_regrade_without_evaluating(
    client: httpx.AsyncClient,
    national: Any,
    clock: FixedClock,
    app: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The daily full re-grade writes only classes that changed; it marks the day, so an
    unchanged class stored earlier is served as that day's without a live evaluation."""
    uscc = code(45)
    await listed(client, national.headers, uscc, "L45")
    day = T0 + timedelta(days=1)
    set_day(clock, day)
    summary = await recompute.recompute(app.state.db, today=day)
    assert summary.written == 0  # nothing changed overnight: the stored row is T0's
    expected = await _live_document(app, uscc, day)

    live = views.enterprise_out
    evaluations: list[str] = []

    async def counted(*args: Any) -> Any:
        evaluations.append(args[1].code)
        return await live(*args)

    monkeypatch.setattr(views, "enterprise_out", counted)
    body = (await client.get(f"/v1/enterprises/{uscc}", headers=national.headers)).json()
    assert body["classification"]["as_of"] == day.isoformat()
    assert body == expected
    assert evaluations == []
    # a region's re-grade covers only part of the registry: it marks no day
    later = day + timedelta(days=1)
    set_day(clock, later)
    await recompute.recompute(app.state.db, today=later, region=uscc[2:4])
    body = (await client.get(f"/v1/enterprises/{uscc}", headers=national.headers)).json()
    assert body["classification"]["as_of"] == later.isoformat()
    assert evaluations == [uscc]


@pytest.mark.parametrize(
    ("day", "in_force"),
    [(date(2029, 6, 14), True), (date(2029, 6, 15), False)],  # Order 44 Art.21: 3 years
)
async def test_listing_expiry_boundary_on_the_stored_path(
    client: httpx.AsyncClient,
    national: Any,
    clock: FixedClock,
    app: Any,
    day: date,
    in_force: bool,
) -> None:
    uscc = code(43)
    await listed(client, national.headers, uscc, "L43")  # decided 2026-06-15
    set_day(clock, day)
    await recompute.recompute(app.state.db, today=day)  # the daily run: class stored for day
    body = (await client.get(f"/v1/enterprises/{uscc}", headers=national.headers)).json()
    assert body["classification"]["as_of"] == day.isoformat()
    assert body["blacklisted"] is in_force
    async with app.state.db.session(write=False) as session:
        assert bool((await dossiers.listings_in_force(session, [uscc], day)).get(uscc)) is in_force
    assert body == await _live_document(app, uscc, day)


async def _revoke(app: Any, agency_id: int) -> None:
    async with app.state.db.session(write=True) as session:
        await agencies.revoke(session, agency_id)
        await ledger.commit(session)


async def test_revoked_key_stops_working_when_its_cache_entry_expires(
    client: httpx.AsyncClient, make_agency: Any, app: Any, clock: FixedClock, settings: Settings
) -> None:
    key = await make_agency(name="cached")
    assert (await client.get("/v1/catalog", headers=key.headers)).status_code == 200
    checked = clock.at
    await _revoke(app, key.id)
    # still trusted until auth_cache_seconds (default 10) after the check
    ttl = timedelta(seconds=settings.auth_cache_seconds)
    clock.at = checked + ttl - timedelta(milliseconds=1)
    assert (await client.get("/v1/catalog", headers=key.headers)).status_code == 200
    clock.at = checked + ttl
    assert (await client.get("/v1/catalog", headers=key.headers)).status_code == 401


async def test_auth_cache_off_checks_every_request(
    settings: Settings, make_agency: Any, app: Any
) -> None:
    key = await make_agency(name="uncached")
    uncached = create_app(settings.model_copy(update={"auth_cache_seconds": 0}))
    transport = httpx.ASGITransport(app=uncached)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/v1/catalog", headers=key.headers)).status_code == 200
            await _revoke(app, key.id)  # the same database, through the fixture's app
            assert (await client.get("/v1/catalog", headers=key.headers)).status_code == 401
    finally:
        await uncached.state.db.dispose()


async def test_lookup_survives_connections_the_server_dropped(
    client: httpx.AsyncClient, national: Any, app: Any, database_url: str
) -> None:
    """After a database restart or failover every pooled connection is dead; the lookup
    (one read, safe to repeat) reconnects instead of failing on each of them."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to drop connections")
    uscc = code(44)
    await listed(client, national.headers, uscc, "L44")

    async def lookups(n: int) -> list[int]:
        url = f"/v1/enterprises/{uscc}"
        got = await asyncio.gather(*(client.get(url, headers=national.headers) for _ in range(n)))
        return [r.status_code for r in got]

    assert await lookups(6) == [200] * 6  # the pool now holds several connections
    admin = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    assert killed >= 1
    assert await lookups(1) == [200]
    assert await lookups(6) == [200] * 6
