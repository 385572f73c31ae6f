"""Objections to credit information (信用异议, issue 16 item 5): filed through the receiving
agency, the record disputed in the dossier and in the reasons citing it, due 15 working days
after filing, overdue listed, decided upheld (withdrawn or corrected) or rejected."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from service.clock import FixedClock
from tests.api._blacklist import set_day
from tests.api._grading import add_record, code, inspection, penalty, put_enterprise
from tests.conftest import MakeAgency

# Filed Monday 2026-06-15; Friday 06-19 is Dragon Boat Festival: 15 working days end 07-07.
DUE = "2026-07-07"


async def file(
    client: httpx.AsyncClient, h: dict[str, str], expect: int = 201, **body: Any
) -> dict[str, Any]:
    r = await client.post("/v1/objections", json=body, headers=h)
    assert r.status_code == expect, r.text
    return dict(r.json())


async def decide(
    client: httpx.AsyncClient, h: dict[str, str], oid: int, expect: int = 200, **body: Any
) -> dict[str, Any]:
    r = await client.post(f"/v1/objections/{oid}/decide", json=body, headers=h)
    assert r.status_code == expect, r.text
    return dict(r.json())


async def disputed_in_dossier(client: httpx.AsyncClient, h: dict[str, str], uscc: str) -> dict:
    items = (await client.get(f"/v1/enterprises/{uscc}/records", headers=h)).json()["items"]
    return {i["id"]: (i["disputed"], i["objection_id"]) for i in items}


async def disputed_in_reasons(
    client: httpx.AsyncClient, h: dict[str, str], uscc: str
) -> tuple[list[int], list[int]]:
    cls = (await client.get(f"/v1/enterprises/{uscc}/classification", headers=h)).json()
    ent = (await client.get(f"/v1/enterprises/{uscc}", headers=h)).json()["classification"]
    return (
        sorted(i for r in cls["reasons"] for i in r["disputed_record_ids"]),
        sorted(i for r in ent["reasons"] for i in r["disputed_record_ids"]),
    )


async def test_rejected_objection_disputes_until_decided_and_goes_overdue(
    client: httpx.AsyncClient, make_agency: MakeAgency, clock: FixedClock
) -> None:
    panjin = await make_agency("prefecture", "2111", name="盘锦市市场监督管理局")
    h = panjin.headers
    uscc = code(901)
    await put_enterprise(client, h, uscc, products=["dairy"])
    rec = await add_record(client, h, uscc, inspection("OB1", "2026-05-10", "fail"))
    rid = rec["id"]
    assert (await disputed_in_dossier(client, h, uscc))[rid] == (False, None)

    o = await file(client, h, code=uscc, target="record", record_id=rid, reason="检验方法错误")
    assert (o["status"], o["filed_on"], o["due_on"], o["overdue"]) == (
        "open",
        "2026-06-15",
        DUE,
        False,
    )
    assert o["agency"] == "盘锦市市场监督管理局"
    assert (await disputed_in_dossier(client, h, uscc))[rid] == (True, o["id"])
    one = (await client.get(f"/v1/records/{rid}", headers=h)).json()
    assert (one["disputed"], one["objection_id"]) == (True, o["id"])
    assert await disputed_in_reasons(client, h, uscc) == ([rid], [rid])
    dossier = (await client.get(f"/v1/enterprises/{uscc}/dossier", headers=h)).json()
    assert [r["disputed"] for r in dossier["records"] if r["id"] == rid] == [True]
    again = await file(client, h, 409, code=uscc, target="record", record_id=rid, reason="x")
    assert again["rule"] == "objection-open"

    async def overdue() -> list[int]:
        page = (await client.get("/v1/objections", params={"overdue": True}, headers=h)).json()
        return [i["id"] for i in page["items"]]

    set_day(clock, date(2026, 7, 7))  # the due day: still in time
    assert await overdue() == []
    set_day(clock, date(2026, 7, 8))
    assert await overdue() == [o["id"]]
    assert (await client.get(f"/v1/objections/{o['id']}", headers=h)).json()["overdue"] is True

    out = await decide(
        client, h, o["id"], outcome="rejected", decided_on="2026-07-08", reason="检验程序合法"
    )
    assert (out["status"], out["decided_on"], out["decision_reason"], out["overdue"]) == (
        "rejected",
        "2026-07-08",
        "检验程序合法",
        False,
    )
    assert await overdue() == []
    assert (await disputed_in_dossier(client, h, uscc))[rid] == (False, None)
    assert await disputed_in_reasons(client, h, uscc) == ([], [])
    assert (await decide(client, h, o["id"], 409, outcome="upheld", reason="x"))[
        "rule"
    ] == "objection-decided"
    feed = (await client.get("/v1/changes", params={"after": 0, "limit": 1000}, headers=h)).json()
    types = [e["type"] for e in feed["events"] if e["type"].startswith("objection.")]
    assert types == ["objection.filed", "objection.rejected"]


async def test_upheld_objection_withdraws_or_needs_a_correction(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    uscc = code(902)
    await put_enterprise(client, h, uscc, products=["dairy"])
    await add_record(client, h, uscc, inspection("OB2", "2026-05-01"))
    pen = await add_record(client, h, uscc, penalty("OB3", "2026-05-20"))
    cls = (await client.get(f"/v1/enterprises/{uscc}/classification", headers=h)).json()
    assert cls["grade"] == "B"  # the penalty
    o = await file(client, h, code=uscc, target="record", record_id=pen["id"], reason="非本企业")
    blocked = await decide(client, h, o["id"], 409, outcome="upheld", reason="异议成立")
    assert blocked["rule"] == "objection-upheld-needs-correction"
    out = await decide(client, h, o["id"], outcome="upheld", reason="异议成立", withdraw=True)
    assert (out["status"], out["decided_on"]) == ("upheld", "2026-06-15")
    rec = (await client.get(f"/v1/records/{pen['id']}", headers=h)).json()
    assert (rec["status"], rec["disputed"]) == ("withdrawn", False)
    cls = (await client.get(f"/v1/enterprises/{uscc}/classification", headers=h)).json()
    assert cls["grade"] == "A"  # the class follows

    # corrected through the existing correction path, then upheld
    pen2 = await add_record(client, h, uscc, penalty("OB4", "2026-05-21"))
    o2 = await file(client, h, code=uscc, target="record", record_id=pen2["id"], reason="文号错误")
    body = {**penalty("OB4", "2026-05-21"), "decision_number": "盘市监罚〔2026〕OB4-1号"}
    body.pop("source_ref")
    r = await client.post(
        f"/v1/records/{pen2['id']}/corrections", json={**body, "reason": "异议更正"}, headers=h
    )
    assert r.status_code == 201, r.text
    out = await decide(client, h, o2["id"], outcome="upheld", reason="已更正")
    assert out["status"] == "upheld"


async def test_filing_rules_grade_target_and_jurisdiction(
    client: httpx.AsyncClient, national: Any, make_agency: MakeAgency
) -> None:
    h = national.headers
    uscc = code(903)
    await put_enterprise(client, h, uscc, products=["dairy"])
    rec = await add_record(
        client, h, uscc, inspection("OB5", "2026-05-10", "fail", notified_on="2026-05-20")
    )
    late = await file(
        client,
        h,
        422,
        code=uscc,
        target="record",
        record_id=rec["id"],
        filed_on="2026-06-05",
        reason="x",
    )
    assert late["errors"][0]["rule"] == "order18-art35-objection-window"
    assert late["errors"][0]["expected"] == "<= 2026-06-04"
    ok = await file(
        client,
        h,
        code=uscc,
        target="record",
        record_id=rec["id"],
        filed_on="2026-06-04",
        reason="x",
    )
    assert ok["due_on"] == "2026-06-26"  # 15 working days, the festival skipped
    grade = await file(client, h, code=uscc, target="grade", reason="分类等级评定有误")
    assert (grade["target"], grade["record_id"]) == ("grade", None)
    missing = await file(client, h, 422, code=uscc, target="record", reason="x")
    assert missing["errors"][0]["field"] == "record_id"
    hebei = await make_agency("province", "13")
    r = await client.post(
        "/v1/objections",
        json={"code": uscc, "target": "grade", "reason": "x"},
        headers=hebei.headers,
    )
    assert r.status_code == 403 and r.json()["rule"] == "jurisdiction"
    listed = (await client.get("/v1/objections", params={"code": uscc}, headers=h)).json()
    assert [i["id"] for i in listed["items"]] == [ok["id"], grade["id"]]
