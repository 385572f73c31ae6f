"""The honour list (守信激励名单, issue 16 item 6): only AA enterprises (the class in force, a
regulator's override included) with no listing in force; public without any class."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api._blacklist import listed
from tests.api._grading import code, put_enterprise

HONOUR_KEYS = {"id", "code", "name", "region_code", "reason", "published_on", "authority"}


async def test_honour_list_needs_aa_and_no_listing(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    a, b = code(971), code(972)
    await put_enterprise(client, h, a, products=["dairy"], name="盘锦守信乳业有限公司")  # B
    body = {"code": a, "reason": "质量信用优秀,推荐参评省长质量奖"}
    r = await client.post("/v1/honours", json=body, headers=h)
    assert r.status_code == 409 and r.json()["rule"] == "honour-requires-aa"
    review = await client.post(
        f"/v1/enterprises/{a}/classification/review",
        json={
            "action": "override",
            "grade": "AA",
            "reason": "质量奖获奖企业",
            "expires_on": "2027-06-15",
        },
        headers=h,
    )
    assert review.status_code == 201, review.text
    r = await client.post("/v1/honours", json=body, headers=h)
    assert r.status_code == 201, r.text
    assert set(r.json()) == HONOUR_KEYS

    page = (await client.get("/public/v1/honours")).json()
    assert [set(i) for i in page["items"]] == [HONOUR_KEYS]
    assert page["items"][0]["name"] == "盘锦守信乳业有限公司"
    assert (await client.get("/public/v1/honours", params={"region": "2101"})).json()["items"] == []
    html = (await client.get("/honours", params={"lang": "zh"})).text
    assert "守信激励名单" in html and "盘锦守信乳业有限公司" in html
    assert "AA" not in html

    # listed on the blacklist: excluded from awards (Order 44 Art.15), out of the list
    await listed(client, h, b, "HON-B", name="盘锦失信乳业有限公司")
    r = await client.post("/v1/honours", json={**body, "code": b}, headers=h)
    assert r.status_code == 409 and r.json()["rule"] == "order44-art15-no-awards"
    honour_id = page["items"][0]["id"]
    w = await client.post(f"/v1/honours/{honour_id}/withdraw", json={}, headers=h)
    assert w.status_code == 200
    assert (await client.get("/public/v1/honours")).json()["items"] == []
    assert "暂无守信激励名单" in (await client.get("/honours", params={"lang": "zh"})).text
