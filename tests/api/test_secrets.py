"""Secrets at rest: webhook secrets and the generated receipt key are encrypted in the
database under a key from the environment or a file; rotation re-encrypts them; rows
written before a key existed are migrated; with no key at all (the development default)
everything still works, in plaintext."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from sqlalchemy import text
from standardwebhooks.webhooks import Webhook as StandardWebhook
from typer.testing import CliRunner

from service import migrate
from service.app import create_app
from service.cli import app as cli_app
from service.clock import FixedClock
from service.db import Database
from service.security.secrets import PREFIX, SecretBox, SecretsKeyError, new_key
from service.settings import Settings
from tests.api._sharing import PANJIN, dispatcher_for, put_enterprise, receiver_fixture
from tests.conftest import NOW

SECRET = "a-plain-secret-of-32-characters!"
KEY_1, KEY_2 = new_key(), new_key()


@pytest.fixture
def receiver() -> Any:
    yield from receiver_fixture()


async def stored(app: Any, sql: str) -> list[str]:
    async with app.state.db.session(write=False) as session:
        return [str(v) for v in (await session.execute(text(sql))).scalars()]


async def deliver_one(app: Any, client: httpx.AsyncClient, headers: Any, receiver: Any) -> None:
    before = len(receiver.delivered())
    await put_enterprise(client, headers, PANJIN, name=f"盘锦{before}")
    assert await dispatcher_for(app).run_once() >= 1
    got = receiver.delivered()[-1]
    StandardWebhook(SECRET.encode()).verify(got.body, got.headers)  # raises if not signed


async def screen_and_verify(client: httpx.AsyncClient) -> None:
    r = await client.post("/public/v1/screen", json={"codes": [PANJIN]})
    token = r.json()["receipt"]["token"]
    check = await client.get("/public/v1/screen/verify", params={"receipt": token})
    assert check.json()["authentic"] is True


def with_key(settings: Settings, key: str) -> Settings:
    return settings.model_copy(update={"secrets_key": key})


async def test_secrets_are_encrypted_at_rest_and_still_work(
    settings: Settings, receiver: Any, make_agency: Any, app: Any
) -> None:
    app2 = create_app(with_key(settings, KEY_1), clock=FixedClock(NOW))
    national = await make_agency()
    try:
        transport = httpx.ASGITransport(app=app2)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            r = await client.post(
                "/v1/webhooks",
                json={"url": receiver.url, "secret": SECRET},
                headers=national.headers,
            )
            assert r.status_code == 201, r.text
            await deliver_one(app2, client, national.headers, receiver)
            await screen_and_verify(client)
        [hook_secret] = await stored(app2, "SELECT secret FROM webhook")
        [receipt_key] = await stored(
            app2, "SELECT value FROM registry_setting WHERE key = 'receipt_secret'"
        )
        for value in (hook_secret, receipt_key):
            assert value.startswith(PREFIX)
        assert SECRET not in hook_secret
        # a copy of the database without the key reveals nothing usable
        with pytest.raises(SecretsKeyError):
            SecretBox().open(hook_secret)
        with pytest.raises(SecretsKeyError):
            SecretBox((new_key().encode(),)).open(hook_secret)
        assert SecretBox((KEY_1.encode(),)).open(hook_secret) == SECRET
    finally:
        await app2.state.db.dispose()


async def test_plaintext_dev_default_then_a_key_and_rotation(
    app: Any,
    client: httpx.AsyncClient,
    national: Any,
    settings: Settings,
    receiver: Any,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # no key configured (make run): stored as is, and it works
    r = await client.post(
        "/v1/webhooks", json={"url": receiver.url, "secret": SECRET}, headers=national.headers
    )
    assert r.status_code == 201
    await deliver_one(app, client, national.headers, receiver)
    await screen_and_verify(client)
    assert await stored(app, "SELECT secret FROM webhook") == [SECRET]

    runner = CliRunner()
    monkeypatch.setenv("QCREDIT_DATABASE_URL", database_url)
    res = await asyncio.to_thread(runner.invoke, cli_app, ["secrets", "rotate"])
    assert res.exit_code == 2  # nothing to encrypt with
    # a key is set: rotate encrypts what was plaintext
    monkeypatch.setenv("QCREDIT_SECRETS_KEY", KEY_1)
    res = await asyncio.to_thread(runner.invoke, cli_app, ["secrets", "rotate"])
    assert res.exit_code == 0, res.output
    assert "re-encrypted 2" in res.stdout
    [under_1] = await stored(app, "SELECT secret FROM webhook")
    assert SecretBox((KEY_1.encode(),)).open(under_1) == SECRET

    # rotation: new key first, old after it; rotate; then the old key can go
    monkeypatch.setenv("QCREDIT_SECRETS_KEY", f"{KEY_2},{KEY_1}")
    res = await asyncio.to_thread(runner.invoke, cli_app, ["secrets", "rotate"])
    assert "re-encrypted 2" in res.stdout
    res = await asyncio.to_thread(runner.invoke, cli_app, ["secrets", "rotate"])
    assert "re-encrypted 0" in res.stdout  # idempotent
    only_new = create_app(with_key(settings, KEY_2), clock=FixedClock(NOW))
    try:
        transport = httpx.ASGITransport(app=only_new)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            await deliver_one(only_new, c, national.headers, receiver)
            await screen_and_verify(c)
    finally:
        await only_new.state.db.dispose()
    with pytest.raises(SecretsKeyError):
        SecretBox((KEY_1.encode(),)).open((await stored(app, "SELECT secret FROM webhook"))[0])


def test_migration_encrypts_existing_rows(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Rows written before this release are encrypted when the migration runs with a key
    (here from a key file)."""
    config = migrate.alembic_config(database_url)
    command.downgrade(config, "20261201_audit_checkpoint")

    async def seed() -> None:
        db = Database(Settings(database_url=database_url))
        try:
            async with db.engine.begin() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO agency (id, name, level, region, scopes, created_at) "
                        "VALUES (1, 'a', 'national', '', '[]', '2026-01-01 00:00:00+00')"
                    )
                )
                await conn.execute(
                    text(
                        "INSERT INTO webhook (agency_id, url, secret, events, active, "
                        "consecutive_failures, cursor_seq, created_at) VALUES (1, "
                        "'http://x.example/h', :s, '[]', true, 0, 0, '2026-01-01 00:00:00+00')"
                    ),
                    {"s": SECRET},
                )
                await conn.execute(
                    text(
                        "INSERT INTO registry_setting (key, value) "
                        "VALUES ('receipt_secret', 'old-receipt-key')"
                    )
                )
        finally:
            await db.dispose()

    async def read() -> tuple[str, str]:
        db = Database(Settings(database_url=database_url))
        try:
            async with db.engine.connect() as conn:
                hook = (await conn.execute(text("SELECT secret FROM webhook"))).scalar_one()
                receipt = (
                    await conn.execute(
                        text("SELECT value FROM registry_setting WHERE key = 'receipt_secret'")
                    )
                ).scalar_one()
                return str(hook), str(receipt)
        finally:
            await db.dispose()

    asyncio.run(seed())
    key_file = tmp_path / "secrets.key"
    key_file.write_text(KEY_1 + "\n")
    monkeypatch.setenv("QCREDIT_SECRETS_KEY_FILE", str(key_file))
    migrate.upgrade(database_url)
    hook, receipt = asyncio.run(read())
    box = SecretBox.from_config("", str(key_file))
    assert hook.startswith(PREFIX) and receipt.startswith(PREFIX)
    assert (box.open(hook), box.open(receipt)) == (SECRET, "old-receipt-key")
