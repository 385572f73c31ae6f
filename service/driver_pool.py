"""A small asyncpg pool for the driver-level single-statement reads (``Database.fetch_row``).

The lookup is the registry's most frequent request and one statement long. Taken through
SQLAlchemy's pool, the checkout and return cost three greenlet switches and a pool event
dispatch — about as much CPU as the statement itself (BENCHMARKS.md, "Lookup"). asyncpg's own
pool hands out a connection with one queue operation.

Release does no reset: asyncpg's default sends ``RESET ALL; UNLISTEN *; …`` on every
release, a second round trip per read. These connections run only single read statements
outside any transaction (or inside one ``transaction()`` block behind PgBouncer, closed
before release), set no session state and listen to nothing, so there is nothing to reset;
asyncpg still rolls back a transaction left open.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import orjson
from sqlalchemy.ext.asyncio import AsyncEngine


async def _no_reset(_: Any) -> None:
    return None


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


async def _init(conn: Any) -> None:
    # the same decoding as the engine's connections (json_deserializer=orjson.loads)
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, encoder=_json_text, decoder=orjson.loads, schema="pg_catalog"
        )


ACQUIRE_TIMEOUT = 30.0

# URL query parameters that SQLAlchemy's asyncpg adapter takes for itself (it pops them
# before calling asyncpg.connect, which would refuse them)
_ADAPTER_ONLY = (
    "prepared_statement_cache_size",
    "prepared_statement_name_func",
    "async_creator_fn",
)


def connect_kwargs(engine: AsyncEngine) -> dict[str, Any]:
    """asyncpg.connect() arguments for the engine's URL, as the engine's own dialect reads it
    (multi-host failover URLs, ports, query parameters)."""
    dialect = engine.sync_engine.dialect
    args, kwargs = dialect.create_connect_args(engine.url)
    assert not args  # the asyncpg dialect passes everything by keyword
    return {k: v for k, v in kwargs.items() if k not in _ADAPTER_ONLY}


class DriverPool:
    """Created on first use, so a Database that never serves a hot read opens nothing."""

    def __init__(self, engine: AsyncEngine, size: int, *, pgbouncer: bool) -> None:
        self.kwargs = connect_kwargs(engine)
        if pgbouncer:
            self.kwargs["statement_cache_size"] = 0
        self.size = size
        self.pgbouncer = pgbouncer
        self._pool: Any = None
        self._lock = asyncio.Lock()

    async def _get(self) -> Any:
        if self._pool is None:
            async with self._lock:
                if self._pool is None:
                    self._pool = await asyncpg.create_pool(
                        **self.kwargs,
                        min_size=0,
                        max_size=self.size,
                        init=_init,
                        reset=_no_reset,
                        timeout=30,
                    )
        return self._pool

    async def fetch_row(self, sql: str, params: tuple[Any, ...]) -> Any:
        pool = await self._get()
        # as SQLAlchemy's pool_timeout: a stalled database answers 503 (TimeoutError), not
        # a queue of lookups waiting forever
        async with pool.acquire(timeout=ACQUIRE_TIMEOUT) as conn:
            if self.pgbouncer:  # prepare and execute on one server connection
                async with conn.transaction(readonly=True):
                    return await conn.fetchrow(sql, *params)
            return await conn.fetchrow(sql, *params)

    async def expire(self) -> None:
        """After a lost connection: the others went with it (server restart, failover)."""
        if self._pool is not None:
            await self._pool.expire_connections()

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()
