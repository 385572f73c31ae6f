"""Real server processes for the tests that need them (free loopback ports, stopped at end)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Server:
    url: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path


@contextmanager
def qcredit_serve(env: Mapping[str, str], workdir: Path, name: str = "server") -> Iterator[Server]:
    """``qcredit serve`` on a free port with ``env`` on top of ours; ready when /readyz is."""
    port = free_port()
    log = workdir / f"{name}.log"
    full = {
        **os.environ,
        "QCREDIT_LOG_LEVEL": "WARNING",
        "QCREDIT_RUN_BACKGROUND": "false",
        **env,
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "qcredit"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir,
            env=full,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/readyz", proc, log)
        yield Server(url, port, proc, log)
    finally:
        stop(proc)
