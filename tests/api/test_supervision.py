"""The supervision plan on SQLite and PostgreSQL: due = last inspection + 365 / frequency
days (class × highest product risk), never inspected = due now, most overdue first."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api._grading import (
    PANJIN,
    SHENYANG,
    SHIJIAZHUANG,
    add_record,
    code,
    grade_of,
    inspection,
    penalty,
    put_enterprise,
    refused,
)

NEVER = code(11, PANJIN)  # B × Ⅰ, never sampled: due today
FAILED = code(12, PANJIN)  # B × Ⅰ (2/year = 183 days) after a failure on 2025-01-10
PASSED = code(13, SHENYANG)  # A × Ⅰ (1/year = 365 days) after a pass on 2026-03-02
MODEL = code(14, PANJIN)  # AA × Ⅲ: "as needed", never due
PENALISED = code(15, PANJIN)  # C × Ⅰ (4/year = 91 days) after a pass on 2026-01-05
HEBEI = code(16, SHIJIAZHUANG)  # B × Ⅰ, never sampled
REFUSER = code(17, PANJIN)  # C × Ⅱ: refused sampling is no inspection, due today


@pytest.fixture
async def registry(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    for uscc in (NEVER, FAILED, PASSED, PENALISED, HEBEI):
        await put_enterprise(client, h, uscc, ["dairy"])
    await put_enterprise(client, h, MODEL, ["brick"])
    await put_enterprise(client, h, REFUSER, ["cement"])
    await add_record(client, h, FAILED, inspection("f", "2025-01-10", "fail"))
    await add_record(client, h, PASSED, inspection("p", "2026-03-02"))
    for i, on in enumerate(("2024-07-01", "2025-07-01", "2026-05-01")):
        await add_record(client, h, MODEL, inspection(f"m{i}", on, product="brick"))
    await add_record(
        client,
        h,
        MODEL,
        {
            "kind": "commendation",
            "source_ref": "mc",
            "occurred_on": "2025-01-01",
            "title": "质量奖",
        },
    )
    await add_record(client, h, PENALISED, inspection("x0", "2026-01-05"))
    await add_record(client, h, PENALISED, penalty("x1", "2026-05-20", heavier=True))
    await add_record(client, h, REFUSER, refused("r", "2026-03-01", product="cement"))


async def _plan(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> Any:
    r = await client.get("/v1/supervision/plan", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_plan_orders_most_overdue_first(
    client: httpx.AsyncClient, national: Any, registry: None
) -> None:
    assert await grade_of(client, national.headers, MODEL) == "AA"
    assert await grade_of(client, national.headers, REFUSER) == "C"
    data = await _plan(client, national.headers)
    assert (data["today"], data["from"], data["to"]) == ("2026-06-15", None, "2026-06-15")
    got = [
        (i["code"], i["grade"], i["last_inspection_on"], i["due_on"], i["overdue_days"])
        for i in data["items"]
    ]
    assert got == [
        (FAILED, "B", "2025-01-10", "2025-07-12", 338),
        (PENALISED, "C", "2026-01-05", "2026-04-06", 70),
        # due today: the worse class first, then by code
        (REFUSER, "C", None, "2026-06-15", 0),
        (HEBEI, "B", None, "2026-06-15", 0),
        (NEVER, "B", None, "2026-06-15", 0),
    ]
    first = data["items"][0]
    assert (first["mode"], first["risk_level"], first["inspections_per_year"]) == (
        "routine",
        "I",
        2,
    )
    refuser = data["items"][2]
    assert (refuser["risk_level"], refuser["inspections_per_year"]) == ("II", 3)
    assert data["next_cursor"] is None
    assert r_etag(await client.get("/v1/supervision/plan", headers=national.headers))


def r_etag(r: httpx.Response) -> str:
    return r.headers["ETag"]


async def test_plan_window_region_and_pages(
    client: httpx.AsyncClient, national: Any, registry: None
) -> None:
    h = national.headers
    later = await _plan(client, h, to="2027-12-31")
    codes = [i["code"] for i in later["items"]]
    assert codes[-1] == PASSED and later["items"][-1]["due_on"] == "2027-03-02"
    assert MODEL not in codes  # AA × Ⅲ is inspected as needed
    assert [i["code"] for i in (await _plan(client, h, region="21"))["items"]] == [
        FAILED,
        PENALISED,
        REFUSER,
        NEVER,
    ]
    not_overdue = await _plan(client, h, **{"from": "2026-06-15"})
    assert [i["code"] for i in not_overdue["items"]] == [REFUSER, HEBEI, NEVER]

    seen: list[str] = []
    cursor = None
    for _ in range(3):
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await _plan(client, h, **params)
        seen += [i["code"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert cursor is None
    assert seen == [FAILED, PENALISED, REFUSER, HEBEI, NEVER]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-07-01", "to": "2026-06-30"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"region": "x"}, "region"),
        ({"limit": "0"}, "limit"),
    ],
)
async def test_plan_input_errors(
    client: httpx.AsyncClient, national: Any, params: dict[str, str], field: str
) -> None:
    r = await client.get("/v1/supervision/plan", params=params, headers=national.headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == field


async def test_plan_bad_cursor(client: httpx.AsyncClient, national: Any) -> None:
    for cursor in ("!!", "WzEsMl0"):  # not base64 JSON / a JSON list of the wrong shape
        r = await client.get(
            "/v1/supervision/plan", params={"cursor": cursor}, headers=national.headers
        )
        assert r.status_code == 422
        [err] = r.json()["errors"]
        assert (err["field"], err["rule"]) == ("cursor", "cursor")
