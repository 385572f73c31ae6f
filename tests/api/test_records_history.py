"""Corrections (new versions, history kept), overturn/withdraw, filtered reads and the
dossier document, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import httpx
from openpyxl import load_workbook

from tests.api import _blacklist as bl
from tests.api._records import (
    PANJIN,
    ensure_enterprise,
    fields_of,
    post_record,
    record_body,
)
from tests.conftest import AgencyKey, MakeAgency


async def _grade(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    r = await client.get(f"/v1/enterprises/{PANJIN}", headers=headers)
    grade: str = r.json()["classification"]["grade"]
    return grade


async def test_correction_supersedes_and_keeps_history(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    await ensure_enterprise(client, national.headers)
    body = record_body("complaint", substantiated=True)
    v1 = (
        await client.post(f"/v1/enterprises/{PANJIN}/records", json=body, headers=national.headers)
    ).json()
    fix = {"occurred_on": body["occurred_on"], "substantiated": False, "reason": "核查不实"}
    r = await client.post(f"/v1/records/{v1['id']}/corrections", json=fix, headers=national.headers)
    assert r.status_code == 201, r.text
    v2 = r.json()
    assert (v2["version"], v2["supersedes_id"], v2["status"]) == (2, v1["id"], "active")
    assert v2["source_ref"] == v1["source_ref"] and v2["substantiated"] is False
    assert v2["channel"] is None  # a correction is the full body: what it leaves out is unset

    old = (await client.get(f"/v1/records/{v1['id']}", headers=national.headers)).json()
    assert old["status"] == "superseded"
    assert old["superseded_by"] == v2["id"]
    assert old["status_reason"] == "核查不实"
    assert old["substantiated"] is True  # the old version is kept as it was

    # retrying the correction (even against the old id) makes no third version
    for target in (v1["id"], v2["id"]):
        again = await client.post(
            f"/v1/records/{target}/corrections", json=fix, headers=national.headers
        )
        assert again.status_code == 200 and again.json()["id"] == v2["id"]
    # a different correction must address the current version
    other = {**fix, "substantiated": True}
    r = await client.post(
        f"/v1/records/{v1['id']}/corrections", json=other, headers=national.headers
    )
    assert r.status_code == 409 and r.json()["rule"] == "record-superseded"

    hist = (await client.get(f"/v1/records/{v1['id']}/history", headers=national.headers)).json()
    assert hist["current_id"] == v2["id"]
    assert [v["id"] for v in hist["versions"]] == [v1["id"], v2["id"]]
    assert hist["versions"][0]["superseded_by"] == v2["id"]

    url = f"/v1/enterprises/{PANJIN}/records"
    current = (await client.get(url, headers=national.headers)).json()["items"]
    assert [i["id"] for i in current] == [v2["id"]]
    full = (await client.get(url, params={"history": "true"}, headers=national.headers)).json()
    assert {i["id"] for i in full["items"]} == {v1["id"], v2["id"]}
    only_old = await client.get(url, params={"status": "superseded"}, headers=national.headers)
    assert [i["id"] for i in only_old.json()["items"]] == [v1["id"]]

    # replaying the original submission is still a no-op answered with the original id
    replay = await client.post(url, json=body, headers=national.headers)
    assert replay.status_code == 200 and replay.json()["id"] == v1["id"]


async def test_correction_rules(
    client: httpx.AsyncClient, national: AgencyKey, make_agency: MakeAgency
) -> None:
    await ensure_enterprise(client, national.headers)
    rec = (await post_record(client, national.headers, PANJIN, "incident")).json()
    url = f"/v1/records/{rec['id']}/corrections"
    base = {"occurred_on": rec["occurred_on"], "severity": "major"}
    r = await client.post(url, json={**base, "kind": "recall"}, headers=national.headers)
    assert r.status_code == 422 and "kind-immutable" in {e["rule"] for e in r.json()["errors"]}
    r = await client.post(url, json={**base, "source_ref": "other"}, headers=national.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "source-ref-immutable"
    r = await client.post(url, json={**base, "severity": "huge"}, headers=national.headers)
    assert r.status_code == 422 and fields_of(r) == ["severity"]
    r = await client.post(url, json={**base, "occurred_on": "2026-07-01"}, headers=national.headers)
    assert r.status_code == 422 and r.json()["rule"] == "future-date"
    province = await make_agency("province", "21", frozenset({"records:write", "records:read"}))
    r = await client.post(url, json=base, headers=province.headers)
    assert r.status_code == 403 and r.json()["rule"] == "record-owner"
    r = await client.post("/v1/records/999999/corrections", json=base, headers=national.headers)
    assert r.status_code == 404
    # the class follows the correction: a major incident is grade C (aqsiq-2012-v1)
    r = await client.post(url, json=base, headers=national.headers)
    assert r.status_code == 201
    assert await _grade(client, national.headers) == "C"


async def test_overturned_penalty_stops_counting(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    await ensure_enterprise(client, national.headers)
    await post_record(client, national.headers, PANJIN, "inspection")
    pen = await post_record(
        client,
        national.headers,
        PANJIN,
        "penalty",
        penalty_types=["fine"],
        fine_amount=80000,
        heavier=True,
    )
    assert await _grade(client, national.headers) == "C"
    url = f"/v1/records/{pen.json()['id']}/status"
    body = {"status": "overturned", "reason": "行政复议决定撤销"}
    r = await client.post(url, json=body, headers=national.headers)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == "overturned" and out["status_reason"] == "行政复议决定撤销"
    assert out["status_changed_at"].startswith("2026-06-15")
    assert await _grade(client, national.headers) == "A"
    again = await client.post(url, json=body, headers=national.headers)
    assert again.status_code == 200 and again.json()["id"] == out["id"]
    r = await client.post(
        url, json={"status": "withdrawn", "reason": "x"}, headers=national.headers
    )
    assert r.status_code == 409 and r.json()["rule"] == "record-status"
    r = await client.post(url, json={"status": "active", "reason": "x"}, headers=national.headers)
    assert r.status_code == 422
    # still readable, with its status
    listed = await client.get(
        f"/v1/enterprises/{PANJIN}/records",
        params={"status": "overturned"},
        headers=national.headers,
    )
    assert [i["id"] for i in listed.json()["items"]] == [out["id"]]


async def test_overturned_penalty_lifts_its_listing(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    """Order 44 Art.19: the penalty revoked, the listing resting on it is removed."""
    uscc = bl.code(7)
    entry = await bl.listed(client, national.headers, uscc, "P-OVR-1")
    assert entry["status"] == "listed"
    r = await client.post(
        f"/v1/records/{entry['penalty_record_id']}/status",
        json={"status": "overturned", "reason": "行政诉讼判决撤销"},
        headers=national.headers,
    )
    assert r.status_code == 200, r.text
    got = (await client.get(f"/v1/blacklist/{entry['id']}", headers=national.headers)).json()
    assert got["status"] == "removed"
    assert got["removal_reason"] == "overturned"
    assert got["removed_on"] == "2026-06-15"


async def test_withdrawn_and_status_on_superseded(
    client: httpx.AsyncClient, national: AgencyKey, make_agency: MakeAgency
) -> None:
    await ensure_enterprise(client, national.headers)
    rec = (await post_record(client, national.headers, PANJIN, "commendation")).json()
    fix = {"occurred_on": rec["occurred_on"], "title": "盘锦市市长质量奖"}
    v2 = (
        await client.post(
            f"/v1/records/{rec['id']}/corrections", json=fix, headers=national.headers
        )
    ).json()
    body = {"status": "withdrawn", "reason": "录入错误"}
    r = await client.post(f"/v1/records/{rec['id']}/status", json=body, headers=national.headers)
    assert r.status_code == 409 and r.json()["rule"] == "record-superseded"
    hebei = await make_agency("province", "13")
    r = await client.post(f"/v1/records/{v2['id']}/status", json=body, headers=hebei.headers)
    assert r.status_code == 403 and r.json()["rule"] == "jurisdiction"
    r = await client.post(f"/v1/records/{v2['id']}/status", json=body, headers=national.headers)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    # a withdrawn record cannot be corrected any more
    r = await client.post(
        f"/v1/records/{v2['id']}/corrections", json={**fix, "title": "x"}, headers=national.headers
    )
    assert r.status_code == 409 and r.json()["rule"] == "record-status"


async def test_list_filters_and_cursor(client: httpx.AsyncClient, national: AgencyKey) -> None:
    await ensure_enterprise(client, national.headers)
    days = ["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05", "2026-05-05"]
    ids = []
    for day in days:
        ids.append(
            (
                await post_record(client, national.headers, PANJIN, "inspection", occurred_on=day)
            ).json()["id"]
        )
    cid = (
        await post_record(client, national.headers, PANJIN, "complaint", occurred_on="2026-03-05")
    ).json()["id"]
    url = f"/v1/enterprises/{PANJIN}/records"
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(url, params=params, headers=national.headers)).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # newest first; the complaint and the inspection of 03-05 by id
    assert seen == [ids[4], ids[3], cid, ids[2], ids[1], ids[0]]
    r = await client.get(url, params={"kind": "complaint"}, headers=national.headers)
    assert [i["id"] for i in r.json()["items"]] == [cid]
    r = await client.get(
        url,
        params={"kind": "inspection", "from": "2026-02-05", "to": "2026-04-05"},
        headers=national.headers,
    )
    assert [i["id"] for i in r.json()["items"]] == [ids[3], ids[2], ids[1]]
    r = await client.get(
        url,
        params={"kind": ["inspection", "complaint"], "to": "2026-01-31"},
        headers=national.headers,
    )
    assert [i["id"] for i in r.json()["items"]] == [ids[0]]
    r = await client.get(
        url, params={"from": "2026-05-01", "to": "2026-01-01"}, headers=national.headers
    )
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "date-order"
    r = await client.get(url, params={"kind": "audit"}, headers=national.headers)
    assert r.status_code == 422
    r = await client.get(url, params={"cursor": "garbage!"}, headers=national.headers)
    assert r.status_code == 422
    etag = (await client.get(url, headers=national.headers)).headers["ETag"]
    r = await client.get(url, headers={**national.headers, "If-None-Match": etag})
    assert r.status_code == 304


async def test_dossier_json_csv_xlsx(client: httpx.AsyncClient, national: AgencyKey) -> None:
    await ensure_enterprise(client, national.headers)
    insp = (
        await post_record(
            client, national.headers, PANJIN, "inspection", result="fail", notified_on="2026-03-09"
        )
    ).json()
    pen = (await post_record(client, national.headers, PANJIN, "penalty")).json()
    url = f"/v1/enterprises/{PANJIN}/dossier"
    doc = (await client.get(url, headers=national.headers)).json()
    assert doc["enterprise"]["code"] == PANJIN
    assert doc["enterprise"]["classification"]["grade"] == "B"
    assert doc["as_of"] == "2026-06-15"
    assert [r["id"] for r in doc["records"]] == [pen["id"], insp["id"]]  # oldest first
    assert doc["records"][1]["deadlines"]["objection_deadline"] == "2026-03-24"
    assert doc["blacklist"] == [] and doc["gtins"] == []

    r = await client.get(
        url, params={"lang": "en"}, headers={**national.headers, "Accept": "text/csv"}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [int(row["id"]) for row in rows] == [pen["id"], insp["id"]]
    assert rows[1]["failed_items"] == "菌落总数" and rows[1]["result"] == "fail"
    assert (
        rows[0]["penalty_types"] == "warning"
        and rows[0]["decision_number"] == pen["decision_number"]
    )

    # for people (the default): Chinese headers and words, real dates, 是/否
    r = await client.get(url, params={"format": "csv"}, headers=national.headers)
    zh = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert (zh[1]["记录类型"], zh[1]["抽查结果"], zh[1]["抽查层级"]) == (
        "监督抽查",
        "不合格",
        "省级",
    )
    assert zh[0]["处罚种类"] == "警告" and zh[0]["较重行政处罚"] in ("是", "否")
    r = await client.get(url, params={"format": "xlsx"}, headers=national.headers)
    records = load_workbook(io.BytesIO(r.content))["信用记录"]
    header = [c.value for c in records[1]]
    occurred = records.cell(row=2, column=header.index("发生日期") + 1)
    assert isinstance(occurred.value, datetime) and occurred.number_format == "yyyy-mm-dd"

    r = await client.get(url, params={"format": "xlsx", "lang": "en"}, headers=national.headers)
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames == ["enterprise", "records", "blacklist"]
    sheet = list(wb["records"].iter_rows(values_only=True))
    assert sheet[0][0] == "id" and [row[0] for row in sheet[1:]] == [pen["id"], insp["id"]]
    summary = {row[0]: row[1:2] for row in wb["enterprise"].iter_rows(values_only=True)}
    assert summary["code"] == (PANJIN,) and summary["grade"] == ("B",)

    r = await client.get(url, headers={**national.headers, "Accept": "application/xml"})
    assert r.status_code == 406
    r = await client.get(url, params={"format": "pdf"}, headers=national.headers)
    assert r.status_code == 422
