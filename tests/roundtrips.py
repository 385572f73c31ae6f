"""Counting what the service asks of its database, independent of the machine's speed.

PostgreSQL: a loopback proxy between the app and the server reads the frontend side of the
wire protocol and counts executed statements (``Execute`` and simple ``Query`` messages) and
round trips (``Sync`` and ``Query``: each waits for the server's ReadyForQuery). It answers
an SSL request with "no" itself, so the stream stays readable. SQLite: the driver's trace
callback sees every statement it runs; in-process, a statement is a round trip.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import await_

_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104


@dataclass
class Counts:
    statements: int = 0
    round_trips: int = 0

    def reset(self) -> None:
        self.statements = self.round_trips = 0

    def snapshot(self) -> tuple[int, int]:
        return self.statements, self.round_trips


@dataclass
class PgWireCounter:
    """``async with PgWireCounter(host, port) as proxy:`` then connect to ``proxy.port``."""

    upstream_host: str
    upstream_port: int
    counts: Counts = field(default_factory=Counts)
    port: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> PgWireCounter:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()  # no new connections; the open ones are ended below
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            up_reader, up_writer = await asyncio.open_connection(
                self.upstream_host, self.upstream_port
            )
            inner = [
                asyncio.ensure_future(self._frontend(reader, writer, up_writer)),
                asyncio.ensure_future(_pipe(up_reader, writer)),
            ]
            try:  # either direction ending (a Terminate, a dropped socket) ends the other
                await asyncio.wait(inner, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for part in inner:
                    part.cancel()
                await asyncio.gather(*inner, return_exceptions=True)
                up_writer.close()
        except OSError:
            pass
        finally:
            writer.close()
            self._tasks.discard(task)

    async def _frontend(
        self,
        reader: asyncio.StreamReader,
        client: asyncio.StreamWriter,
        server: asyncio.StreamWriter,
    ) -> None:
        # untyped start-up messages: an optional SSL/GSS request, then the StartupMessage
        while True:
            head = await reader.readexactly(8)
            length, code = struct.unpack("!ii", head)
            body = await reader.readexactly(length - 8)
            if code in (_SSL_REQUEST, _GSSENC_REQUEST):
                client.write(b"N")  # plain text, so the messages below can be read
                await client.drain()
                continue
            server.write(head + body)
            break
        while True:
            kind = await reader.readexactly(1)
            raw_len = await reader.readexactly(4)
            body = await reader.readexactly(struct.unpack("!i", raw_len)[0] - 4)
            if kind in (b"E", b"Q"):
                self.counts.statements += 1
            if kind in (b"S", b"Q"):
                self.counts.round_trips += 1
            server.write(kind + raw_len + body)
            await server.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while chunk := await reader.read(65536):
        writer.write(chunk)
        await writer.drain()


def count_sqlite(engine: AsyncEngine) -> Counts:
    """Count the statements of every connection `engine` opens from now on."""
    counts = Counts()

    def traced(_sql: str) -> None:
        counts.statements += 1
        counts.round_trips += 1

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        await_(dbapi_connection.driver_connection.set_trace_callback(traced))

    return counts
