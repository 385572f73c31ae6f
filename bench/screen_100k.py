"""Measure ``POST /v1/screen`` with 100,000 codes end to end, on SQLite or PostgreSQL.

    .venv/bin/python -m bench.screen_100k --backend sqlite
    .venv/bin/python -m bench.screen_100k --backend postgres

A fresh database (``/tmp/qcredit-screen-100k.db`` or PostgreSQL ``qcredit_screen_100k`` on
127.0.0.1) gets ``--enterprises`` enterprises (bulk-inserted: what is measured is the
screen, not the load) with grades and ~0.3 % of them listed (entries resting on heavier
penalty rows). A real uvicorn server is started on 127.0.0.1 and the client times the
whole HTTP round trip — serialising 100k codes, the request, parsing, the one query,
building and sending the response, and decoding it — ``--runs`` times; the median is the
figure. The code mix is that of a procurement platform: 95 % registered enterprises,
4 % unknown valid codes, 1 % malformed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import orjson
from sqlalchemy import insert
from sqlmodel import col

from service import migrate
from service.auth import ALL_SCOPES, Level
from service.credit.codes import make_uscc
from service.credit.names import name_key
from service.db import Database
from service.models import BlacklistEntry, CreditRecord, Enterprise
from service.settings import Settings
from service.store import agencies, ledger

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "qcredit_screen_100k"
SQLITE_PATH = Path("/tmp/qcredit-screen-100k.db")
REGIONS = ("211100", "211104", "210100", "210200", "130100", "130600")
GRADES = ("AA", "A", "A", "B", "B", "B", "C")


def code_of(i: int) -> str:
    return make_uscc(f"{(10_000_000 + i * 7_919) % 100_000_000:08d}", region=REGIONS[i % 6])


def remove_sqlite() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


async def prepare(backend: str, n: int) -> tuple[str, str]:
    """A migrated database with ``n`` enterprises; returns (url, agency key)."""
    if backend == "postgres":
        admin = await asyncpg.connect(PG_ADMIN)
        await admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {PG_NAME}")
        await admin.close()
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_NAME}"
    else:
        await asyncio.to_thread(remove_sqlite)
        url = f"sqlite+aiosqlite:///{SQLITE_PATH}"
    await asyncio.to_thread(migrate.upgrade, url)
    db = Database(Settings(database_url=url))
    rng = random.Random(2026)
    now = datetime.now(UTC)
    today = now.date()
    async with db.session(write=True) as session:
        agency, key = await agencies.create(
            session, name="bench national", level=Level.NATIONAL, region="", scopes=ALL_SCOPES
        )
        await ledger.commit(session)
    assert agency.id is not None
    rows = []
    for i in range(n):
        code = code_of(i)
        name = f"示例{i}号工贸有限公司"
        rows.append(
            {
                "code": code,
                "org_code": code[8:17],
                "name": name,
                "name_key": name_key(name),
                "region_code": code[2:8],
                "products": ["dairy"],
                "grade": rng.choice(GRADES),
                "created_at": now,
                "updated_at": now,
            }
        )
    async with db.session(write=True) as session:
        for start in range(0, n, 5_000):
            await session.execute(insert(Enterprise), rows[start : start + 5_000])
        listed = sorted(rng.sample(range(n), max(1, n * 3 // 1000)))
        penalties = [
            {
                "code": rows[i]["code"],
                "kind": "penalty",
                "agency_id": agency.id,
                "source_ref": f"bench-{i}",
                "occurred_on": today - timedelta(days=60),
                "recorded_at": now,
                "region_code": rows[i]["region_code"],
                "body_hash": "0" * 64,
                "data": {"heavier": True, "penalty_types": ["suspension"]},
            }
            for i in listed
        ]
        result = await session.execute(
            insert(CreditRecord).returning(col(CreditRecord.id)), penalties
        )
        ids = list(result.scalars())
        decided = today - timedelta(days=30)
        await session.execute(
            insert(BlacklistEntry),
            [
                {
                    "code": rows[i]["code"],
                    "region_code": rows[i]["region_code"],
                    "category": "quality_safety",
                    "reason": "bench",
                    "legal_basis": "Order 44 Art.7",
                    "penalty_record_id": pid,
                    "proposer_agency_id": agency.id,
                    "proposer_level": "national",
                    "authority": "bench national",
                    "status": "listed",
                    "proposed_on": decided,
                    "notified_on": decided,
                    "decided_on": decided,
                    "defence_waived": True,
                    "expires_on": date(decided.year + 3, decided.month, min(decided.day, 28)),
                    "publish_by": decided + timedelta(days=28),
                    "published_on": decided,
                }
                for i, pid in zip(listed, ids, strict=True)
            ],
        )
        await session.commit()
    await db.dispose()
    return url, key


def codes_for(n_enterprises: int, count: int) -> list[str]:
    rng = random.Random("screen")
    out = []
    for j in range(count):
        x = rng.random()
        if x < 0.95:
            out.append(code_of(rng.randrange(n_enterprises)))
        elif x < 0.99:
            out.append(make_uscc(f"{90_000_000 + j:08d}", region="110101"))
        else:
            out.append(f"91110101{j:09d}X"[:18])
    return out


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "QCREDIT_DATABASE_URL": url,
        "QCREDIT_RUN_BACKGROUND": "false",
        "QCREDIT_LOG_LEVEL": "WARNING",
        "QCREDIT_MAX_BODY_BYTES": str(256 * 1024 * 1024),
    }
    cmd = [sys.executable, "-m", "uvicorn", "service.app:create_app", "--factory"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()

    started = time.perf_counter()
    url, key = asyncio.run(prepare(args.backend, args.enterprises))
    print(f"loaded {args.enterprises:,} enterprises in {time.perf_counter() - started:.1f} s")
    codes = codes_for(args.enterprises, args.codes)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    proc = serve(url, args.port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=120) as client:
            client.post("/v1/screen", json={"codes": codes[:1000]}, headers=headers)  # warm up
            times, cpu, listed = [], [], 0
            for _ in range(args.runs):
                c = cpu_seconds(proc.pid)
                t = time.perf_counter()
                resp = client.post(
                    "/v1/screen", content=orjson.dumps({"codes": codes}), headers=headers
                )
                answer = orjson.loads(resp.content)
                times.append(time.perf_counter() - t)
                cpu.append(cpu_seconds(proc.pid) - c)
                assert resp.status_code == 200, resp.text[:300]
                assert len(answer["results"]) == len(codes)
                listed = sum(r["listed"] for r in answer["results"])
            print(
                f"{args.backend}: POST /v1/screen {len(codes):,} codes — median "
                f"{statistics.median(times):.3f} s, min {min(times):.3f} s over {args.runs} runs "
                f"({', '.join(f'{t:.3f}' for t in times)}); server CPU per request median "
                f"{statistics.median(cpu):.2f} s; response {len(resp.content) / 1e6:.1f} MB, "
                f"{listed:,} listed; load average {os.getloadavg()[0]:.1f} on "
                f"{os.cpu_count()} CPUs"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
