"""The region-from-code migration repairs rows a registration that trusted the body's
`region_code` left behind, on both databases."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from service import migrate
from service.credit.codes import make_uscc

LIAONING = make_uscc("00066001", region="211100")
RIGHT = make_uscc("00066002", region="130100")


async def _run(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        await engine.dispose()


def _check(url: str) -> None:
    migrate.upgrade(url, "0002")
    products = "CAST('[]' AS jsonb)" if url.startswith("postgresql") else "'[]'"
    now = datetime(2026, 11, 30, tzinfo=UTC)
    for code, region in ((LIAONING, "130100"), (RIGHT, "130100")):
        asyncio.run(
            _run(
                url,
                "INSERT INTO enterprise (code, org_code, name, name_key, region_code, products,"
                f" created_at, updated_at, version) VALUES (:c, :o, 'x', 'x', :r, {products},"
                " :t, :t, 1)",
                c=code,
                o=code[8:17],
                r=region,
                t=now,
            )
        )
    migrate.upgrade(url)
    rows = asyncio.run(_run(url, "SELECT code, region_code FROM enterprise ORDER BY code"))
    assert dict(rows) == {LIAONING: "211100", RIGHT: "130100"}


def test_sqlite_repairs_regions(tmp_path: Path) -> None:
    _check(f"sqlite+aiosqlite:///{tmp_path}/m.db")


def test_postgres_repairs_regions() -> None:
    from tests.conftest import _pg_admin, _pg_url

    name = f"qcredit_migreg_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_admin(f"CREATE DATABASE {name}"))
    try:
        _check(_pg_url(name))
    finally:
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
