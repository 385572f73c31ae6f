"""The audit hash chain: listing per target, verification, and tamper detection (an edited
row, a deleted row, a truncated tail) over the API and the CLI."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from service.auth import ALL_SCOPES
from service.cli import app as cli_app
from service.security import checkpoints
from service.settings import Settings
from tests.api._sharing import HEBEI, PANJIN, SHENYANG, put_enterprise


async def write_some(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    await put_enterprise(client, headers, PANJIN)
    await put_enterprise(client, headers, SHENYANG)
    await put_enterprise(client, headers, PANJIN, name="盘锦新名")
    await put_enterprise(client, headers, HEBEI)
    await put_enterprise(client, headers, PANJIN, name="盘锦三名")


async def verify(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    r = await client.get("/v1/audit/verify", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def execute(app: Any, sql: str) -> None:
    async with app.state.db.session(write=True) as session:
        await session.execute(text(sql))
        await session.commit()


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """Every test here runs with an audit signing key (kept outside the database)."""
    key = tmp_path / "audit-signing.pem"
    checkpoints.write_signing_key(key)
    return settings.model_copy(update={"audit_signing_key_file": str(key)})


async def test_intact_chain_verifies(client: httpx.AsyncClient, national: Any) -> None:
    assert await verify(client, national.headers) == {
        "ok": True,
        "length": 0,
        "head": "0" * 64,
        "broken": [],
        "checkpoints_checked": 0,
    }
    await write_some(client, national.headers)
    out = await verify(client, national.headers)
    assert out["ok"] is True
    assert out["length"] == 5
    assert len(out["head"]) == 64
    assert "first_bad" not in out


async def test_entries_for_an_enterprise_chain_and_page(
    client: httpx.AsyncClient, national: Any
) -> None:
    await write_some(client, national.headers)
    r = await client.get(
        "/v1/audit", params={"target": PANJIN.lower(), "limit": 2}, headers=national.headers
    )
    assert r.status_code == 200
    first = r.json()
    assert [e["seq"] for e in first["items"]] == [1, 3]
    entry = first["items"][0]
    assert entry["action"] == "enterprise.put"
    assert entry["target"] == PANJIN
    assert entry["agency"] == national.id
    assert entry["prev_hash"] == "0" * 64
    assert len(entry["body_sha256"]) == 64
    r = await client.get(
        "/v1/audit",
        params={"target": PANJIN, "cursor": first["next_cursor"]},
        headers=national.headers,
    )
    assert [e["seq"] for e in r.json()["items"]] == [5]
    assert r.json()["next_cursor"] is None


async def test_who_may_read_the_audit(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    await write_some(client, national.headers)
    plain = frozenset(ALL_SCOPES - {"admin"})
    liaoning = await make_agency("province", "21", scopes=plain)
    r = await client.get("/v1/audit/verify", headers=liaoning.headers)
    assert r.status_code == 403
    assert r.json()["rule"] == "scope"
    r = await client.get("/v1/audit", params={"target": PANJIN}, headers=liaoning.headers)
    assert r.status_code == 200
    assert len(r.json()["items"]) == 3
    r = await client.get("/v1/audit", params={"target": HEBEI}, headers=liaoning.headers)
    assert r.status_code == 403
    assert r.json()["rule"] == "jurisdiction"
    r = await client.get("/v1/audit", params={"target": "webhook:1"}, headers=liaoning.headers)
    assert r.status_code == 403


async def test_an_edited_entry_is_named(app: Any, client: httpx.AsyncClient, national: Any) -> None:
    await write_some(client, national.headers)
    await execute(app, "UPDATE audit_entry SET action = 'x' WHERE seq = 3")
    out = await verify(client, national.headers)
    assert out["ok"] is False
    assert out["first_bad"] == 3
    assert out["reason"] == "hash does not match the entry's content"
    assert out["length"] == 5


async def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    """Rewriting an entry and its own hash is caught by the next entry's prev_hash."""
    from service.store import ledger

    await write_some(client, national.headers)
    async with app.state.db.session(write=True) as session:
        row = dict(
            (await session.execute(text("SELECT * FROM audit_entry WHERE seq = 2")))
            .mappings()
            .one()
        )
        from service.models.base import UTCDateTime

        row["at"] = UTCDateTime().process_result_value(row["at"], session.get_bind().dialect)
        row["target"] = HEBEI
        forged = ledger.chain_hash(row["prev_hash"], row)
        await session.execute(
            text("UPDATE audit_entry SET target = :t, hash = :h WHERE seq = 2"),
            {"t": HEBEI, "h": forged},
        )
        await session.commit()
    out = await verify(client, national.headers)
    assert (out["ok"], out["first_bad"]) == (False, 3)
    assert out["reason"] == "prev_hash is not the previous entry's hash"


@pytest.mark.parametrize(("seq", "first_bad"), [(3, 3), (1, 1), (5, 5)])
async def test_a_deleted_entry_is_named(
    app: Any, client: httpx.AsyncClient, national: Any, seq: int, first_bad: int
) -> None:
    await write_some(client, national.headers)
    await execute(app, f"DELETE FROM audit_entry WHERE seq = {seq}")
    out = await verify(client, national.headers)
    assert (out["ok"], out["first_bad"], out["reason"]) == (False, first_bad, "entry missing")


async def test_verify_streams_in_chunks(app: Any, client: httpx.AsyncClient, national: Any) -> None:
    from service.store import audit

    await write_some(client, national.headers)
    async with app.state.db.session(write=False) as session:
        assert (await audit.verify(session, chunk=2)).ok is True
    await execute(app, "UPDATE audit_entry SET request_id = 'forged' WHERE seq = 4")
    async with app.state.db.session(write=False) as session:
        verdict = await audit.verify(session, chunk=2)
    assert (verdict.ok, verdict.first_bad) == (False, 4)


async def test_cli_audit_verify_exit_codes(
    app: Any, client: httpx.AsyncClient, national: Any, database_url: str, monkeypatch: Any
) -> None:
    await write_some(client, national.headers)
    monkeypatch.setenv("QCREDIT_DATABASE_URL", database_url)
    runner = CliRunner()
    # the CLI runs its own event loop, so it is invoked from a thread
    ok = await asyncio.to_thread(runner.invoke, cli_app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert '"ok": true' in ok.stdout
    await execute(app, "UPDATE audit_entry SET action = 'x' WHERE seq = 3")
    bad = await asyncio.to_thread(runner.invoke, cli_app, ["audit", "verify"])
    assert bad.exit_code == 1
    assert '"first_bad": 3' in bad.stdout
