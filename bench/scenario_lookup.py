"""Dossier + grade lookup: the service against the raw Starlette floor and pgbench, with
1 and 2 worker processes."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

from bench import profile
from bench.context import Ctx
from bench.floor import LOOKUP_SQL
from bench.load import LoadResult, have_wrk, python_load, wrk
from bench.results import Row, rss_row
from bench.server import Server, running
from service.clock import CHINA

LOOKUP_TARGET_RATIO = 0.70
# p99 against the floor's in the same run: an absolute bound measures the machine
LOOKUP_P99_OF_FLOOR = 1.2
CONNECTIONS = 32


def _load(ctx: Ctx, server: Server, prefix: str, codes: Path, tag: str = "") -> LoadResult:
    # warm-up: fill the pools and the page cache, not counted
    warm = max(2, ctx.seconds // 4)
    if have_wrk():
        key = ctx.state.key
        wrk(server.base_url, prefix, codes, key, connections=CONNECTIONS, seconds=warm)
        if not (ctx.profile and tag and profile.available()):
            return wrk(server.base_url, prefix, codes, key, seconds=ctx.seconds)
        out = ctx.workdir / "profiles" / f"{tag}.txt"
        with profile.recording(server.pids(), out, ctx.seconds):
            result = wrk(server.base_url, prefix, codes, key, seconds=ctx.seconds)
        out.with_suffix(".summary.txt").write_text(profile.summarize(out))
        return result
    paths = [prefix + c for c in codes.read_text().split()]

    async def go() -> LoadResult:
        limits = httpx.Limits(max_connections=CONNECTIONS)
        async with httpx.AsyncClient(base_url=server.base_url, limits=limits) as client:
            await python_load(client, paths, ctx.headers, seconds=warm)
            return await python_load(client, paths, ctx.headers, seconds=ctx.seconds)

    return asyncio.run(go())


def check_one(server: Server, prefix: str, code: str, key: str) -> None:
    resp = httpx.get(
        f"{server.base_url}{prefix}{code}", headers={"Authorization": f"Bearer {key}"}, timeout=30
    )
    if resp.status_code != 200:
        raise RuntimeError(f"lookup {prefix}{code} -> {resp.status_code}: {resp.text[:300]}")


def lookup(ctx: Ctx, workers: int = 1) -> dict[str, LoadResult]:
    codes = ctx.codes_file()
    first = codes.read_text().split()[0]
    floor_url = ctx.target.dsn if ctx.backend == "postgres" else f"sqlite:///{ctx.target.dsn}"
    out: dict[str, LoadResult] = {}
    with running("floor", floor_url, workers=workers, logdir=ctx.logdir) as floor:
        check_one(floor, "/floor/enterprises/", first, ctx.state.key)
        # profiled too: what differs between the two profiles is what the service adds
        out["floor"] = _load(
            ctx, floor, "/floor/enterprises/", codes, f"floor-{ctx.backend}-w{workers}"
        )
    with running("service", ctx.target.url, workers=workers, logdir=ctx.logdir) as service:
        check_one(service, "/v1/enterprises/", first, ctx.state.key)
        tag = f"lookup-{ctx.backend}-w{workers}"
        out["service"] = _load(ctx, service, "/v1/enterprises/", codes, tag)
        rss = service.rss_mb()
    add_rows(ctx, out["service"], out["floor"], workers, rss)
    return out


def add_rows(
    ctx: Ctx,
    s: LoadResult,
    f: LoadResult,
    workers: int,
    rss: dict[int, tuple[float, float]] | None,
) -> None:
    tool = s.tool
    note = f"{workers} worker(s); {tool}; load generator shares the 2 cores"
    if s.errors or f.errors:
        note += f"; errors service={s.errors} floor={f.errors}"
    scenario = "lookup" if workers == 1 else f"lookup x{workers} workers"
    ctx.report.add(
        Row(
            scenario,
            ctx.backend,
            "RPS",
            s.rps,
            f.rps,
            "starlette+driver",
            target="≥ 70 % of floor" if workers == 1 else "",
            met=s.rps >= LOOKUP_TARGET_RATIO * f.rps if workers == 1 else None,
            command=f"GET /v1/enterprises/{{code}} vs bench.floor; {tool}",
            note=note,
        )
    )
    for pct, service_ms, floor_ms in (("p50", s.p50_ms, f.p50_ms), ("p99", s.p99_ms, f.p99_ms)):
        target = "≤ 1.2 × floor" if pct == "p99" and workers == 1 else ""
        ctx.report.add(
            Row(
                scenario,
                ctx.backend,
                f"{pct} ms",
                service_ms,
                floor_ms,
                "starlette+driver",
                target=target,
                met=service_ms <= LOOKUP_P99_OF_FLOOR * floor_ms if target else None,
                command=tool,
                note=note,
                higher_is_better=False,
            )
        )
    if rss:
        ctx.report.add(rss_row(ctx.backend, "lookup", rss))


# The key is checked once per 10 s in the service and the floor: not per transaction here.
PGBENCH_SCRIPT = """\\set i random(0, {last})
SELECT code AS c FROM bench_lookup_code WHERE i = :i \\gset
{lookup};
"""


def pgbench_lookup(ctx: Ctx, service_rps: float | None) -> None:
    """The database floor: the lookup's statements as one pgbench transaction, prepared,
    32 clients, 2 threads (pgbench -S style, with our schema instead of pgbench_accounts)."""
    if ctx.backend != "postgres":
        return
    if shutil.which("pgbench") is None:
        ctx.report.add(Row("lookup (DB floor)", ctx.backend, "TPS", None, note="pgbench missing"))
        return
    codes = ctx.codes_file().read_text().split()
    asyncio.run(_pgbench_table(ctx, codes))
    today = datetime.now(UTC).astimezone(CHINA).date().isoformat()
    script = PGBENCH_SCRIPT.format(
        last=len(codes) - 1,
        lookup=LOOKUP_SQL["lookup"].replace("$1", ":c").replace("$2", ":today"),
    )
    path = ctx.workdir / "pgbench_lookup.sql"
    path.write_text(script)
    cmd = [
        "pgbench", "-n", "-M", "prepared", "-c", str(CONNECTIONS), "-j", "2",
        "-T", str(ctx.seconds), "-D", f"today={today}",
        "-f", str(path), ctx.target.dsn,
    ]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=ctx.seconds + 120)
    if proc.returncode != 0:
        raise RuntimeError(f"pgbench failed: {proc.stderr[-1000:]}")
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", proc.stdout)
    lat = re.search(r"latency average = ([\d.]+) ms", proc.stdout)
    tps = float(match.group(1)) if match else None
    ctx.report.add(
        Row(
            "lookup (DB floor)",
            ctx.backend,
            "RPS",
            service_rps,
            tps,
            "pgbench",
            command=f"pgbench -n -M prepared -c 32 -j 2 -T {ctx.seconds} -f $W/pgbench_lookup.sql",
            note=f"one pgbench transaction = the lookup statement + 1 code pick; "
            f"latency avg {lat.group(1) if lat else '?'} ms; {time.perf_counter() - started:.0f}s",
        )
    )


async def _pgbench_table(ctx: Ctx, codes: list[str]) -> None:
    conn = await asyncpg.connect(ctx.target.dsn)
    try:
        await conn.execute(
            "DROP TABLE IF EXISTS bench_lookup_code; "
            "CREATE TABLE bench_lookup_code (i int PRIMARY KEY, code varchar(18) NOT NULL)"
        )
        await conn.copy_records_to_table("bench_lookup_code", records=list(enumerate(codes)))
        await conn.execute("ANALYZE bench_lookup_code")
    finally:
        await conn.close()


def scaling(ctx: Ctx, one: dict[str, LoadResult]) -> None:
    """The same lookup with 2 workers: on 2 cores the load generator and PostgreSQL compete
    with the workers, so perfect scaling is not on offer; the row says what is."""
    two = lookup(ctx, workers=2)
    for name in ("service", "floor"):
        ctx.report.add(
            Row(
                f"scaling 1→2 workers ({name})",
                ctx.backend,
                "RPS x2 / x1",
                two[name].rps / one[name].rps if one[name].rps else None,
                command="qcredit serve --workers 2" if name == "service" else "uvicorn --workers 2",
                note=f"{one[name].rps:,.0f} → {two[name].rps:,.0f} RPS; 2 cores shared by workers, "
                "load generator and database",
            )
        )
