"""The edge answers `GET /v1/enterprises/{code}` straight from its endpoint function
(service/http/direct.py). A request with a body — even an empty one — takes FastAPI's route
instead, so each case below is asked both ways and must get the same answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from service.http.direct import DirectRoutes
from tests.api._blacklist import code, listed

pytestmark = pytest.mark.usefixtures("database_url")

# what may differ between two answers to the same request
_PER_RESPONSE = {"x-request-id", "date", "content-length"}


async def _both(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> httpx.Response:
    direct = await client.get(path, headers=headers)
    routed = await client.get(path, headers={**headers, "Content-Length": "0"})
    assert direct.status_code == routed.status_code, (direct.text, routed.text)
    assert direct.content == routed.content
    kept = {k: v for k, v in direct.headers.items() if k not in _PER_RESPONSE}
    assert kept == {k: v for k, v in routed.headers.items() if k not in _PER_RESPONSE}
    return direct


async def test_lookup_answers_the_same_on_both_paths(
    client: httpx.AsyncClient, national: Any
) -> None:
    uscc = code(51)
    await listed(client, national.headers, uscc, "L51")
    ok = await _both(client, f"/v1/enterprises/{uscc}", national.headers)
    assert ok.status_code == 200 and ok.json()["blacklisted"] is True
    assert ok.headers["etag"] and ok.headers["x-content-type-options"] == "nosniff"
    spellings = (uscc[8:17], uscc.lower(), f"{uscc[:6]}-{uscc[6:]}")
    for spelling in spellings:  # organization code, lower case, hyphenated
        assert (await _both(client, f"/v1/enterprises/{spelling}", national.headers)).json() == (
            ok.json()
        )
    cached = {**national.headers, "If-None-Match": ok.headers["etag"]}
    assert (await _both(client, f"/v1/enterprises/{uscc}", cached)).status_code == 304


@pytest.mark.parametrize(
    ("path", "status", "rule"),
    [
        ("/v1/enterprises/" + code(52), 404, None),  # valid, not registered
        ("/v1/enterprises/91210100000123457X", 422, None),  # wrong check character
        ("/v1/enterprises/%00abc", 422, "control-character"),
    ],
)
async def test_lookup_errors_are_the_same_problems_on_both_paths(
    client: httpx.AsyncClient, national: Any, path: str, status: int, rule: str | None
) -> None:
    r = await _both(client, path, national.headers)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    if rule is not None:
        assert rule in {e["rule"] for e in r.json()["errors"]}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer qck_not-a-key"}],
)
async def test_lookup_without_a_valid_key_is_401_on_both_paths(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    r = await _both(client, f"/v1/enterprises/{code(53)}", headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


async def test_only_get_is_taken_directly(client: httpx.AsyncClient, national: Any) -> None:
    r = await client.head(f"/v1/enterprises/{code(54)}", headers=national.headers)
    assert r.status_code == 405  # as FastAPI's route table answers: GET and PUT only
    assert set(r.headers["allow"].split(", ")) == {"GET", "PUT"}


async def test_direct_requests_are_counted_under_their_route(
    client: httpx.AsyncClient, national: Any
) -> None:
    uscc = code(55)
    await listed(client, national.headers, uscc, "L55")
    await client.get(f"/v1/enterprises/{uscc}", headers=national.headers)
    text = (await client.get("/metrics", headers=national.headers)).text
    label = 'method="GET",route="/v1/enterprises/{code}",status="200"'
    assert f"qcredit_http_requests_total{{{label}}}" in text


def test_a_literal_sibling_route_is_left_to_the_route_table(app: Any) -> None:
    """Were a `GET /v1/enterprises/export` declared, the pattern `{code}` would match it:
    the direct table must hand it to FastAPI's routing, which prefers literals."""
    from fastapi import FastAPI
    from starlette.responses import Response

    from service.http.direct import DirectRoute

    demo = FastAPI()

    @demo.get("/v1/enterprises/{code}")
    async def by_code(code: str) -> Response:
        return Response(code)

    @demo.get("/v1/enterprises/export")
    async def export() -> Response:
        return Response("export")

    async def endpoint(request: Any) -> Response:
        return Response("direct")

    table = DirectRoutes.build(demo, [DirectRoute("GET", "/v1/enterprises/{code}", endpoint)])
    scope = {"type": "http", "method": "GET", "path": "/v1/enterprises/export"}
    assert table.match(scope) is None
    assert table.match({**scope, "path": "/v1/enterprises/X1"}) is not None
    assert table.match({**scope, "method": "HEAD", "path": "/v1/enterprises/X1"}) is None


async def test_lookup_works_with_a_url_carrying_adapter_parameters(
    settings: Any, clock: Any, national: Any, client: httpx.AsyncClient
) -> None:
    """`?prepared_statement_cache_size=0` (a PgBouncer setting, docs/scaling.md) is
    SQLAlchemy's, not asyncpg's: the lookup's own pool must not pass it on."""
    from service.app import create_app

    if not settings.database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL URL parameter")
    uscc = code(56)
    await listed(client, national.headers, uscc, "L56")
    url = settings.database_url + "?prepared_statement_cache_size=0"
    app = create_app(settings.model_copy(update={"database_url": url}), clock=clock)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as other:
            r = await other.get(f"/v1/enterprises/{uscc}", headers=national.headers)
            assert r.status_code == 200, r.text
    finally:
        await app.state.db.dispose()
