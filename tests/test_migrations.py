"""Migrations build the schema from nothing and tear it down again, on both databases."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from service import migrate
from service.models import metadata


def _tables(url: str) -> set[str]:
    async def go() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        await engine.dispose()
        return names

    return asyncio.run(go())


def _roundtrip(url: str) -> None:
    migrate.upgrade(url)
    assert set(metadata.tables) <= _tables(url)
    from alembic import command

    command.downgrade(migrate.alembic_config(url), "base")
    assert _tables(url) <= {"alembic_version"}
    migrate.upgrade(url)
    assert set(metadata.tables) <= _tables(url)


def test_sqlite_up_down_up(tmp_path: Path) -> None:
    _roundtrip(f"sqlite+aiosqlite:///{tmp_path}/m.db")


def test_postgres_up_down_up() -> None:
    from tests.conftest import _pg_admin, _pg_url

    # A name this run owns: two suites on one server never drop each other's database.
    name = f"qcredit_mig_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_admin(f"CREATE DATABASE {name}"))
    try:
        _roundtrip(_pg_url(name))
    finally:
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
