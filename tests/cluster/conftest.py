"""A throwaway PostgreSQL primary with a streaming standby, and PgBouncer in front of the
primary (bench/pgcluster.py): own free ports, data under a temp directory, stopped and
deleted at the end. Never the shared server on 5432."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench import pgcluster
from bench.pgcluster import Bouncer, StreamingPair
from service import migrate

__all__ = ["Bouncer", "StreamingPair", "fetchval"]
fetchval = pgcluster.fetchval


@pytest.fixture(scope="session")
def streaming_pair() -> Iterator[StreamingPair]:
    with pgcluster.streaming_pair() as pair:
        migrate.upgrade(pair.primary_url)
        yield pair


@pytest.fixture(scope="session")
def pgbouncer(streaming_pair: StreamingPair) -> Iterator[Bouncer]:
    """PgBouncer in transaction pooling mode in front of the primary."""
    with pgcluster.pgbouncer(streaming_pair.primary_port) as bouncer:
        yield bouncer
