"""Operations endpoints and cross-cutting HTTP behaviour."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    r = await client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["status"] == "ready"


async def test_readyz_fails_without_a_migrated_database(tmp_path: Any) -> None:
    from service.app import create_app
    from service.settings import Settings

    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/empty.db"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.get("/readyz")
    await app.state.db.dispose()
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"


async def test_metrics_count_requests(client: httpx.AsyncClient, national: Any) -> None:
    await client.get("/v1/catalog", headers=national.headers)
    text = (await client.get("/metrics")).text
    assert 'qcredit_http_requests_total{method="GET",route="/v1/catalog",status="200"} 1.0' in text
    assert "qcredit_http_request_duration_seconds_bucket" in text


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    r = await client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert r.headers["x-request-id"] == "abc123"
    r = await client.get("/healthz")
    assert len(r.headers["x-request-id"]) == 32
    # bytes outside ASCII come back as they were sent, cut to 64
    sent = b"\xe9\xff" * 40
    r = await client.get("/healthz", headers={b"X-Request-ID": sent})
    assert dict(r.headers.raw)[b"x-request-id"] == sent[:64]


async def test_access_log_is_one_json_line_naming_the_request(
    settings: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    from service.app import create_app

    app = create_app(settings.model_copy(update={"log_level": "INFO"}))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            await c.get("/healthz", headers={"X-Request-ID": "req-42"})
    finally:
        await app.state.db.dispose()
    err = capfd.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    [access] = [line for line in lines if line.get("request_id") == "req-42"]
    assert {k: access[k] for k in ("event", "method", "path", "status", "level")} == {
        "event": "request",
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "level": "info",
    }
    assert isinstance(access["ms"], float) and access["timestamp"].endswith("Z")


async def test_unknown_route_and_method_are_problems(
    client: httpx.AsyncClient, national: Any
) -> None:
    r = await client.get("/v1/nothing-here", headers=national.headers)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    r = await client.delete("/v1/catalog", headers=national.headers)
    assert r.status_code == 405
    assert r.json()["status"] == 405


async def test_catalog_is_seeded_and_admin_editable(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    r = await client.get("/v1/catalog", headers=national.headers)
    items = {i["code"]: i for i in r.json()["items"]}
    # domain.md §5: the seeded catalog covers the named key products
    for code in (
        "dairy",
        "meat",
        "liquor",
        "food-additive",
        "edible-oil",
        "bottled-water",
        "frozen-drink",
        "condiment",
        "children-product",
        "women-product",
        "fertilizer",
        "seed",
        "pesticide",
        "cement",
        "steel-bar",
        "brick",
        "wire-cable",
        "special-equipment",
    ):
        assert code in items
    assert items["dairy"]["risk_level"] == "I"

    not_admin = await make_agency(scopes=frozenset({"enterprises:write"}))
    r = await client.put(
        "/v1/catalog/honey", json={"name": "蜂蜜", "risk_level": "II"}, headers=not_admin.headers
    )
    assert r.status_code == 403
    r = await client.put(
        "/v1/catalog/honey", json={"name": "蜂蜜", "risk_level": "II"}, headers=national.headers
    )
    assert r.status_code == 201
    r = await client.put(
        "/v1/catalog/honey", json={"name": "蜂蜜", "risk_level": "IV"}, headers=national.headers
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "risk_level"


async def test_catalog_risk_change_regrades_supervision(
    client: httpx.AsyncClient, national: Any
) -> None:
    from service.credit.codes import make_uscc

    code = make_uscc("55500001", region="211100")
    await client.put(
        f"/v1/enterprises/{code}",
        json={"name": "砖厂", "products": ["brick"]},
        headers=national.headers,
    )
    r = await client.get(f"/v1/enterprises/{code}", headers=national.headers)
    assert r.json()["classification"]["supervision"]["risk_level"] == "III"
    await client.put(
        "/v1/catalog/brick", json={"name": "砖", "risk_level": "I"}, headers=national.headers
    )
    r = await client.get(f"/v1/enterprises/{code}", headers=national.headers)
    supervision = r.json()["classification"]["supervision"]
    assert supervision["risk_level"] == "I"
    assert supervision["inspections_per_year"] == 2  # class B × risk I
