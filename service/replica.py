"""Read routing to a streaming replica (``QCREDIT_READ_DATABASE_URL``), PostgreSQL only.

Public reads, exports, screening and statistics may be served by the replica; everything
else — writes, and the agency reads that are not in that list — stays on the primary.

Read-your-writes: a write response carries ``X-Write-LSN``, the primary's WAL position
after its commit. A read that presents it back as ``X-Min-LSN`` is served by the replica
only if the replica has replayed at least that far, else by the primary. A replica further
behind than ``QCREDIT_MAX_REPLICA_LAG`` seconds, or one that cannot be reached, is bypassed
until it recovers; its state is re-checked at most once a second (one cheap query), so the
hot path costs nothing extra.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from typing import Literal

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# the service's logger by name: importing it from http.observability would import db.py back
log = structlog.get_logger("qcredit")


_RETRYABLE = frozenset({"GET", "HEAD"})
ON_REPLICA = "read_on_replica"  # request state flag set when a read runs on the replica

CHECK_INTERVAL = 1.0  # seconds between replica state checks (and retries when it is down)
_LSN = re.compile(r"^([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})$")

# Lag in seconds: none when everything received is replayed (an idle primary sends nothing,
# so "now − last replayed commit" would grow without the replica being behind).
_STATE_SQL = text(
    """
    SELECT pg_is_in_recovery() AS standby,
           CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                ELSE pg_current_wal_lsn() END::text AS replayed,
           CASE WHEN NOT pg_is_in_recovery()
                  OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
           END::float8 AS lag
    """
)

Status = Literal["in_use", "lagging", "down"]


def parse_lsn(value: str) -> int | None:
    """PostgreSQL's ``X/Y`` WAL position (two hex halves) as one integer; None if malformed."""
    match = _LSN.match(value.strip())
    if match is None:
        return None
    return (int(match.group(1), 16) << 32) | int(match.group(2), 16)


def format_lsn(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


@dataclass(frozen=True)
class ReplicaState:
    status: Status
    lag_seconds: float | None  # None while unreachable
    replayed: int | None  # the WAL position replayed so far
    checked_at: float

    def serves(self, min_lsn: int | None) -> bool:
        if self.status != "in_use":
            return False
        return min_lsn is None or (self.replayed is not None and self.replayed >= min_lsn)


class Replica:
    def __init__(self, engine: AsyncEngine, max_lag: float, pgbouncer: bool = False) -> None:
        self.engine = engine
        self.max_lag = max_lag
        # autocommit as on the primary, except behind PgBouncer (service/db.py)
        bind = engine if pgbouncer else engine.execution_options(isolation_level="AUTOCOMMIT")
        self.sessions = async_sessionmaker(bind, expire_on_commit=False)
        self._state = ReplicaState("down", None, None, 0.0)
        self._lock = asyncio.Lock()

    async def state(self) -> ReplicaState:
        """The replica's state, checked at most every CHECK_INTERVAL seconds."""
        if time.monotonic() - self._state.checked_at < CHECK_INTERVAL:
            return self._state
        async with self._lock:  # one check at a time; the others use its answer
            if time.monotonic() - self._state.checked_at >= CHECK_INTERVAL:
                self._state = await self._check()
        return self._state

    async def _check(self) -> ReplicaState:
        now = time.monotonic()
        try:
            async with self.engine.connect() as conn:
                row = (await conn.execute(_STATE_SQL)).one()
        except Exception as err:
            if self._state.status != "down" or self._state.checked_at == 0.0:
                log.warning("read replica unreachable; reading from the primary", error=repr(err))
            return ReplicaState("down", None, None, now)
        lag = float(row.lag)
        status: Status = "in_use" if lag <= self.max_lag else "lagging"
        if status != self._state.status and self._state.checked_at:
            log.warning("read replica state changed", status=status, lag_seconds=lag)
        return ReplicaState(status, lag, parse_lsn(row.replayed), now)

    def mark_down(self) -> None:
        self._state = ReplicaState("down", None, None, time.monotonic())

    async def session(self, min_lsn: int | None) -> AsyncSession | None:
        """A read session on the replica with its connection already checked out, or None
        when the primary should serve (behind, lagging, down, or it just failed)."""
        if not (await self.state()).serves(min_lsn):
            return None
        try:
            # Pre-pinged checkout: a replica stopped since the last check fails here, not in
            # the route. The pool is LIFO, so the session gets this same connection back
            # (a session's own connection would fix its isolation level too early).
            async with self.engine.connect():
                pass
        except Exception as err:
            log.warning("read replica connection failed; reading from the primary", error=repr(err))
            self.mark_down()
            return None
        return self.sessions()

    async def dispose(self) -> None:
        await self.engine.dispose()


class ReplicaFallbackMiddleware:
    """A GET served by the replica that fails before its response started (the replica was
    stopped mid-query) is marked down and answered again from the primary: reads are safe
    to repeat, and a replica going away must not show as errors."""

    def __init__(self, app: ASGIApp, replica: Replica | None) -> None:
        self.app = app
        self.replica = replica

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.replica is None or scope["type"] != "http" or scope["method"] not in _RETRYABLE:
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as err:
            state = scope.setdefault("state", {})
            if started or not state.pop(ON_REPLICA, False):
                raise
            log.warning("read on the replica failed; answering from the primary", error=repr(err))
            self.replica.mark_down()

            async def empty_body() -> Message:
                return {"type": "http.request", "body": b"", "more_body": False}

            await self.app(scope, empty_body, send)
