"""What every command shares: the console, the database session, the demo key file."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession

from service.db import Database
from service.settings import Settings
from service.store import ledger

console = Console(stderr=True)
T = TypeVar("T")
DEMO_KEY_FILE = Path(".qcredit-demo-key")


def run_in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed write transaction against the configured database."""

    async def _main() -> T:
        db = Database(settings)
        try:
            async with db.session(write=True) as session:
                result = await work(session)
                await ledger.commit(session)
                return result
        finally:
            await db.dispose()

    return asyncio.run(_main())
