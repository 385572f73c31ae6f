"""Classification through the API on SQLite and PostgreSQL: grades follow the dossier,
every change is history, point-in-time reads (as_of, known_at) and the time-driven
recompute."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from service.clock import FixedClock
from service.db import driver_of
from service.models import Event
from service.store import ledger
from service.store.grading import regrade as grading
from service.store.recompute import run as recompute
from tests.api._grading import (
    add_record,
    code,
    grade_of,
    inspection,
    penalty,
    put_enterprise,
    refused,
    set_status,
)

E = code(1)


def _url(uscc: str, tail: str = "") -> str:
    return f"/v1/enterprises/{uscc}/classification{tail}"


async def test_grade_follows_records_and_overturn(client: httpx.AsyncClient, national: Any) -> None:
    await put_enterprise(client, national.headers, E)
    assert await grade_of(client, national.headers, E) == "B"  # never sampled

    passed = await add_record(client, national.headers, E, inspection("P1", "2026-03-02"))
    r = await client.get(_url(E), headers=national.headers)
    data = r.json()
    assert data["grade"] == "A"
    assert data["ruleset"] == "aqsiq-2012-v1" and data["as_of"] == "2026-06-15"
    [reason] = data["reasons"]
    assert reason["rule"] == "A-recent-pass" and reason["record_ids"] == [passed["id"]]
    assert reason["text"] == "24个月内监督抽查合格1次"
    # dairy is risk I: class A inspects once a year (domain.md §4 table)
    assert data["supervision"]["mode"] == "responsibility"
    assert data["supervision"]["inspections_per_year"] == 1
    assert data["supervision"]["risk_level"] == "I"

    heavy = await add_record(client, national.headers, E, penalty("X1", "2026-05-20", heavier=True))
    data = (await client.get(_url(E), headers=national.headers)).json()
    assert data["grade"] == "C"
    assert [(x["rule"], x["record_ids"]) for x in data["reasons"]] == [
        ("C-heavier-penalty", [heavy["id"]])
    ]
    assert data["supervision"]["inspections_per_year"] == 4
    assert data["supervision"]["key_supervised"] is True

    # 复议撤销: an overturned penalty never counts, the class follows at once
    await set_status(client, national.headers, heavy["id"], "overturned")
    assert await grade_of(client, national.headers, E) == "A"
    # stored grade (list filter) follows too
    r = await client.get("/v1/enterprises", params={"grade": "A"}, headers=national.headers)
    assert [e["code"] for e in r.json()["items"]] == [E]


async def test_history_rows_events_and_pagination(
    client: httpx.AsyncClient, national: Any, app: Any
) -> None:
    await put_enterprise(client, national.headers, E)
    await add_record(client, national.headers, E, inspection("P1", "2026-03-02"))
    fail = await add_record(client, national.headers, E, inspection("F1", "2026-04-02", "fail"))
    r = await client.get(_url(E, "/history"), headers=national.headers)
    assert r.status_code == 200 and r.headers["ETag"]
    items = r.json()["items"]
    assert [(i["from"], i["to"]) for i in items] == [("A", "B"), ("B", "A"), (None, "B")]
    newest = items[0]
    assert newest["ruleset"] == "aqsiq-2012-v1" and newest["as_of"] == "2026-06-15"
    assert newest["trigger"] == "record"
    assert [x["rule"] for x in newest["reasons"]] == ["B-one-failure"]
    assert newest["reasons"][0]["record_ids"] == [fail["id"]]
    assert r.json()["next_cursor"] is None

    page1 = (
        await client.get(_url(E, "/history"), params={"limit": 2}, headers=national.headers)
    ).json()
    assert len(page1["items"]) == 2 and page1["next_cursor"]
    page2 = (
        await client.get(
            _url(E, "/history"),
            params={"limit": 2, "cursor": page1["next_cursor"]},
            headers=national.headers,
        )
    ).json()
    assert [(i["from"], i["to"]) for i in page2["items"]] == [(None, "B")]
    assert page2["next_cursor"] is None

    # every change was also published on the change feed
    async with app.state.db.session(write=False) as session:
        events = (
            await session.execute(select(Event).where(Event.type == "grade.changed"))
        ).scalars()
        changes = [(e.data["from"], e.data["to"]) for e in events if e.code == E]
    assert changes == [(None, "B"), ("B", "A"), ("A", "B")]

    for cursor in ("!!", "InBhZ2Ui"):  # not base64 JSON / a JSON string, not an id
        r = await client.get(
            _url(E, "/history"), params={"cursor": cursor}, headers=national.headers
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "cursor"
    r = await client.get(_url(code(2), "/history"), headers=national.headers)
    assert r.status_code == 404


async def test_as_of_uses_records_occurred_by_then(
    client: httpx.AsyncClient, national: Any
) -> None:
    await put_enterprise(client, national.headers, E)
    await add_record(client, national.headers, E, inspection("P1", "2026-03-02"))
    await add_record(client, national.headers, E, inspection("F1", "2026-04-02", "fail"))
    assert await grade_of(client, national.headers, E) == "B"
    assert await grade_of(client, national.headers, E, as_of="2026-04-01") == "A"
    assert await grade_of(client, national.headers, E, as_of="2026-03-01") == "B"
    r = await client.get(_url(E), params={"as_of": "2026-04-01"}, headers=national.headers)
    assert r.json()["as_of"] == "2026-04-01" and r.headers["ETag"]
    # the failure ages out of its 24-month window: 2028-04-02 is the last day it counts
    # (the pass too, so the class falls back to "no recent pass" = B either way)
    r = await client.get(_url(E), params={"as_of": "2026-06-15"}, headers=national.headers)
    assert r.json()["grade"] == "B"


@pytest.mark.parametrize(
    ("value", "rule"),
    [("2026-06-16", "future"), ("2026-13-01", "date_from_datetime_parsing"), ("x", None)],
)
async def test_bad_as_of_is_422(
    client: httpx.AsyncClient, national: Any, value: str, rule: str | None
) -> None:
    await put_enterprise(client, national.headers, E)
    r = await client.get(_url(E), params={"as_of": value}, headers=national.headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    [err] = r.json()["errors"]
    assert err["field"] == "as_of"
    if rule == "future":
        assert err["rule"] == "future"


async def test_known_at_replays_what_was_known(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    clock.at = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    await put_enterprise(client, national.headers, E)
    await add_record(client, national.headers, E, inspection("P1", "2026-03-02"))
    clock.at = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
    # recorded on 10 June, although the penalty was decided in May
    heavy = await add_record(client, national.headers, E, penalty("X1", "2026-05-20", heavier=True))
    clock.at = datetime(2026, 6, 14, 2, 0, tzinfo=UTC)
    await set_status(client, national.headers, heavy["id"], "overturned")
    clock.at = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)

    assert await grade_of(client, national.headers, E) == "A"
    # before 10 June the registry did not know the penalty; as_of defaults to that day
    r = await client.get(
        _url(E), params={"known_at": "2026-06-05T00:00:00Z"}, headers=national.headers
    )
    data = r.json()
    assert (data["grade"], data["as_of"], data["known_at"]) == (
        "A",
        "2026-06-05",
        "2026-06-05T00:00:00Z",
    )
    # between 10 and 14 June it knew the penalty and not yet the overturn
    params = {"known_at": "2026-06-12T08:00:00+08:00", "as_of": "2026-06-12"}
    r = await client.get(_url(E), params=params, headers=national.headers)
    assert r.json()["grade"] == "C"
    assert r.json()["reasons"][0]["record_ids"] == [heavy["id"]]
    # what happened by 12 June as known today: the overturn counts
    assert await grade_of(client, national.headers, E, as_of="2026-06-12") == "A"
    # before anything was recorded
    assert await grade_of(client, national.headers, E, known_at="2026-05-01T00:00:00Z") == "B"

    for value, rule in (
        ("2026-06-16T00:00:00Z", "future"),
        ("2026-06-01T00:00:00", "timezone"),
    ):
        r = await client.get(_url(E), params={"known_at": value}, headers=national.headers)
        assert r.status_code == 422
        assert r.json()["errors"][0] == {
            "field": "known_at",
            "rule": rule,
            "message": r.json()["errors"][0]["message"],
        }


async def test_recompute_applies_the_passing_of_time(
    client: httpx.AsyncClient, national: Any, app: Any, clock: FixedClock
) -> None:
    other = code(2)
    await put_enterprise(client, national.headers, E)
    await put_enterprise(client, national.headers, other)
    await add_record(client, national.headers, E, inspection("P1", "2026-06-01"))
    await add_record(client, national.headers, E, inspection("F1", "2025-01-10", "fail"))
    assert await grade_of(client, national.headers, E) == "B"

    db = app.state.db
    seen: list[tuple[int, int]] = []
    summary = await recompute.recompute(
        db, today=date(2026, 6, 15), progress=lambda d, t: seen.append((d, t))
    )
    # nothing changed with time yet: nothing is written
    assert (summary.enterprises, summary.changed, summary.written) == (2, 0, 0)
    assert seen == [(2, 2)]

    # 24 months after 2025-01-10 the failure no longer counts (window start 2025-01-11)
    clock.at = datetime(2027, 1, 11, 2, 0, tzinfo=UTC)
    summary = await recompute.recompute(db, today=date(2027, 1, 11), chunk_size=1)
    assert (summary.enterprises, summary.changed, summary.chunks) == (2, 1, 2)
    # the never-sampled one keeps B; its reasons text is unchanged, so it is not rewritten
    assert summary.written == 1
    r = await client.get("/v1/enterprises", params={"grade": "A"}, headers=national.headers)
    assert [e["code"] for e in r.json()["items"]] == [E]
    latest = (await client.get(_url(E, "/history"), headers=national.headers)).json()["items"][0]
    assert (latest["from"], latest["to"], latest["trigger"], latest["as_of"]) == (
        "B",
        "A",
        "recompute",
        "2027-01-11",
    )
    # running it again the same day is a no-op
    again = await recompute.recompute(db, today=date(2027, 1, 11))
    assert (again.changed, again.written) == (0, 0)

    # a regional run touches only that region
    r = await recompute.recompute(db, today=date(2027, 1, 11), region="13")
    assert r.enterprises == 0


async def test_recompute_keeps_a_concurrent_writers_newer_result(
    client: httpx.AsyncClient, national: Any, app: Any, database_url: str, monkeypatch: Any
) -> None:
    """PostgreSQL: a chunk never overwrites a row re-graded after the chunk read it."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite chunks hold the write lock; no writer can interleave")
    await put_enterprise(client, national.headers, E)
    await add_record(client, national.headers, E, inspection("F1", "2025-01-10", "fail"))
    await add_record(client, national.headers, E, inspection("P1", "2026-06-01"))
    db = app.state.db
    original_apply = recompute._apply

    async def writer_first(*args: Any, **kw: Any) -> Any:
        # a request re-grades E after the chunk read it and before the chunk writes
        async with db.session(write=True) as session:
            await grading.regrade(session, [E], today=date(2027, 1, 11), trigger="race")
            await ledger.commit(session)
        return await original_apply(*args, **kw)

    monkeypatch.setattr(recompute, "_apply", writer_first)
    summary = await recompute.recompute(db, today=date(2027, 1, 11))
    assert (summary.written, summary.skipped, summary.changed) == (0, 1, 0)
    items = (await client.get(_url(E, "/history"), headers=national.headers)).json()["items"]
    assert [(i["to"], i["trigger"]) for i in items][:1] == [("A", "race")]
    assert sum(1 for i in items if i["from"] == "B" and i["to"] == "A") == 1


async def test_recompute_in_worker_processes(
    client: httpx.AsyncClient, national: Any, app: Any, database_url: str
) -> None:
    """PostgreSQL, `qcredit recompute --workers N`: code ranges re-graded in parallel."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite re-grades in one process")
    codes = [code(n) for n in range(1, 6)]
    for uscc in codes:
        await put_enterprise(client, national.headers, uscc)
    for uscc in codes[:3]:
        await add_record(client, national.headers, uscc, inspection(f"P{uscc}", "2025-01-10"))
    seen: list[tuple[int, int]] = []
    # 24 months after the passes they no longer count: A falls back to B
    summary = await recompute.recompute(
        app.state.db,
        today=date(2027, 1, 11),
        workers=2,
        chunk_size=1,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert (summary.enterprises, summary.chunks, summary.changed) == (5, 5, 3)
    assert seen[-1] == (5, 5)
    r = await client.get("/v1/enterprises", params={"grade": "B"}, headers=national.headers)
    assert sorted(e["code"] for e in r.json()["items"]) == sorted(codes)


async def test_worker_processes_grade_exactly_like_one_process(
    client: httpx.AsyncClient, national: Any, app: Any, database_url: str
) -> None:
    """PostgreSQL: from the same state, `--workers 3` writes the same classes, history and
    enterprise grades as one process, byte for byte."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite re-grades in one process")
    codes = [code(n) for n in range(30, 42)]
    for i, uscc in enumerate(codes):
        await put_enterprise(client, national.headers, uscc)
        if i % 4 != 3:
            await add_record(client, national.headers, uscc, inspection(f"p{i}", "2025-02-01"))
        if i % 3 == 0:
            await add_record(
                client, national.headers, uscc, inspection(f"f{i}", "2025-01-10", "fail")
            )
        if i % 5 == 1:
            await add_record(client, national.headers, uscc, penalty(f"x{i}", "2026-05-01"))
        if i % 6 == 2:
            await add_record(client, national.headers, uscc, refused(f"r{i}", "2026-04-01"))
    db = app.state.db
    at = datetime(2027, 1, 11, 2, tzinfo=UTC)

    async def from_scratch(workers: int) -> tuple[recompute.RecomputeSummary, list[Any]]:
        async with db.session(write=True) as session:
            pg = await driver_of(session)
            await pg.execute("DELETE FROM grade_change")
            await pg.execute("DELETE FROM classification")
            await pg.execute("UPDATE enterprise SET grade = NULL")
            await session.commit()
        summary = await recompute.recompute(
            db, today=date(2027, 1, 11), workers=workers, chunk_size=2, now=at
        )
        async with db.session(write=False) as session:
            pg = await driver_of(session)
            state = [
                await pg.fetch(
                    "SELECT code, grade, ruleset, as_of, reasons::text, supervision::text, "
                    "computed_at FROM classification ORDER BY code"
                ),
                await pg.fetch(
                    "SELECT code, from_grade, to_grade, at, as_of, ruleset, trigger, "
                    "reasons::text FROM grade_change ORDER BY code"
                ),
                await pg.fetch("SELECT code, grade FROM enterprise ORDER BY code"),
            ]
        return summary, [[tuple(r) for r in rows] for rows in state]

    one, alone = await from_scratch(1)
    three, parallel = await from_scratch(3)
    assert (one.processes, three.processes) == (1, 3)
    assert one.changed == three.changed == len(codes)
    assert len({row[1] for row in alone[0]}) > 1  # more than one grade among them
    assert parallel == alone
