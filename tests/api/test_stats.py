"""Statistics on SQLite and PostgreSQL: grade distribution per region and sampling pass
rates (抽查合格率) with target flags and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

from tests.api._grading import (
    DAWA,
    PANJIN,
    SHENYANG,
    SHIJIAZHUANG,
    add_record,
    code,
    inspection,
    put_enterprise,
    refused,
    set_status,
)

E1, E2, E3, E4, E5 = (
    code(1, PANJIN),
    code(2, DAWA),
    code(3, SHENYANG),
    code(4, SHIJIAZHUANG),
    code(5, PANJIN),
)
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
async def dossiers(client: httpx.AsyncClient, national: Any) -> None:
    """Six final results in 2026: dairy 3 of 4 passed, cement 1 of 2."""
    h = national.headers
    for uscc, product in ((E1, "dairy"), (E2, "cement"), (E3, "dairy"), (E4, "cement")):
        await put_enterprise(client, h, uscc, [product])
    await put_enterprise(client, h, E5, ["dairy"])
    await add_record(client, h, E1, inspection("1a", "2026-01-10"))
    await add_record(client, h, E1, inspection("1b", "2026-02-10", "fail", level="municipal"))
    # failed, objected, passed on re-test: a pass (Order 18 Art.42)
    await add_record(
        client,
        h,
        E1,
        inspection(
            "1c",
            "2026-03-05",
            "fail",
            notified_on="2026-03-10",
            objection_filed_on="2026-03-12",
            retest_on="2026-03-20",
            retest_result="pass",
        ),
    )
    await add_record(
        client, h, E2, inspection("2a", "2026-02-20", level="county", product="cement")
    )
    await add_record(client, h, E2, refused("2b", "2026-03-01", product="cement"))
    await add_record(
        client, h, E2, inspection("2c", "2025-12-01", level="national", product="cement")
    )
    wrong = await add_record(
        client, h, E3, inspection("3a", "2026-04-01", "fail", level="national")
    )
    await set_status(client, h, wrong["id"], "withdrawn")
    await add_record(client, h, E3, inspection("3b", "2026-04-02", level="national"))
    await add_record(
        client, h, E4, inspection("4a", "2026-05-05", "fail", level="county", product="cement")
    )


def _rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (g["key"], g["label"], g["inspections"], g["passed"], g["failed"], g["rate"])
        for g in data["groups"]
    ]


async def test_pass_rates_by_product_with_target(
    client: httpx.AsyncClient, national: Any, dossiers: None
) -> None:
    params = {**YEAR, "group_by": "product", "target": "0.7"}
    r = await client.get("/v1/stats/inspections", params=params, headers=national.headers)
    assert r.status_code == 200, r.text
    data = r.json()
    assert _rows(data) == [
        ("cement", "水泥", 2, 1, 1, 0.5),
        ("dairy", "乳制品", 4, 3, 1, 0.75),
    ]
    assert [g["below_target"] for g in data["groups"]] == [True, False]
    assert data["total"] == {
        "key": "total",
        "label": "合计",
        "inspections": 6,
        "passed": 4,
        "failed": 2,
        "rate": 0.6667,
        "below_target": True,
    }
    assert data["target"] == 0.7 and data["from"] == "2026-01-01"
    assert r.headers["ETag"]

    # without a target nothing is flagged; without dates the 2025 sampling counts too
    r = await client.get("/v1/stats/inspections", headers=national.headers)
    data = r.json()
    assert data["target"] is None and data["groups"][0]["below_target"] is None
    assert data["total"]["inspections"] == 7


async def test_pass_rates_by_region_level_and_month(
    client: httpx.AsyncClient, national: Any, dossiers: None
) -> None:
    async def get(**params: str) -> dict[str, Any]:
        r = await client.get(
            "/v1/stats/inspections", params={**YEAR, **params}, headers=national.headers
        )
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    assert _rows(await get(group_by="region")) == [
        ("13", "河北省", 1, 0, 1, 0.0),
        ("21", "辽宁省", 5, 4, 1, 0.8),
    ]
    assert _rows(await get(group_by="region", region="21")) == [
        ("2101", "沈阳市", 1, 1, 0, 1.0),
        ("2111", "盘锦市", 4, 3, 1, 0.75),
    ]
    assert _rows(await get(group_by="region", region="2111", level="county")) == [
        ("211100", "盘锦市", 3, 2, 1, 0.6667),
        ("211104", "大洼区", 1, 1, 0, 1.0),
    ]
    assert _rows(await get(group_by="level")) == [
        ("county", "县级监督抽查", 2, 1, 1, 0.5),
        ("municipal", "市级监督抽查", 1, 0, 1, 0.0),
        ("national", "国家监督抽查", 1, 1, 0, 1.0),
        ("provincial", "省级监督抽查", 2, 2, 0, 1.0),
    ]
    assert _rows(await get(group_by="month", region="21")) == [
        ("2026-01", "2026-01", 1, 1, 0, 1.0),
        ("2026-02", "2026-02", 2, 1, 1, 0.5),
        ("2026-03", "2026-03", 1, 1, 0, 1.0),
        ("2026-04", "2026-04", 1, 1, 0, 1.0),
    ]
    march = await get(group_by="month", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert [g["key"] for g in march["groups"]] == ["2026-03"]


async def test_pass_rates_csv(client: httpx.AsyncClient, national: Any, dossiers: None) -> None:
    params = {**YEAR, "group_by": "product", "target": "0.96", "format": "csv"}
    r = await client.get(
        "/v1/stats/inspections", params={**params, "lang": "en"}, headers=national.headers
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows == [
        ["key", "label", "inspections", "passed", "failed", "rate", "below_target"],
        ["cement", "水泥", "2", "1", "1", "0.5", "true"],
        ["dairy", "乳制品", "4", "3", "1", "0.75", "true"],
        ["total", "合计", "6", "4", "2", "0.6667", "true"],
    ]
    r = await client.get("/v1/stats/inspections", params=params, headers=national.headers)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "分组代码",
        "名称",
        "抽查批次",
        "合格批次",
        "不合格批次",
        "合格率",
        "低于目标",
    ]
    assert rows[1][-1] == "是"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-05-01", "to": "2026-04-01"}, "from"),
        ({"target": "1.5"}, "target"),
        ({"target": "0"}, "target"),
        ({"group_by": "agency"}, "group_by"),
        ({"region": "21a"}, "region"),
        ({"group_by": "region", "region": "2111", "level": "province"}, "level"),
        ({"format": "xlsx"}, "format"),
    ],
)
async def test_pass_rate_input_errors(
    client: httpx.AsyncClient, national: Any, params: dict[str, str], field: str
) -> None:
    r = await client.get("/v1/stats/inspections", params=params, headers=national.headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == field


async def test_grade_distribution_per_region(
    client: httpx.AsyncClient, national: Any, dossiers: None
) -> None:
    # E1 one final failure -> B; E2 refused sampling -> C; E3 pass (failure withdrawn) -> A;
    # E4 failure -> B; E5 never sampled -> B
    r = await client.get("/v1/stats/grades", headers=national.headers)
    assert r.status_code == 200
    data = r.json()
    assert data["level"] == "province"
    counts = [
        (g["key"], g["label"], g["AA"], g["A"], g["B"], g["C"], g["total"]) for g in data["groups"]
    ]
    assert counts == [("13", "河北省", 0, 0, 1, 0, 1), ("21", "辽宁省", 0, 1, 2, 1, 4)]
    assert data["total"] == {"AA": 0, "A": 1, "B": 3, "C": 1, "unclassified": 0, "total": 5}

    r = await client.get("/v1/stats/grades", params={"region": "21"}, headers=national.headers)
    data = r.json()
    assert data["level"] == "prefecture"
    assert [(g["key"], g["region_code"], g["A"], g["B"], g["C"]) for g in data["groups"]] == [
        ("2101", "210100", 1, 0, 0),
        ("2111", "211100", 0, 2, 1),
    ]
    params = {"region": "2111", "level": "county"}
    data = (await client.get("/v1/stats/grades", params=params, headers=national.headers)).json()
    assert [(g["key"], g["label"], g["B"], g["C"]) for g in data["groups"]] == [
        ("211100", "盘锦市", 2, 0),
        ("211104", "大洼区", 0, 1),
    ]
    params = {"region": "2111", "level": "province"}
    r = await client.get("/v1/stats/grades", params=params, headers=national.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "level"

    # the list filter reads the same stored grades
    r = await client.get(
        "/v1/enterprises", params={"grade": "C", "region": "2111"}, headers=national.headers
    )
    assert [e["code"] for e in r.json()["items"]] == [E2]
