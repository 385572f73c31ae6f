"""Load generators: ``wrk`` with a Lua script rotating codes (preferred), or a bounded asyncio
loop over any httpx client (used when wrk is missing, and in-process for the smoke test)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

LUA = Path(__file__).with_name("lookup.lua")


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx responses and socket errors
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def wrk(
    base_url: str,
    prefix: str,
    codes_file: Path,
    key: str,
    *,
    connections: int = 32,
    seconds: int = 20,
    threads: int = 1,
) -> LoadResult:
    """``wrk -t1 -c32 -d20s``: one wrk thread is enough for a few thousand requests per second
    and leaves more of the 2 cores to the server."""
    env = {
        **os.environ,
        "BENCH_CODES": str(codes_file),
        "BENCH_KEY": key,
        "BENCH_PREFIX": prefix,
    }
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base_url,
    ]
    out = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["errors"],
        tool=f"wrk -t{threads} -c{connections} -d{seconds}s",
    )


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def python_load(
    client: httpx.AsyncClient,
    paths: Sequence[str],
    headers: dict[str, str],
    *,
    connections: int = 32,
    seconds: float = 10.0,
    max_requests: int = 200_000,
) -> LoadResult:
    """Closed-loop load: ``connections`` workers each send the next request when the last one
    answered, until ``seconds`` pass or ``max_requests`` were sent (both bounds hold)."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    rng = random.Random(7)

    async def worker() -> None:
        nonlocal errors, sent
        while time.perf_counter() < deadline and sent < max_requests:
            sent += 1
            path = paths[rng.randrange(len(paths))]
            t = time.perf_counter()
            try:
                resp = await client.get(path, headers=headers)
                if resp.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        errors=errors,
        tool=f"python-httpx c={connections} {seconds:g}s",
    )
