"""Runs the alembic migrations programmatically (CLI, server start-up, tests)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# A session-level advisory lock held for the whole `upgrade`: one process migrates, the
# others (replicas started together, `qcredit migrate` jobs) wait for it, then find nothing
# to do. Session-level, not transaction-level, so it spans alembic's own transactions.
MIGRATION_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"qcredit:migrate").digest()[:8], "big", signed=True
)


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


async def migration_lock(connection: AsyncConnection) -> None:
    """Take the migration lock on this PostgreSQL connection, waiting if another holds it."""
    got = await connection.scalar(
        text("SELECT pg_try_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY}
    )
    if not got:
        print("another process is migrating this database; waiting for it", file=sys.stderr)
        await connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
    await connection.commit()  # the lock outlives the transaction; alembic starts its own


async def migration_unlock(connection: AsyncConnection) -> None:
    await connection.rollback()  # a failed migration leaves its transaction aborted
    await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
    await connection.commit()
