"""A live registry for client tests: `qcredit serve` in a subprocess on a free loopback
port, on a database the test owns, with an agency created by `qcredit agency create`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Live:
    url: str
    key: str
    env: dict[str, str]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def qcredit(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "qcredit"), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def live_registry(database_url: str) -> Iterator[Live]:
    env = {
        **os.environ,
        "QCREDIT_DATABASE_URL": database_url,
        "QCREDIT_RUN_BACKGROUND": "false",
        "QCREDIT_AUTO_MIGRATE": "false",  # the fixture's database is migrated already
        "QCREDIT_LOG_LEVEL": "WARNING",
    }
    agency = json.loads(
        qcredit(
            env,
            "agency",
            "create",
            "--name",
            "客户端测试",
            "--level",
            "national",
            "--scopes",
            "all",
            "--json",
        )
    )
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "qcredit"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start in 60 s"
            time.sleep(0.2)
        yield Live(url, agency["key"], env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
