"""Test harness: every API test runs on SQLite and on PostgreSQL, each test on a fresh
database cloned from one migrated template (so migrations run in every session)."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from service import migrate
from service.app import create_app
from service.auth import ALL_SCOPES, Level
from service.clock import FixedClock
from service.db import Database
from service.settings import Settings
from service.store import agencies, ledger

PG_URL = os.environ.get("QCREDIT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
# One template per test process: parallel runs on one server must not drop each other's.
TEMPLATE = f"qcredit_tpl_{os.getpid()}"
# Fixed "now" for API tests: a Monday, 10:00 China time.
NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
_counter = itertools.count()


def _pg_dsn(database: str) -> str:
    url = make_url(PG_URL).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


def _pg_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


async def _pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(_pg_dsn(make_url(PG_URL).database or "test"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    try:
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
    except OSError as err:  # pragma: no cover - environment problem, not a test result
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}: {err}")
    asyncio.run(_pg_admin(f"CREATE DATABASE {TEMPLATE}"))
    migrate.upgrade(_pg_url(TEMPLATE))
    yield TEMPLATE
    asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("pg_template")
    name = f"qcredit_t{os.getpid()}_{next(_counter)}"
    asyncio.run(_pg_admin(f"CREATE DATABASE {name} TEMPLATE {template_name}"))
    yield _pg_url(name)
    asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        log_json=True,
        log_level="WARNING",
        run_background=False,
        webhook_allow_private=True,
    )


@pytest.fixture
async def app(settings: Settings, clock: FixedClock) -> AsyncIterator[Any]:
    application = create_app(settings, clock=clock)
    yield application
    await application.state.db.dispose()


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@dataclass
class AgencyKey:
    id: int
    key: str
    level: str
    region: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


MakeAgency = Callable[..., Awaitable[AgencyKey]]


@pytest.fixture
def make_agency(app: Any) -> MakeAgency:
    async def _make(
        level: str = "national",
        region: str = "",
        scopes: frozenset[str] = ALL_SCOPES,
        name: str | None = None,
    ) -> AgencyKey:
        db: Database = app.state.db
        async with db.session(write=True) as session:
            agency, key = await agencies.create(
                session,
                name=name or f"{level} {region or 'CN'}",
                level=Level(level),
                region=region,
                scopes=frozenset(scopes),
            )
            await ledger.commit(session)
        assert agency.id is not None
        return AgencyKey(agency.id, key, level, region)

    return _make


@pytest.fixture
async def national(make_agency: MakeAgency) -> AgencyKey:
    return await make_agency()
