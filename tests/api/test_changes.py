"""The change feed (outbox) on SQLite and PostgreSQL: every change type, nothing on
rollback, jurisdiction and type filters, and resume-from-seq under concurrent writers."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import APIRouter

from service.credit.codes import make_uscc, parse_code
from service.deps import NowDep, PrincipalDep, SessionDep
from service.errors import ValidationFailed
from service.schemas import EnterpriseIn
from service.store import enterprises
from service.store.sharing import feed
from tests.api._blacklist import listed
from tests.api._records import record_body
from tests.api._sharing import HEBEI, PANJIN, SHENYANG, put_enterprise, read_feed


async def head(app: Any) -> int:
    async with app.state.db.session(write=False) as session:
        return await feed.dataset_version(session)


async def test_enterprise_changes_are_in_the_feed_in_order(
    client: httpx.AsyncClient, national: Any
) -> None:
    await put_enterprise(client, national.headers, PANJIN)
    await put_enterprise(client, national.headers, PANJIN, name="盘锦新名乳业有限公司")
    r = await client.get("/v1/changes", params={"after": 0}, headers=national.headers)
    assert r.status_code == 200
    page = r.json()
    types = [(e["type"], e["code"]) for e in page["events"]]
    # the first registration also stores the first class (no class -> B): grade.changed
    assert types == [
        ("enterprise.created", PANJIN),
        ("grade.changed", PANJIN),
        ("enterprise.updated", PANJIN),
    ]
    assert [e["seq"] for e in page["events"]] == [1, 2, 3]
    assert page["next_after"] == 3
    assert page["dataset_version"] == 3
    first = page["events"][0]
    assert set(first) >= {"seq", "id", "type", "code", "occurred_at", "data"}
    assert first["data"]["region_code"] == "211100"
    assert first["region_code"] == "211100"
    assert page["events"][1]["data"]["from"] is None
    assert page["events"][1]["data"]["to"] == "B"
    assert page["events"][2]["data"]["name"] == "盘锦新名乳业有限公司"
    assert len({e["id"] for e in page["events"]}) == 3

    # resuming from the last seq gives nothing new, and the same position back
    r = await client.get("/v1/changes", params={"after": 3}, headers=national.headers)
    assert r.json() == {"events": [], "next_after": 3, "dataset_version": 3}


async def test_small_pages_walk_every_event_once(client: httpx.AsyncClient, national: Any) -> None:
    for i in range(4):
        await put_enterprise(client, national.headers, make_uscc(f"2000000{i}", region="211100"))
    seen: list[int] = []
    after = 0
    while True:
        r = await client.get(
            "/v1/changes", params={"after": after, "limit": 3}, headers=national.headers
        )
        page = r.json()
        assert len(page["events"]) <= 3
        seen += [e["seq"] for e in page["events"]]
        if page["next_after"] == after:
            break
        after = page["next_after"]
    assert seen == list(range(1, 9))


async def test_types_filter_exact_and_prefix(client: httpx.AsyncClient, national: Any) -> None:
    await put_enterprise(client, national.headers, PANJIN)
    await put_enterprise(client, national.headers, PANJIN, name="改名")
    grades = await read_feed(client, national.headers, types="grade.changed")
    assert [e["type"] for e in grades] == ["grade.changed"]
    ents = await read_feed(client, national.headers, types="enterprise.")
    assert [e["type"] for e in ents] == ["enterprise.created", "enterprise.updated"]
    star = await read_feed(client, national.headers, types="enterprise.*,grade.changed")
    assert len(star) == 3
    # a filtered page that matches nothing still moves the position past what it scanned
    r = await client.get(
        "/v1/changes", params={"after": 0, "types": "blacklist."}, headers=national.headers
    )
    assert r.json()["events"] == []
    assert r.json()["next_after"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": -1}, "after"),
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"types": "Grade Changed"}, "types"),
        ({"types": "grade..changed"}, "types"),
        ({"region": "21a"}, "region"),
    ],
)
async def test_bad_parameters_are_422_problems(
    client: httpx.AsyncClient, national: Any, params: dict[str, Any], field: str
) -> None:
    r = await client.get("/v1/changes", params=params, headers=national.headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == field


async def test_feed_needs_a_key(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/changes")
    assert r.status_code == 401


async def test_regional_agency_sees_its_region_and_catalog_events(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    liaoning = await make_agency("province", "21")
    panjin = await make_agency("prefecture", "2111")
    await put_enterprise(client, national.headers, PANJIN)
    await put_enterprise(client, national.headers, SHENYANG)
    await put_enterprise(client, national.headers, HEBEI)
    r = await client.put(
        "/v1/catalog/dairy",
        json={"name": "乳制品", "name_en": "Dairy", "risk_level": "II"},
        headers=national.headers,
    )
    assert r.status_code == 200, r.text

    def codes(events: list[dict[str, Any]]) -> set[str | None]:
        return {e["code"] for e in events}

    assert codes(await read_feed(client, national.headers)) >= {PANJIN, SHENYANG, HEBEI, None}
    assert codes(await read_feed(client, liaoning.headers)) == {PANJIN, SHENYANG, None}
    assert codes(await read_feed(client, panjin.headers)) == {PANJIN, None}
    # region narrows further; catalog events (no region) concern every region
    assert codes(await read_feed(client, liaoning.headers, region="2111")) == {PANJIN, None}
    assert codes(await read_feed(client, national.headers, region="13")) == {HEBEI, None}
    # a region outside the agency's jurisdiction is refused, not silently emptied
    r = await client.get("/v1/changes", params={"region": "13"}, headers=liaoning.headers)
    assert r.status_code == 403
    assert r.json()["rule"] == "jurisdiction"


async def test_a_failed_request_leaves_no_event(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    """A write followed by an error in the same request: the transaction rolls back and the
    queued event and audit entry go with it."""
    router = APIRouter()

    @router.post("/v1/_test/write-then-fail")
    async def write_then_fail(session: SessionDep, principal: PrincipalDep, now: NowDep) -> None:
        await enterprises.upsert(
            session,
            parse_code(PANJIN),
            EnterpriseIn(name="写入后失败"),
            agency_id=principal.agency_id,
            now=now,
        )
        raise ValidationFailed("refused after the write", rule="late-check")

    app.include_router(router)
    await put_enterprise(client, national.headers, HEBEI)
    before = await head(app)
    r = await client.post("/v1/_test/write-then-fail", headers=national.headers)
    assert r.status_code == 422
    assert r.json()["rule"] == "late-check"
    assert await head(app) == before
    assert [e["code"] for e in await read_feed(client, national.headers)] == [HEBEI, HEBEI]
    r = await client.get(f"/v1/enterprises/{PANJIN}", headers=national.headers)
    assert r.status_code == 404
    # the next successful write takes the next seq: no gap was left behind
    await put_enterprise(client, national.headers, SHENYANG)
    seqs = [e["seq"] for e in await read_feed(client, national.headers)]
    assert seqs == list(range(1, len(seqs) + 1))


async def test_rejected_write_leaves_no_event(client: httpx.AsyncClient, national: Any) -> None:
    r = await client.put(
        f"/v1/enterprises/{PANJIN}",
        json={"name": "x", "products": ["no-such"]},
        headers=national.headers,
    )
    assert r.status_code == 422
    assert await read_feed(client, national.headers) == []


async def test_resume_under_eight_concurrent_writers_is_gap_free(
    app: Any, client: httpx.AsyncClient, national: Any
) -> None:
    """8 writer tasks, each its own HTTP requests through the app, commit concurrently while
    a reader polls with small pages from its last seq: the union it reads is exactly
    1..head, in order, each event once."""
    writers, per_writer = 8, 12
    shared = make_uscc("30000000", region="211100")
    await put_enterprise(client, national.headers, shared)
    done = asyncio.Event()

    async def writer(w: int) -> int:
        puts = 0
        for i in range(per_writer):
            # alternate between an own enterprise and one shared by every writer, so
            # transactions also wait on each other's row locks and commit out of start order
            code = make_uscc(f"4{w:03d}{i:04d}", region="211100") if i % 2 else shared
            await put_enterprise(client, national.headers, code, name=f"写入者 {w} 第 {i} 次")
            puts += 1
        return puts

    async def reader() -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        after = 0
        while True:
            finished = done.is_set()
            r = await client.get(
                "/v1/changes", params={"after": after, "limit": 7}, headers=national.headers
            )
            assert r.status_code == 200
            page = r.json()
            events += page["events"]
            assert page["next_after"] >= after
            if page["next_after"] == after:
                if finished:
                    return events
                await asyncio.sleep(0.005)
            after = page["next_after"]

    reading = asyncio.create_task(reader())
    counts = await asyncio.gather(*(writer(w) for w in range(writers)))
    done.set()
    events = await reading

    seqs = [e["seq"] for e in events]
    assert seqs == list(range(1, await head(app) + 1)), "a gap or a reordering"
    assert len({e["id"] for e in events}) == len(events)
    writes = [e for e in events if e["type"].startswith("enterprise.")]
    assert len(writes) == 1 + sum(counts)


async def test_record_and_blacklist_changes_are_in_the_feed(
    client: httpx.AsyncClient, national: Any
) -> None:
    """Every change type other areas write reaches the feed with its enterprise code."""
    h = national.headers
    supplier = make_uscc("30000001", region="211100")
    entry = await listed(client, h, supplier, "F1")  # penalty record + Order 44 procedure
    complaint = record_body("complaint")
    r = await client.post(f"/v1/enterprises/{supplier}/records", json=complaint, headers=h)
    assert r.status_code == 201, r.text
    r = await client.post(
        f"/v1/records/{r.json()['id']}/corrections",
        json={**complaint, "substantiated": False, "reason": "核查不实"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        f"/v1/records/{r.json()['id']}/status",
        json={"status": "withdrawn", "reason": "录入错误"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        "/v1/records/batch",
        json={"records": [{"code": supplier, **record_body("incident")}]},
        headers=h,
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"/v1/blacklist/{entry['id']}/remove",
        json={"removed_on": "2026-06-15", "reason": "error"},
        headers=h,
    )
    assert r.status_code == 200, r.text

    events = await read_feed(client, h)
    types = [e["type"] for e in events]
    for expected in (
        "enterprise.created",
        "grade.changed",
        "record.created",
        "record.corrected",
        "record.status_changed",
        "blacklist.proposed",
        "blacklist.notified",
        "blacklist.listed",
        "blacklist.published",
        "blacklist.removed",
    ):
        assert expected in types, expected
    assert {e["code"] for e in events} == {supplier}
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    listed_event = next(e for e in events if e["type"] == "blacklist.listed")
    assert listed_event["region_code"] == "211100"
    blacklist_only = await read_feed(client, h, types="blacklist.")
    assert [e["type"] for e in blacklist_only] == [t for t in types if t.startswith("blacklist.")]


async def test_the_maintenance_runner_records_expiries_into_the_feed(
    app: Any, client: httpx.AsyncClient, national: Any, clock: Any
) -> None:
    """Order 44 Art.21: 3 years after listing, the background job records the removal once;
    feed readers see one blacklist.removed (reason expired)."""
    from datetime import UTC, datetime

    from service.jobs.runner import Runner
    from service.jobs.runtime import Runtime

    supplier = make_uscc("30000009", region="211100")
    await listed(client, national.headers, supplier, "X1")  # decided 2026-06-15
    clock.at = datetime(2029, 6, 15, 2, 0, tzinfo=UTC)
    runner = Runner(Runtime(app.state.db, clock, app.state.settings))
    [expiry] = [job for job in runner.jobs if job.name == "blacklist.expiry"]
    await expiry.run(runner.runtime)
    await expiry.run(runner.runtime)  # within the hour: not again (and nothing left anyway)
    removed = await read_feed(client, national.headers, types="blacklist.removed")
    assert len(removed) == 1
    assert removed[0]["code"] == supplier
    assert removed[0]["data"]["transition"] == "expire"
    assert removed[0]["data"]["removal_reason"] == "expired"


async def test_lists_carry_the_dataset_version_a_mirror_resumes_from(
    client: httpx.AsyncClient, national: Any
) -> None:
    """Page a list, then replay /v1/changes after its dataset_version: nothing is missed."""
    first = make_uscc("77700001", region="211100")
    await client.put(
        f"/v1/enterprises/{first}", json={"name": "甲有限公司"}, headers=national.headers
    )
    page = (await client.get("/v1/enterprises", headers=national.headers)).json()
    version = page["dataset_version"]
    feed = (await client.get("/v1/changes", params={"after": 0}, headers=national.headers)).json()
    assert version == feed["events"][-1]["seq"]

    later = make_uscc("77700002", region="211100")
    await client.put(
        f"/v1/enterprises/{later}", json={"name": "乙有限公司"}, headers=national.headers
    )
    replay = (
        await client.get("/v1/changes", params={"after": version}, headers=national.headers)
    ).json()
    assert {e["code"] for e in replay["events"]} == {later}

    r = await client.get(f"/v1/enterprises/{later}/records", headers=national.headers)
    assert int(r.headers["x-dataset-version"]) == replay["events"][-1]["seq"]
    r = await client.get("/public/v1/blacklist")
    assert int(r.headers["x-dataset-version"]) == replay["events"][-1]["seq"]
    r = await client.get("/public/v1/blacklist/export", params={"format": "json"})
    assert r.json()["dataset_version"] == replay["events"][-1]["seq"]


async def test_every_page_of_one_walk_reports_the_version_it_started_at(
    client: httpx.AsyncClient, national: Any
) -> None:
    codes = [make_uscc(f"7780000{i}", region="211100") for i in range(3)]
    for c in codes[:2]:
        await client.put(
            f"/v1/enterprises/{c}", json={"name": "丙有限公司"}, headers=national.headers
        )
    first = (
        await client.get("/v1/enterprises", params={"limit": 1}, headers=national.headers)
    ).json()
    # a write lands between the pages of the walk
    await client.put(
        f"/v1/enterprises/{codes[2]}", json={"name": "丁有限公司"}, headers=national.headers
    )
    second = (
        await client.get(
            "/v1/enterprises",
            params={"limit": 1, "cursor": first["next_cursor"]},
            headers=national.headers,
        )
    ).json()
    assert second["dataset_version"] == first["dataset_version"]
    fresh = (await client.get("/v1/enterprises", headers=national.headers)).json()
    assert fresh["dataset_version"] > first["dataset_version"]
