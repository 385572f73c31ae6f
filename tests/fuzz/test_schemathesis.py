"""The committed OpenAPI contract tells the truth: schemathesis fuzzes every operation of a
live server on PostgreSQL (`--checks all`, fixed seed, bounded) and must find no server
error, no undocumented status code and no response that breaks its schema.

The server is a real uvicorn process on a free loopback port, on a database this test
creates (with `qcredit demo` data, so reads find something) and drops; the fuzzer holds a
national key with every scope, admin included.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "openapi.json"
CONFIG = Path(__file__).with_name("schemathesis.toml")
BIN = Path(sys.executable).parent
SEED = 20261201
MAX_EXAMPLES = int(os.environ.get("QCREDIT_FUZZ_EXAMPLES", "12"))
ALL = ("--scopes", "all", "--json")
MAX_SECONDS = 240  # the whole run: CI has a budget


PG_URL = os.environ.get("QCREDIT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def _pg_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


async def _pg_admin(sql: str) -> None:
    url = make_url(PG_URL).set(drivername="postgresql")
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=5):  # loopback only
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    work = tmp_path_factory.mktemp("fuzz")
    name = f"qcredit_fuzz_{os.getpid()}"
    asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    asyncio.run(_pg_admin(f"CREATE DATABASE {name}"))
    env = {
        **os.environ,
        "QCREDIT_DATABASE_URL": _pg_url(name),
        "QCREDIT_LOG_LEVEL": "WARNING",
        "QCREDIT_RUN_BACKGROUND": "false",
        "QCREDIT_DB_POOL_SIZE": "5",
        # the fuzzer is one client sending thousands of requests; 429 is tested elsewhere
        "QCREDIT_PUBLIC_RATE_LIMIT": "1000000",
    }
    qcredit = str(BIN / "qcredit")
    server = None
    try:
        subprocess.run([qcredit, "migrate"], cwd=work, env=env, check=True, capture_output=True)
        subprocess.run(
            [qcredit, "demo", "--enterprises", "40"],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
        )
        made = subprocess.run(
            [qcredit, "agency", "create", "--name", "fuzz", "--level", "national", *ALL],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        key = json.loads(made.stdout)["key"]
        port = _free_port()
        bind = ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        log = work / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "service.app:create_app", "--factory", *bind],
                cwd=work,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url, server, log)
        yield url, key
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def test_every_operation_survives_schemathesis(
    fuzz_server: tuple[str, str], tmp_path: Path
) -> None:
    url, key = fuzz_server
    command = [
        str(BIN / "st"),
        "--config-file",
        str(CONFIG),
        "run",
        str(SPEC),
        "--url",
        url,
        "--checks",
        "all",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--max-time",
        str(MAX_SECONDS),
        "--workers",
        "2",
        "--no-color",
        "--generation-database",
        "none",
        "--request-timeout",
        "60",  # a shared CI machine; a slow answer is not a wrong one
        "--header",
        f"Authorization: Bearer {key}",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    run = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=MAX_SECONDS + 120
    )
    output = run.stdout + run.stderr
    (ROOT / "test-output").mkdir(exist_ok=True)
    (ROOT / "test-output" / "schemathesis.txt").write_text(output)
    assert run.returncode == 0, output[-20000:]
