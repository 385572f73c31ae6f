"""Change-feed read throughput and webhook delivery latency, against a real `qcredit serve`.

    .venv/bin/python -m bench.sharing                      # both databases
    .venv/bin/python -m bench.sharing --backends postgres --events 200000

Feed: N events are written through the outbox (ledger.emit/commit, 5,000 per transaction),
then read over HTTP from seq 0 in pages of 1,000 following `next_after` — unfiltered, with a
type filter and as a regional agency. Webhooks: the server runs its background dispatcher;
enterprise PUTs (one at a time, then a burst) produce events that a receiver on 127.0.0.1
timestamps; latency = arrival - the PUT's response. Uses its own databases
(`qcredit_bench_sharing`, /tmp/qcredit-bench/sharing.db); only 127.0.0.1 is contacted and
every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

from bench.server import running
from service import migrate
from service.auth import ALL_SCOPES, Level
from service.credit.codes import make_uscc
from service.db import Database
from service.settings import Settings
from service.store import agencies, ledger

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "qcredit_bench_sharing"
WORKDIR = Path("/tmp/qcredit-bench")
LOGDIR = WORKDIR / "logs-sharing"
TYPES = ("enterprise.updated", "record.created", "grade.changed")


def _clear_sqlite() -> None:
    WORKDIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{WORKDIR}/sharing.db{suffix}").unlink(missing_ok=True)


async def fresh_database(backend: str) -> str:
    if backend == "postgres":
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            await conn.execute(f"CREATE DATABASE {PG_NAME}")
        finally:
            await conn.close()
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_NAME}"
    else:
        _clear_sqlite()
        url = f"sqlite+aiosqlite:///{WORKDIR}/sharing.db"
    await asyncio.to_thread(migrate.upgrade, url)
    return url


async def seed(url: str, events: int) -> dict[str, str]:
    """Agency keys, and `events` outbox events spread over two provinces and three types."""
    db = Database(Settings(database_url=url))
    keys = {}
    try:
        async with db.session(write=True) as session:
            for name, level, region in (
                ("national", Level.NATIONAL, ""),
                ("liaoning", Level.PROVINCE, "21"),
            ):
                _, keys[name] = await agencies.create(
                    session, name=name, level=level, region=region, scopes=ALL_SCOPES
                )
            await ledger.commit(session)
    finally:
        await db.dispose()
    await seed_events(url, events)
    return keys


async def seed_events(url: str, events: int, only_type: str | None = None) -> None:
    """`events` outbox events over two provinces and three types, 5,000 per transaction."""
    db = Database(Settings(database_url=url))
    try:
        for start in range(0, events, 5000):
            async with db.session(write=True) as session:
                for i in range(start, min(events, start + 5000)):
                    region = "211100" if i % 2 else "130100"
                    ledger.emit(
                        session,
                        only_type or TYPES[i % 3],
                        code=make_uscc(f"{i % 50_000:08d}", region=region),
                        region_code=region,
                        data={"name": f"示例企业 {i}", "region_code": region, "n": i},
                    )
                await ledger.commit(session)
    finally:
        await db.dispose()


async def read_all(base: str, key: str, **params: Any) -> tuple[int, float]:
    headers = {"Authorization": f"Bearer {key}"}
    n, after = 0, 0
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        started = time.perf_counter()
        for _ in range(100_000):  # bounded
            r = await client.get("/v1/changes", params={"after": after, "limit": 1000, **params})
            r.raise_for_status()
            page = orjson.loads(r.content)
            n += len(page["events"])
            if page["next_after"] == after:
                break
            after = page["next_after"]
        return n, time.perf_counter() - started


class Receiver:
    """HTTP/1.1 sink on 127.0.0.1 that timestamps each delivery by enterprise code."""

    def __init__(self) -> None:
        self.arrived: dict[str, list[float]] = {}
        self.times: list[float] = []
        self.count = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/hook"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                at = time.perf_counter()
                event = orjson.loads(body)
                self.arrived.setdefault(event["code"], []).append(at)
                self.times.append(at)
                self.count += 1
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def stop(self) -> None:
        if self.server:
            self.server.close()
            await self.server.wait_closed()


async def single_latencies(client: httpx.AsyncClient, receiver: Receiver, n: int) -> list[float]:
    """One PUT at a time; latency = delivery arrival - the PUT's (committed) response."""
    latencies = []
    for i in range(n):
        code = make_uscc(f"{90_000_000 + i:08d}", region="211100")
        r = await client.put(f"/v1/enterprises/{code}", json={"name": f"延迟 {i}"})
        r.raise_for_status()
        committed = time.perf_counter()
        for _ in range(1000):  # at most 10 s
            if code in receiver.arrived:
                break
            await asyncio.sleep(0.002)
        latencies.append(receiver.arrived[code][0] - committed)
        await asyncio.sleep(0.05)
    return sorted(latencies)


async def burst(client: httpx.AsyncClient, receiver: Receiver, n: int) -> tuple[float, float]:
    """n PUTs from 8 concurrent writers: (writes/s, last delivery after the last write, s)."""
    before = receiver.count
    codes = [make_uscc(f"{91_000_000 + i:08d}", region="211100") for i in range(n)]

    async def writer(part: list[str]) -> None:
        for code in part:
            (await client.put(f"/v1/enterprises/{code}", json={"name": "突发"})).raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(writer(codes[w::8]) for w in range(8)))
    written = time.perf_counter()
    for _ in range(6000):  # at most 60 s
        if receiver.count - before >= n:
            break
        await asyncio.sleep(0.005)
    return n / (written - started), max(receiver.arrived[c][-1] for c in codes) - written


async def webhooks(
    backend: str, url: str, key: str, singles: int, burst_n: int, backlog: int
) -> None:
    receiver = Receiver()
    hook_url = await receiver.start()
    headers = {"Authorization": f"Bearer {key}"}
    extra = {"QCREDIT_WEBHOOK_ALLOW_PRIVATE": "true"}
    try:
        with running("service", url, logdir=LOGDIR, background=True, extra_env=extra) as server:
            async with httpx.AsyncClient(
                base_url=server.base_url, headers=headers, timeout=60
            ) as c:
                r = await c.post(
                    "/v1/webhooks",
                    json={
                        "url": hook_url,
                        "secret": "bench-secret-0123456789",
                        "events": ["enterprise."],
                    },
                )
                r.raise_for_status()
                lat = await single_latencies(c, receiver, singles)
                rate, lag = await burst(c, receiver, burst_n)
        p95 = lat[max(int(len(lat) * 0.95) - 1, 0)]
        print(
            f"[{backend}] webhook latency, commit -> receiver, {singles} single writes: "
            f"p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {lat[-1] * 1000:.0f} ms"
        )
        print(
            f"[{backend}] burst: {burst_n} PUTs from 8 writers at {rate:.0f}/s; last delivery "
            f"{lag * 1000:.0f} ms after the last write"
        )
        # backlog: events written while no dispatcher runs, then one server drains them
        await seed_events(url, backlog, "enterprise.updated")
        before = receiver.count
        with running("service", url, logdir=LOGDIR, background=True, extra_env=extra):
            started = time.perf_counter()
            for _ in range(30_000):  # at most 300 s
                if receiver.count - before >= backlog:
                    break
                await asyncio.sleep(0.01)
            seconds = time.perf_counter() - started
        drained = receiver.count - before
        first, last = receiver.times[before], receiver.times[-1]
        print(
            f"[{backend}] backlog of {backlog} events drained by one server: {drained} "
            f"deliveries in {seconds:.1f}s (first to last delivery "
            f"{last - first:.1f}s) = {(drained - 1) / (last - first):,.0f}/s"
        )
    finally:
        await receiver.stop()


async def run_backend(backend: str, args: argparse.Namespace) -> None:
    url = await fresh_database(backend)
    t0 = time.perf_counter()
    keys = await seed(url, args.events)
    print(
        f"[{backend}] seeded {args.events} events via the outbox in {time.perf_counter() - t0:.1f}s"
    )
    with running("service", url, logdir=LOGDIR) as server:
        for label, key, params in (
            ("all events, national", keys["national"], {}),
            ("types=grade.changed (1/3)", keys["national"], {"types": "grade.changed"}),
            ("regional agency (1/2)", keys["liaoning"], {}),
        ):
            n, seconds = await read_all(server.base_url, key, **params)
            rate = n / seconds
            print(f"[{backend}] feed read, {label}: {n} events in {seconds:.2f}s = {rate:,.0f}/s")
    await webhooks(backend, url, keys["national"], args.singles, args.burst, args.backlog)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["postgres", "sqlite"])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--singles", type=int, default=50)
    parser.add_argument("--burst", type=int, default=400)
    parser.add_argument("--backlog", type=int, default=5000)
    args = parser.parse_args()
    for backend in args.backends:
        asyncio.run(run_backend(backend, args))


if __name__ == "__main__":
    main()
