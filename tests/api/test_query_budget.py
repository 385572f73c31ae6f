"""The hot paths' database work, counted — a regression guard that does not depend on the
machine's speed (BENCHMARKS.md has the timings; this has no timing at all).

The lookup, a 200-code screening and a 1,000-record batch are each run once to warm the
connections and statement caches, then once more while every statement and round trip is
counted (tests/roundtrips.py). A change that adds one fails here; a change that removes one
fails too, so the budget below is lowered in the same commit and stays tight.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from service.app import create_app
from service.auth import ALL_SCOPES, Level
from service.clock import FixedClock
from service.settings import Settings
from service.store import agencies, ledger
from tests.api._blacklist import code
from tests.api._records import record_body
from tests.roundtrips import Counts, PgWireCounter, count_sqlite

# (statements, round trips) per backend and path, warm.
# The lookup is one statement (store/lookup.py). Screening reads its dataset version and its
# answers in one snapshot: BEGIN, version, answers, ROLLBACK. A 1,000-record batch is a
# fixed number of set-based statements on PostgreSQL; SQLite's driver traces each row of an
# executemany, so there the count grows with the records, as the work does.
BUDGET: dict[tuple[str, str], tuple[int, int]] = {
    ("postgres", "lookup"): (1, 1),
    ("postgres", "screening"): (4, 4),
    ("postgres", "batch"): (23, 23),
    ("sqlite", "lookup"): (1, 1),
    ("sqlite", "screening"): (4, 4),
    ("sqlite", "batch"): (1025, 1025),
}
ENTERPRISES = 10


def _backend(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgres"


@pytest.fixture
async def counted(
    database_url: str, clock: FixedClock
) -> AsyncIterator[tuple[httpx.AsyncClient, Counts, dict[str, str]]]:
    """A client of an app whose database work is counted, and a national agency's headers."""
    backend = _backend(database_url)
    if backend == "postgres":
        url = make_url(database_url)
        proxy = PgWireCounter(url.host or "127.0.0.1", url.port or 5432)
        await proxy.__aenter__()
        app_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    else:
        app_url = database_url
    settings = Settings(
        database_url=app_url,
        log_json=True,
        log_level="WARNING",
        run_background=False,
        auth_cache_seconds=3600,  # a key is checked once; its cache never expires mid-test
    )
    app = create_app(settings, clock=clock)
    counts = proxy.counts if backend == "postgres" else count_sqlite(app.state.db.engine)
    async with app.state.db.session(write=True) as session:
        _, key = await agencies.create(
            session, name="国家局", level=Level.NATIONAL, region="", scopes=frozenset(ALL_SCOPES)
        )
        await ledger.commit(session)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client, counts, {"Authorization": f"Bearer {key}"}
    finally:
        await app.state.db.dispose()
        if backend == "postgres":
            await proxy.__aexit__(None, None, None)


async def _measure(
    counts: Counts, request: Callable[[int], Awaitable[httpx.Response]]
) -> tuple[int, int]:
    """Run `request(0)` to warm up, then `request(1)` counted."""
    r = await request(0)
    assert r.status_code == 200, r.text
    counts.reset()
    r = await request(1)
    assert r.status_code == 200, r.text
    return counts.snapshot()


def _check(backend: str, path: str, got: tuple[int, int]) -> None:
    want = BUDGET[(backend, path)]
    assert got == want, (
        f"{path} on {backend}: {got[0]} statements / {got[1]} round trips, budget "
        f"{want[0]} / {want[1]} — find what added one, or lower BUDGET if you removed one"
    )


async def _registered(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    codes = [code(700 + i) for i in range(ENTERPRISES)]
    for c in codes:
        r = await client.put(
            f"/v1/enterprises/{c}",
            json={"name": f"示例企业{c[-6:]}有限公司", "products": ["dairy"]},
            headers=headers,
        )
        assert r.status_code == 201, r.text
    return codes


async def test_lookup_budget(counted: Any, database_url: str) -> None:
    client, counts, headers = counted
    codes = await _registered(client, headers)
    got = await _measure(
        counts, lambda i: client.get(f"/v1/enterprises/{codes[i]}", headers=headers)
    )
    _check(_backend(database_url), "lookup", got)


async def test_screening_budget(counted: Any, database_url: str) -> None:
    client, counts, headers = counted
    codes = await _registered(client, headers)
    unknown = [code(900 + i) for i in range(150)]

    async def screen(i: int) -> httpx.Response:
        batch = (codes + unknown)[i::2] * 2  # 200 codes: registered, unknown, repeated
        return await client.post("/v1/screen", json={"codes": batch}, headers=headers)

    _check(_backend(database_url), "screening", await _measure(counts, screen))


async def test_batch_budget(counted: Any, database_url: str) -> None:
    client, counts, headers = counted
    codes = await _registered(client, headers)
    kinds = ("inspection", "complaint", "penalty", "inspection", "commendation")

    async def batch(_: int) -> httpx.Response:
        records = [
            {"code": codes[i % ENTERPRISES], **record_body(kinds[i % len(kinds)])}
            for i in range(1000)
        ]
        r = await client.post("/v1/records/batch", json={"records": records}, headers=headers)
        assert r.json()["accepted"] == 1000, r.text
        return r

    _check(_backend(database_url), "batch", await _measure(counts, batch))
