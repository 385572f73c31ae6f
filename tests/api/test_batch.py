"""POST /v1/records/batch (JSON and streamed NDJSON) and `qcredit import`, on SQLite and
PostgreSQL: per-item outcomes, partial acceptance, idempotent retries."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from typer.testing import CliRunner

from service.cli import app as cli_app
from service.db import Database
from service.settings import Settings
from tests.api._records import (
    HEBEI,
    PANJIN,
    PANJIN_2,
    SHENYANG,
    ensure_enterprise,
    post_record,
    record_body,
)
from tests.conftest import AgencyKey, MakeAgency

URL = "/v1/records/batch"
WRONG_CHECK = SHENYANG[:17] + ("0" if SHENYANG[17] != "0" else "1")


def item(code: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"code": code, **record_body(kind, **fields)}


async def _count(client: httpx.AsyncClient, headers: dict[str, str], code: str) -> int:
    r = await client.get(
        f"/v1/enterprises/{code}/records",
        params={"limit": 1000, "history": "true"},
        headers=headers,
    )
    return len(r.json()["items"])


def _mixed() -> list[Any]:
    good = item(PANJIN, "inspection")
    return [
        good,  # 0 accepted
        item(PANJIN, "inspection", level="township"),  # 1 rejected: enum
        item(HEBEI, "complaint"),  # 2 rejected: no such enterprise
        item(PANJIN_2[8:17], "penalty"),  # 3 accepted: addressed by org code
        dict(good),  # 4 duplicate of 0 (same source_ref and body)
        {**good, "result": "fail", "failed_items": ["标签"]},  # 5 rejected: conflict with 0
        {k: v for k, v in item(PANJIN, "incident").items() if k != "code"},  # 6 rejected: no code
        5,  # 7 rejected: not an object
        item(PANJIN, "penalty", penalty_types=["fine"]),  # 8 rejected: fine without amount
        item(WRONG_CHECK, "complaint"),  # 9 rejected: bad check character
        item(PANJIN_2, "licence"),  # 10 accepted
    ]


async def test_mixed_batch_keeps_the_valid_items(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    await ensure_enterprise(client, national.headers, PANJIN)
    await ensure_enterprise(client, national.headers, PANJIN_2)
    r = await client.post(URL, json={"records": _mixed()}, headers=national.headers)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["received"] == 11
    assert (out["accepted"], out["duplicates"]) == (3, 1)
    rejected = {x["index"]: x for x in out["rejected"]}
    assert sorted(rejected) == [1, 2, 5, 6, 7, 8, 9]
    rules = {i: [(e["field"], e["rule"]) for e in x["errors"]] for i, x in rejected.items()}
    assert rules[1] == [("level", "literal_error")]
    assert rules[2] == [("code", "unknown-enterprise")]
    assert rules[5] == [("source_ref", "source-ref-conflict")]
    assert "item 0 of this batch" in rejected[5]["errors"][0]["message"]
    assert rules[6] == [("code", "missing")]
    assert rules[7] == [("item", "object_type")]
    assert rules[8] == [("fine_amount", "fine-amount-required")]
    assert rules[9][0] == ("code", "uscc_check")
    assert rejected[1]["source_ref"].startswith("inspection-")
    ids = out["ids"]
    assert len(ids) == 11
    assert all(ids[i] is None for i in rejected)
    assert ids[4] == ids[0] and out["duplicate_indexes"] == [4]
    assert len({ids[0], ids[3], ids[10]}) == 3
    # exactly what the response says was kept is stored
    assert await _count(client, national.headers, PANJIN) == 1
    assert await _count(client, national.headers, PANJIN_2) == 2
    got = (await client.get(f"/v1/records/{ids[3]}", headers=national.headers)).json()
    assert got["code"] == PANJIN_2 and got["kind"] == "penalty"
    # the class was re-graded in the same request
    ent = (await client.get(f"/v1/enterprises/{PANJIN}", headers=national.headers)).json()
    assert ent["classification"]["grade"] == "A"


async def test_retried_batch_stores_nothing_twice(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    await ensure_enterprise(client, national.headers, PANJIN)
    await ensure_enterprise(client, national.headers, PANJIN_2)
    items = _mixed()
    first = (await client.post(URL, json={"records": items}, headers=national.headers)).json()
    again = (await client.post(URL, json={"records": items}, headers=national.headers)).json()
    assert again["accepted"] == 0
    assert again["duplicates"] == first["accepted"] + first["duplicates"]
    assert again["ids"] == first["ids"]
    assert [x["index"] for x in again["rejected"]] == [x["index"] for x in first["rejected"]]
    assert await _count(client, national.headers, PANJIN) == 1
    assert await _count(client, national.headers, PANJIN_2) == 2


async def test_concurrent_retry_after_timeout_gives_no_duplicates(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    """A client that times out and re-sends while the first request still runs: both
    answer with the same ids and each record exists once."""
    await ensure_enterprise(client, national.headers, PANJIN)
    items = [
        item(PANJIN, "complaint", occurred_on=f"2026-0{1 + i % 5}-1{i % 9}") for i in range(300)
    ]
    a, b = await asyncio.gather(
        client.post(URL, json={"records": items}, headers=national.headers),
        client.post(URL, json={"records": items}, headers=national.headers),
    )
    assert (a.status_code, b.status_code) == (200, 200), (a.text, b.text)
    outs = [a.json(), b.json()]
    assert sorted(o["accepted"] for o in outs) == [0, 300]
    assert sorted(o["duplicates"] for o in outs) == [0, 300]
    assert outs[0]["ids"] == outs[1]["ids"]
    assert await _count(client, national.headers, PANJIN) == 300


async def test_conflict_with_a_stored_record_names_it(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    await ensure_enterprise(client, national.headers)
    stored = (
        await post_record(client, national.headers, PANJIN, "complaint", substantiated=True)
    ).json()
    clash = item(PANJIN, "complaint", source_ref=stored["source_ref"], substantiated=False)
    out = (await client.post(URL, json=[clash], headers=national.headers)).json()
    [rej] = out["rejected"]
    assert rej["errors"] == [
        {
            "field": "substantiated",
            "rule": "source-ref-conflict",
            "message": f"record {stored['id']} has True under this source_ref; "
            "this request sends False",
        }
    ]
    same = item(PANJIN, "complaint", source_ref=stored["source_ref"], substantiated=True)
    out = (await client.post(URL, json=[same], headers=national.headers)).json()
    assert out["ids"] == [stored["id"]] and out["duplicates"] == 1


async def _chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


async def test_ndjson_streamed_across_chunk_boundaries(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    await ensure_enterprise(client, national.headers)
    items = [item(PANJIN, "complaint") for _ in range(5)]
    lines = [orjson.dumps(x) for x in items]
    lines.insert(2, b'{"code": "' + PANJIN.encode() + b'", "kind": "complaint", oops')  # malformed
    lines.insert(4, b"   ")  # blank lines are skipped, not items
    body = b"\r\n".join(lines) + b"\n\n" + orjson.dumps(item(PANJIN, "incident"))  # no final \n
    r = await client.post(
        URL,
        content=_chunks(body, 7),  # lines split mid-way, even mid-character
        headers={**national.headers, "Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["received"], out["accepted"], out["duplicates"]) == (7, 6, 0)
    [bad] = out["rejected"]
    assert (bad["index"], bad["line"]) == (2, 3)
    assert bad["errors"][0]["rule"] == "json_invalid"
    assert out["ids"][2] is None and all(out["ids"][i] for i in (0, 1, 3, 4, 5, 6))
    assert await _count(client, national.headers, PANJIN) == 6
    # the same stream again: all duplicates
    again = await client.post(
        URL, content=body, headers={**national.headers, "Content-Type": "application/x-ndjson"}
    )
    assert again.json()["accepted"] == 0 and again.json()["duplicates"] == 6
    assert again.json()["ids"] == out["ids"]


async def test_in_batch_duplicate_sampling_warning(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    await ensure_enterprise(client, national.headers)
    a = item(PANJIN, "inspection", occurred_on="2026-01-10")
    b = item(PANJIN, "inspection", occurred_on="2026-05-10")
    c = item(PANJIN, "inspection", occurred_on="2026-05-10", product_category="cement")
    out = (await client.post(URL, json={"records": [a, b, c]}, headers=national.headers)).json()
    assert out["accepted"] == 3
    warned = {w["index"]: w for w in out["warnings"]}
    assert set(warned) == {0, 1}
    assert warned[1]["rule"] == "order18-art8-duplicate-sampling"
    assert warned[1]["record_ids"] == [out["ids"][0]]


async def test_duplicate_sampling_against_stored_inspections(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    """Order 18 Art.8 against inspections stored before the batch: 6 months run to the same
    day (Nov 30 -> May 30), a day later is no duplicate though the query's window holds it;
    a lower authority re-sampling within 6 months after a higher one is one too."""
    await ensure_enterprise(client, national.headers)
    stored = item(PANJIN, "inspection", occurred_on="2025-11-30", level="national")
    first = (await client.post(URL, json={"records": [stored]}, headers=national.headers)).json()
    assert first["accepted"] == 1 and first["warnings"] == []
    same_day = item(PANJIN, "inspection", occurred_on="2026-05-30", level="national")
    day_after = item(PANJIN, "inspection", occurred_on="2026-05-31", level="national")
    lower = item(PANJIN, "inspection", occurred_on="2026-04-01", level="county")
    other_product = item(
        PANJIN, "inspection", occurred_on="2026-05-30", level="national", product_category="toy"
    )
    out = (
        await client.post(
            URL,
            content=b"".join(
                orjson.dumps(x) + b"\n" for x in (same_day, day_after, lower, other_product)
            ),
            headers={**national.headers, "Content-Type": "application/x-ndjson"},
        )
    ).json()
    assert out["accepted"] == 4
    warned = {w["index"]: w["record_ids"] for w in out["warnings"]}
    old, ids = first["ids"][0], out["ids"]
    # same_day and day_after are a day apart: each other's duplicates, in the same batch
    assert warned == {0: [old, ids[1]], 1: [ids[0]], 2: [old]}


async def test_batch_request_errors(
    client: httpx.AsyncClient, national: AgencyKey, make_agency: MakeAgency
) -> None:
    await ensure_enterprise(client, national.headers)
    await ensure_enterprise(client, national.headers, SHENYANG)
    r = await client.post(URL, json={"records": [{}] * 100_001}, headers=national.headers)
    assert r.status_code == 413 and r.json()["rule"] == "max-batch-items"
    r = await client.post(
        URL, content=b"<xml/>", headers={**national.headers, "Content-Type": "application/xml"}
    )
    assert r.status_code == 415
    r = await client.post(
        URL, content=b"{oops", headers={**national.headers, "Content-Type": "application/json"}
    )
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    r = await client.post(URL, json={"records": 5}, headers=national.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "records"
    r = await client.post(URL, json={"records": []}, headers=national.headers)
    assert r.json() == {
        "received": 0,
        "accepted": 0,
        "duplicates": 0,
        "rejected": [],
        "ids": [],
        "duplicate_indexes": [],
        "warnings": [],
    }
    reader = await make_agency("national", "", frozenset({"records:read"}))
    r = await client.post(URL, json={"records": []}, headers=reader.headers)
    assert r.status_code == 403
    city = await make_agency("prefecture", "2111")
    out = (
        await client.post(
            URL,
            json={"records": [item(PANJIN, "complaint"), item(SHENYANG, "complaint")]},
            headers=city.headers,
        )
    ).json()
    assert out["accepted"] == 1
    assert out["rejected"][0]["index"] == 1
    assert out["rejected"][0]["errors"][0]["rule"] == "jurisdiction"


# -- qcredit import --------------------------------------------------------------------------


async def _register(url: str, codes: list[str], agency_id: int) -> None:
    from service.credit.codes import parse_code
    from service.models import utcnow
    from service.schemas import EnterpriseIn
    from service.store import enterprises, ledger

    db = Database(Settings(database_url=url))
    try:
        async with db.session(write=True) as session:
            for code in codes:
                body = EnterpriseIn(name=f"导入企业{code[-4:]}有限公司", products=["dairy"])
                await enterprises.upsert(
                    session, parse_code(code), body, agency_id=agency_id, now=utcnow()
                )
            await ledger.commit(session)
    finally:
        await db.dispose()


def test_cli_import_ndjson_and_csv(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QCREDIT_DATABASE_URL", database_url)
    runner = CliRunner()
    made = runner.invoke(
        cli_app, ["agency", "create", "--name", "导入机构", "--level", "national", "--json"]
    )
    assert made.exit_code == 0, made.output
    agency_id = json.loads(made.stdout.strip().splitlines()[-1])["id"]
    asyncio.run(_register(database_url, [PANJIN, PANJIN_2], agency_id))

    nd = tmp_path / "records.ndjson"
    items = [
        item(PANJIN, "inspection"),
        item(PANJIN_2, "penalty"),
        item(PANJIN, "recall", mode="x"),
    ]
    nd.write_bytes(b"\n".join(orjson.dumps(x) for x in items) + b"\n")
    args = ["import", str(nd), "--agency-id", str(agency_id), "--chunk", "2"]
    first = runner.invoke(cli_app, args)
    assert first.exit_code == 1, first.output  # one item rejected
    again = runner.invoke(cli_app, [*args, "--rejects", str(tmp_path / "rej.ndjson")])
    assert again.exit_code == 1
    [rej] = [json.loads(line) for line in (tmp_path / "rej.ndjson").read_text().splitlines()]
    assert rej["index"] == 2 and rej["line"] == 3
    assert (rej["errors"][0]["field"], rej["errors"][0]["rule"]) == ("mode", "literal_error")

    csv_file = tmp_path / "records.csv"
    csv_file.write_text(
        "code,kind,source_ref,occurred_on,decision_number,penalty_types,fine_amount,heavier\n"
        f"{PANJIN},penalty,CSV-1,2026-03-01,盘市监罚〔2026〕7号,fine|suspension,50000,true\n"
        f"{PANJIN_2},complaint,CSV-2,2026-03-02,,,,\n",
        encoding="utf-8",
    )
    rej_csv = tmp_path / "rej-csv.ndjson"
    done = runner.invoke(
        cli_app, ["import", str(csv_file), "--agency-id", str(agency_id), "--rejects", str(rej_csv)]
    )
    assert done.exit_code == 1, done.output
    [rej] = [json.loads(line) for line in rej_csv.read_text().splitlines()]
    assert (rej["index"], rej["line"]) == (1, 3)  # the complaint lacks `substantiated`
    assert (rej["errors"][0]["field"], rej["errors"][0]["rule"]) == ("substantiated", "missing")

    async def stored() -> list[tuple[str, str, Any]]:
        from sqlalchemy import select

        from service.models import CreditRecord

        db = Database(Settings(database_url=database_url))
        try:
            async with db.session(write=False) as session:
                rows = await session.execute(
                    select(CreditRecord.source_ref, CreditRecord.kind, CreditRecord.data)  # type: ignore[call-overload]
                )
                return [tuple(r) for r in rows]
        finally:
            await db.dispose()

    rows = asyncio.run(stored())
    assert sorted(r[1] for r in rows) == ["inspection", "penalty", "penalty"]
    csv_row = next(r for r in rows if r[0] == "CSV-1")
    assert csv_row[2]["penalty_types"] == ["fine", "suspension"]
    assert csv_row[2]["fine_amount"] == 50000 and csv_row[2]["heavier"] is True
