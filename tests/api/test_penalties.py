"""Administrative-penalty publication (SAMR Order 45) and credit repair (国市监信规〔2021〕3号):
windows at their boundary days, withdrawal on overturn, repair refused before its period and
granted after, public fields only, search, cursors and ETag."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from service.clock import FixedClock
from tests.api._blacklist import code, set_day
from tests.api._records import ensure_enterprise

# The public fields, written out so the test pins the contract rather than echo the code.
PENALTY_KEYS = {
    "code",
    "name",
    "region_code",
    "decision_number",
    "decided_on",
    "penalty_types",
    "fine_amount",
    "legal_basis",
    "authority",
    "public_until",
}


async def penalty(
    client: httpx.AsyncClient,
    h: dict[str, str],
    uscc: str,
    ref: str,
    *,
    decided_on: str,
    types: list[str],
    fine: float | None = None,
    heavier: bool = False,
) -> int:
    body = {
        "kind": "penalty",
        "source_ref": ref,
        "occurred_on": decided_on,
        "decided_on": decided_on,
        "decision_number": f"盘市监罚〔2026〕{ref}号",
        "legal_basis": "《中华人民共和国产品质量法》第四十九条",
        "penalty_types": types,
        "fine_amount": fine,
        "heavier": heavier,
    }
    r = await client.post(f"/v1/enterprises/{uscc}/records", json=body, headers=h)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def public_codes(client: httpx.AsyncClient, **params: Any) -> list[str]:
    r = await client.get("/public/v1/penalties", params=params)
    assert r.status_code == 200, r.text
    return [p["decision_number"] for p in r.json()["items"]]


async def is_public(client: httpx.AsyncClient, uscc: str, number: str) -> bool:
    r = await client.get(f"/public/v1/penalties/{uscc}")
    assert r.status_code == 200, r.text
    return number in [p["decision_number"] for p in r.json()["items"]]


async def test_public_fields_and_windows_at_boundary_days(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(501)
    await ensure_enterprise(client, h, uscc, products=["textile"], name="盘锦公示纺织有限公司")
    await penalty(client, h, uscc, "W", decided_on="2026-03-20", types=["warning"])
    await penalty(client, h, uscc, "F3000", decided_on="2026-03-20", types=["fine"], fine=3000)
    await penalty(client, h, uscc, "F3001", decided_on="2026-03-20", types=["fine"], fine=3000.01)
    await penalty(client, h, uscc, "C", decided_on="2026-03-20", types=["confiscation"])

    r = await client.get("/public/v1/penalties", params={"q": "公示纺织"})
    items = r.json()["items"]
    assert [set(p) for p in items] == [PENALTY_KEYS] * 4
    by_ref = {p["decision_number"]: p for p in items}
    assert by_ref["盘市监罚〔2026〕F3001号"] == {
        "code": uscc,
        "name": "盘锦公示纺织有限公司",
        "region_code": "211100",
        "decision_number": "盘市监罚〔2026〕F3001号",
        "decided_on": "2026-03-20",
        "penalty_types": ["fine"],
        "fine_amount": 3000.01,
        "legal_basis": "《中华人民共和国产品质量法》第四十九条",
        "authority": "national CN",
        "public_until": "2029-03-20",
    }
    assert by_ref["盘市监罚〔2026〕W号"]["public_until"] == "2026-06-20"
    lookup = (await client.get(f"/public/v1/penalties/{uscc}")).json()
    assert set(lookup) == {"code", "items"}
    assert [set(p) for p in lookup["items"]] == [PENALTY_KEYS] * 4

    # 3 months for a warning or a fine of at most 3,000 yuan: public on the last day...
    set_day(clock, date(2026, 6, 19))
    assert sorted(await public_codes(client)) == sorted(
        f"盘市监罚〔2026〕{r}号" for r in ("W", "F3000", "F3001", "C")
    )
    # ...and gone on 06-20; a larger fine and other penalty types stay 3 years.
    set_day(clock, date(2026, 6, 20))
    assert sorted(await public_codes(client)) == ["盘市监罚〔2026〕C号", "盘市监罚〔2026〕F3001号"]
    set_day(clock, date(2029, 3, 19))
    assert len(await public_codes(client)) == 2
    set_day(clock, date(2029, 3, 20))
    assert await public_codes(client) == []
    assert (await client.get(f"/public/v1/penalties/{uscc}")).json()["items"] == []


async def test_overturned_penalty_is_withdrawn_at_once(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    uscc = code(502)
    await ensure_enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "O1", decided_on="2026-05-01", types=["confiscation"])
    assert await is_public(client, uscc, "盘市监罚〔2026〕O1号")
    r = await client.post(
        f"/v1/records/{pid}/status",
        json={"status": "overturned", "reason": "行政复议撤销"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert not await is_public(client, uscc, "盘市监罚〔2026〕O1号")
    assert await public_codes(client) == []


async def test_credit_repair_refused_before_six_months_granted_after(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(503)
    await ensure_enterprise(client, h, uscc, products=["textile"])
    pid = await penalty(client, h, uscc, "R1", decided_on="2025-12-15", types=["confiscation"])
    body = {
        "granted_on": "2026-06-14",
        "reason": "已履行",
        "performed": True,
        "harm_eliminated": True,
    }
    r = await client.post(f"/v1/records/{pid}/repair", json=body, headers=h)
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    err = r.json()["errors"][0]
    assert (err["field"], err["rule"], err["expected"]) == (
        "granted_on",
        "repair-min-period",
        ">= 2026-06-15",
    )
    assert await is_public(client, uscc, "盘市监罚〔2026〕R1号")
    r = await client.post(f"/v1/records/{pid}/repair", json={**body, "performed": False}, headers=h)
    assert r.status_code == 409
    assert "repair-obligations" in [e["rule"] for e in r.json()["errors"]]

    ok = {**body, "granted_on": "2026-06-15"}
    r = await client.post(f"/v1/records/{pid}/repair", json=ok, headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["earliest"] == "2026-06-15"
    assert r.json()["public_until"] == "2028-12-15"
    assert (await client.post(f"/v1/records/{pid}/repair", json=ok, headers=h)).status_code == 200
    assert not await is_public(client, uscc, "盘市监罚〔2026〕R1号")
    feed = (await client.get("/v1/changes", params={"after": 0, "limit": 1000}, headers=h)).json()
    assert "penalty.repaired" in [e["type"] for e in feed["events"]]
    audit = await client.get("/v1/audit", params={"target": f"record/{pid}"}, headers=h)
    assert "penalty.repaired" in [e["action"] for e in audit.json()["items"]]


async def test_repair_takes_a_year_for_food_and_no_heavier_penalty_since(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(504)
    await ensure_enterprise(client, h, uscc, products=["dairy"])  # food: 1 year
    pid = await penalty(client, h, uscc, "D1", decided_on="2025-06-15", types=["confiscation"])
    body = {"reason": "已履行", "performed": True, "harm_eliminated": True}
    r = await client.post(
        f"/v1/records/{pid}/repair", json={**body, "granted_on": "2026-06-14"}, headers=h
    )
    assert r.status_code == 409
    assert r.json()["errors"][0]["expected"] == ">= 2026-06-15"
    other = code(505)
    await ensure_enterprise(client, h, other, products=["dairy"])
    first = await penalty(client, h, other, "D2", decided_on="2025-06-01", types=["confiscation"])
    await penalty(
        client, h, other, "D3", decided_on="2026-01-10", types=["fine"], fine=50000, heavier=True
    )
    r = await client.post(
        f"/v1/records/{first}/repair", json={**body, "granted_on": "2026-06-15"}, headers=h
    )
    assert r.status_code == 409
    assert r.json()["rule"] == "repair-heavier-since"
    r = await client.post(
        f"/v1/records/{pid}/repair", json={**body, "granted_on": "2026-06-15"}, headers=h
    )
    assert r.status_code == 201, r.text


async def test_search_pages_cursor_etag_and_region(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    a, b = code(506), code(507, region="210100")
    await ensure_enterprise(client, h, a, name="盘锦辽河乳业有限公司")
    await ensure_enterprise(client, h, b, name="沈阳线缆有限公司")
    for i in range(3):
        await penalty(client, h, a, f"P{i}", decided_on="2026-05-01", types=["confiscation"])
    await penalty(client, h, b, "S1", decided_on="2026-05-01", types=["confiscation"])
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/public/v1/penalties", params=params)).json()
        seen += [p["decision_number"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"盘市监罚〔2026〕{r}号" for r in ("S1", "P2", "P1", "P0")]
    assert await public_codes(client, region="2101") == ["盘市监罚〔2026〕S1号"]
    assert len(await public_codes(client, q="辽河乳业")) == 3
    assert len(await public_codes(client, q=f"{a[8:16]}-{a[16]}")) == 3  # organization code
    assert await public_codes(client, q="北京烤鸭") == []
    r = await client.get("/public/v1/penalties")
    assert r.headers["cache-control"] == "public, max-age=60"
    assert "ratelimit-limit" in r.headers
    again = await client.get("/public/v1/penalties", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    bad = await client.get("/public/v1/penalties", params={"cursor": "nope"})
    assert bad.status_code == 422
    bad = await client.get(f"/public/v1/penalties/{a[:17]}0")
    assert bad.status_code == 422


async def test_portal_page_in_chinese_with_english_switch(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    uscc = code(508)
    await ensure_enterprise(client, h, uscc, name="盘锦门户乳业有限公司")
    await penalty(client, h, uscc, "WEB1", decided_on="2026-05-01", types=["fine"], fine=80000)
    r = await client.get("/penalties", params={"q": "门户乳业"})
    assert r.status_code == 200
    assert 'lang="zh-CN"' in r.text
    for text in (
        "行政处罚公示",
        "盘锦门户乳业有限公司",
        "盘市监罚〔2026〕WEB1号",
        "罚款",
        "2029-05-01",
    ):
        assert text in r.text, text
    assert "Fine" not in r.text
    en = await client.get("/penalties", params={"q": "门户乳业", "lang": "en"})
    assert "Decision number" in en.text and "Fine" in en.text
    none = await client.get("/penalties", params={"q": "北京烤鸭", "lang": "zh"})
    assert "没有找到正在公示的行政处罚信息" in none.text
    home = await client.get("/")
    assert 'href="/penalties"' in home.text
