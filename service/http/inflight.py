"""Who is working on an `Idempotency-Key` right now — tied to a live process, not a clock.

The key's row says *what* was asked (request hash) and, once done, the answer. Whether the
first request is *still running* is a lock its process holds while it works, and which the
operating system or the database server drops the moment that process dies:

* PostgreSQL: a session-level advisory lock, held on a connection of its own for the length
  of the request. ``kill -9`` closes the socket, the server ends the backend, the lock is
  gone — a retry after a crash runs at once instead of waiting out a lease.
* SQLite (one host by construction): a POSIX byte-range lock on ``<database>.inflight``, one
  byte per key at an offset hashed from it. The kernel drops a dead process's locks.
  POSIX locks belong to the process, so duplicates within this process are caught by an
  in-process set first (the PostgreSQL path needs it too: cheaper than a round trip).

The lock connections come from an engine of their own: with the request's pool full of
requests each holding a lock, taking the lock from that same pool could wait forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

_LOCK_SQL = text("SELECT pg_try_advisory_lock(:k)")
_UNLOCK_SQL = text("SELECT pg_advisory_unlock(:k)")
# Room for the SQLite lock offsets: collisions only make two unrelated keys that are in
# flight at the same moment wait for each other (409), never share an answer.
_OFFSET_SPACE = 1 << 40


def _digest(agency_id: int, key: str) -> bytes:
    return hashlib.sha256(f"idempotency\0{agency_id}\0{key}".encode()).digest()


def advisory_key(agency_id: int, key: str) -> int:
    """A signed 64-bit advisory-lock id for the key (namespaced away from job locks)."""
    return int.from_bytes(_digest(agency_id, key)[:8], "big", signed=True)


@dataclass(slots=True)
class Hold:
    """A held lock; :meth:`InFlight.release` gives it back."""

    ident: tuple[int, str]
    conn: AsyncConnection | None = None
    offset: int | None = None


@dataclass(slots=True)
class InFlight:
    url: str
    is_sqlite: bool
    _local: set[tuple[int, str]] = field(default_factory=set)
    _engine: AsyncEngine | None = None
    _fd: int | None = None
    _guard: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def acquire(self, agency_id: int, key: str) -> Hold | None:
        """The lock for the key, or None while a live request (here or elsewhere) has it."""
        ident = (agency_id, key)
        if ident in self._local:
            return None
        self._local.add(ident)
        try:
            hold = await (self._sqlite(ident) if self.is_sqlite else self._postgres(ident))
        except BaseException:
            self._local.discard(ident)
            raise
        if hold is None:
            self._local.discard(ident)
        return hold

    async def release(self, hold: Hold) -> None:
        try:
            if hold.conn is not None:
                try:
                    await hold.conn.execute(_UNLOCK_SQL, {"k": advisory_key(*hold.ident)})
                except Exception:
                    # a pooled connection must not keep the lock (locks are re-entrant per
                    # session): a connection that could not unlock is thrown away
                    with contextlib.suppress(Exception):
                        await hold.conn.invalidate()
                finally:
                    with contextlib.suppress(Exception):
                        await hold.conn.close()
            elif hold.offset is not None and self._fd is not None:
                fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, hold.offset)
        finally:
            self._local.discard(hold.ident)

    async def dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    async def _postgres(self, ident: tuple[int, str]) -> Hold | None:
        if self._engine is None:
            # small and separate from the request pool (see the module docstring)
            self._engine = create_async_engine(
                self.url, pool_size=5, max_overflow=50, isolation_level="AUTOCOMMIT"
            )
        conn = await self._engine.connect()
        try:
            got = (await conn.execute(_LOCK_SQL, {"k": advisory_key(*ident)})).scalar_one()
        except BaseException:
            await conn.close()
            raise
        if not got:
            await conn.close()
            return None
        return Hold(ident, conn=conn)

    async def _sqlite(self, ident: tuple[int, str]) -> Hold | None:
        path = _sqlite_path(self.url)
        if path is None:  # in-memory database: one process by definition
            return Hold(ident)
        async with self._guard:
            if self._fd is None:
                self._fd = os.open(f"{path}.inflight", os.O_RDWR | os.O_CREAT, 0o600)
        offset = int.from_bytes(_digest(*ident)[:8], "big") % _OFFSET_SPACE
        try:
            fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
        except OSError:  # EAGAIN/EACCES: another live process holds it
            return None
        return Hold(ident, offset=offset)


def _sqlite_path(url: str) -> str | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return os.path.abspath(database)
