"""CPU per lookup inside one process, no sockets and no load generator: where the service's
time goes next to its floors, less noisy than wrk on a shared 2-core machine.

    .venv/bin/python -m bench.lookup_cpu --workdir /tmp/qcredit-bench

Each variant answers the same `GET …/enterprises/{code}` (codes rotating over 2,000
registered enterprises of the bench data set) through its ASGI app called directly:

* ``floor``          raw Starlette + asyncpg (``bench.floor``: the lookup floor of bench.run)
* ``fastapi-floor``  the same handler as one FastAPI route: what the mandated framework adds
* ``service``        ``create_app`` as served, every middleware included
* ``service-bare``   the service without its middleware (request id, access log, metrics,
  rate limit, body limit, idempotency): what those cost

Prints process CPU per request, best of ``--reps`` rounds of ``--requests``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import orjson
from fastapi import FastAPI, Header
from starlette.responses import Response

from bench.floor import PgFloor, make_app
from service.app import create_app
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


def service(url: str, *, middleware: bool) -> Any:
    app = create_app(Settings(database_url=url, log_level="INFO", run_background=False))
    if not middleware:
        app.user_middleware = []
    return app


async def measure(app: Any, prefix: str, key: str, codes: list[str], n: int, reps: int) -> float:
    headers = [(b"authorization", f"Bearer {key}".encode()), (b"host", b"bench")]

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
    args = p.parse_args(argv)
    state = json.loads((args.workdir / "state-postgres.json").read_text())
    conn = await asyncpg.connect(state["dsn"])
    try:
        codes = [r[0] for r in await conn.fetch("SELECT code FROM enterprise LIMIT 2000")]
    finally:
        await conn.close()
    variants: dict[str, tuple[Any, str]] = {
        "floor": (make_app(state["dsn"]), "/floor/enterprises"),
        "fastapi-floor": (fastapi_floor(state["dsn"]), "/floor/enterprises"),
        "service": (service(state["url"], middleware=True), "/v1/enterprises"),
        "service-bare": (service(state["url"], middleware=False), "/v1/enterprises"),
    }
    for name, (app, prefix) in variants.items():
        cpu = await measure(app, prefix, state["key"], codes, args.requests, args.reps)
        print(f"{name:14} {cpu * 1e6:6.0f} µs CPU per lookup")


if __name__ == "__main__":
    asyncio.run(main())
