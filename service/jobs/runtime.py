"""What every background job gets (database, clock, settings) and what a job is."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from service.clock import Clock
from service.db import Database
from service.settings import Settings


@dataclass(slots=True)
class Runtime:
    db: Database
    clock: Clock
    settings: Settings


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    tick: float  # seconds between runs of `run` on this replica
    run: Callable[[Runtime], Awaitable[None]]
    wake: asyncio.Event | None = None  # set to run before the tick is up
