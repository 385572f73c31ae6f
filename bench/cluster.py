"""Two app replicas behind HAProxy, with a streaming primary/standby pair and Redis: throughput
and p99 of the lookup and the public name search through the balancer with 1 and with 2
replicas, then a replica killed (SIGKILL) mid-run under load, counting the errors clients saw.

    .venv/bin/python -m bench.cluster                      # 20k enterprises, 15 s per run
    .venv/bin/python -m bench.cluster -n 50000 --seconds 20 --connections 32

Everything runs on 127.0.0.1 with free ports: a throwaway primary and standby
(bench/pgcluster.py), ``qcredit serve --workers 1`` twice (primary + read replica, Redis rate
limit with a key prefix of this run, HAProxy as the trusted proxy), Debian's HAProxy
(health checks on /readyz every 500 ms, retries with redispatch). The 1-vs-2 runs use wrk
when installed (else the Python loop); the write and kill runs use the Python loop, which
records what each failure was. Everything shares this machine's cores: on a 2-core machine
the replicas, both PostgreSQL servers, HAProxy and the client compete, so the 2-replica
figure shows what the balancer costs and how failover behaves more than how far replicas
scale.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import redis

from bench import data
from bench.generate import generate
from bench.load import LoadResult, have_wrk, percentile, wrk
from bench.pgcluster import StreamingPair, free_port, owned_tempdir, streaming_pair, url
from bench.target import postgres

BIN = Path(sys.executable).parent
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
REDIS_URL = os.environ.get("QCREDIT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DB = "qcredit_bench"


@dataclass
class Replica:
    name: str
    port: int
    proc: subprocess.Popen[bytes]


def _wait(url_: str, proc: subprocess.Popen[bytes] | None = None, within: float = 90) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            if httpx.get(url_, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(f"{url_} did not become ready")
        time.sleep(0.3)


@contextmanager
def replicas(
    pair: StreamingPair, workdir: Path, prefix: str, n: int = 2
) -> Iterator[list[Replica]]:
    env = {
        **os.environ,
        "QCREDIT_DATABASE_URL": url(pair.primary_port, DB),
        "QCREDIT_READ_DATABASE_URL": url(pair.standby_port, DB),
        "QCREDIT_REDIS_URL": REDIS_URL,
        "QCREDIT_REDIS_KEY_PREFIX": prefix,
        "QCREDIT_TRUSTED_PROXIES": "127.0.0.1",
        "QCREDIT_PUBLIC_RATE_LIMIT": "100000000",
        "QCREDIT_RUN_BACKGROUND": "false",
        "QCREDIT_LOG_LEVEL": "WARNING",
        "QCREDIT_DB_POOL_SIZE": "10",
    }
    started: list[Replica] = []
    try:
        for i in range(n):
            port = free_port()
            log = (workdir / f"app{i + 1}.log").open("wb")
            proc = subprocess.Popen(
                [
                    str(BIN / "qcredit"),
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            started.append(Replica(f"app{i + 1}", port, proc))
        for r in started:
            _wait(f"http://127.0.0.1:{r.port}/readyz", r.proc)
        yield started
    finally:
        for r in started:
            if r.proc.poll() is None:
                r.proc.terminate()
                try:
                    r.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    r.proc.kill()


HAPROXY_CFG = """
global
    maxconn 2000
    stats socket {sock} mode 600 level admin
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    option forwardfor
    option redispatch 1
    retries 3
    retry-on conn-failure empty-response response-timeout 502 503
    option http-keep-alive
frontend fe
    bind 127.0.0.1:{port}
    default_backend be
backend be
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    # a loaded replica answers its check slowly: only a dead one (refused) fails fast
    timeout check 5s
    default-server inter 500ms fall 2 rise 2
{servers}
"""


@dataclass
class Balancer:
    port: int
    sock: Path

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(str(self.sock))
            s.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def set_state(self, server: str, state: str) -> None:
        self.command(f"set server be/{server} state {state}")

    def up_servers(self) -> int:
        stat = self.command("show stat").splitlines()
        return sum(1 for line in stat if line.startswith("be,app") and ",UP," in line)


@contextmanager
def haproxy(workdir: Path, backends: list[Replica]) -> Iterator[Balancer]:
    port, sock = free_port(), workdir / "haproxy.sock"
    servers = "\n".join(f"    server {r.name} 127.0.0.1:{r.port} check" for r in backends)
    cfg = workdir / "haproxy.cfg"
    cfg.write_text(HAPROXY_CFG.format(sock=sock, port=port, servers=servers))
    log = (workdir / "haproxy.log").open("wb")
    proc = subprocess.Popen([HAPROXY, "-f", str(cfg), "-db"], stdout=log, stderr=subprocess.STDOUT)
    try:
        balancer = Balancer(port, sock)
        deadline = time.monotonic() + 30
        while not sock.exists() or balancer.up_servers() < len(backends):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"haproxy did not start: {(workdir / 'haproxy.log').read_text()}"
                )
            time.sleep(0.2)
        yield balancer
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def lookup_paths(count: int, seed: int, n: int = 2000) -> list[str]:
    rng = random.Random(seed)
    return [f"/v1/enterprises/{data.code_of(rng.randrange(count))}" for _ in range(n)]


def search_paths(count: int, seed: int, n: int = 500) -> list[str]:
    rng = random.Random(f"{seed}-search")
    paths = []
    for _ in range(n):
        name = data.enterprise(rng.randrange(count), seed).name
        start = rng.randrange(max(1, len(name) - 6))
        paths.append("/public/v1/blacklist?q=" + name[start : start + 4])
    return paths


@dataclass
class Outcome:
    result: LoadResult
    failures: Counter[str]


async def _load(
    base: str,
    paths: list[str],
    key: str,
    seconds: float,
    conns: int,
    victim: Replica | None = None,
    write: bool = False,
) -> Outcome:
    """Closed loop like bench.load.python_load, keeping what each failure was; with
    ``victim``, that replica is killed (SIGKILL) halfway through."""
    headers = {"Authorization": f"Bearer {key}"}
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    deadline = time.perf_counter() + seconds
    rng = random.Random(11)
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)

    async def worker(client: httpx.AsyncClient, w: int) -> None:
        n = 0
        while time.perf_counter() < deadline:
            path = paths[rng.randrange(len(paths))]
            t = time.perf_counter()
            try:
                if write:  # an agency's small write: one transaction, one ledger commit
                    n += 1
                    body = {"name": f"集群写入{w}-{n}有限公司"}
                    resp = await client.put(path, headers=headers, json=body)
                else:
                    resp = await client.get(path, headers=headers)
                if resp.status_code >= 400:
                    failures[f"HTTP {resp.status_code}"] += 1
            except httpx.HTTPError as err:
                failures[type(err).__name__] += 1
            latencies.append(time.perf_counter() - t)

    async def killer() -> None:
        await asyncio.sleep(seconds / 2)
        if victim is not None:
            victim.proc.send_signal(signal.SIGKILL)

    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(killer(), *(worker(client, w) for w in range(conns)))
        elapsed = time.perf_counter() - started
    result = LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        errors=sum(failures.values()),
        tool=f"python-httpx c={conns} {seconds:g}s",
    )
    return Outcome(result, failures)


def _wrk(base: str, paths: list[str], key: str, args: argparse.Namespace, workdir: Path) -> Outcome:
    """wrk over ``paths`` (bench/lookup.lua appends each line of a file to a prefix)."""
    listing = workdir / "paths.txt"
    listing.write_text("\n".join(quote(p, safe="/?=&") for p in paths) + "\n")
    result = wrk(base, "", listing, key, connections=args.connections, seconds=int(args.seconds))
    return Outcome(result, Counter({"non-2xx/socket": result.errors} if result.errors else {}))


def row(label: str, outcome: Outcome) -> str:
    r = outcome.result
    what = ", ".join(f"{n} {k}" for k, n in outcome.failures.most_common(3))
    return (
        f"| {label} | {r.requests:,} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
        f"{r.errors}{f' ({what})' if what else ''} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    parser.add_argument("--enterprises", "-n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    prefix = f"qcredit-bench-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    lines = [
        "| run | requests | RPS | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    with ExitStack() as stack:
        pair = stack.enter_context(streaming_pair(DB))
        workdir = owned_tempdir("qcredit-cluster-")
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        print(f"primary :{pair.primary_port}, standby :{pair.standby_port}; generating …")
        target = postgres(f"postgresql://postgres@127.0.0.1:{pair.primary_port}/{DB}")
        state = asyncio.run(generate(target, args.enterprises, args.seed, workdir=workdir))
        asyncio.run(pair.wait_replayed())
        apps = stack.enter_context(replicas(pair, workdir, prefix))
        balancer = stack.enter_context(haproxy(workdir, apps))
        stack.callback(_clean_redis, prefix)
        base = f"http://127.0.0.1:{balancer.port}"
        workloads = {
            "lookup": lookup_paths(args.enterprises, args.seed),
            "public search": search_paths(args.enterprises, args.seed),
        }
        for name, paths in workloads.items():
            for n in (1, 2):
                balancer.set_state("app2", "ready" if n == 2 else "maint")
                time.sleep(1)
                if have_wrk():  # the Python client saturates first (BENCHMARKS.md)
                    out = _wrk(base, paths, state.key, args, workdir)
                else:
                    out = asyncio.run(_load(base, paths, state.key, args.seconds, args.connections))
                lines.append(row(f"{name}, {n} replica{'s' * (n > 1)}", out))
                print(lines[-1], flush=True)
        writes = [f"/v1/enterprises/{data.code_of(i)}" for i in range(args.enterprises)]
        out = asyncio.run(
            _load(base, writes, state.key, args.seconds, args.connections, write=True)
        )
        lines.append(row("agency writes (PUT enterprise), 2 replicas", out))
        print(lines[-1], flush=True)
        mixed = [p for pair_ in zip(*workloads.values(), strict=False) for p in pair_]
        out = asyncio.run(
            _load(base, mixed, state.key, args.seconds * 2, args.connections, victim=apps[1])
        )
        lines.append(row("lookup + search, app2 killed (SIGKILL) halfway", out))
        print(lines[-1], flush=True)
    load = os.getloadavg()
    print(
        f"\n{args.enterprises:,} enterprises, {args.connections} connections, {args.seconds:g} s"
        f" per run; load average now {load[0]:.1f} on {os.cpu_count()} cores\n"
    )
    print("\n".join(lines))


def _clean_redis(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


if __name__ == "__main__":
    main()
