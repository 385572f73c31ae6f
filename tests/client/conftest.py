"""Client tests reuse the suite's fixtures (tests/conftest.py): `app` on SQLite and on
PostgreSQL, `national` (an agency key). `api` is the async client wired to that app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from qcredit_client import AsyncClient, RetryPolicy
from tests.conftest import AgencyKey

# tests must not sit through production back-offs
FAST = RetryPolicy(attempts=4, timeout=20.0, wait_initial=0.01, wait_max=0.05)


@pytest.fixture
async def api(app: Any, national: AgencyKey) -> AsyncIterator[AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with AsyncClient("http://test", national.key, transport=transport, retry=FAST) as c:
        yield c


@pytest.fixture
async def public_api(app: Any) -> AsyncIterator[AsyncClient]:
    """No key: what a citizen or a procurement platform without an account uses."""
    transport = httpx.ASGITransport(app=app)
    async with AsyncClient("http://test", transport=transport, retry=FAST) as c:
        yield c
