"""The `qcredit` command line against a real (temporary) database."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("QCREDIT_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    return path


def test_agency_create_json_list_and_revoke(db_env: Path) -> None:
    result = runner.invoke(
        app,
        [
            "agency",
            "create",
            "--name",
            "盘锦市市场监管局",
            "--level",
            "prefecture",
            "--region",
            "2111",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    assert set(created) == {"id", "key"}
    assert created["key"].startswith("qck_")

    listing = json.loads(runner.invoke(app, ["agency", "list", "--json"]).stdout)
    [row] = listing
    assert row["region"] == "2111"
    assert "admin" not in row["scopes"].split()  # admin only when asked for
    assert created["key"] not in json.dumps(listing)  # keys are never shown again

    assert runner.invoke(app, ["agency", "revoke", str(created["id"])]).exit_code == 0
    assert json.loads(runner.invoke(app, ["agency", "list", "--json"]).stdout)[0]["revoked"]


@pytest.mark.parametrize(
    "args",
    [
        ["--level", "county"],  # a regional agency needs --region
        ["--level", "national", "--region", "21"],
        ["--level", "province", "--region", "2x"],
        ["--level", "province", "--region", "21", "--scopes", "records:read,fly"],
        ["--level", "galaxy", "--region", "21"],
    ],
)
def test_agency_create_rejects_bad_options(db_env: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["agency", "create", "--name", "x", *args])
    assert result.exit_code == 2


@pytest.mark.parametrize("days_later", [0, 30])
def test_demo_is_safe_to_run_twice(
    db_env: Path, monkeypatch: pytest.MonkeyPatch, days_later: int
) -> None:
    import sqlite3

    from service.models.base import utcnow

    first = utcnow()
    for now in (first, first + timedelta(days=days_later)):
        monkeypatch.setattr("service.demo.enterprises.utcnow", lambda now=now: now)
        result = runner.invoke(app, ["demo", "--enterprises", "40"])
        assert result.exit_code == 0, result.output
    assert (db_env.parent / ".qcredit-demo-key").read_text().startswith("qck_")
    with sqlite3.connect(db_env) as conn:
        assert conn.execute("select count(*) from enterprise").fetchone()[0] == 40
        assert conn.execute("select count(*) from agency").fetchone()[0] == 1


def test_import_listings_command(db_env: Path) -> None:
    """`qcredit import-listings` end to end: the bar, the summary, exit 1 on a rejected line,
    and a re-run that loads nothing twice."""
    import asyncio

    import httpx
    import orjson

    from service.app import create_app
    from service.credit.codes import make_uscc
    from service.settings import Settings

    created = json.loads(
        runner.invoke(
            app,
            [
                "agency",
                "create",
                "--name",
                "辽宁省市场监督管理局",
                "--level",
                "province",
                "--region",
                "21",
                "--json",
            ],
        ).stdout
    )
    uscc = make_uscc("30000901", region="211100")

    async def seed() -> None:
        web = create_app(Settings())
        headers = {"Authorization": f"Bearer {created['key']}"}
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=web), base_url="http://t"
            ) as c:
                r = await c.put(
                    f"/v1/enterprises/{uscc}",
                    json={"name": "盘锦旧名单乳业有限公司"},
                    headers=headers,
                )
                assert r.status_code == 201, r.text
                r = await c.post(
                    f"/v1/enterprises/{uscc}/records",
                    json={
                        "kind": "penalty",
                        "source_ref": "OLD-1",
                        "occurred_on": "2022-01-10",
                        "decision_number": "辽市监罚〔2022〕1号",
                        "penalty_types": ["fine", "suspension"],
                        "fine_amount": 100000,
                        "heavier": True,
                    },
                    headers=headers,
                )
                assert r.status_code == 201, r.text
        finally:
            await web.state.db.dispose()

    asyncio.run(seed())
    good = {
        "code": uscc,
        "penalty_source_ref": "OLD-1",
        "category": "quality_safety",
        "reason": "生产销售不合格产品",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第七条",
        "fault_basis": "明知不合格仍销售",
        "remedy": "六十日内申请行政复议",
        "proposed_on": "2022-03-01",
        "notified_on": "2022-03-02",
        "decided_on": "2022-03-15",
        "published_on": "2022-03-20",
    }
    path = db_env.parent / "legacy.ndjson"
    path.write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps({**good, "category": "x"}) + b"\n")
    args = ["import-listings", str(path), "--agency-id", str(created["id"])]
    first = runner.invoke(app, args)
    assert first.exit_code == 1, first.output
    assert "importing legacy.ndjson" in first.output
    assert "category" in first.output  # the rejected line names its field
    second = runner.invoke(app, args)
    assert second.exit_code == 1
    import sqlite3

    with sqlite3.connect(db_env) as conn:
        assert conn.execute("select count(*) from blacklist_entry").fetchone()[0] == 1
        # Stored as decided; it reads as expired (Art.21) without any job having run.
        assert conn.execute("select status from blacklist_entry").fetchone()[0] == "listed"


def _command_paths() -> list[list[str]]:
    """Every command and subcommand of `qcredit`, as argument lists."""
    import typer.main

    def walk(command: object, prefix: list[str]) -> list[list[str]]:
        out = [prefix]
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            out.extend(walk(sub, [*prefix, name]))
        return out

    return walk(typer.main.get_command(app), [])


def test_every_command_answers_help() -> None:
    paths = _command_paths()
    assert ["bench"] in paths and ["agency", "create"] in paths and ["report", "quality"] in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output, path


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("qcredit ")


def test_serve_prints_where_the_portal_docs_and_sign_in_are(
    db_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    for url in ("/", "/docs", "/regulator"):
        assert f"http://127.0.0.1:8123{url}" in result.output
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8123
