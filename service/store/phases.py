"""Opt-in wall-clock split of a bulk write into phases (``bench.ingest_batch --phases``).

Off by default: a span then costs a global read and nothing is kept. When on, each named
span adds its ``perf_counter`` seconds to a process-wide total — meant for a benchmark
sending one request, not for a serving process (concurrent requests would add up).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter

_totals: dict[str, float] | None = None


def start() -> None:
    global _totals
    _totals = {}


def take() -> dict[str, float]:
    """The totals since :func:`start`; recording stops."""
    global _totals
    out, _totals = _totals or {}, None
    return out


@contextmanager
def span(name: str) -> Iterator[None]:
    totals = _totals
    if totals is None:
        yield
        return
    t = perf_counter()
    try:
        yield
    finally:
        totals[name] = totals.get(name, 0.0) + perf_counter() - t
