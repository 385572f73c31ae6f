"""A throwaway PostgreSQL primary with a streaming standby (and PgBouncer in front of the
primary), from the PostgreSQL 15 binaries: own free ports, data under a temp directory,
stopped and deleted at the end. Never the shared server on 5432."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from service import migrate
from tests.procs import free_port

PG_BIN = Path(os.environ.get("QCREDIT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
DB = "qcredit"
# initdb and postgres refuse to run as root: run them as the postgres user then.
RUN_AS = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _run(*args: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    cmd = [*RUN_AS, *(str(a) for a in args)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def _owned_tempdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if RUN_AS:
        user = pwd.getpwnam("postgres")
        os.chown(path, user.pw_uid, user.pw_gid)
    return path


def url(port: int, database: str = DB) -> str:
    return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{database}"


def dsn(port: int, database: str = DB) -> str:
    return f"postgresql://postgres@127.0.0.1:{port}/{database}"


async def fetchval(port: int, sql: str, *args: object, database: str = DB) -> object:
    conn = await asyncpg.connect(dsn(port, database))
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


@dataclass
class StreamingPair:
    root: Path
    primary_port: int
    standby_port: int

    @property
    def primary_url(self) -> str:
        return url(self.primary_port)

    @property
    def standby_url(self) -> str:
        return url(self.standby_port)

    def pg_ctl(self, node: str, *args: str) -> None:
        _run(PG_BIN / "pg_ctl", "-D", self.root / node, "-l", self.root / f"{node}.log", *args)

    def stop_standby(self) -> None:
        self.pg_ctl("standby", "-m", "fast", "-w", "stop")

    def start_standby(self) -> None:
        self.pg_ctl("standby", "-w", "start")

    def standby_running(self) -> bool:
        return (self.root / "standby" / "postmaster.pid").exists()

    async def statements_on(self, port: int, like: str) -> int:
        """Calls of statements matching ``like`` recorded by pg_stat_statements on a node."""
        n = await fetchval(
            port,
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE query ILIKE $1",
            like,
        )
        assert isinstance(n, int)
        return n

    async def wait_replayed(self, lsn: str, within: float = 30) -> None:
        deadline = time.monotonic() + within
        sql = "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn"
        while not await fetchval(self.standby_port, sql, lsn):
            if time.monotonic() > deadline:
                raise AssertionError(f"standby did not replay {lsn} in {within} s")
            await asyncio.sleep(0.1)


_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{root}'
wal_level = replica
max_wal_senders = 5
hot_standby = on
wal_keep_size = '128MB'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
shared_buffers = '32MB'
max_connections = 200
fsync = off
full_page_writes = off
"""


@pytest.fixture(scope="session")
def streaming_pair() -> Iterator[StreamingPair]:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL binaries not found in {PG_BIN} (set QCREDIT_PG_BIN)")
    root = _owned_tempdir("qcredit-replica-")
    pair = StreamingPair(root, free_port(), free_port())
    started: list[str] = []
    try:
        _run(PG_BIN / "initdb", "-D", root / "primary", "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        with (root / "primary" / "postgresql.conf").open("a") as conf:
            conf.write(_SETTINGS.format(port=pair.primary_port, root=root))
        pair.pg_ctl("primary", "-w", "start")
        started.append("primary")
        _run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(pair.primary_port),
             "-U", "postgres", "-D", root / "standby", "-R", "-X", "stream",
             "-c", "fast")  # fmt: skip
        with (root / "standby" / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {pair.standby_port}\n")
        pair.start_standby()
        started.append("standby")
        asyncio.run(_create_database(pair.primary_port))
        migrate.upgrade(pair.primary_url)
        yield pair
    finally:
        for node in reversed(started):
            if (root / node / "postmaster.pid").exists():
                with contextlib.suppress(RuntimeError):
                    pair.pg_ctl(node, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


async def _create_database(port: int) -> None:
    conn = await asyncpg.connect(dsn(port, "postgres"))
    try:
        await conn.execute(f"CREATE DATABASE {DB}")
    finally:
        await conn.close()
    conn = await asyncpg.connect(dsn(port))
    try:
        await conn.execute("CREATE EXTENSION pg_stat_statements")
    finally:
        await conn.close()


@dataclass
class Bouncer:
    port: int
    config: Path

    @property
    def url(self) -> str:
        return url(self.port)


@pytest.fixture(scope="session")
def pgbouncer(streaming_pair: StreamingPair) -> Iterator[Bouncer]:
    """PgBouncer in transaction pooling mode in front of the primary."""
    if not Path(PGBOUNCER).exists():
        pytest.fail("pgbouncer is not installed (scripts/test-services.sh installs it)")
    root = _owned_tempdir("qcredit-pgbouncer-")
    port = free_port()
    config = root / "pgbouncer.ini"
    config.write_text(
        f"""[databases]
{DB} = host=127.0.0.1 port={streaming_pair.primary_port} dbname={DB}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir = {root}
auth_type = trust
auth_file = {root}/users.txt
pool_mode = transaction
default_pool_size = 10
max_client_conn = 500
ignore_startup_parameters = extra_float_digits
logfile = {root}/pgbouncer.log
pidfile = {root}/pgbouncer.pid
"""
    )
    (root / "users.txt").write_text('"postgres" ""\n')
    _run(PGBOUNCER, "-d", config)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                asyncio.run(fetchval(port, "SELECT 1"))
                break
            except (OSError, asyncpg.PostgresError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield Bouncer(port, config)
    finally:
        pid = root / "pgbouncer.pid"
        if pid.exists():
            os.kill(int(pid.read_text().strip()), 15)
        shutil.rmtree(root, ignore_errors=True)
