"""Throwaway PostgreSQL for scale-out runs (tests/cluster, bench/cluster.py): a primary and a
streaming standby from the PostgreSQL 15 binaries (``initdb``, ``pg_basebackup -R``), and
PgBouncer in transaction pooling mode; own free ports, data under a temp directory, stopped
and deleted at the end. Never the shared server on 5432."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg

PG_BIN = Path(os.environ.get("QCREDIT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
DB = "qcredit"
# initdb, postgres and pgbouncer refuse to run as root: run them as the postgres user then.
RUN_AS = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    cmd = [*RUN_AS, *(str(a) for a in args)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def owned_tempdir(prefix: str) -> Path:
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


_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{root}'
wal_level = replica
max_wal_senders = 5
hot_standby = on
wal_keep_size = '256MB'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
shared_buffers = '64MB'
max_connections = 200
fsync = off
full_page_writes = off
"""


@dataclass
class StreamingPair:
    root: Path
    primary_port: int
    standby_port: int
    database: str = DB

    @property
    def primary_url(self) -> str:
        return url(self.primary_port, self.database)

    @property
    def standby_url(self) -> str:
        return url(self.standby_port, self.database)

    def pg_ctl(self, node: str, *args: str) -> None:
        run(PG_BIN / "pg_ctl", "-D", self.root / node, "-l", self.root / f"{node}.log", *args)

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
            database=self.database,
        )
        assert isinstance(n, int)
        return n

    async def wait_replayed(self, lsn: str | None = None, within: float = 60) -> None:
        """Until the standby has replayed ``lsn`` (default: the primary's position now)."""
        if lsn is None:
            lsn = str(
                await fetchval(
                    self.primary_port, "SELECT pg_current_wal_lsn()::text", database="postgres"
                )
            )
        deadline = time.monotonic() + within
        sql = "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn"
        while not await fetchval(self.standby_port, sql, lsn, database="postgres"):
            if time.monotonic() > deadline:
                raise AssertionError(f"standby did not replay {lsn} in {within} s")
            await asyncio.sleep(0.1)


@contextlib.contextmanager
def streaming_pair(database: str = DB) -> Iterator[StreamingPair]:
    """A primary with ``database`` (and pg_stat_statements) and its streaming standby."""
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError(f"PostgreSQL binaries not found in {PG_BIN} (set QCREDIT_PG_BIN)")
    root = owned_tempdir("qcredit-replica-")
    pair = StreamingPair(root, free_port(), free_port(), database)
    started: list[str] = []
    try:
        run(PG_BIN / "initdb", "-D", root / "primary", "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        with (root / "primary" / "postgresql.conf").open("a") as conf:
            conf.write(_SETTINGS.format(port=pair.primary_port, root=root))
        pair.pg_ctl("primary", "-w", "start")
        started.append("primary")
        run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(pair.primary_port),
            "-U", "postgres", "-D", root / "standby", "-R", "-X", "stream",
            "-c", "fast")  # fmt: skip
        with (root / "standby" / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {pair.standby_port}\n")
        pair.start_standby()
        started.append("standby")
        asyncio.run(_create_database(pair.primary_port, database))
        yield pair
    finally:
        for node in reversed(started):
            if (root / node / "postmaster.pid").exists():
                with contextlib.suppress(RuntimeError):
                    pair.pg_ctl(node, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


async def _create_database(port: int, database: str) -> None:
    conn = await asyncpg.connect(dsn(port, "postgres"))
    try:
        await conn.execute(f"CREATE DATABASE {database}")
    finally:
        await conn.close()
    conn = await asyncpg.connect(dsn(port, database))
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


@contextlib.contextmanager
def pgbouncer(backend_port: int, database: str = DB, pool_size: int = 10) -> Iterator[Bouncer]:
    """PgBouncer in transaction pooling mode in front of ``backend_port``."""
    if not Path(PGBOUNCER).exists():
        raise RuntimeError("pgbouncer is not installed (scripts/test-services.sh installs it)")
    root = owned_tempdir("qcredit-pgbouncer-")
    port = free_port()
    config = root / "pgbouncer.ini"
    config.write_text(
        f"""[databases]
{database} = host=127.0.0.1 port={backend_port} dbname={database}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir = {root}
auth_type = trust
auth_file = {root}/users.txt
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
ignore_startup_parameters = extra_float_digits
logfile = {root}/pgbouncer.log
pidfile = {root}/pgbouncer.pid
"""
    )
    (root / "users.txt").write_text('"postgres" ""\n')
    run(PGBOUNCER, "-d", config)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                asyncio.run(fetchval(port, "SELECT 1", database=database))
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
