"""Start and stop the servers under test (bound to 127.0.0.1 only) and read their memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def pids(self) -> list[int]:
        """The processes serving requests: uvicorn's workers, or the process itself when it
        runs a single worker in-process."""
        children = [pid for pid in _all_pids() if _ppid(pid) == self.proc.pid and _is_worker(pid)]
        return children or [self.proc.pid]

    def rss_mb(self) -> dict[int, tuple[float, float]]:
        """pid -> (VmRSS, VmHWM peak) in MB."""
        return {pid: _mem(pid) for pid in self.pids()}


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _ppid(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    return int(stat.rsplit(")", 1)[1].split()[1])


def _is_worker(pid: int) -> bool:
    """A uvicorn worker is a spawned Python child; multiprocessing's resource tracker is not."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"python" in cmdline and b"resource_tracker" not in cmdline


def _mem(pid: int) -> tuple[float, float]:
    fields: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


@contextmanager
def running(
    kind: str,
    database_url: str,
    *,
    workers: int = 1,
    logdir: Path,
    extra_env: dict[str, str] | None = None,
    background: bool = False,
) -> Iterator[Server]:
    """``kind`` = "service" (``qcredit serve``) or "floor" (uvicorn bench.floor)."""
    port = free_port()
    env = {**os.environ, **(extra_env or {})}
    if kind == "service":
        env.update(
            QCREDIT_DATABASE_URL=database_url,
            QCREDIT_AUTO_MIGRATE="false",
            QCREDIT_RUN_BACKGROUND="true" if background else "false",
            # the public limiter would otherwise answer the name-search loop with 429s
            QCREDIT_PUBLIC_RATE_LIMIT="100000000",
        )
        cmd = [str(BIN / "qcredit"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--workers", str(workers)]
    else:
        env["BENCH_FLOOR_URL"] = database_url
        cmd = [str(BIN / "uvicorn"), "--factory", "bench.floor:app", "--host", "127.0.0.1"]
        cmd += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
        cmd += ["--no-access-log"]
    logdir.mkdir(parents=True, exist_ok=True)
    log = logdir / f"{kind}-{port}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        _wait_ready(server, workers)
        yield server
    finally:
        _stop(proc)


def _wait_ready(server: Server, workers: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"server exited: {server.log.read_text()[-2000:]}")
        try:
            if httpx.get(server.base_url + "/healthz", timeout=2).status_code == 200 and (
                workers == 1 or len(server.pids()) >= workers
            ):
                time.sleep(0.5 if workers == 1 else 2.0)  # let every worker finish start-up
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout}s: {server.log.read_text()[-2000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's own process group (it was started in a new session)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
