"""Rows stored before the legal-fidelity fields were filled on write get them from the
migrations (issue 14): decided_on / referred_on / received_on / heavier, and the body hash
a replay of the original body is compared with. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from service import migrate
from service.models.base import JSONType, UTCDateTime
from service.store.records.rows import body_hash

BEFORE = "0002"  # the head before these migrations
CODE = "91211100000123459X"

_agency = sa.table(
    "agency",
    sa.column("id", sa.Integer()),
    sa.column("name", sa.String()),
    sa.column("level", sa.String()),
    sa.column("region", sa.String()),
    sa.column("scopes", sa.String()),
    sa.column("created_at", UTCDateTime()),
)
_enterprise = sa.table(
    "enterprise",
    sa.column("code", sa.String()),
    sa.column("org_code", sa.String()),
    sa.column("name", sa.String()),
    sa.column("name_key", sa.String()),
    sa.column("region_code", sa.String()),
    sa.column("products", JSONType),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
    sa.column("version", sa.Integer()),
)
_record = sa.table(
    "credit_record",
    sa.column("id", sa.Integer()),
    sa.column("code", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("agency_id", sa.Integer()),
    sa.column("source_ref", sa.String()),
    sa.column("version", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("occurred_on", sa.Date()),
    sa.column("recorded_at", UTCDateTime()),
    sa.column("region_code", sa.String()),
    sa.column("body_hash", sa.String()),
    sa.column("data", JSONType),
)

# (id, kind, occurred_on, data as stored before) -> the data expected after
OLD_ROWS: list[tuple[int, str, str, dict[str, Any], dict[str, Any]]] = [
    (
        1,
        "penalty",
        "2026-02-10",
        {"decision_number": "罚1", "penalty_types": ["warning"], "heavier": False},
        {
            "decision_number": "罚1",
            "penalty_types": ["warning"],
            "heavier": False,
            "decided_on": "2026-02-10",
        },
    ),
    (
        2,
        "penalty",
        "2025-01-01",
        {
            "decision_number": "罚2",
            "decided_on": "2025-03-01",
            "penalty_types": ["licence_revocation"],
            "heavier": False,
            "police_referral": True,
        },
        {
            "decision_number": "罚2",
            "decided_on": "2025-03-01",
            "penalty_types": ["licence_revocation"],
            "heavier": True,
            "police_referral": True,
            "referred_on": "2025-03-01",
        },
    ),
    (
        3,
        "complaint",
        "2026-04-01",
        {"substantiated": True},
        {"substantiated": True, "received_on": "2026-04-01"},
    ),
    (
        5,
        "licence",
        "2024-05-06",
        {"licence_type": "CCC", "valid_from": "2024-05-06", "valid_to": "2029-05-05"},
        {"licence_type": "ccc", "valid_from": "2024-05-06", "valid_to": "2029-05-05"},
    ),
    (
        6,
        "licence",
        "2024-05-06",
        {"licence_type": "production"},
        {"licence_type": "production_licence"},
    ),
    (
        7,
        "licence",
        "2024-05-06",
        {"licence_type": "GB/T 19001-2016"},
        {"licence_type": "iso9001"},
    ),
    (
        8,
        "licence",
        "2024-05-06",
        {"licence_type": "绿色食品标志"},
        {"licence_type": "other", "licence_name": "绿色食品标志"},
    ),
    (
        9,
        "licence",
        "2024-05-06",
        {"licence_type": "ccc"},
        {"licence_type": "ccc"},
    ),
    (
        4,
        "incident",
        "2026-01-20",
        {"severity": "minor"},
        {"severity": "minor"},
    ),
]


def _url_sqlite(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/m.db"


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield _url_sqlite(tmp_path)
        return
    from tests.conftest import _pg_admin, _pg_url

    name = f"qcredit_migd_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_admin(f"CREATE DATABASE {name}"))
    try:
        yield _pg_url(name)
    finally:
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


async def _seed(url: str) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(_agency).values(
                id=1, name="盘锦市", level="prefecture", region="2111", scopes="all", created_at=now
            )
        )
        await conn.execute(
            sa.insert(_enterprise).values(
                code=CODE,
                org_code=CODE[8:17],
                name="示例",
                name_key="示例",
                region_code="211100",
                products=[],
                created_at=now,
                updated_at=now,
                version=1,
            )
        )
        for rid, kind, on, data, _ in OLD_ROWS:
            await conn.execute(
                sa.insert(_record).values(
                    id=rid,
                    code=CODE,
                    kind=kind,
                    agency_id=1,
                    source_ref=f"old-{rid}",
                    version=1,
                    status="active",
                    occurred_on=date.fromisoformat(on),
                    recorded_at=now,
                    region_code="211100",
                    body_hash=body_hash(CODE, kind, f"old-{rid}", on, data),
                    data=data,
                )
            )
    await engine.dispose()


async def _rows(url: str) -> dict[int, tuple[dict[str, Any], str]]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.select(_record.c.id, _record.c.data, _record.c.body_hash).order_by(_record.c.id)
        )
        out = {r.id: (r.data, r.body_hash) for r in rows}
    await engine.dispose()
    return out


def test_old_rows_get_dates_heavier_and_licence_types(fresh_url: str) -> None:
    migrate.upgrade(fresh_url, BEFORE)
    asyncio.run(_seed(fresh_url))
    migrate.upgrade(fresh_url)
    rows = asyncio.run(_rows(fresh_url))
    for rid, kind, on, _, expected in OLD_ROWS:
        data, digest = rows[rid]
        assert data == expected, rid
        # a replay of the body as first sent is filled the same way on write: same hash
        assert digest == body_hash(CODE, kind, f"old-{rid}", on, expected), rid
