"""Runs the alembic migrations programmatically (CLI, server start-up, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config


def _root() -> Path:
    """The checkout (editable install) or, for an installed package, the working directory
    holding alembic.ini and migrations/ (as in the Docker image)."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / "alembic.ini").exists() else Path.cwd()


ROOT = _root()


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Must be called outside a running event loop (alembic's env runs its own)."""
    command.upgrade(alembic_config(database_url), revision)


def current_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    assert head is not None
    return head
