"""Async engine and sessions for SQLite (aiosqlite) and PostgreSQL (asyncpg).

SQLite note: a deferred transaction that reads and later writes can fail with "database is
locked" when another writer got in between, so write sessions start with BEGIN IMMEDIATE
and read sessions with a plain (deferred) BEGIN. PostgreSQL needs neither.
"""

from __future__ import annotations

import re
import socket
import sqlite3
import uuid
from typing import Any

import asyncpg
import orjson
import sqlalchemy.exc
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from service.driver_pool import DriverPool
from service.http.inflight import InFlight
from service.replica import Replica, parse_lsn
from service.security.secrets import SecretBox
from service.settings import Settings

_WRITE_OPTION = "qcredit_write"


def is_sqlite_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _pgbouncer_statement_name() -> str:
    return f"__qcredit_{uuid.uuid4().hex}__"


# Behind PgBouncer in transaction pooling mode (Debian 12 ships 1.18, without the 1.21+
# prepared-statement support), consecutive statements of one client may run on different
# server connections: a prepared statement cached on one is missing (or a numbered name is
# already taken) on another. No statement caches, and unique names for the statements
# asyncpg still prepares (docs/scaling.md, "PgBouncer", has the measurements).
PGBOUNCER_CONNECT_ARGS: dict[str, Any] = {
    "statement_cache_size": 0,  # asyncpg's own cache
    "prepared_statement_cache_size": 0,  # SQLAlchemy's asyncpg adapter cache
    "prepared_statement_name_func": _pgbouncer_statement_name,
}


def make_engine(
    url: str, *, pool_size: int = 20, replica: bool = False, pgbouncer: bool = False
) -> AsyncEngine:
    if is_sqlite_url(url):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = dict(PGBOUNCER_CONNECT_ARGS) if pgbouncer else {}
    if replica:
        # A replica may vanish (failover, maintenance): ping on checkout and give up fast,
        # so a read falls back to the primary instead of failing or hanging.
        return create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=0,
            pool_recycle=1800,
            pool_pre_ping=True,
            pool_use_lifo=True,
            connect_args={**connect_args, "timeout": 3},
            json_deserializer=orjson.loads,
        )
    # No pre-ping (a round trip per checkout on the hot path); recycled connections and the
    # readiness probe catch a restarted server instead. No overflow: an overflow connection
    # is closed when returned, so a burst above the pool size would connect (TLS attempt,
    # empty statement cache) on every request; requests above it wait for a connection.
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_recycle=1800,
        connect_args=connect_args,
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


# Errors after which a PostgreSQL connection is unusable (not the statement's own errors).
_LOST_CONNECTION = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
)


_UNAVAILABLE = (
    ConnectionError,  # refused, reset, aborted
    TimeoutError,
    socket.gaierror,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free in time
)
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says the database cannot be reached right now —
    an outage to answer with 503 and Retry-After, not a bug to answer with 500."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _UNAVAILABLE):
            return True
        if isinstance(current, sqlalchemy.exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, sqlite3.OperationalError) and any(
            m in str(current).lower() for m in _SQLITE_UNAVAILABLE
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


async def driver_of(conn: AsyncConnection | AsyncSession) -> Any:
    """The driver's own connection (asyncpg or aiosqlite) under ``conn`` — for a session,
    under its connection, inside its transaction — for driver-level SQL on hot paths."""
    if isinstance(conn, AsyncSession):
        conn = await conn.connection()
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    return driver


async def _sqlite_row(driver: Any, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    async with driver.execute(_numbered_qmarks(sql), params) as cursor:
        row = await cursor.fetchone()
        names = [d[0] for d in cursor.description]
    return None if row is None else dict(zip(names, row, strict=True))


class Database:
    """Owns the engine and the two session factories (read and write), and the read
    replica when one is configured (``service.replica``)."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.database_url
        self.engine = make_engine(
            self.url, pool_size=settings.db_pool_size, pgbouncer=settings.pgbouncer
        )
        self.is_sqlite = is_sqlite_url(self.url)
        self.replica: Replica | None = None
        if settings.read_database_url:
            if self.is_sqlite or is_sqlite_url(settings.read_database_url):
                raise ValueError(
                    "QCREDIT_READ_DATABASE_URL: read replicas need PostgreSQL "
                    "(on SQLite everything is served by the one database)"
                )
            self.replica = Replica(
                make_engine(
                    settings.read_database_url,
                    pool_size=settings.db_pool_size,
                    replica=True,
                    pgbouncer=settings.pgbouncer,
                ),
                settings.max_replica_lag,
                pgbouncer=settings.pgbouncer,
            )
        # PostgreSQL reads run in autocommit: READ COMMITTED gives each statement its own
        # snapshot anyway, and BEGIN/ROLLBACK would cost two round trips per request.
        # Not behind PgBouncer: asyncpg prepares a statement, then executes it, and outside
        # a transaction the two may reach different server connections.
        self.pgbouncer = settings.pgbouncer and not self.is_sqlite
        read_engine = (
            self.engine
            if self.is_sqlite or self.pgbouncer
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self.read_sessions = async_sessionmaker(read_engine, expire_on_commit=False)
        self.write_sessions = async_sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )
        self.driver_pool = (
            None
            if self.is_sqlite
            else DriverPool(self.engine, settings.db_read_pool_size, pgbouncer=self.pgbouncer)
        )
        self.inflight = InFlight(self.url, self.is_sqlite)  # Idempotency-Key owners
        self.secrets = SecretBox.from_config(settings.secrets_key, settings.secrets_key_file)

    def session(self, *, write: bool) -> AsyncSession:
        return (self.write_sessions if write else self.read_sessions)()

    async def replica_session(self, min_lsn: int | None = None) -> tuple[AsyncSession, bool]:
        """A read session for replica-eligible work: (session, True) on the replica when it
        is in use and has replayed ``min_lsn``, else (primary read session, False)."""
        if self.replica is not None:
            session = await self.replica.session(min_lsn)
            if session is not None:
                return session, True
        return self.session(write=False), False

    async def wal_position(self) -> int | None:
        """The primary's WAL position now (after a commit: at or past that commit)."""
        if self.is_sqlite:
            return None
        row = await self.fetch_row("SELECT pg_current_wal_lsn()::text AS lsn")
        return None if row is None else parse_lsn(row["lsn"])

    async def fetch_row(self, sql: str, *params: Any) -> dict[str, Any] | None:
        """One read statement straight on a driver connection (``$1``… placeholders): no
        ORM, no compiled-statement cache, no BEGIN — for the few hot reads whose single
        statement is its own snapshot. On PostgreSQL the connection comes from its own small
        pool (service/driver_pool.py). Values come back as the driver decodes them (SQLite:
        dates and JSON as text), so callers normalise per backend.

        A lost connection (server restart, failover) takes the pool's others with it: they
        are expired and the read — safe to repeat — is tried once more on a fresh one."""
        if self.driver_pool is None:
            async with self.engine.connect() as conn:
                return await _sqlite_row(await driver_of(conn), sql, params)
        try:
            record = await self.driver_pool.fetch_row(sql, params)
        except _LOST_CONNECTION:
            await self.driver_pool.expire()
            record = await self.driver_pool.fetch_row(sql, params)
        return None if record is None else dict(record.items())

    async def dispose(self) -> None:
        if self.driver_pool is not None:
            await self.driver_pool.close()
        await self.inflight.dispose()
        await self.engine.dispose()
        if self.replica is not None:
            await self.replica.dispose()
