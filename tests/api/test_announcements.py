"""Sampling-result announcements (issue 16 item 2): public only when published, with each
inspection's final result after a re-test; drafts never appear."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from service.clock import FixedClock
from tests.api._blacklist import set_day
from tests.api._grading import add_record, code, inspection, put_enterprise

ANNOUNCEMENT_KEYS = {
    "id",
    "title",
    "announced_on",
    "published_on",
    "product_category",
    "level",
    "authority",
    "count",
    "failed",
}
RESULT_KEYS = {
    "code",
    "name",
    "product_category",
    "product_name",
    "batch_no",
    "sampled_on",
    "result",
    "failed_items",
    "retest_result",
    "final_result",
}


async def setup(client: httpx.AsyncClient, h: dict[str, str]) -> tuple[str, str, list[int]]:
    a, b = code(701), code(702)
    await put_enterprise(client, h, a, products=["dairy"], name="盘锦公告乳业有限公司")
    await put_enterprise(client, h, b, products=["dairy"], name="盘锦复检乳业有限公司")
    ok = await add_record(
        client, h, a, inspection("AN1", "2026-05-10", product_name="纯牛奶", batch_no="20260501")
    )
    failed = await add_record(
        client,
        h,
        b,
        inspection(
            "AN2",
            "2026-05-10",
            "fail",
            notified_on="2026-05-20",
            objection_filed_on="2026-05-25",
            retest_on="2026-05-28",
            retest_result="pass",
        ),
    )
    really = await add_record(
        client, h, b, inspection("AN3", "2026-05-11", "fail", notified_on="2026-05-20")
    )
    return a, b, [ok["id"], failed["id"], really["id"]]


async def test_public_only_when_published_with_final_results(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    a, b, ids = await setup(client, h)
    body = {
        "title": "2026年第2批乳制品省级监督抽查结果",
        "announced_on": "2026-06-10",
        "product_category": "dairy",
        "level": "provincial",
        "record_ids": ids,
    }
    r = await client.post("/v1/announcements", json=body, headers=h)
    assert r.status_code == 201, r.text
    draft = r.json()
    assert draft["published_on"] is None and (draft["count"], draft["failed"]) == (3, 1)

    # a draft is not public
    assert (await client.get("/public/v1/announcements")).json()["items"] == []
    assert (await client.get(f"/public/v1/announcements/{draft['id']}")).status_code == 404

    r = await client.post(
        f"/v1/announcements/{draft['id']}/publish",
        json={"published_on": "2026-06-16"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert (await client.get("/public/v1/announcements")).json()["items"] == []  # tomorrow
    set_day(clock, date(2026, 6, 16))
    page = (await client.get("/public/v1/announcements")).json()
    assert [set(i) for i in page["items"]] == [ANNOUNCEMENT_KEYS]
    assert page["items"][0]["authority"] == "national CN"
    one = (await client.get(f"/public/v1/announcements/{draft['id']}")).json()
    assert set(one) == ANNOUNCEMENT_KEYS | {"results"}
    assert [set(x) for x in one["results"]] == [RESULT_KEYS] * 3
    by_code = sorted(
        ((x["code"], x["result"], x["retest_result"], x["final_result"]) for x in one["results"]),
        key=str,
    )
    assert by_code == [
        (a, "pass", None, "pass"),
        (b, "fail", "pass", "pass"),  # overturned on re-test: the final result is a pass
        (b, "fail", None, "fail"),
    ]
    milk = next(x for x in one["results"] if x["code"] == a)
    assert (milk["product_name"], milk["batch_no"], milk["name"]) == (
        "纯牛奶",
        "20260501",
        "盘锦公告乳业有限公司",
    )
    # per enterprise
    mine = (await client.get("/public/v1/announcements", params={"code": a})).json()
    assert [i["id"] for i in mine["items"]] == [draft["id"]]
    other = (await client.get("/public/v1/announcements", params={"code": code(703)})).json()
    assert other["items"] == []
    bad = await client.get("/public/v1/announcements", params={"code": "XYZ"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
    r = await client.get("/public/v1/announcements")
    again = await client.get(
        "/public/v1/announcements", headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    assert "ratelimit-limit" in r.headers
    # the portal shows it in Chinese
    html = (await client.get(f"/announcements/{draft['id']}", params={"lang": "zh"})).text
    for text in ("2026年第2批乳制品省级监督抽查结果", "盘锦复检乳业有限公司", "纯牛奶", "不合格"):
        assert text in html, text
    listing = (await client.get("/announcements", params={"lang": "zh"})).text
    assert "抽查结果公示" in listing and f"/announcements/{draft['id']}" in listing


async def test_only_inspections_in_jurisdiction_and_publish_rules(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    h = national.headers
    a, _, ids = await setup(client, h)
    pen = await client.post(
        f"/v1/enterprises/{a}/records",
        json={
            "kind": "penalty",
            "source_ref": "ANP",
            "occurred_on": "2026-06-01",
            "decision_number": "X",
            "penalty_types": ["warning"],
        },
        headers=h,
    )
    body = {
        "title": "t",
        "announced_on": "2026-06-10",
        "product_category": "dairy",
        "level": "provincial",
        "record_ids": [ids[0], pen.json()["id"], 999999],
    }
    r = await client.post("/v1/announcements", json=body, headers=h)
    assert r.status_code == 422
    assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [
        ("record_ids.1", "kind"),
        ("record_ids.2", "exists"),
    ]
    hebei = await make_agency("province", "13")
    r = await client.post(
        "/v1/announcements", json={**body, "record_ids": [ids[0]]}, headers=hebei.headers
    )
    assert r.status_code == 403
    r = await client.post("/v1/announcements", json={**body, "record_ids": [ids[0]]}, headers=h)
    ann = r.json()["id"]
    early = await client.post(
        f"/v1/announcements/{ann}/publish", json={"published_on": "2026-06-09"}, headers=h
    )
    assert early.status_code == 422 and early.json()["errors"][0]["rule"] == "date-order"
    ok = await client.post(f"/v1/announcements/{ann}/publish", json={}, headers=h)
    assert ok.json()["published_on"] == "2026-06-15"
    again = await client.post(
        f"/v1/announcements/{ann}/publish", json={"published_on": "2026-06-12"}, headers=h
    )
    assert again.status_code == 409
    assert (await client.get(f"/public/v1/announcements/{ann}")).status_code == 200
