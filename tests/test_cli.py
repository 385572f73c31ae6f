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
