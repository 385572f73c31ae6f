"""Blacklist candidates (Order 44 Art.10(3) refused sampling, a new chain after an earlier
listing) and loading history (`proposed_on`, `qcredit import-listings`), on SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import orjson

from service.cli.listings import run_import_listings
from service.clock import FixedClock
from service.settings import Settings
from tests.api._blacklist import (
    T0,
    code,
    enterprise,
    listed,
    penalty,
    proposal,
    propose,
    set_day,
    step,
)


async def candidates(client: httpx.AsyncClient, h: dict[str, str]) -> dict[str, Any]:
    r = await client.get("/v1/blacklist/candidates", headers=h)
    assert r.status_code == 200, r.text
    return {i["code"]: i for i in r.json()["items"]}


async def record(client: httpx.AsyncClient, h: dict[str, str], uscc: str, **body: Any) -> int:
    r = await client.post(f"/v1/enterprises/{uscc}/records", json=body, headers=h)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


# -- item 12: candidates ---------------------------------------------------------------------


async def test_refused_sampling_is_a_candidate(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    uscc = code(501)
    await enterprise(client, h, uscc)
    rid = await record(
        client,
        h,
        uscc,
        kind="inspection",
        source_ref="RF1",
        occurred_on="2026-05-20",
        product_category="dairy",
        level="provincial",
        refused=True,
    )
    item = (await candidates(client, h))[uscc]
    assert item["record_ids"] == [rid]
    [trigger] = item["triggers"]
    assert (trigger["rule"], trigger["article"]) == (
        "order44-art10-sampling-refused",
        "Order 44 Art.10(3)",
    )


async def test_a_new_chain_after_an_expired_listing_is_a_candidate_again(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(502)
    recall = {"kind": "recall", "mode": "ordered", "refused_or_delayed": True}
    await enterprise(client, h, uscc)
    old = await record(client, h, uscc, source_ref="RC1", occurred_on="2026-05-10", **recall)
    assert uscc in await candidates(client, h)
    await listed(client, h, uscc, "CH1")
    assert uscc not in await candidates(client, h)  # in force
    set_day(clock, date(2029, 6, 15))  # expired (Art.21): the old chain stays settled
    assert uscc not in await candidates(client, h)
    set_day(clock, date(2029, 7, 1))
    new = await record(client, h, uscc, source_ref="RC2", occurred_on="2029-06-20", **recall)
    item = (await candidates(client, h))[uscc]
    assert item["record_ids"] == [new]
    assert old not in item["record_ids"]


async def test_a_new_chain_after_a_repair_removal_is_a_candidate_again(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(503)
    entry = await listed(client, h, uscc, "CH2")
    set_day(clock, date(2027, 6, 16))
    await step(client, h, entry["id"], "remove", {"removed_on": "2027-06-16", "reason": "repaired"})
    # A chain from before the listing date is settled; one on the day after it is new.
    before = {"kind": "inspection", "product_category": "dairy", "level": "provincial"}
    await record(
        client, h, uscc, source_ref="RF2", occurred_on="2026-06-15", refused=True, **before
    )
    assert uscc not in await candidates(client, h)
    rid = await record(
        client, h, uscc, source_ref="RF3", occurred_on="2026-06-16", refused=True, **before
    )
    assert (await candidates(client, h))[uscc]["record_ids"] == [rid]


# -- item 14: history can be loaded ----------------------------------------------------------


async def test_a_2022_listing_recorded_with_its_dates_reads_expired(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    uscc = code(504)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "H1", occurred_on=date(2022, 1, 10))
    r = await client.post(
        "/v1/blacklist", json=proposal(uscc, pid, proposed_on="2026-06-16"), headers=h
    )
    assert r.status_code == 409, r.text
    assert r.json()["rule"] == "date-in-future"
    assert r.json()["errors"][0]["field"] == "proposed_on"
    entry = await propose(client, h, uscc, pid, proposed_on="2022-03-01")
    assert entry["proposed_on"] == "2022-03-01"
    eid = entry["id"]
    await step(client, h, eid, "notify", {"notified_on": "2022-03-02"})
    await step(client, h, eid, "list", {"decided_on": "2022-03-15"})
    out = await step(client, h, eid, "publish", {"published_on": "2022-03-20"})
    assert (out["status"], out["removal_reason"], out["removed_on"]) == (
        "removed",
        "expired",
        "2025-03-15",
    )
    assert [(t["transition"], t["on"]) for t in out["transitions"]] == [
        ("propose", "2022-03-01"),
        ("notify", "2022-03-02"),
        ("list", "2022-03-15"),
        ("publish", "2022-03-20"),
    ]
    assert (await client.get(f"/v1/enterprises/{uscc}", headers=h)).json()["blacklisted"] is False
    # Today is the latest a proposal can carry.
    other = code(505)
    await enterprise(client, h, other)
    pid2 = await penalty(client, h, other, "H2")
    assert (await propose(client, h, other, pid2, proposed_on=T0.isoformat()))["proposed_on"] == (
        T0.isoformat()
    )


def legacy_line(uscc: str, ref: str, **over: Any) -> dict[str, Any]:
    body = proposal(uscc, 0)
    del body["penalty_record_id"]
    return {
        **body,
        "penalty_source_ref": ref,
        "proposed_on": "2022-03-01",
        "notified_on": "2022-03-02",
        "decided_on": "2022-03-15",
        "published_on": "2022-03-20",
        **over,
    }


async def test_import_listings_replays_the_procedure_and_is_idempotent(
    client: httpx.AsyncClient, national: Any, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    h = national.headers
    a, b, c = code(506), code(507), code(508)
    for uscc, ref in ((a, "L-A"), (b, "L-B"), (c, "L-C")):
        await enterprise(client, h, uscc)
        await penalty(client, h, uscc, ref, occurred_on=date(2022, 1, 10))
    lines = [
        orjson.dumps(legacy_line(a, "L-A")),
        orjson.dumps(legacy_line(b, "L-B", removed_on="2023-04-01", removal_reason="repaired")),
        orjson.dumps(legacy_line(c, "NO-SUCH-REF")),
        b"{not json",
        orjson.dumps(legacy_line(c, "L-C", decided_on="2022-03-03")),  # inside the defence window
        orjson.dumps({**legacy_line(c, "L-C"), "proposed_on": "2030-01-01"}),
    ]
    path = tmp_path / "legacy.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")
    seen: list[int] = []

    out = await run_import_listings(
        settings,
        path,
        fmt="ndjson",
        agency_id=national.id,
        approver_id=None,
        clock=clock,
        progress=seen.append,
    )
    assert len(out.created) == 2 and out.existing == []
    assert seen == [1, 2, 3, 4, 5, 6]
    assert [(e.line, e.field, e.rule) for e in out.errors] == [
        (3, "penalty_source_ref", "not-found"),
        (4, None, "json"),
        (5, "decided_on", "order44-art13-defence-window"),
        (6, "proposed_on", "date-in-future"),
    ]
    first, second = out.created
    one = (await client.get(f"/v1/blacklist/{first}", headers=h)).json()
    assert (one["code"], one["status"], one["removal_reason"], one["removed_on"]) == (
        a,
        "removed",
        "expired",
        "2025-03-15",
    )
    two = (await client.get(f"/v1/blacklist/{second}", headers=h)).json()
    assert (two["status"], two["removal_reason"], two["removed_on"]) == (
        "removed",
        "repaired",
        "2023-04-01",
    )
    assert [t["on"] for t in two["transitions"]] == [
        "2022-03-01",
        "2022-03-02",
        "2022-03-15",
        "2022-03-20",
        "2023-04-01",
    ]
    # A failed line left nothing behind.
    listed_c = (await client.get("/v1/blacklist", headers=h)).json()["items"]
    assert c not in {e["code"] for e in listed_c}

    again = await run_import_listings(
        settings, path, fmt="ndjson", agency_id=national.id, approver_id=None, clock=clock
    )
    assert again.created == [] and sorted(again.existing) == sorted(out.created)
    assert len(again.errors) == 4
    assert len((await client.get("/v1/blacklist", headers=h)).json()["items"]) == 2

    # The same list as CSV loads the remaining line once the row is fixed.
    csv_path = tmp_path / "legacy.csv"
    row = legacy_line(c, "L-C", defence_waived="是", decided_on="2022-03-03")
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    out_csv = await run_import_listings(
        settings, csv_path, fmt="csv", agency_id=national.id, approver_id=None, clock=clock
    )
    assert out_csv.errors == [] and len(out_csv.created) == 1
    three = (await client.get(f"/v1/blacklist/{out_csv.created[0]}", headers=h)).json()
    assert (three["decided_on"], three["defence_waived"], three["status"]) == (
        "2022-03-03",
        True,
        "removed",
    )


async def test_import_listings_approval_by_the_next_higher_authority(
    client: httpx.AsyncClient,
    make_agency: Any,
    settings: Settings,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    county = await make_agency("county", "211104", name="大洼区市场监督管理局")
    panjin = await make_agency("prefecture", "2111", name="盘锦市市场监督管理局")
    uscc = code(509, region="211104")
    await enterprise(client, county.headers, uscc)
    await penalty(client, county.headers, uscc, "L-D", occurred_on=date(2022, 1, 10))
    path = tmp_path / "county.ndjson"
    line = legacy_line(uscc, "L-D", approved_on="2022-03-10", published_on=None)
    del line["published_on"]
    path.write_bytes(orjson.dumps(line) + b"\n")
    missing = await run_import_listings(
        settings, path, fmt="ndjson", agency_id=county.id, approver_id=None, clock=clock
    )
    assert [(e.field, e.rule) for e in missing.errors] == [("approver_agency_id", "required")]
    done = await run_import_listings(
        settings, path, fmt="ndjson", agency_id=county.id, approver_id=panjin.id, clock=clock
    )
    assert done.errors == [] and len(done.created) == 1
    entry = (await client.get(f"/v1/blacklist/{done.created[0]}", headers=county.headers)).json()
    assert (entry["approved_on"], entry["approved_by"]) == ("2022-03-10", panjin.id)
