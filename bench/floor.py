"""The Python floor for the lookup: raw Starlette + asyncpg (or aiosqlite), no ORM, no FastAPI.

``GET /floor/enterprises/{code}`` issues the reads that ``GET /v1/enterprises/{code}`` needs
(see LOOKUP_SQL) on one pooled connection and returns JSON of the rows, so the ratio
service/floor is what the framework, the ORM, the dossier snapshot, the classification and
the response model cost on top of the driver. Run it like the service:

    BENCH_FLOOR_URL=postgresql://postgres@127.0.0.1:5432/qcredit_bench \\
        .venv/bin/uvicorn bench.floor:app --port 8101 --workers 1
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.clock import CHINA
from service.store import lookup
from service.store.lookup import BY_USCC

# The reads the service issues for one lookup: the key (service.auth — cached for
# AUTH_CACHE_SECONDS per key, as the service's default `auth_cache_seconds`) and the one
# statement of service.store.lookup. "$1" is the key hash or the code, "$2" today. The same
# text runs in pgbench (bench/scenario_lookup.py).
LOOKUP_SQL: dict[str, str] = {
    "auth": (
        "SELECT agency.id, agency.name, agency.level, agency.region, agency.scopes "
        "FROM agency JOIN api_key ON api_key.agency_id = agency.id "
        "WHERE api_key.key_hash = $1 AND api_key.revoked_at IS NULL "
        "AND agency.revoked_at IS NULL"
    ),
    "lookup": BY_USCC,
}
AUTH_CACHE_SECONDS = 10.0


class KeyCache:
    """The floor's version of the service's principal cache: key hash → checked at."""

    def __init__(self) -> None:
        self.checked: dict[str, float] = {}

    def fresh(self, key_hash: str) -> bool:
        at = self.checked.get(key_hash)
        return at is not None and time.monotonic() - at < AUTH_CACHE_SECONDS

    def mark(self, key_hash: str) -> None:
        self.checked[key_hash] = time.monotonic()


def _sqlite(sql: str) -> str:
    for n in range(3, 0, -1):
        sql = sql.replace(f"${n}", f"?{n}")
    return sql


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _default(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode()
    raise TypeError


class PgFloor:
    def __init__(self, dsn: str, size: int) -> None:
        self.dsn, self.size = dsn, size
        self.pool: Any = None
        self.keys = KeyCache()

    async def start(self) -> None:
        import asyncpg

        async def init(conn: Any) -> None:
            await conn.set_type_codec(
                "jsonb", encoder=_json_text, decoder=orjson.loads, schema="pg_catalog"
            )

        async def no_reset(_: Any) -> None:
            # asyncpg's default reset is a second statement per release; the service's
            # lookup pool (service/driver_pool.py) sends only the lookup, and so does this
            return None

        self.pool = await asyncpg.create_pool(
            self.dsn, min_size=2, max_size=self.size, init=init, reset=no_reset
        )

    async def stop(self) -> None:
        await self.pool.close()

    async def lookup(self, key_hash: str, code: str) -> dict[str, Any] | None:
        today = datetime.now(UTC).astimezone(CHINA).date()
        async with self.pool.acquire() as conn:
            if not self.keys.fresh(key_hash):
                if await conn.fetchrow(LOOKUP_SQL["auth"], key_hash) is None:
                    return {"error": 401}
                self.keys.mark(key_hash)
            row = await conn.fetchrow(LOOKUP_SQL["lookup"], code, today)
        return None if row is None else lookup.document(dict(row.items()), today)


class SqliteFloor:
    """A few aiosqlite connections (the service's driver) handed out from a queue."""

    def __init__(self, path: str, size: int) -> None:
        self.path, self.size = path, size
        self.conns: asyncio.Queue[Any] = asyncio.Queue()
        self.keys = KeyCache()

    async def start(self) -> None:
        import aiosqlite

        for _ in range(self.size):
            conn = await aiosqlite.connect(self.path, timeout=30)
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            self.conns.put_nowait(conn)

    async def stop(self) -> None:
        while not self.conns.empty():
            await self.conns.get_nowait().close()

    async def lookup(self, key_hash: str, code: str) -> dict[str, Any] | None:
        today = datetime.now(UTC).astimezone(CHINA).date().isoformat()
        conn = await self.conns.get()
        try:

            async def rows(name: str, *args: Any) -> list[Any]:
                async with conn.execute(_sqlite(LOOKUP_SQL[name]), args) as cur:
                    return list(await cur.fetchall())

            if not self.keys.fresh(key_hash):
                if not await rows("auth", key_hash):
                    return {"error": 401}
                self.keys.mark(key_hash)
            found = await rows("lookup", code, today)
        finally:
            self.conns.put_nowait(conn)
        if not found:
            return None
        return lookup.document(lookup.from_sqlite(dict(found[0])), date.fromisoformat(today))


def make_app(url: str | None = None, pool_size: int = 20) -> Starlette:
    url = url or os.environ["BENCH_FLOOR_URL"]
    store: PgFloor | SqliteFloor = (
        SqliteFloor(url.removeprefix("sqlite:///"), 4)
        if url.startswith("sqlite")
        else PgFloor(url, pool_size)
    )

    async def lookup(request: Request) -> Response:
        auth = request.headers.get("authorization", "")
        key_hash = hashlib.sha256(auth.partition(" ")[2].strip().encode()).hexdigest()
        out = await store.lookup(key_hash, request.path_params["code"].upper())
        if out is None:
            return Response(b'{"status":404}', 404, media_type="application/json")
        if "error" in out:
            return Response(b'{"status":401}', 401, media_type="application/json")
        body = orjson.dumps(out, default=_default, option=orjson.OPT_UTC_Z)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return Response(body, media_type="application/json", headers={"ETag": etag})

    async def healthz(request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.start()
        yield
        await store.stop()

    return Starlette(
        routes=[
            Route("/floor/enterprises/{code}", lookup),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )


def app() -> Starlette:
    """uvicorn factory: ``uvicorn --factory bench.floor:app``."""
    return make_app(pool_size=int(os.environ.get("BENCH_FLOOR_POOL", "20")))
