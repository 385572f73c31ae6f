"""Throughput of POST /v1/records/batch: one request of N records (default 100,000).

    .venv/bin/python -m bench.ingest_batch --backend sqlite
    .venv/bin/python -m bench.ingest_batch --backend postgres --dsn postgresql+asyncpg://postgres@127.0.0.1:5432/qcredit_ingest_bench

A fresh database is migrated, an agency and the enterprises are inserted (setup, not timed),
then the records go through the real app in-process (httpx ASGITransport: router, ingest,
regrade, ledger commit — everything but the socket). The data mix is bench.data's (mostly
passed inspections; failures with their follow-up chain, complaints, licences, penalties…).
The timed figure covers parsing, validation, inserts, change events, audit, re-grading every
touched enterprise and the commit.

With ``--phases`` (or QCREDIT_PHASES=1) each batch also prints its wall-clock split
(service/store/phases.py spans: validation, enterprise lookup, insert, duplicates, Art.8
check, re-grade, events, commit). The insert of a chunk runs while the next chunk is
validated, so "insert" overlaps "validation"; "waiting for insert" is the part it did not
hide. "other" is the rest of the request: HTTP, NDJSON splitting, the response.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from bench import data
from service import migrate
from service.app import create_app
from service.auth import ALL_SCOPES, Level
from service.clock import FixedClock
from service.db import Database
from service.models import Enterprise
from service.settings import Settings
from service.store import agencies, ledger, phases

SEED = 7
# spans that run while another is timed (the chunk insert overlaps validation)
OVERLAPPING = frozenset({"insert (overlaps validation)", "events (queue)"})
# parts of a timed span
PARTS = ("regrade: ", "insert: ")
NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


async def _recreate_pg(url: str) -> None:
    u = make_url(url)
    admin = u.set(drivername="postgresql", database="postgres").render_as_string(False)
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {u.database} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {u.database}")
    finally:
        await conn.close()


async def setup(url: str, enterprises: int) -> str:
    db = Database(Settings(database_url=url))
    try:
        async with db.session(write=True) as session:
            _, key = await agencies.create(
                session, name="ingest bench", level=Level.NATIONAL, region="", scopes=ALL_SCOPES
            )
            rows = []
            for e in data.enterprises(enterprises, SEED):
                rows.append(
                    {
                        "code": e.code,
                        "org_code": e.org_code,
                        "name": e.name,
                        "name_key": e.name_key,
                        "region_code": e.region_code,
                        "products": list(e.products),
                        "created_at": NOW,
                        "updated_at": NOW,
                        "version": 1,
                    }
                )
            for i in range(0, len(rows), 2000):
                await session.execute(insert(Enterprise), rows[i : i + 2000])
            await ledger.commit(session)
        return key
    finally:
        await db.dispose()


def body(n: int, enterprises: int, fmt: str, tag: str) -> bytes:
    items = [data.jsonable(x) for x in data.extra_records(SEED, enterprises, n, tag)]
    if fmt == "json":
        return orjson.dumps({"records": items})
    return b"".join(orjson.dumps(x) + b"\n" for x in items)


async def post(url: str, key: str, payload: bytes, fmt: str) -> tuple[float, dict[str, Any]]:
    settings = Settings(database_url=url, run_background=False, log_level="WARNING")
    app = create_app(settings, clock=FixedClock(NOW))
    media = "application/json" if fmt == "json" else "application/x-ndjson"
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=3600
        ) as c:
            t = time.perf_counter()
            r = await c.post(
                "/v1/records/batch",
                content=payload,
                headers={"Authorization": f"Bearer {key}", "Content-Type": media},
            )
            elapsed = time.perf_counter() - t
    finally:
        await app.state.db.dispose()
    if r.status_code != 200:
        raise SystemExit(f"batch -> {r.status_code}: {r.text[:500]}")
    return elapsed, r.json()


def print_phases(split: dict[str, float], elapsed: float) -> None:
    serial = sum(v for k, v in split.items() if k not in OVERLAPPING and not k.startswith(PARTS))
    for name, seconds in sorted(split.items(), key=lambda kv: -kv[1]):
        note = "  (in flight, overlaps)" if name in OVERLAPPING else ""
        print(f"    {name:<30} {seconds:7.2f}s{note}")
    print(f"    {'other':<30} {elapsed - serial:7.2f}s")


def timed_post(url: str, key: str, payload: bytes, fmt: str, split: bool) -> tuple[float, Any]:
    if split:
        phases.start()
    elapsed, out = asyncio.run(post(url, key, payload, fmt))
    if split:
        print_phases(phases.take(), elapsed)
    return elapsed, out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    p.add_argument(
        "--dsn", default="postgresql+asyncpg://postgres@127.0.0.1:5432/qcredit_ingest_bench"
    )
    p.add_argument("--sqlite-path", default="/tmp/qcredit_ingest_bench.db")
    p.add_argument("-n", type=int, default=100_000, help="records in the batch")
    p.add_argument("--enterprises", type=int, default=20_000)
    p.add_argument("--format", choices=["ndjson", "json"], default="ndjson")
    p.add_argument(
        "--phases",
        action="store_true",
        default=bool(os.environ.get("QCREDIT_PHASES")),
        help="print each batch's per-phase seconds (also QCREDIT_PHASES=1)",
    )
    args = p.parse_args()
    if args.backend == "sqlite":
        path = Path(args.sqlite_path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        url = args.dsn
        asyncio.run(_recreate_pg(url))
    migrate.upgrade(url)
    key = asyncio.run(setup(url, args.enterprises))
    payload = body(args.n, args.enterprises, args.format, "first")
    elapsed, out = timed_post(url, key, payload, args.format, args.phases)
    print(
        f"{args.backend} {args.format}: {args.n:,} records over {args.enterprises:,} enterprises "
        f"in {elapsed:.2f}s = {args.n / elapsed:,.0f} records/s "
        f"(accepted {out['accepted']:,}, duplicates {out['duplicates']:,}, "
        f"rejected {len(out['rejected']):,}; body {len(payload) / 1e6:.1f} MB)"
    )
    if out["rejected"]:
        print("first rejection:", out["rejected"][0])
    elapsed, out = timed_post(url, key, payload, args.format, args.phases)
    rate = args.n / elapsed
    print(f"  the same batch again (all duplicates): {elapsed:.2f}s = {rate:,.0f} records/s")


if __name__ == "__main__":
    main()
