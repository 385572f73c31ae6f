"""Replicas started together migrate once: the advisory lock in migrations/env.py."""

from __future__ import annotations

import asyncio
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from service import migrate
from tests.conftest import _pg_admin, _pg_dsn, _pg_url
from tests.procs import BIN, free_port, stop, wait_http

pytestmark = pytest.mark.cluster


@pytest.fixture
def empty_database() -> Iterator[str]:
    name = f"qcredit_migrate_lock_{os.getpid()}"
    asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    asyncio.run(_pg_admin(f"CREATE DATABASE {name}"))
    try:
        yield name
    finally:
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


async def _versions(name: str) -> list[str]:
    conn = await asyncpg.connect(_pg_dsn(name))
    try:
        return [r[0] for r in await conn.fetch("SELECT version_num FROM alembic_version")]
    finally:
        await conn.close()


def test_three_replicas_starting_at_once_migrate_once_and_all_serve(
    empty_database: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "QCREDIT_DATABASE_URL": _pg_url(empty_database),
        "QCREDIT_LOG_LEVEL": "WARNING",
        "QCREDIT_RUN_BACKGROUND": "false",
    }
    qcredit = BIN / "qcredit"
    procs = []
    try:
        for i in range(3):
            port = free_port()
            log = tmp_path / f"replica{i}.log"
            # what the Docker image runs: migrate, then serve
            command = f"{qcredit} migrate && exec {qcredit} serve --host 127.0.0.1 --port {port}"
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    ["sh", "-c", command], env=env, stdout=out, stderr=subprocess.STDOUT
                )
            procs.append((proc, port, log))
        for proc, port, log in procs:
            wait_http(f"http://127.0.0.1:{port}/readyz", proc, log, timeout=120)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as r:
                assert r.status == 200
        logs = "".join(log.read_text() for _, _, log in procs)
        assert "Traceback" not in logs and "rror" not in logs, logs[-3000:]
    finally:
        for proc, _, _ in procs:
            stop(proc)
    assert asyncio.run(_versions(empty_database)) == [migrate.current_head()]
