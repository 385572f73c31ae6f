"""Opt-in wall-clock split of a bulk write into phases (``bench.ingest_batch --phases``).

Off by default: a span then costs a global read and nothing is kept. When on, each named
span adds its ``perf_counter`` seconds to a process-wide total — meant for a benchmark
sending one request, not for a serving process (concurrent requests would add up).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter

_totals: dict[str, float] | None = None
# A serving process started with QCREDIT_PHASES_LOG=<file> records from the start and
# appends each committed write's split to that file as one JSON line (see flush).
_LOG = os.environ.get("QCREDIT_PHASES_LOG")


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


def flush() -> None:
    """With QCREDIT_PHASES_LOG set, append the split so far (if any) and start again;
    ledger.commit calls it after each commit."""
    if _LOG is None:
        return
    split = take()
    start()
    if split:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({k: round(v, 3) for k, v in split.items()}) + "\n")


if _LOG:
    start()
