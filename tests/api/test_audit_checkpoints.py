"""Signed checkpoints of the audit head: what SQL access alone can no longer hide.

Each tampering variant below is done in SQL, the way someone with database access but
without the signing key (kept in a file outside the database) would do it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from service.cli import app as cli_app
from service.clock import FixedClock
from service.jobs.periodic import audit_checkpoint_work, exclusive
from service.jobs.runtime import Runtime
from service.models import AuditEntry
from service.security import checkpoints
from service.settings import Settings
from service.store import ledger
from tests.api._sharing import HEBEI, PANJIN, SHENYANG, put_enterprise, read_feed
from tests.conftest import NOW


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    key = tmp_path / "audit-signing.pem"
    checkpoints.write_signing_key(key)
    return settings.model_copy(update={"audit_signing_key_file": str(key)})


async def checkpoint(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    r = await client.post("/v1/audit/checkpoints", headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def verify(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    r = await client.get("/v1/audit/verify", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def sql(app: Any, statement: str, **params: Any) -> None:
    async with app.state.db.session(write=True) as session:
        await session.execute(text(statement), params)
        await session.commit()


async def chain_with_checkpoints(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    """Entries 1-2, checkpoint at 2, entries 3-5, checkpoint at 5, entries 6-7."""
    await put_enterprise(client, headers, PANJIN)
    await put_enterprise(client, headers, SHENYANG)
    assert (await checkpoint(client, headers))["seq"] == 2
    await put_enterprise(client, headers, PANJIN, name="盘锦新名")
    await put_enterprise(client, headers, HEBEI)
    await put_enterprise(client, headers, PANJIN, name="盘锦三名")
    assert (await checkpoint(client, headers))["seq"] == 5
    await put_enterprise(client, headers, SHENYANG, name="沈阳新名")
    await put_enterprise(client, headers, HEBEI, name="河北新名")
    out = await verify(client, headers)
    assert (out["ok"], out["length"], out["checkpoints_checked"]) == (True, 7, 2)
    assert out["last_checkpoint"]["seq"] == 5


async def rewrite_from(app: Any, seq: int, **changes: Any) -> None:
    """Edit entry `seq` and recompute every hash after it, and the ledger head: a chain
    that is consistent with itself again."""
    async with app.state.db.session(write=True) as session:
        rows = (
            await session.execute(
                select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq)
            )
        ).scalars()
        prev = None
        for row in rows:
            if row.seq == seq:
                for name, value in changes.items():
                    setattr(row, name, value)
            row.prev_hash = prev if prev is not None else row.prev_hash
            row.hash = prev = ledger.chain_hash(row.prev_hash, row.model_dump())
        await session.flush()
        await session.execute(text("UPDATE ledger SET audit_head = :h WHERE id = 1"), {"h": prev})
        await session.commit()


async def cut_tail(app: Any, keep: int) -> None:
    """Delete the entries after `keep` and move the ledger back to entry `keep`."""
    async with app.state.db.session(write=True) as session:
        head = (
            await session.execute(text("SELECT hash FROM audit_entry WHERE seq = :s"), {"s": keep})
        ).scalar_one_or_none() or ledger.GENESIS_HASH
        await session.execute(text("DELETE FROM audit_entry WHERE seq > :s"), {"s": keep})
        await session.execute(
            text("UPDATE ledger SET audit_seq = :s, audit_head = :h WHERE id = 1"),
            {"s": keep, "h": head},
        )
        await session.commit()


async def test_edit_without_rechain_is_named(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    await chain_with_checkpoints(client, national.headers)
    await sql(app, "UPDATE audit_entry SET action = 'x' WHERE seq = 4")
    out = await verify(client, national.headers)
    assert (out["ok"], out["first_bad"]) == (False, 4)
    assert out["broken"] == [{"seq": 4, "reason": "hash does not match the entry's content"}]


async def test_every_broken_link_is_reported(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    await chain_with_checkpoints(client, national.headers)
    await sql(app, "UPDATE audit_entry SET target = 'x' WHERE seq IN (1, 4, 6)")
    await sql(app, "DELETE FROM audit_entry WHERE seq = 3")
    out = await verify(client, national.headers)
    assert out["first_bad"] == 1
    assert [b["seq"] for b in out["broken"]] == [1, 3, 4, 6]
    assert out["broken"][1]["reason"] == "entry missing"


async def test_edit_and_rechain_is_caught_by_the_checkpoint(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    await chain_with_checkpoints(client, national.headers)
    await rewrite_from(app, 4, target="91000000000000000X")
    out = await verify(client, national.headers)
    assert out["ok"] is False
    # the chain agrees with itself, the checkpoint at 5 does not: entries 3-5 are named
    # (the checkpoint at 2 still holds, so the rewrite is after it)
    [only] = out["broken"]
    assert only["seq"] == out["first_bad"] == 3
    assert only["reason"].startswith("rewritten: entries 3–5")
    assert out["last_checkpoint"]["seq"] == 2


async def test_rewrite_after_the_last_checkpoint_is_out_of_its_reach(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    """What the design promises and no more: after the last checkpoint, a careful rewrite
    verifies (so checkpoint often); before it, it never does."""
    await chain_with_checkpoints(client, national.headers)
    await rewrite_from(app, 6, target="91000000000000000X")
    assert (await verify(client, national.headers))["ok"] is True


@pytest.mark.parametrize(("keep", "first_bad"), [(3, 4), (0, 1)])
async def test_truncation_and_moving_the_head_back_is_caught(
    app: Any, client: httpx.AsyncClient, national: Any, keep: int, first_bad: int
) -> None:
    """Delete the tail (keep=3) or everything (keep=0) and move the ledger back."""
    await chain_with_checkpoints(client, national.headers)
    await cut_tail(app, keep)
    out = await verify(client, national.headers)
    assert (out["ok"], out["length"], out["first_bad"]) == (False, keep, first_bad)
    reasons = [b["reason"] for b in out["broken"]]
    assert any(r.startswith("truncated: checkpoint 5") for r in reasons), reasons


async def test_a_checkpoint_forged_in_sql_is_refused(
    app: Any, client: httpx.AsyncClient, national: Any, tmp_path: Path
) -> None:
    """Delete the real checkpoints, rewrite, and insert one signed with another key."""
    await chain_with_checkpoints(client, national.headers)
    await rewrite_from(app, 1, target="91000000000000000X")
    await sql(app, "DELETE FROM audit_checkpoint")
    head = (await verify(client, national.headers))["head"]
    other = checkpoints.write_signing_key(tmp_path / "other.pem")
    forged = checkpoints.sign(other, seq=7, head=head, signed_at=NOW)
    await sql(
        app,
        "INSERT INTO audit_checkpoint (seq, head, signed_at, key_id, public_key, signature) "
        "VALUES (:seq, :head, :signed_at, :key_id, :public_key, :signature)",
        **{k: v for k, v in forged.as_json().items() if k != "alg"},
    )
    out = await verify(client, national.headers)
    assert out["ok"] is False
    assert out["broken"][0]["reason"].endswith("not the registry's")


async def test_a_copy_kept_elsewhere_catches_what_the_database_no_longer_shows(
    app: Any,
    client: httpx.AsyncClient,
    national: Any,
    database_url: str,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Another agency saved the public checkpoint; then someone rewrote the chain AND
    deleted every checkpoint row. The database alone verifies; the saved copy does not."""
    await chain_with_checkpoints(client, national.headers)
    public = await client.get("/public/v1/audit/checkpoint")  # no key needed
    assert public.status_code == 200
    assert public.json()["seq"] == 5
    saved = tmp_path / "checkpoint.json"
    saved.write_bytes(public.content)
    # the feed carried the same documents to every subscriber
    events = [
        e for e in await read_feed(client, national.headers) if e["type"] == "audit.checkpoint"
    ]
    assert [e["data"]["seq"] for e in events] == [2, 5]
    assert events[-1]["data"] == public.json()
    feed_copy = tmp_path / "event.json"
    feed_copy.write_bytes(orjson.dumps(events[0]))

    await rewrite_from(app, 2, action="enterprise.deleted")
    await sql(app, "DELETE FROM audit_checkpoint")
    assert (await verify(client, national.headers))["ok"] is True  # nothing left to compare

    monkeypatch.setenv("QCREDIT_DATABASE_URL", database_url)
    monkeypatch.setenv("QCREDIT_AUDIT_SIGNING_KEY_FILE", settings.audit_signing_key_file)
    runner = CliRunner()
    plain = await asyncio.to_thread(runner.invoke, cli_app, ["audit", "verify"])
    assert plain.exit_code == 0, plain.output
    for path, first_bad in ((saved, 1), (feed_copy, 1)):
        args = ["audit", "verify", "--checkpoint", str(path)]
        res = await asyncio.to_thread(runner.invoke, cli_app, args)
        assert res.exit_code == 1, res.output
        out = orjson.loads(res.stdout)
        assert out["first_bad"] == first_bad
        assert "rewritten" in out["reason"]
    # an altered copy is not evidence of anything
    altered = {**public.json(), "seq": 4}
    saved.write_bytes(orjson.dumps(altered))
    res = await asyncio.to_thread(
        runner.invoke, cli_app, ["audit", "verify", "--checkpoint", str(saved)]
    )
    assert "invalid signature" in orjson.loads(res.stdout)["reason"]


async def test_periodic_job_and_cli_sign_only_when_the_head_moved(
    app: Any,
    client: httpx.AsyncClient,
    national: Any,
    clock: FixedClock,
    settings: Settings,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job = exclusive(
        "audit.checkpoint",
        timedelta(hours=1),
        audit_checkpoint_work(settings.audit_signing_key_file),
    )
    runtime = Runtime(app.state.db, clock, settings)
    await put_enterprise(client, national.headers, PANJIN)
    await job.run(runtime)
    assert (await client.get("/public/v1/audit/checkpoint")).json()["seq"] == 1
    await put_enterprise(client, national.headers, HEBEI)
    await job.run(runtime)  # within the hour: not due
    assert (await client.get("/public/v1/audit/checkpoint")).json()["seq"] == 1
    clock.at += timedelta(hours=1)
    await job.run(runtime)
    latest = (await client.get("/public/v1/audit/checkpoint")).json()
    assert latest["seq"] == 2
    assert checkpoints.signature_valid(checkpoints.parse(latest))
    # on demand, with nothing new: the same checkpoint, 200
    r = await client.post("/v1/audit/checkpoints", headers=national.headers)
    assert (r.status_code, r.json()) == (200, latest)
    monkeypatch.setenv("QCREDIT_DATABASE_URL", database_url)
    monkeypatch.setenv("QCREDIT_AUDIT_SIGNING_KEY_FILE", settings.audit_signing_key_file)
    await put_enterprise(client, national.headers, SHENYANG)
    res = await asyncio.to_thread(CliRunner().invoke, cli_app, ["audit", "checkpoint"])
    assert res.exit_code == 0, res.output
    assert orjson.loads(res.stdout)["seq"] == 3


async def test_without_a_key_nothing_is_signed(
    client: httpx.AsyncClient, national: Any, app: Any, make_agency: Any
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"audit_signing_key_file": ""})
    r = await client.post("/v1/audit/checkpoints", headers=national.headers)
    assert r.status_code == 409
    assert r.json()["rule"] == "audit-signing-key"
    assert (await client.get("/public/v1/audit/checkpoint")).status_code == 404
    plain = await make_agency("province", "21", scopes=frozenset({"read"}))
    assert (await client.post("/v1/audit/checkpoints", headers=plain.headers)).status_code == 403
