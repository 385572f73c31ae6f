"""Risk monitoring and product-injury monitoring (issue 16 item 3): record kinds of their own,
their own rates in /v1/stats (not the inspection pass rate), no effect on the class; early
warnings public while in force, on the API and the portal."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from service.clock import FixedClock
from tests.api._blacklist import set_day
from tests.api._grading import add_record, code, put_enterprise
from tests.conftest import MakeAgency

WARNING_KEYS = {
    "id",
    "title",
    "product_category",
    "region_code",
    "severity",
    "advice",
    "issued_on",
    "expires_on",
    "authority",
}


def sample(ref: str, on: str, *, hazard: bool, source: str = "market", **extra: Any) -> dict:
    body: dict[str, Any] = {
        "kind": "monitoring",
        "source_ref": ref,
        "occurred_on": on,
        "product_category": "toy",
        "sample_source": source,
        "hazard_found": hazard,
        "severity": "high" if hazard else "none",
        **extra,
    }
    if hazard:
        body["hazard"] = "小零件易脱落"
    return body


async def test_monitoring_rates_are_their_own_and_do_not_grade(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    a, b = code(951), code(952, region="210100")
    await put_enterprise(client, h, a, products=["toy"])
    await put_enterprise(client, h, b, products=["toy"])
    grade_before = (await client.get(f"/v1/enterprises/{a}/classification", headers=h)).json()
    for i, (uscc, hazard, source) in enumerate(
        [
            (a, False, "production"),
            (a, True, "ecommerce"),
            (b, False, "market"),
            (b, False, "market"),
        ]
    ):
        await add_record(
            client, h, uscc, sample(f"M{i}", "2026-05-0" + str(i + 1), hazard=hazard, source=source)
        )
    injury = {
        "kind": "injury",
        "source_ref": "INJ1",
        "occurred_on": "2026-05-10",
        "product_category": "toy",
        "hazard_found": True,
        "hazard": "窒息",
        "severity": "high",
    }
    await add_record(client, h, a, injury)

    r = await client.get("/v1/stats/monitoring", params={"target": 0.9}, headers=h)
    assert r.status_code == 200, r.text
    total = r.json()["total"]
    assert (total["inspections"], total["passed"], total["failed"], total["rate"]) == (
        4,
        3,
        1,
        0.75,
    )
    assert total["below_target"] is True
    by_source = (
        await client.get("/v1/stats/monitoring", params={"group_by": "source"}, headers=h)
    ).json()
    assert [(g["key"], g["label"], g["inspections"]) for g in by_source["groups"]] == [
        ("ecommerce", "电子商务", 1),
        ("market", "流通环节", 2),
        ("production", "生产环节", 1),
    ]
    region = (
        await client.get(
            "/v1/stats/monitoring", params={"group_by": "region", "level": "prefecture"}, headers=h
        )
    ).json()
    assert {g["key"]: g["rate"] for g in region["groups"]} == {"2101": 1.0, "2111": 0.5}
    inj = (await client.get("/v1/stats/monitoring", params={"program": "injury"}, headers=h)).json()
    assert (inj["total"]["inspections"], inj["total"]["failed"]) == (1, 1)
    # not sampling inspections: the inspection pass rate and the class do not move
    insp = (await client.get("/v1/stats/inspections", headers=h)).json()
    assert insp["total"]["inspections"] == 0
    grade_after = (await client.get(f"/v1/enterprises/{a}/classification", headers=h)).json()
    assert grade_after["grade"] == grade_before["grade"]
    # validation: a hazard needs a severity
    bad = await client.post(
        f"/v1/enterprises/{a}/records",
        json={**sample("M9", "2026-05-01", hazard=True), "severity": "none"},
        headers=h,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["rule"] == "hazard-severity"
    rec = (
        await client.get(f"/v1/enterprises/{a}/records", params={"kind": "monitoring"}, headers=h)
    ).json()
    assert {i["sample_source"] for i in rec["items"]} == {"production", "ecommerce"}


async def test_warnings_public_while_in_force(
    client: httpx.AsyncClient, national: Any, make_agency: MakeAgency, clock: FixedClock
) -> None:
    panjin = await make_agency("prefecture", "2111", name="盘锦市市场监督管理局")
    body = {
        "product_category": "toy",
        "region_code": "2111",
        "severity": "high",
        "title": "儿童玩具小零件窒息风险警示",
        "advice": "选购带有年龄警示标识的玩具,三岁以下儿童避免接触小零件。",
        "expires_on": "2026-07-01",
    }
    r = await client.post("/v1/warnings", json=body, headers=panjin.headers)
    assert r.status_code == 201, r.text
    w = r.json()
    assert set(w) == WARNING_KEYS and w["issued_on"] == "2026-06-15"
    outside = await client.post(
        "/v1/warnings", json={**body, "region_code": "2101"}, headers=panjin.headers
    )
    assert outside.status_code == 403
    national_w = await client.post(
        "/v1/warnings",
        json={
            **body,
            "region_code": "",
            "title": "全国电动自行车电池风险",
            "product_category": "household-appliance",
            "expires_on": None,
        },
        headers=national.headers,
    )
    assert national_w.status_code == 201
    bad = await client.post(
        "/v1/warnings", json={**body, "product_category": "nope"}, headers=panjin.headers
    )
    assert bad.json()["errors"][0]["field"] == "product_category"

    async def titles(**params: Any) -> list[str]:
        page = (await client.get("/public/v1/warnings", params=params)).json()
        assert all(set(i) == WARNING_KEYS for i in page["items"])
        return [i["title"] for i in page["items"]]

    assert await titles() == ["全国电动自行车电池风险", "儿童玩具小零件窒息风险警示"]
    assert await titles(region="211104") == ["全国电动自行车电池风险", "儿童玩具小零件窒息风险警示"]
    assert await titles(region="2101") == ["全国电动自行车电池风险"]
    assert await titles(product="toy") == ["儿童玩具小零件窒息风险警示"]
    html = (await client.get("/warnings", params={"lang": "zh"})).text
    for text in ("质量安全预警", "儿童玩具小零件窒息风险警示", "严重", "玩具"):
        assert text in html, text
    set_day(clock, date(2026, 6, 30))
    assert len(await titles()) == 2
    set_day(clock, date(2026, 7, 1))  # expired
    assert await titles() == ["全国电动自行车电池风险"]
    r = await client.post(
        f"/v1/warnings/{national_w.json()['id']}/withdraw", json={}, headers=national.headers
    )
    assert r.status_code == 200
    assert await titles() == []
    assert "暂无" in (await client.get("/warnings", params={"lang": "zh"})).text
