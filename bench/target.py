"""The benchmark's own databases: ``qcredit_bench`` on the local PostgreSQL and a temp SQLite
file. Never the tests' ``test`` database or their ``qcredit_test_template``/``qcredit_t*``
clones: :func:`postgres` refuses those names."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import asyncpg
from sqlalchemy.engine import make_url

Backend = Literal["postgres", "sqlite"]
DEFAULT_WORKDIR = Path(os.environ.get("QCREDIT_BENCH_DIR", "/tmp/qcredit-bench"))
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/qcredit_bench"
_FORBIDDEN = ("test", "postgres", "template0", "template1")


@dataclass(frozen=True)
class Target:
    backend: Backend
    url: str  # SQLAlchemy URL the service uses (QCREDIT_DATABASE_URL)
    dsn: str  # asyncpg DSN (PostgreSQL) or file path (SQLite)

    @property
    def name(self) -> str:
        return make_url(self.url).database or ""


def postgres(dsn: str = DEFAULT_PG) -> Target:
    url = make_url(dsn)
    name = url.database or ""
    if name in _FORBIDDEN or name.startswith("qcredit_t"):
        raise SystemExit(f"refusing to benchmark in database {name!r}: use qcredit_bench")
    sa_url = url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return Target("postgres", sa_url, plain)


def sqlite(path: Path) -> Target:
    return Target("sqlite", f"sqlite+aiosqlite:///{path}", str(path))


def target_for(
    backend: Backend, workdir: Path = DEFAULT_WORKDIR, pg_dsn: str = DEFAULT_PG
) -> Target:
    if backend == "postgres":
        return postgres(pg_dsn)
    return sqlite(workdir / "bench.db")


def _remove_sqlite(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)


async def recreate(target: Target) -> None:
    """Drop and create the benchmark database (empty, not migrated)."""
    if target.backend == "sqlite":
        _remove_sqlite(target.dsn)
        return
    admin = make_url(target.dsn).set(database="postgres").render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{target.name}"')
    finally:
        await conn.close()


async def pg_connect(target: Target) -> asyncpg.Connection:
    return await asyncpg.connect(target.dsn)


def sqlite_connect(target: Target) -> sqlite3.Connection:
    conn = sqlite3.connect(target.dsn, timeout=60, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=60000")
    return conn


@dataclass
class State:
    """What `generate` leaves for `run`: where the data is and how to call the service."""

    backend: Backend
    url: str
    dsn: str
    count: int
    seed: int
    key: str
    agency_id: int
    records: int = 0
    listed: int = 0
    records_path: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def target(self) -> Target:
        return Target(self.backend, self.url, self.dsn)

    def save(self, workdir: Path) -> Path:
        workdir.mkdir(parents=True, exist_ok=True)
        path = workdir / f"state-{self.backend}.json"
        path.write_text(json.dumps(asdict(self), indent=1))
        path.chmod(0o600)  # holds an API key
        return path

    @classmethod
    def load(cls, workdir: Path, backend: Backend) -> State:
        data: dict[str, Any] = json.loads((workdir / f"state-{backend}.json").read_text())
        return cls(**data)
