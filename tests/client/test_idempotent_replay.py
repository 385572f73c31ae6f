"""A write whose response is lost is retried with the same Idempotency-Key and the service
replays the first outcome: one blacklist proposal, not two (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from qcredit_client import AsyncClient
from tests.client._data import code, penalty, proposal
from tests.client.conftest import FAST
from tests.conftest import AgencyKey


class LosesFirstResponse(httpx.AsyncBaseTransport):
    """Delivers each request to the app, but drops the app's first answer to ``path``
    (as a proxy timing out after the server committed would)."""

    def __init__(self, app: Any, path: str) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.path = path
        self.lost = 0
        self.responses: list[httpx.Response] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path == self.path and request.method == "POST":
            await response.aread()
            if not self.lost:
                self.lost += 1
                raise httpx.ReadTimeout("response lost", request=request)
            self.responses.append(response)
        return response


async def test_lost_response_is_replayed_not_written_twice(app: Any, national: AgencyKey) -> None:
    transport = LosesFirstResponse(app, "/v1/blacklist")
    async with AsyncClient("http://test", national.key, transport=transport, retry=FAST) as api:
        uscc = code(101)
        await api.put_enterprise(uscc, {"name": "盘锦重放乳业有限公司"})
        record = await api.add_record(uscc, penalty("R-1", date(2026, 6, 1)))

        entry = await api.propose_listing(proposal(uscc, record.id))

        assert transport.lost == 1
        assert transport.responses[0].headers.get("idempotent-replayed") == "true"
        assert [e.id async for e in api.iter_listings()] == [entry.id]
