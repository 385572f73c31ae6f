"""The Order 18 follow-up chain on inspections through the API: deadlines at their boundary
days, Art.55 roll-forward on the (loadable) working-day calendar, re-test finality, the
overdue list and the Art.8 duplicate-sampling warning. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from service.clock import FixedClock
from tests.api._records import (
    PANJIN,
    PANJIN_2,
    SHENYANG,
    ensure_enterprise,
    followup,
    post_record,
)
from tests.conftest import AgencyKey, MakeAgency


def at(clock: FixedClock, day: str) -> None:
    d = date.fromisoformat(day)
    clock.at = datetime(d.year, d.month, d.day, 2, 0, tzinfo=UTC)  # 10:00 China time


async def failed(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    notified_on: str,
    code: str = PANJIN,
    **kw: Any,
) -> dict[str, Any]:
    await ensure_enterprise(client, headers, code)
    occurred = kw.pop("occurred_on", "2026-01-05")
    r = await post_record(
        client,
        headers,
        code,
        "inspection",
        result="fail",
        occurred_on=occurred,
        notified_on=notified_on,
        **kw,
    )
    out: dict[str, Any] = r.json()
    return out


async def test_deadlines_on_create(client: httpx.AsyncClient, national: AgencyKey) -> None:
    # notified Mon 2026-03-02: objection 03-17; rectification +60 = Fri 05-01 (Labour Day,
    # off until 05-05) -> Wed 05-06; re-check +75 = Sat 05-16 -> Mon 05-18 (Art.55).
    rec = await failed(client, national.headers, "2026-03-02")
    d = rec["deadlines"]
    assert d["final_result"] == "fail"
    assert d["objection_deadline"] == "2026-03-17"
    assert d["rectification_due"] == "2026-05-06"
    assert d["recheck_deadline"] == "2026-05-18"
    assert d["second_recheck_window"] is None
    assert d["open_steps"] == [
        {
            "step": "recheck",
            "due": "2026-05-18",
            "overdue_days": 28,
            "rule": "order18-art47-recheck-deadline",
        }
    ]
    passed = (
        await post_record(client, national.headers, PANJIN, "inspection", notified_on="2026-03-09")
    ).json()
    assert passed["deadlines"]["objection_deadline"] == "2026-03-24"
    assert passed["deadlines"]["rectification_due"] is None
    assert passed["deadlines"]["open_steps"] == []


async def test_objection_on_day_15_accepted_day_16_rejected(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    """Order 18 Art.36: 15 days from the notice; notified Wed 05-20 -> deadline Thu 06-04."""
    late = await failed(client, national.headers, "2026-05-20")
    r = await followup(client, national.headers, late["id"], "objection", "2026-06-05")
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["rule"] == "order18-art35-objection-deadline"
    assert problem["errors"][0]["field"] == "on"
    assert "2026-06-04" in problem["errors"][0]["message"]
    r = await followup(client, national.headers, late["id"], "objection", "2026-06-04")
    assert r.status_code == 201, r.text
    v2 = r.json()
    assert v2["objection_filed_on"] == "2026-06-04"
    assert (v2["version"], v2["supersedes_id"]) == (2, late["id"])


async def test_deadline_on_saturday_rolls_to_monday(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    """Notified Fri 05-15: day 15 is Sat 05-30, so the objection is due Mon 06-01 (Art.55)."""
    rec = await failed(client, national.headers, "2026-05-15")
    assert rec["deadlines"]["objection_deadline"] == "2026-06-01"
    r = await followup(client, national.headers, rec["id"], "objection", "2026-06-02")
    assert r.status_code == 422 and r.json()["rule"] == "order18-art35-objection-deadline"
    r = await followup(client, national.headers, rec["id"], "objection", "2026-06-01")
    assert r.status_code == 201, r.text


async def test_loaded_calendar_moves_the_deadline(
    client: httpx.AsyncClient, national: AgencyKey, make_agency: MakeAgency
) -> None:
    rec = await failed(client, national.headers, "2026-05-15")
    days = [{"day": "2026-06-01", "working": False, "note": "临时调休"}]
    plain = await make_agency("national", "", frozenset({"records:write", "records:read"}))
    r = await client.put("/v1/calendar", json=days, headers=plain.headers)
    assert r.status_code == 403
    r = await client.put("/v1/calendar", json=days * 2, headers=national.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "duplicate"
    r = await client.put("/v1/calendar", json=days, headers=national.headers)
    assert r.status_code == 200, r.text
    got = (await client.get("/v1/calendar", headers=national.headers)).json()
    assert got["items"] == days
    read = (await client.get(f"/v1/records/{rec['id']}", headers=national.headers)).json()
    assert read["deadlines"]["objection_deadline"] == "2026-06-02"
    r = await followup(client, national.headers, rec["id"], "objection", "2026-06-02")
    assert r.status_code == 201, r.text
    # PUT replaces the set: an empty list restores the official calendar
    assert (await client.put("/v1/calendar", json=[], headers=national.headers)).status_code == 200
    read = (await client.get(f"/v1/records/{r.json()['id']}", headers=national.headers)).json()
    assert read["deadlines"]["objection_deadline"] == "2026-06-01"


async def test_full_chain_to_the_second_recheck(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    rec = await failed(client, national.headers, "2026-01-12")
    steps = [
        ("objection", "2026-01-27", None),  # day 15 exactly
        ("retest", "2026-02-10", "fail"),  # the re-test confirms the failure (final, Art.42)
        ("rectification_order", "2026-02-12", None),
        ("recheck", "2026-04-01", "fail"),
        ("announcement", "2026-04-10", None),
    ]
    current = rec
    for step, on, result in steps:
        r = await followup(client, national.headers, current["id"], step, on, result)
        assert r.status_code == 201, (step, r.text)
        assert r.json()["version"] == current["version"] + 1
        current = r.json()
    d = current["deadlines"]
    assert d["recheck_deadline"] == "2026-04-28"  # from the order: 02-12 + 75
    # Art.48: 60-90 days after the announcement of 04-10
    assert d["second_recheck_window"] == {"opens_on": "2026-06-09", "closes_on": "2026-07-09"}
    assert [s["step"] for s in d["open_steps"]] == ["second_recheck"]
    r = await followup(client, national.headers, current["id"], "recheck2", "2026-06-08", "fail")
    assert r.status_code == 422 and r.json()["rule"] == "order18-art48-second-recheck-window"
    r = await followup(client, national.headers, current["id"], "recheck2", "2026-06-09", "fail")
    assert r.status_code == 201, r.text
    last = r.json()
    assert last["recheck2_result"] == "fail" and last["version"] == 7
    hist = (await client.get(f"/v1/records/{rec['id']}/history", headers=national.headers)).json()
    assert [v["version"] for v in hist["versions"]] == [1, 2, 3, 4, 5, 6, 7]
    assert [v["status"] for v in hist["versions"]] == ["superseded"] * 6 + ["active"]
    assert hist["current_id"] == last["id"]
    grade = (await client.get(f"/v1/enterprises/{PANJIN}", headers=national.headers)).json()
    assert grade["classification"]["grade"] == "C"  # a failed re-check within 24 months


async def test_passing_retest_voids_the_failure(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    rec = await failed(client, national.headers, "2026-05-20", occurred_on="2026-05-11")
    ent = (await client.get(f"/v1/enterprises/{PANJIN}", headers=national.headers)).json()
    assert ent["classification"]["grade"] == "B"
    v2 = (await followup(client, national.headers, rec["id"], "objection", "2026-05-25")).json()
    assert [s["step"] for s in v2["deadlines"]["open_steps"]] == ["retest"]
    r = await followup(client, national.headers, v2["id"], "retest", "2026-06-10", "pass")
    assert r.status_code == 201, r.text
    v3 = r.json()
    assert v3["deadlines"]["final_result"] == "pass"
    assert v3["deadlines"]["rectification_due"] is None
    assert v3["deadlines"]["open_steps"] == []
    ent = (await client.get(f"/v1/enterprises/{PANJIN}", headers=national.headers)).json()
    assert ent["classification"]["grade"] == "A"  # Art.42: a pass on re-test is a pass
    r = await followup(client, national.headers, v3["id"], "recheck", "2026-06-12", "pass")
    assert r.status_code == 422 and r.json()["rule"] == "order18-art47-recheck-not-failed"


async def test_followup_request_rules(client: httpx.AsyncClient, national: AgencyKey) -> None:
    rec = await failed(client, national.headers, "2026-05-20")
    rid = rec["id"]
    r = await followup(client, national.headers, rid, "retest", "2026-06-01")
    assert r.status_code == 422 and r.json()["errors"][0] == {
        "field": "result",
        "rule": "missing",
        "message": "retest needs a result",
    }
    r = await followup(client, national.headers, rid, "objection", "2026-06-01", "pass")
    assert r.status_code == 422 and r.json()["rule"] == "result-not-applicable"
    r = await followup(client, national.headers, rid, "objection", "2026-06-16")
    assert r.status_code == 422 and r.json()["rule"] == "future-date"
    r = await followup(client, national.headers, rid, "objection", "2026-05-19")
    assert r.status_code == 422 and r.json()["rule"] == "order18-art35-objection-before-notice"
    r = await followup(client, national.headers, rid, "appeal", "2026-06-01")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "step"
    r = await followup(client, national.headers, rid, "announcement", "2026-06-01")
    assert r.status_code == 422
    assert r.json()["rule"] == "order18-art48-announcement-without-failed-recheck"

    v2 = (await followup(client, national.headers, rid, "objection", "2026-06-01")).json()
    again = await followup(client, national.headers, rid, "objection", "2026-06-01")
    assert again.status_code == 200 and again.json()["id"] == v2["id"]  # a retry
    r = await followup(client, national.headers, v2["id"], "objection", "2026-06-02")
    assert r.status_code == 409 and r.json()["rule"] == "followup-already-recorded"
    r = await followup(client, national.headers, rid, "retest", "2026-06-10", "fail")
    assert r.status_code == 409 and r.json()["rule"] == "record-superseded"

    pen = (await post_record(client, national.headers, PANJIN, "penalty")).json()
    r = await followup(client, national.headers, pen["id"], "objection", "2026-06-01")
    assert r.status_code == 422 and r.json()["rule"] == "followup-not-inspection"
    r = await followup(client, national.headers, 999999, "objection", "2026-06-01")
    assert r.status_code == 404


async def test_provincial_agency_records_the_announcement(
    client: httpx.AsyncClient, national: AgencyKey, make_agency: MakeAgency
) -> None:
    """Order 18 Art.48: the province announces what a city sampled; any agency whose
    jurisdiction covers the enterprise may add the step, none outside it."""
    rec = await failed(
        client, national.headers, "2026-01-12", recheck_on="2026-03-02", recheck_result="fail"
    )
    hebei = await make_agency("province", "13")
    r = await followup(client, hebei.headers, rec["id"], "announcement", "2026-03-10")
    assert r.status_code == 403 and r.json()["rule"] == "jurisdiction"
    liaoning = await make_agency("province", "21")
    r = await followup(client, liaoning.headers, rec["id"], "announcement", "2026-03-10")
    assert r.status_code == 201, r.text
    assert r.json()["agency_id"] == national.id  # the record stays the sampling agency's


@pytest.mark.parametrize(("day", "overdue"), [("2026-05-18", False), ("2026-05-19", True)])
async def test_overdue_recheck_boundary(
    client: httpx.AsyncClient, national: AgencyKey, clock: FixedClock, day: str, overdue: bool
) -> None:
    """Notified 03-02: the re-check is due Mon 05-18 (Sat 05-16 rolled); late from 05-19."""
    rec = await failed(client, national.headers, "2026-03-02")
    at(clock, day)
    page = (await client.get("/v1/inspections/overdue", headers=national.headers)).json()
    if not overdue:
        assert page["items"] == []
        return
    [item] = page["items"]
    assert item["record_id"] == rec["id"] and item["code"] == PANJIN
    assert item["steps"] == [
        {
            "step": "recheck",
            "due": "2026-05-18",
            "days_overdue": 1,
            "rule": "order18-art47-recheck-deadline",
        }
    ]


async def test_overdue_second_recheck_and_jurisdiction(
    client: httpx.AsyncClient, national: AgencyKey, make_agency: MakeAgency, clock: FixedClock
) -> None:
    # announced 03-06: the second re-check window closes Thu 06-04
    await failed(
        client,
        national.headers,
        "2026-01-12",
        recheck_on="2026-03-02",
        recheck_result="fail",
        announced_on="2026-03-06",
    )
    other = await failed(client, national.headers, "2026-03-02", code=SHENYANG)
    done = await failed(
        client,
        national.headers,
        "2026-03-02",
        code=PANJIN_2,
        recheck_on="2026-04-01",
        recheck_result="pass",
    )
    at(clock, "2026-06-04")
    page = (await client.get("/v1/inspections/overdue", headers=national.headers)).json()
    assert [i["code"] for i in page["items"]] == [SHENYANG]  # Panjin's window still open
    at(clock, "2026-06-05")
    page = (await client.get("/v1/inspections/overdue", headers=national.headers)).json()
    assert {i["code"] for i in page["items"]} == {PANJIN, SHENYANG}
    assert done["id"] not in {i["record_id"] for i in page["items"]}
    panjin_item = next(i for i in page["items"] if i["code"] == PANJIN)
    assert panjin_item["steps"][0]["step"] == "second_recheck"
    assert panjin_item["steps"][0]["due"] == "2026-06-04"

    city = await make_agency("prefecture", "2111", frozenset({"records:read"}))
    mine = (await client.get("/v1/inspections/overdue", headers=city.headers)).json()
    assert [i["code"] for i in mine["items"]] == [PANJIN]
    r = await client.get("/v1/inspections/overdue", params={"region": "21"}, headers=city.headers)
    assert r.status_code == 403 and r.json()["rule"] == "jurisdiction"
    r = await client.get(
        "/v1/inspections/overdue", params={"region": "2101"}, headers=national.headers
    )
    assert [i["record_id"] for i in r.json()["items"]] == [other["id"]]
    first = (
        await client.get("/v1/inspections/overdue", params={"limit": 1}, headers=national.headers)
    ).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = await client.get(
        "/v1/inspections/overdue",
        params={"limit": 1, "cursor": first["next_cursor"]},
        headers=national.headers,
    )
    assert len(rest.json()["items"]) == 1 and rest.json()["next_cursor"] is None
    assert rest.json()["items"][0]["record_id"] != first["items"][0]["record_id"]


@pytest.mark.parametrize(
    ("first", "second", "warned"),
    [
        (("2025-01-15", "provincial"), ("2025-07-15", "provincial"), True),  # last day of 6 months
        (("2025-01-15", "provincial"), ("2025-07-16", "provincial"), False),
        (("2025-07-15", "provincial"), ("2025-01-15", "provincial"), True),  # either order
        (("2025-01-15", "national"), ("2025-03-01", "county"), True),  # lower after higher
        (("2025-01-15", "county"), ("2025-03-01", "national"), False),  # higher after lower
    ],
)
async def test_duplicate_sampling_warning(
    client: httpx.AsyncClient,
    national: AgencyKey,
    first: tuple[str, str],
    second: tuple[str, str],
    warned: bool,
) -> None:
    """Order 18 Art.8: a warning, never a refusal."""
    await ensure_enterprise(client, national.headers)
    a = (
        await post_record(
            client, national.headers, PANJIN, "inspection", occurred_on=first[0], level=first[1]
        )
    ).json()
    assert a["warnings"] == []
    r = await post_record(
        client, national.headers, PANJIN, "inspection", occurred_on=second[0], level=second[1]
    )
    assert r.status_code == 201
    warnings = r.json()["warnings"]
    if warned:
        assert [(w["rule"], w["record_ids"]) for w in warnings] == [
            ("order18-art8-duplicate-sampling", [a["id"]])
        ]
    else:
        assert warnings == []
    other = await post_record(
        client,
        national.headers,
        PANJIN,
        "inspection",
        occurred_on=second[0],
        level=second[1],
        product_category="cement",
    )
    assert other.json()["warnings"] == []  # another product is another sampling
