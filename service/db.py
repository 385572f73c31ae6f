"""Async engine and sessions for SQLite (aiosqlite) and PostgreSQL (asyncpg).

SQLite note: a deferred transaction that reads and later writes can fail with "database is
locked" when another writer got in between, so write sessions start with BEGIN IMMEDIATE
and read sessions with a plain (deferred) BEGIN. PostgreSQL needs neither.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from service.settings import Settings

_WRITE_OPTION = "qcredit_write"


def is_sqlite_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, pool_size: int = 20) -> AsyncEngine:
    if is_sqlite_url(url):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    # No pre-ping (a round trip per checkout on the hot path); recycled connections and the
    # readiness probe catch a restarted server instead. No overflow: an overflow connection
    # is closed when returned, so a burst above the pool size would connect (TLS attempt,
    # empty statement cache) on every request; requests above it wait for a connection.
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_recycle=1800,
        json_deserializer=orjson.loads,  # jsonb columns on every read
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the driver so BEGIN IMMEDIATE is possible.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _numbered_qmarks(sql: str) -> str:
    """``$1`` (asyncpg) → ``?1`` (sqlite3's numbered parameters)."""
    return re.sub(r"\$(\d+)", r"?\1", sql)


class Database:
    """Owns the engine and the two session factories (read and write)."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.database_url
        self.engine = make_engine(self.url, pool_size=settings.db_pool_size)
        self.is_sqlite = is_sqlite_url(self.url)
        # PostgreSQL reads run in autocommit: READ COMMITTED gives each statement its own
        # snapshot anyway, and BEGIN/ROLLBACK would cost two round trips per request.
        read_engine = (
            self.engine
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self.read_sessions = async_sessionmaker(read_engine, expire_on_commit=False)
        self.write_sessions = async_sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    def session(self, *, write: bool) -> AsyncSession:
        return (self.write_sessions if write else self.read_sessions)()

    async def fetch_row(self, sql: str, *params: Any) -> dict[str, Any] | None:
        """One read statement straight on the driver connection (``$1``… placeholders):
        no ORM, no compiled-statement cache, no BEGIN — for the few hot reads whose single
        statement is its own snapshot. Values come back as the driver decodes them
        (SQLite: dates and JSON as text), so callers normalise per backend."""
        async with self.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
            if not self.is_sqlite:
                record = await driver.fetchrow(sql, *params)
                return None if record is None else dict(record.items())
            async with driver.execute(_numbered_qmarks(sql), params) as cursor:
                row = await cursor.fetchone()
                names = [d[0] for d in cursor.description]
            return None if row is None else dict(zip(names, row, strict=True))

    async def dispose(self) -> None:
        await self.engine.dispose()
