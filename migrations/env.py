"""Alembic environment: the only way the schema is made, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import service.models  # noqa: F401  (registers every table on the metadata)
from service.db import make_engine
from service.migrate import migration_lock, migration_unlock
from service.models import metadata
from service.settings import Settings

config = context.config


def _url() -> str:
    return config.attributes.get("database_url") or Settings().database_url


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = make_engine(_url(), pool_size=1)
    try:
        async with engine.connect() as connection:
            # PostgreSQL: replicas starting at once migrate one at a time; those that waited
            # find the schema at head and do nothing. SQLite's write lock does the same.
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                await migration_lock(connection)
            try:
                await connection.run_sync(_run)
                await connection.commit()
            finally:
                if postgres:
                    await migration_unlock(connection)
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(_run_async())
