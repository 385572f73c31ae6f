"""CPU per lookup inside one process, no sockets and no load generator: where the service's
time goes next to its floors, less noisy than wrk on a shared 2-core machine.

    .venv/bin/python -m bench.lookup_cpu --workdir /tmp/qcredit-bench

Each variant answers the same `GET …/enterprises/{code}` (codes rotating over 2,000
registered enterprises of the bench data set) through its ASGI app called directly:

* ``floor``          raw Starlette + asyncpg (``bench.floor``: the lookup floor of bench.run)
* ``fastapi-floor``  the same handler as one FastAPI route: what the mandated framework adds
* ``service``        ``create_app`` as served: the edge answers the lookup from its endpoint
  (service/http/direct.py), with request id, access log, metrics and headers
* ``service-routed`` the same request with ``Content-Length: 0``, which the edge leaves to
  FastAPI's route (dependency solver, exception and exit-stack layers, every middleware):
  what the direct route saves

and, with ``--ablations``, the service as served with one of its savings undone at a time
(each restored before the next): what each is worth —

* ``undo:sqlalchemy-checkout``  the lookup's connection from SQLAlchemy's pool (greenlet
  switches, pool events) instead of service/driver_pool.py
* ``undo:reset-on-release``     asyncpg's default reset on release (``RESET ALL`` …: a
  second statement per lookup)
* ``undo:structlog-access-line`` the access line through structlog's processor chain

Prints process CPU per request, best of ``--reps`` rounds of ``--requests``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import orjson
from fastapi import FastAPI, Header
from starlette.responses import Response

from bench.floor import PgFloor, make_app
from service import driver_pool
from service.app import create_app
from service.db import driver_of
from service.http import edge
from service.http.observability import log
from service.settings import Settings

Asgi = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def fastapi_floor(dsn: str) -> FastAPI:
    store = PgFloor(dsn, 20)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await store.start()
        yield
        await store.stop()

    app = FastAPI(lifespan=lifespan)

    @app.get("/floor/enterprises/{code}")
    async def lookup(code: str, authorization: Annotated[str | None, Header()] = None) -> Response:
        token = (authorization or "").partition(" ")[2].strip()
        out = await store.lookup(hashlib.sha256(token.encode()).hexdigest(), code.upper())
        body = orjson.dumps(out)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return Response(body, media_type="application/json", headers={"ETag": etag})

    return app


def service(url: str) -> Any:
    return create_app(Settings(database_url=url, log_level="INFO", run_background=False))


@contextmanager
def undone(name: str, app: Any) -> Iterator[None]:
    """The service app with one saving undone (see the module doc)."""
    saved: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attr: str, value: Any) -> None:
        saved.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, value)

    if name == "sqlalchemy-checkout":
        db = app.state.db

        async def fetch_row(sql: str, *params: Any) -> dict[str, Any] | None:
            async with db.engine.connect() as conn:
                record = await (await driver_of(conn)).fetchrow(sql, *params)
            return None if record is None else dict(record.items())

        patch(db, "fetch_row", fetch_row)
    elif name == "reset-on-release":
        patch(driver_pool, "_no_reset", None)  # asyncpg's default reset
    elif name == "structlog-access-line":

        def structlog_line(method: str, path: str, status: int, ms: float) -> None:
            log.info("request", method=method, path=path, status=status, ms=ms)

        patch(edge, "access_log", structlog_line)
    try:
        yield
    finally:
        for owner, attr, value in reversed(saved):
            setattr(owner, attr, value)


ABLATIONS = ("sqlalchemy-checkout", "reset-on-release", "structlog-access-line")


async def measure(
    app: Any,
    prefix: str,
    key: str,
    codes: list[str],
    n: int,
    reps: int,
    extra: tuple[tuple[bytes, bytes], ...] = (),
) -> float:
    headers = [(b"authorization", f"Bearer {key}".encode()), (b"host", b"bench"), *extra]

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def call(code: str) -> None:
        path = f"{prefix}/{code}"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        status: list[int] = []

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        if status != [200]:
            raise RuntimeError(f"{path} answered {status}")

    async with app.router.lifespan_context(app):
        for i in range(300):  # warm the pool, the caches and the statement cache
            await call(codes[i % len(codes)])
        best = float("inf")
        for _ in range(reps):
            started = time.process_time()
            for i in range(n):
                await call(codes[i % len(codes)])
            best = min(best, time.process_time() - started)
    return best / n


async def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--workdir", type=Path, default=Path("/tmp/qcredit-bench"))
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--ablations", action="store_true", help="also undo each saving in turn")
    args = p.parse_args(argv)
    state = json.loads((args.workdir / "state-postgres.json").read_text())
    conn = await asyncpg.connect(state["dsn"])
    try:
        codes = [r[0] for r in await conn.fetch("SELECT code FROM enterprise LIMIT 2000")]
    finally:
        await conn.close()
    routed = ((b"content-length", b"0"),)
    variants: dict[str, tuple[Any, str, tuple[tuple[bytes, bytes], ...]]] = {
        "floor": (make_app(state["dsn"]), "/floor/enterprises", ()),
        "fastapi-floor": (fastapi_floor(state["dsn"]), "/floor/enterprises", ()),
        "service": (service(state["url"]), "/v1/enterprises", ()),
        "service-routed": (service(state["url"]), "/v1/enterprises", routed),
    }
    for name, (app, prefix, extra) in variants.items():
        cpu = await measure(app, prefix, state["key"], codes, args.requests, args.reps, extra)
        print(f"{name:28} {cpu * 1e6:6.0f} µs CPU per lookup")
    for name in ABLATIONS if args.ablations else ():
        app = service(state["url"])  # a fresh app: a fresh pool, created under the patch
        with undone(name, app):
            cpu = await measure(
                app, "/v1/enterprises", state["key"], codes, args.requests, args.reps
            )
        print(f"{'undo:' + name:28} {cpu * 1e6:6.0f} µs CPU per lookup")


if __name__ == "__main__":
    asyncio.run(main())
