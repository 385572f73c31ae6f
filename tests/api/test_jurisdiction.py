"""A regional agency writes only its own region, and the region is the code's (positions 3-8).

The matrix: every write route × callers inside and outside the target's region. Outside
callers get 403 `jurisdiction` (a batch item: rejected with rule `jurisdiction`) and nothing
is written; inside callers pass the jurisdiction check (whatever the procedure then says).
The target's stored rows carry a stale region (Hebei's 130100, as an old registration could
leave them): jurisdiction must follow the code (Panjin, 211100), not the stored field.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from service.credit.codes import make_uscc, org_check_char
from tests.api._blacklist import penalty, proposal
from tests.api._records import ensure_enterprise, record_body

PANJIN = make_uscc("00077001", region="211100")  # 盘锦市, Liaoning
LIAONING_IN_HEBEI = make_uscc("00077002", region="211100")
ORG_ONLY = f"00077004-{org_check_char('00077004')}"  # a 9-character org code alone

# (level, region prefix): the callers outside Panjin's 211100, and those inside it
OUTSIDE = [("province", "13"), ("prefecture", "1301"), ("prefecture", "2101"), ("county", "211104")]
INSIDE = [("province", "21"), ("prefecture", "2111"), ("national", "")]


@dataclass
class World:
    national: dict[str, str]
    record_id: int
    inspection_id: int
    entry_id: int


_penalties = itertools.count()
Call = Callable[[httpx.AsyncClient, dict[str, str], World], Awaitable[httpx.Response]]


async def _put_enterprise(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
    return await c.put(f"/v1/enterprises/{PANJIN}", json={"name": "盘锦改名有限公司"}, headers=h)


async def _record(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
    body = record_body("complaint")
    return await c.post(f"/v1/enterprises/{PANJIN}/records", json=body, headers=h)


async def _batch(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
    body = {"records": [{"code": PANJIN, **record_body("complaint")}]}
    return await c.post("/v1/records/batch", json=body, headers=h)


async def _correction(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
    body = record_body("complaint", substantiated=False)
    return await c.post(f"/v1/records/{w.record_id}/corrections", json=body, headers=h)


async def _status(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
    body = {"status": "withdrawn", "reason": "录入错误"}
    return await c.post(f"/v1/records/{w.record_id}/status", json=body, headers=h)


async def _followup(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
    body = {"step": "objection", "on": "2026-06-10"}
    return await c.post(f"/v1/records/{w.inspection_id}/followups", json=body, headers=h)


async def _gtin(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
    body = {"gtin": "6901234567892", "product_name": "纯牛奶"}
    return await c.post(f"/v1/enterprises/{PANJIN}/gtins", json=body, headers=h)


async def _propose(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
    pid = await penalty(c, w.national, PANJIN, f"p-{next(_penalties)}")
    return await c.post("/v1/blacklist", json=proposal(PANJIN, pid), headers=h)


def _transition(name: str, body: dict[str, Any]) -> Call:
    async def call(c: httpx.AsyncClient, h: dict[str, str], w: World) -> httpx.Response:
        return await c.post(f"/v1/blacklist/{w.entry_id}/{name}", json=body, headers=h)

    return call


WRITES: dict[str, Call] = {
    "PUT enterprise": _put_enterprise,
    "POST records": _record,
    "POST records/batch": _batch,
    "POST corrections": _correction,
    "POST status": _status,
    "POST followups": _followup,
    "POST gtins": _gtin,
    "POST blacklist": _propose,
    "POST notify": _transition("notify", {"notified_on": "2026-06-15"}),
    "POST list": _transition("list", {"decided_on": "2026-06-15", "defence_waived": True}),
    "POST push": _transition("push", {}),
    "POST apply_repair": _transition("apply_repair", {}),
    "POST accept_repair": _transition("accept_repair", {}),
    "POST refuse_repair": _transition("refuse_repair", {}),
    "POST publish": _transition("publish", {}),
    "POST remove": _transition("remove", {"removed_on": "2026-06-15", "reason": "error"}),
    "POST restore": _transition("restore", {"restored_on": "2026-06-15"}),
}


async def _world(client: httpx.AsyncClient, national: Any) -> World:
    h = national.headers
    await ensure_enterprise(client, h, PANJIN)
    r = await client.post(
        f"/v1/enterprises/{PANJIN}/records", json=record_body("complaint"), headers=h
    )
    record_id = r.json()["id"]
    body = record_body("inspection", result="fail", notified_on="2026-06-05")
    r = await client.post(f"/v1/enterprises/{PANJIN}/records", json=body, headers=h)
    assert r.status_code == 201, r.text
    inspection_id = r.json()["id"]
    pid = await penalty(client, h, PANJIN, "p-world")
    r = await client.post("/v1/blacklist", json=proposal(PANJIN, pid), headers=h)
    assert r.status_code == 201, r.text
    return World(h, record_id, inspection_id, r.json()["id"])


REGION_RULES = {"jurisdiction", "order44-deciding-authority"}


def _refused(r: httpx.Response) -> bool:
    if r.request.url.path == "/v1/records/batch":
        rejected = r.json()["rejected"]
        return r.json()["accepted"] == 0 and rejected[0]["errors"][0]["rule"] == "jurisdiction"
    # a blacklist step of another authority's listing is refused before its region is even
    # looked at (Order 44 Art.13-20: only the deciding authority runs it)
    return r.status_code == 403 and r.json().get("rule") in REGION_RULES


async def _stale_region(app: Any, code: str, region: str) -> None:
    """Rows as a registration that trusted the body's region_code left them (the only raw
    SQL here: the API can no longer write such a row)."""
    async with app.state.db.session(write=True) as session:
        for table in ("enterprise", "credit_record", "blacklist_entry"):
            await session.execute(
                text(f"UPDATE {table} SET region_code = :r WHERE code = :c"),
                {"r": region, "c": code},
            )
        await session.commit()


@pytest.mark.parametrize("route", list(WRITES))
async def test_regional_agency_writes_only_its_region(
    client: httpx.AsyncClient, app: Any, national: Any, make_agency: Any, route: str
) -> None:
    world = await _world(client, national)
    await _stale_region(app, PANJIN, "130100")
    call = WRITES[route]
    changes = (await client.get("/v1/changes", headers=national.headers)).json()["next_after"]
    for level, region in OUTSIDE:
        caller = await make_agency(level, region, name=f"{level} {region}")
        r = await call(client, caller.headers, world)
        assert _refused(r), (route, region, r.status_code, r.text)
    # nothing the outsiders sent was written (the proposals' penalties came from national)
    feed = (await client.get(f"/v1/changes?after={changes}", headers=national.headers)).json()
    assert {e["type"] for e in feed["events"]} <= {"record.created"}, feed
    for level, region in INSIDE:
        caller = await make_agency(level, region, name=f"in {level} {region}")
        r = await call(client, caller.headers, world)
        # inside the region, only Order 44's own rule may refuse: a later blacklist step of a
        # listing another authority decided (Art.13-20)
        decider_only = r.status_code == 403 and r.json().get("rule") == "order44-deciding-authority"
        assert decider_only or (r.status_code != 403 and not _refused(r)), (route, region, r.text)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/v1/catalog/quartz", {"name": "石英制品", "risk_level": "III"}),
        ("PUT", "/v1/calendar", [{"day": "2027-10-01", "working": False}]),
        ("POST", "/v1/rulesets/aqsiq-2012-v1/activate", None),
    ],
)
async def test_nationwide_reference_data_is_written_by_national_agencies(
    client: httpx.AsyncClient, make_agency: Any, method: str, path: str, body: Any
) -> None:
    for region in ("21", "2111"):
        admin = await make_agency("province", region, scopes=frozenset({"admin"}))
        r = await client.request(method, path, json=body, headers=admin.headers)
        assert r.status_code == 403 and r.json()["rule"] == "jurisdiction", r.text
    national_admin = await make_agency(scopes=frozenset({"admin"}))
    r = await client.request(method, path, json=body, headers=national_admin.headers)
    assert r.status_code in (200, 201, 202), r.text


async def test_region_is_the_codes_not_the_bodys(
    client: httpx.AsyncClient, make_agency: Any
) -> None:
    """Hebei cannot file a Liaoning code under 130100 and so lock Liaoning out of it."""
    hebei = await make_agency("province", "13")
    liaoning = await make_agency("province", "21")
    body = {"name": "冒名登记有限公司", "region_code": "130100"}
    r = await client.put(f"/v1/enterprises/{LIAONING_IN_HEBEI}", json=body, headers=hebei.headers)
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    assert (error["field"], error["rule"], error["expected"]) == (
        "region_code",
        "region-from-code",
        "211100",
    )
    r = await client.put(
        f"/v1/enterprises/{LIAONING_IN_HEBEI}", json={"name": "x"}, headers=hebei.headers
    )
    assert r.status_code == 403 and r.json()["rule"] == "jurisdiction"
    # the region's own regulator registers and writes it; repeating the code's region is fine
    body = {"name": "盘锦真名有限公司", "region_code": "211100"}
    r = await client.put(
        f"/v1/enterprises/{LIAONING_IN_HEBEI}", json=body, headers=liaoning.headers
    )
    assert r.status_code == 201, r.text
    assert r.json()["region_code"] == "211100"
    r = await client.post(
        f"/v1/enterprises/{LIAONING_IN_HEBEI}/records",
        json=record_body("complaint"),
        headers=liaoning.headers,
    )
    assert r.status_code == 201, r.text


async def test_an_org_code_alone_registers_nothing(
    client: httpx.AsyncClient, national: Any
) -> None:
    """Without a USCC there is no region to check a jurisdiction against: registration
    needs the 18-character code (lookups by org code still work)."""
    r = await client.put(
        f"/v1/enterprises/{ORG_ONLY}",
        json={"name": "只有机构代码", "region_code": "211100"},
        headers=national.headers,
    )
    assert r.status_code == 422 and r.json()["rule"] == "uscc-required", r.text


REGIONAL_READS = [
    "/v1/stats/grades",
    "/v1/stats/inspections",
    "/v1/reports/quality",
    "/v1/supervision/plan",
    "/v1/inspections/overdue",
    "/v1/blacklist/candidates",
    "/v1/changes",
]


@pytest.mark.parametrize("path", REGIONAL_READS)
async def test_regional_reads_follow_one_rule(
    client: httpx.AsyncClient, national: Any, make_agency: Any, path: str
) -> None:
    """Statistics, the report, work queues and the feed cover the caller's jurisdiction:
    the stats no longer give what the report refuses (README "Read policy")."""
    liaoning = await make_agency("province", "21")
    r = await client.get(path, params={"region": "13"}, headers=liaoning.headers)
    assert r.status_code == 403 and r.json()["rule"] == "jurisdiction", r.text
    for params in ({}, {"region": "2111"}):
        r = await client.get(path, params=params, headers=liaoning.headers)
        assert r.status_code == 200, (params, r.text)
    r = await client.get(path, params={"region": "13"}, headers=national.headers)
    assert r.status_code == 200, r.text


async def test_reads_about_one_enterprise_stay_national(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    await ensure_enterprise(client, national.headers, PANJIN)
    hebei = await make_agency("province", "13")
    for path in (f"/v1/enterprises/{PANJIN}", f"/v1/enterprises/{PANJIN}/records"):
        r = await client.get(path, headers=hebei.headers)
        assert r.status_code == 200, (path, r.text)
    r = await client.get("/v1/enterprises", params={"region": "21"}, headers=hebei.headers)
    assert r.status_code == 200 and [e["code"] for e in r.json()["items"]] == [PANJIN]
