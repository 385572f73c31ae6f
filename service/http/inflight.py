"""Who is working on an `Idempotency-Key` right now — tied to a live process, not a clock.

The key's row says *what* was asked (request hash) and, once done, the answer. Whether the
first request is *still running* is a lock its process holds while it works, and which the
operating system or the database server drops the moment that process dies:

* PostgreSQL: a session-level advisory lock, held on a connection of its own for the length
  of the request. ``kill -9`` closes the socket, the server ends the backend, the lock is
  gone — a retry after a crash runs at once instead of waiting out a lease.
* SQLite (one host by construction): a POSIX byte-range lock on ``<database>.inflight``, one
  byte per key at an offset hashed from it. The kernel drops a dead process's locks.
  POSIX locks belong to the process, not to a descriptor — a second lock on the same byte
  from this process succeeds, and closing any descriptor of the file drops them all — so
  the process keeps one descriptor per lock file and the set of bytes it holds, shared by
  every :class:`InFlight` on that file (tests and the CLI open several databases).
  Duplicates within one instance are caught by an in-instance set first (cheaper than a
  round trip on PostgreSQL).

The lock connections come from an engine of their own: with the request's pool full of
requests each holding a lock, taking the lock from that same pool could wait forever.
"""

from __future__ import annotations

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


@dataclass(slots=True)
class _LockFile:
    fd: int
    held: set[int]


# Process-wide by nature (see the module docstring): path -> its open lock file.
_LOCK_FILES: dict[str, _LockFile] = {}


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
    path: str | None = None


@dataclass(slots=True)
class InFlight:
    url: str
    is_sqlite: bool
    _local: set[tuple[int, str]] = field(default_factory=set)
    _engine: AsyncEngine | None = None

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
            elif hold.offset is not None and hold.path is not None:
                _unlock_byte(hold.path, hold.offset)
        finally:
            self._local.discard(hold.ident)

    async def dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()

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
        offset = int.from_bytes(_digest(*ident)[:8], "big") % _OFFSET_SPACE
        return Hold(ident, offset=offset, path=path) if _lock_byte(path, offset) else None


def _lock_byte(path: str, offset: int) -> bool:
    lock_file = _LOCK_FILES.get(path)
    if lock_file is None:
        fd = os.open(f"{path}.inflight", os.O_RDWR | os.O_CREAT, 0o600)
        lock_file = _LOCK_FILES[path] = _LockFile(fd, set())
    if offset in lock_file.held:  # this process already holds it
        return False
    try:
        fcntl.lockf(lock_file.fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
    except OSError:  # EAGAIN/EACCES: another live process holds it
        _close_if_idle(path)
        return False
    lock_file.held.add(offset)
    return True


def _unlock_byte(path: str, offset: int) -> None:
    lock_file = _LOCK_FILES.get(path)
    if lock_file is None or offset not in lock_file.held:
        return
    fcntl.lockf(lock_file.fd, fcntl.LOCK_UN, 1, offset)
    lock_file.held.discard(offset)
    _close_if_idle(path)


def _close_if_idle(path: str) -> None:
    """Closing drops every lock of this process on the file: only when none is held."""
    lock_file = _LOCK_FILES.get(path)
    if lock_file is not None and not lock_file.held:
        del _LOCK_FILES[path]
        os.close(lock_file.fd)


def _sqlite_path(url: str) -> str | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return os.path.abspath(database)
