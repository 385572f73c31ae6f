"""Enterprises through the public HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from service.credit.codes import make_uscc

PANJIN = make_uscc("00012345", region="211100")  # 91211100000123457? (computed)
HEBEI = make_uscc("10000001", region="130100")


def body(**over: Any) -> dict[str, Any]:
    return {"name": "盘锦示例乳业有限公司", "products": ["dairy"], **over}


async def test_put_creates_then_updates(client: httpx.AsyncClient, national: Any) -> None:
    r = await client.put(f"/v1/enterprises/{PANJIN}", json=body(), headers=national.headers)
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["code"] == PANJIN
    assert data["region_code"] == "211100"
    assert data["org_code"] == f"{PANJIN[8:16]}-{PANJIN[16]}"
    assert data["classification"]["grade"] == "B"  # no inspections yet: no evidence
    assert data["blacklisted"] is False

    r = await client.put(
        f"/v1/enterprises/{PANJIN}",
        json=body(name="盘锦新名乳业有限公司"),
        headers=national.headers,
    )
    assert r.status_code == 200
    assert r.json()["name"] == "盘锦新名乳业有限公司"


async def test_lookup_by_any_spelling_and_org_code(
    client: httpx.AsyncClient, national: Any
) -> None:
    await client.put(f"/v1/enterprises/{PANJIN}", json=body(), headers=national.headers)
    spaced = " ".join([PANJIN[:6], PANJIN[6:12].lower(), PANJIN[12:]])
    for spelling in (PANJIN.lower(), spaced, PANJIN[8:16] + "-" + PANJIN[16], PANJIN[8:17]):
        r = await client.get(f"/v1/enterprises/{spelling}", headers=national.headers)
        assert r.status_code == 200, (spelling, r.text)
        assert r.json()["code"] == PANJIN


async def test_unknown_is_404_problem(client: httpx.AsyncClient, national: Any) -> None:
    r = await client.get(f"/v1/enterprises/{HEBEI}", headers=national.headers)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 404


async def test_wrong_check_character_names_expected(
    client: httpx.AsyncClient, national: Any
) -> None:
    wrong = PANJIN[:17] + ("0" if PANJIN[17] != "0" else "1")
    r = await client.get(f"/v1/enterprises/{wrong}", headers=national.headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    [err] = r.json()["errors"]
    assert err["field"] == "code"
    assert err["rule"] == "uscc_check"
    assert err["expected"] == PANJIN[17]


@pytest.mark.parametrize(
    ("raw", "rule"),
    [("12345", "length"), ("91210100000123457I", "charset"), ("9121010000012345XK", "org_check")],
)
async def test_invalid_codes_name_the_rule(
    client: httpx.AsyncClient, national: Any, raw: str, rule: str
) -> None:
    r = await client.get(f"/v1/enterprises/{raw}", headers=national.headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["rule"] == rule


async def test_missing_and_bad_keys_are_401(client: httpx.AsyncClient) -> None:
    r = await client.get(f"/v1/enterprises/{PANJIN}")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    r = await client.get(f"/v1/enterprises/{PANJIN}", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    r = await client.get(f"/v1/enterprises/{PANJIN}", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


async def test_regional_agency_cannot_write_outside_region(
    client: httpx.AsyncClient, make_agency: Any
) -> None:
    liaoning = await make_agency("province", "21")
    r = await client.put(f"/v1/enterprises/{HEBEI}", json=body(), headers=liaoning.headers)
    assert r.status_code == 403
    assert r.json()["rule"] == "jurisdiction"
    r = await client.put(f"/v1/enterprises/{PANJIN}", json=body(), headers=liaoning.headers)
    assert r.status_code == 201
    # nor move an enterprise of its region out of it: the region is the code's
    r = await client.put(
        f"/v1/enterprises/{PANJIN}", json=body(region_code="130100"), headers=liaoning.headers
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["rule"] == "region-from-code"


async def test_scope_is_enforced(client: httpx.AsyncClient, make_agency: Any) -> None:
    reader = await make_agency(scopes=frozenset({"records:read"}))
    r = await client.put(f"/v1/enterprises/{PANJIN}", json=body(), headers=reader.headers)
    assert r.status_code == 403
    assert r.json()["rule"] == "scope"


async def test_revoked_agency_key_stops_working(
    client: httpx.AsyncClient, app: Any, national: Any
) -> None:
    from service.store import agencies, ledger

    async with app.state.db.session(write=True) as session:
        await agencies.revoke(session, national.id)
        await ledger.commit(session)
    r = await client.get("/v1/catalog", headers=national.headers)
    assert r.status_code == 401


@pytest.mark.parametrize(
    ("payload", "field", "rule"),
    [
        ({"products": ["dairy"]}, "name", "missing"),
        ({"name": "x", "products": ["no-such-product"]}, "products.0", "catalog"),
        (
            {"name": "x", "established_on": "2020-13-01"},
            "established_on",
            "date_from_datetime_parsing",
        ),
        ({"name": "x", "colour": "red"}, "colour", "extra_forbidden"),
        ({"name": "x", "region_code": "21"}, "region_code", "string_pattern_mismatch"),
    ],
)
async def test_bad_bodies_are_422_naming_the_field(
    client: httpx.AsyncClient, national: Any, payload: dict[str, Any], field: str, rule: str
) -> None:
    r = await client.put(f"/v1/enterprises/{PANJIN}", json=payload, headers=national.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    errors = r.json()["errors"]
    assert any(e["field"] == field and e["rule"].startswith(rule[:10]) for e in errors), errors


async def test_malformed_json_is_400_problem(client: httpx.AsyncClient, national: Any) -> None:
    r = await client.put(
        f"/v1/enterprises/{PANJIN}",
        content=b'{"name": ',
        headers={**national.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"


async def test_oversized_body_is_413(client: httpx.AsyncClient, app: Any, national: Any) -> None:
    app.state.settings.max_body_bytes = 100  # the middleware reads it at build time, so rebuild
    big = {"name": "x" * 150}
    from service.app import create_app

    small_app = create_app(
        app.state.settings.model_copy(update={"max_body_bytes": 100}), clock=app.state.clock
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=small_app), base_url="http://test"
    ) as c:
        r = await c.put(f"/v1/enterprises/{PANJIN}", json=big, headers=national.headers)
    await small_app.state.db.dispose()
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"


async def test_list_filters_and_cursor(client: httpx.AsyncClient, national: Any) -> None:
    codes = [make_uscc(f"2000{i:04d}", region="211100") for i in range(5)]
    codes += [make_uscc(f"3000{i:04d}", region="130100") for i in range(3)]
    for i, code in enumerate(codes):
        await client.put(
            f"/v1/enterprises/{code}",
            json=body(name=f"测试{i}食品有限公司"),
            headers=national.headers,
        )
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "region": "2111"}
        if cursor:
            params["cursor"] = cursor
        r = await client.get("/v1/enterprises", params=params, headers=national.headers)
        assert r.status_code == 200
        page = r.json()
        seen += [e["code"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(codes[:5])
    r = await client.get(
        "/v1/enterprises", params={"q": "测试6食品有限责任公司"}, headers=national.headers
    )
    assert [e["code"] for e in r.json()["items"]] == [codes[6]]
    r = await client.get(
        "/v1/enterprises", params={"grade": "B", "region": "13"}, headers=national.headers
    )
    assert sorted(e["code"] for e in r.json()["items"]) == sorted(codes[5:])
    r = await client.get("/v1/enterprises", params={"cursor": "!!"}, headers=national.headers)
    assert r.status_code == 422


async def test_etag_round_trip(client: httpx.AsyncClient, national: Any) -> None:
    await client.put(f"/v1/enterprises/{PANJIN}", json=body(), headers=national.headers)
    r = await client.get(f"/v1/enterprises/{PANJIN}", headers=national.headers)
    tag = r.headers["etag"]
    r2 = await client.get(
        f"/v1/enterprises/{PANJIN}", headers={**national.headers, "If-None-Match": tag}
    )
    assert r2.status_code == 304
    await client.put(
        f"/v1/enterprises/{PANJIN}", json=body(name="改名有限公司"), headers=national.headers
    )
    r3 = await client.get(
        f"/v1/enterprises/{PANJIN}", headers={**national.headers, "If-None-Match": tag}
    )
    assert r3.status_code == 200
    assert r3.headers["etag"] != tag
