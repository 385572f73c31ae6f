"""Order 44 fidelity through the agency and public API, on SQLite and PostgreSQL: Art.19 in
every state, what an Art.20 restoration keeps, Art.22's next higher authority, Art.12/13 at
proposal time, Art.18's public removal record, and the Art.14/17/18 deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from service.clock import FixedClock
from service.credit.deadlines import DEFAULT_CALENDAR
from tests.api._blacklist import (
    DAWA,
    REMOVAL_KEYS,
    SHENYANG,
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
from tests.api._records import ensure_enterprise

REPAIR_DAY = date(2027, 6, 16)  # a year and a day after T0
RESTORE_DAY = date(2027, 7, 1)


def problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return dict(r.json())


async def get(client: httpx.AsyncClient, h: dict[str, str], eid: int) -> dict[str, Any]:
    r = await client.get(f"/v1/blacklist/{eid}", headers=h)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def set_status(
    client: httpx.AsyncClient, h: dict[str, str], record_id: int, status: str
) -> None:
    r = await client.post(
        f"/v1/records/{record_id}/status",
        json={"status": status, "reason": "行政复议决定撤销"},
        headers=h,
    )
    assert r.status_code == 200, r.text


async def repaired(
    client: httpx.AsyncClient, h: dict[str, str], clock: FixedClock, n: int, **kw: Any
) -> dict[str, Any]:
    entry = await listed(client, h, code(n), f"R{n}", **kw)
    set_day(clock, REPAIR_DAY)
    await step(
        client,
        h,
        entry["id"],
        "remove",
        {"removed_on": REPAIR_DAY.isoformat(), "reason": "repaired"},
    )
    return entry


# -- item 3: Art.19 in every state ---------------------------------------------------------


async def test_overturn_after_repair_revokes_and_blocks_restore(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await repaired(client, h, clock, 401)
    set_day(clock, date(2027, 6, 20))
    await set_status(client, h, entry["penalty_record_id"], "overturned")
    after = await get(client, h, entry["id"])
    # The listing stopped being in force on the repair day; its ground is now Art.19.
    assert (after["status"], after["removal_reason"], after["removed_on"]) == (
        "removed",
        "overturned",
        REPAIR_DAY.isoformat(),
    )
    assert after["transitions"][-1]["transition"] == "revoke"
    assert after["transitions"][-1]["data"]["previous_reason"] == "repaired"
    assert after["allowed_transitions"] == []
    set_day(clock, RESTORE_DAY)
    r = await client.post(
        f"/v1/blacklist/{entry['id']}/restore",
        json={"restored_on": RESTORE_DAY.isoformat()},
        headers=h,
    )
    assert problem(r, 409)["rule"] == "order44-art20-restore-not-repaired"
    assert (await client.get(f"/v1/enterprises/{code(401)}", headers=h)).json()[
        "blacklisted"
    ] is False
    pub = (await client.get(f"/public/v1/blacklist/{code(401)}")).json()
    assert [(e["status"], e["removal_reason"]) for e in pub["entries"]] == [
        ("removed", "overturned")
    ]
    # Offline mirrors see the changed ground in the delta of the day it changed.
    delta = await client.get(
        "/public/v1/blacklist/export", params={"since": "2027-06-20", "format": "json"}
    )
    assert [(e["code"], e["removal_reason"]) for e in delta.json()["items"]] == [
        (code(401), "overturned")
    ]


async def test_withdrawn_penalty_revokes_a_listing(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    entry = await listed(client, h, code(402), "W1")
    await set_status(client, h, entry["penalty_record_id"], "withdrawn")
    after = await get(client, h, entry["id"])
    assert (after["status"], after["removal_reason"], after["removed_on"]) == (
        "removed",
        "overturned",
        T0.isoformat(),
    )


async def test_overturn_after_expiry_changes_the_ground(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(403), "X1")
    set_day(clock, date(2029, 7, 1))  # expired on 2029-06-15, no job has run
    await set_status(client, h, entry["penalty_record_id"], "overturned")
    after = await get(client, h, entry["id"])
    assert (after["status"], after["removal_reason"], after["removed_on"]) == (
        "removed",
        "overturned",
        "2029-06-15",
    )


# -- item 4: Art.20 restore keeps publication, restriction and past grades ------------------


async def test_restore_stays_published_with_removal_history(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(404)
    entry = await repaired(client, h, clock, 404)
    set_day(clock, RESTORE_DAY)
    out = await step(client, h, entry["id"], "restore", {"restored_on": RESTORE_DAY.isoformat()})
    assert out["published_on"] == T0.isoformat()
    assert out["publication_overdue"] is False
    assert "publish" not in out["allowed_transitions"]
    assert out["undone_removals"] == [
        {
            "removed_on": REPAIR_DAY.isoformat(),
            "reason": "repaired",
            "restored_on": RESTORE_DAY.isoformat(),
            "authority": "national CN",
        }
    ]
    pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
    assert pub["listed"] is True
    assert [(e["status"], e["removed_on"]) for e in pub["entries"]] == [
        ("listed", None),
        ("removed", REPAIR_DAY.isoformat()),
    ]
    assert set(pub["entries"][1]) == REMOVAL_KEYS
    assert pub["entries"][1]["removal_reason"] == "repaired"
    listed_now = (await client.get("/public/v1/blacklist", params={"status": "listed"})).json()
    assert [e["code"] for e in listed_now["items"]] == [uscc]
    # The portal's page shows the listing and, below it, the earlier removal record.
    page = await client.get(f"/blacklist/{uscc}")
    assert page.status_code == 200
    assert "该企业目前在严重违法失信名单中" in page.text
    assert "信用修复提前移出" in page.text and "移出决定机关" in page.text
    # Long after: publication overdue never fires for the restored entry.
    set_day(clock, date(2027, 9, 1))
    assert (await get(client, h, entry["id"]))["publication_overdue"] is False


async def test_restore_keeps_a_longer_statutory_restriction(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(405)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "S1")
    entry = await propose(client, h, uscc, pid)
    await step(client, h, entry["id"], "notify", {"notified_on": T0.isoformat()})
    out = await step(
        client,
        h,
        entry["id"],
        "list",
        {"decided_on": T0.isoformat(), "defence_waived": True, "restricted_until": "2031-01-01"},
    )
    assert out["expires_on"] == "2031-01-01"
    set_day(clock, REPAIR_DAY)
    await step(
        client,
        h,
        entry["id"],
        "remove",
        {"removed_on": REPAIR_DAY.isoformat(), "reason": "repaired"},
    )
    set_day(clock, RESTORE_DAY)
    out = await step(client, h, entry["id"], "restore", {"restored_on": RESTORE_DAY.isoformat()})
    assert out["restricted_until"] == "2031-01-01"
    assert out["expires_on"] == "2031-01-01"  # not 2030-07-01 (Art.21)
    set_day(clock, date(2030, 12, 31))
    assert (await get(client, h, entry["id"]))["status"] == "listed"
    set_day(clock, date(2031, 1, 1))
    assert (await get(client, h, entry["id"]))["removal_reason"] == "expired"


async def _rules(client: httpx.AsyncClient, h: dict[str, str], uscc: str, as_of: date) -> set[str]:
    r = await client.get(
        f"/v1/enterprises/{uscc}/classification", params={"as_of": as_of.isoformat()}, headers=h
    )
    assert r.status_code == 200, r.text
    return {reason["rule"] for reason in r.json()["reasons"]}


async def test_restore_does_not_rewrite_grades_before_it(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(406)
    entry = await repaired(client, h, clock, 406)
    in_gap = date(2027, 6, 20)
    set_day(clock, in_gap)
    assert "C-active-blacklist" not in await _rules(client, h, uscc, in_gap)
    set_day(clock, RESTORE_DAY)
    await step(client, h, entry["id"], "restore", {"restored_on": RESTORE_DAY.isoformat()})
    assert "C-active-blacklist" in await _rules(client, h, uscc, date(2027, 6, 15))
    assert "C-active-blacklist" not in await _rules(client, h, uscc, REPAIR_DAY)
    assert "C-active-blacklist" not in await _rules(client, h, uscc, in_gap)
    assert "C-active-blacklist" not in await _rules(client, h, uscc, date(2027, 6, 30))
    assert "C-active-blacklist" in await _rules(client, h, uscc, RESTORE_DAY)


# -- item 5: Art.22 the next higher authority ----------------------------------------------


async def test_only_the_next_higher_authority_approves(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    county = await make_agency("county", DAWA, name="大洼区市场监督管理局")
    panjin = await make_agency("prefecture", "2111", name="盘锦市市场监督管理局")
    liaoning = await make_agency("province", "21", name="辽宁省市场监督管理局")
    uscc = code(407, region=DAWA)
    await enterprise(client, county.headers, uscc)
    pid = await penalty(client, county.headers, uscc, "A1")
    eid = (await propose(client, county.headers, uscc, pid))["id"]
    for higher_but_not_next in (liaoning, national):
        r = await client.post(
            f"/v1/blacklist/{eid}/approve", json={}, headers=higher_but_not_next.headers
        )
        body = problem(r, 409)
        assert body["rule"] == "order44-art22-approval"
        assert body["errors"][0]["field"] == "approver_level"
    assert (await step(client, panjin.headers, eid, "approve"))["approved_by"] == panjin.id

    # A prefecture listing: the province containing it, not the national authority.
    uscc2 = code(408)
    await enterprise(client, panjin.headers, uscc2)
    pid2 = await penalty(client, panjin.headers, uscc2, "A2")
    eid2 = (await propose(client, panjin.headers, uscc2, pid2))["id"]
    r = await client.post(f"/v1/blacklist/{eid2}/approve", json={}, headers=national.headers)
    assert problem(r, 409)["rule"] == "order44-art22-approval"
    assert (await step(client, liaoning.headers, eid2, "approve"))["approved_by"] == liaoning.id


# -- item 6: Art.12 and Art.13 at proposal time --------------------------------------------


async def test_fault_basis_and_remedy_are_required(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    uscc = code(409)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "F1")
    for field in ("fault_basis", "remedy"):
        body = proposal(uscc, pid)
        del body[field]
        r = await client.post("/v1/blacklist", json=body, headers=h)
        assert problem(r, 422)["errors"][0]["field"] == field
        r = await client.post("/v1/blacklist", json={**body, field: ""}, headers=h)
        assert problem(r, 422)["errors"][0]["field"] == field
    entry = await propose(client, h, uscc, pid)
    assert entry["fault_basis"] == proposal(uscc, pid)["fault_basis"]
    assert entry["remedy"] == proposal(uscc, pid)["remedy"]


async def test_listing_not_before_the_penalty_decision(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(410)
    await enterprise(client, h, uscc)
    set_day(clock, date(2026, 7, 1))
    r = await client.post(
        f"/v1/enterprises/{uscc}/records",
        json={
            "kind": "penalty",
            "source_ref": "D1",
            "occurred_on": "2026-05-01",
            "decided_on": "2026-06-25",
            "decision_number": "盘市监罚〔2026〕D1号",
            "penalty_types": ["fine", "suspension"],
            "fine_amount": 200000,
            "heavier": True,
            "police_referral": False,
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    eid = (await propose(client, h, uscc, pid, proposed_on="2026-06-10"))["id"]
    await step(client, h, eid, "notify", {"notified_on": "2026-06-12"})
    r = await client.post(
        f"/v1/blacklist/{eid}/list",
        json={"decided_on": "2026-06-24", "defence_waived": True},
        headers=h,
    )
    body = problem(r, 409)
    assert body["rule"] == "order44-art13-decided-with-penalty"
    assert body["errors"][0]["field"] == "decided_on"
    out = await step(client, h, eid, "list", {"decided_on": "2026-06-25", "defence_waived": True})
    assert out["decided_on"] == "2026-06-25"


async def test_removal_records_its_authority(
    client: httpx.AsyncClient, national: Any, make_agency: Any, clock: FixedClock
) -> None:
    h = national.headers
    liaoning = await make_agency("province", "21", name="辽宁省市场监督管理局")
    uscc = code(411)
    entry = await listed(client, h, uscc, "RA1")
    set_day(clock, REPAIR_DAY)
    out = await step(
        client,
        liaoning.headers,
        entry["id"],
        "remove",
        {"removed_on": REPAIR_DAY.isoformat(), "reason": "repaired"},
    )
    assert out["removal_authority"] == "辽宁省市场监督管理局"
    pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
    assert pub["entries"][0]["removal_authority"] == "辽宁省市场监督管理局"
    # An expiry is the listing authority's own.
    other = await listed(client, h, code(412), "RA2")
    set_day(clock, date(2029, 6, 15))
    assert (await get(client, h, other["id"]))["removal_authority"] == "national CN"


# -- item 7: Art.18 what stays public after removal ----------------------------------------


async def test_removed_entries_publish_only_the_removal_record(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await repaired(client, h, clock, 413)
    expired = await listed(client, h, code(414), "E414")
    set_day(clock, date(2029, 6, 15))  # 414, listed on T0, expired today (Art.21)
    for uscc, reason in ((code(413), "repaired"), (code(414), "expired")):
        pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
        [record] = pub["entries"]
        assert set(record) == REMOVAL_KEYS, record
        assert "reason" not in record and "legal_basis" not in record
        assert (record["status"], record["removal_reason"]) == ("removed", reason)
    assert entry["id"] != expired["id"]
    removed = (await client.get("/public/v1/blacklist", params={"status": "removed"})).json()
    assert {e["code"] for e in removed["items"]} == {code(413), code(414)}
    assert all(set(e) == REMOVAL_KEYS for e in removed["items"])


# -- item 8: Art.14 cross-province, Art.17 repair application, Art.18/19 stop ---------------


async def test_cross_province_push_and_publication(
    client: httpx.AsyncClient, national: Any, make_agency: Any, clock: FixedClock
) -> None:
    panjin = await make_agency("prefecture", "2111", name="盘锦市市场监督管理局")
    liaoning = await make_agency("province", "21", name="辽宁省市场监督管理局")
    shenyang = await make_agency("prefecture", "2101", name="沈阳市市场监督管理局")
    uscc = code(415)
    await enterprise(client, panjin.headers, uscc)
    pid = await penalty(client, panjin.headers, uscc, "X415")
    # The enterprise has since moved its registration to Shijiazhuang (Hebei).
    await ensure_enterprise(client, national.headers, uscc, region_code="130100")
    eid = (await propose(client, panjin.headers, uscc, pid))["id"]
    r = await client.post("/v1/blacklist", json=proposal(uscc, pid), headers=shenyang.headers)
    assert problem(r, 403)["rule"] == "jurisdiction"  # not the penalizing authority
    await step(client, panjin.headers, eid, "notify", {"notified_on": T0.isoformat()})
    await step(client, liaoning.headers, eid, "approve")
    out = await step(
        client, panjin.headers, eid, "list", {"decided_on": T0.isoformat(), "defence_waived": True}
    )
    push_by = DEFAULT_CALENDAR.add_working_days(T0, 10)
    assert push_by == date(2026, 6, 30)  # 06-19 is the Dragon Boat holiday
    assert (out["cross_province"], out["push_by"], out["push_overdue"]) == (
        True,
        "2026-06-30",
        False,
    )
    assert out["allowed_transitions"][0] == "push"
    assert "publish" not in out["allowed_transitions"]
    r = await client.post(f"/v1/blacklist/{eid}/publish", json={}, headers=panjin.headers)
    assert problem(r, 409)["rule"] == "order44-art14-cross-province"

    set_day(clock, date(2026, 6, 30))
    assert (await get(client, panjin.headers, eid))["push_overdue"] is False
    set_day(clock, date(2026, 7, 1))
    assert (await get(client, panjin.headers, eid))["push_overdue"] is True
    set_day(clock, date(2026, 7, 2))
    out = await step(
        client,
        panjin.headers,
        eid,
        "push",
        {"pushed_on": "2026-07-01", "received_on": "2026-07-02"},
    )
    assert (out["pushed_on"], out["push_received_on"], out["push_overdue"]) == (
        "2026-07-01",
        "2026-07-02",
        False,
    )
    assert out["publish_by"] == "2026-07-16"  # 10 working days after receipt
    set_day(clock, date(2026, 7, 16))
    assert (await get(client, panjin.headers, eid))["publication_overdue"] is False
    set_day(clock, date(2026, 7, 17))
    assert (await get(client, panjin.headers, eid))["publication_overdue"] is True
    out = await step(client, panjin.headers, eid, "publish", {})
    assert out["published_on"] == "2026-07-17"


async def test_same_province_has_no_push(client: httpx.AsyncClient, national: Any) -> None:
    entry = await listed(client, national.headers, code(416), "P416", publish=False)
    assert (entry["cross_province"], entry["push_by"]) == (False, None)
    r = await client.post(f"/v1/blacklist/{entry['id']}/push", json={}, headers=national.headers)
    assert problem(r, 409)["rule"] == "order44-art14-cross-province"


async def test_repair_application_deadlines(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    eid = (await listed(client, h, code(417), "RP1"))["id"]
    set_day(clock, date(2026, 7, 1))
    out = await step(client, h, eid, "apply_repair", {"applied_on": "2026-07-01"})
    assert out["repair_accept_by"] == "2026-07-03"  # 2 working days
    assert out["allowed_transitions"] == ["accept_repair", "refuse_repair", "remove"]
    r = await client.post(f"/v1/blacklist/{eid}/apply_repair", json={}, headers=h)
    assert problem(r, 409)["rule"] == "order44-art17-repair-application"
    set_day(clock, date(2026, 7, 3))
    assert (await get(client, h, eid))["repair_acceptance_overdue"] is False
    set_day(clock, date(2026, 7, 6))
    assert (await get(client, h, eid))["repair_acceptance_overdue"] is True
    out = await step(client, h, eid, "accept_repair", {"accepted_on": "2026-07-06"})
    assert out["repair_acceptance_overdue"] is False
    assert out["repair_decide_by"] == "2026-07-27"  # 15 working days after acceptance
    set_day(clock, date(2026, 7, 27))
    assert (await get(client, h, eid))["repair_decision_overdue"] is False
    set_day(clock, date(2026, 7, 28))
    assert (await get(client, h, eid))["repair_decision_overdue"] is True
    out = await step(client, h, eid, "refuse_repair", {"refused_on": "2026-07-28"})
    assert (out["status"], out["repair_refused_on"], out["repair_decision_overdue"]) == (
        "listed",
        "2026-07-28",
        False,
    )
    assert "apply_repair" in out["allowed_transitions"]  # a new application may follow


async def test_stop_publication_due_date(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(418), "SP1")
    assert entry["stop_publication_by"] is None
    set_day(clock, date(2026, 7, 1))
    out = await step(
        client, h, entry["id"], "remove", {"removed_on": "2026-07-01", "reason": "error"}
    )
    assert out["stop_publication_by"] == "2026-07-06"  # 3 working days (Art.18/19)
    unpublished = await listed(client, h, code(419), "SP2", publish=False)
    out = await step(
        client, h, unpublished["id"], "remove", {"removed_on": "2026-07-01", "reason": "error"}
    )
    assert out["stop_publication_by"] is None  # nothing to stop


async def test_deciding_authority_runs_its_procedure_only(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    shenyang = await make_agency("prefecture", "2101", name="沈阳市市场监督管理局")
    entry = await listed(client, national.headers, code(420, region=SHENYANG), "J1", publish=False)
    dalian = await make_agency("prefecture", "2102", name="大连市市场监督管理局")
    r = await client.post(f"/v1/blacklist/{entry['id']}/publish", json={}, headers=dalian.headers)
    assert problem(r, 403)["rule"] == "jurisdiction"
    assert (await step(client, shenyang.headers, entry["id"], "publish"))["published_on"]


async def test_overturn_recorded_on_a_repaired_entry(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await repaired(client, h, clock, 421)
    set_day(clock, date(2027, 6, 20))
    r = await client.post(
        f"/v1/blacklist/{entry['id']}/remove",
        json={"removed_on": "2027-06-15", "reason": "overturned"},
        headers=h,
    )
    assert problem(r, 409)["rule"] == "date-order"  # before the repair removal
    out = await step(
        client, h, entry["id"], "remove", {"removed_on": "2027-06-20", "reason": "overturned"}
    )
    assert (out["removal_reason"], out["removed_on"], out["allowed_transitions"]) == (
        "overturned",
        REPAIR_DAY.isoformat(),
        [],
    )
