"""The Order 44 listing procedure through the agency API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from service.clock import FixedClock
from tests.api._blacklist import (
    DAWA,
    DEFENCE_END,
    FIRST_DECISION_DAY,
    PANJIN,
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


def problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return dict(r.json())


async def event_types(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    r = await client.get("/v1/changes", params={"after": 0, "limit": 1000}, headers=headers)
    assert r.status_code == 200, r.text
    return [e["type"] for e in r.json()["events"]]


async def test_full_lifecycle(client: httpx.AsyncClient, national: Any, clock: FixedClock) -> None:
    h = national.headers
    uscc = code(1)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "L1")

    entry = await propose(client, h, uscc, pid)
    eid = entry["id"]
    assert entry["status"] == "proposed"
    assert entry["authority"] == "national CN"
    assert entry["proposed_on"] == T0.isoformat()
    assert entry["approval_required"] is False
    assert entry["allowed_transitions"] == ["notify", "remove"]

    entry = await step(client, h, eid, "notify", {"notified_on": T0.isoformat()})
    assert entry["status"] == "notified"
    assert entry["defence_ends_on"] == DEFENCE_END.isoformat()

    # Art.13: the 5th working day after the notice (06-19 is a holiday) is still inside.
    set_day(clock, DEFENCE_END)
    r = await client.post(
        f"/v1/blacklist/{eid}/list", json={"decided_on": DEFENCE_END.isoformat()}, headers=h
    )
    body = problem(r, 409)
    assert body["rule"] == "order44-art13-defence-window"
    assert body["errors"][0]["field"] == "decided_on"

    set_day(clock, FIRST_DECISION_DAY)
    entry = await step(client, h, eid, "list", {"decided_on": FIRST_DECISION_DAY.isoformat()})
    assert entry["status"] == "listed"
    assert entry["expires_on"] == "2029-06-24"  # Art.21: 3 years
    assert entry["publish_by"] == "2026-07-22"  # Art.14: 20 working days
    assert entry["publication_overdue"] is False

    ent = (await client.get(f"/v1/enterprises/{uscc}", headers=h)).json()
    assert ent["blacklisted"] is True
    assert ent["classification"]["grade"] == "C"
    # Not yet published: the public sees nothing.
    pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
    assert pub == {"code": uscc, "listed": False, "entries": []}

    # The deadline day itself is on time; the day after it is overdue.
    set_day(clock, date(2026, 7, 22))
    assert (await client.get(f"/v1/blacklist/{eid}", headers=h)).json()[
        "publication_overdue"
    ] is False
    set_day(clock, date(2026, 7, 23))
    assert (await client.get(f"/v1/blacklist/{eid}", headers=h)).json()[
        "publication_overdue"
    ] is True
    overdue = (
        await client.get("/v1/blacklist", params={"overdue_publication": "true"}, headers=h)
    ).json()
    assert [e["id"] for e in overdue["items"]] == [eid]

    entry = await step(client, h, eid, "publish", {})
    assert entry["published_on"] == "2026-07-23"
    assert entry["publication_overdue"] is False
    pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
    assert pub["listed"] is True
    assert [e["status"] for e in pub["entries"]] == ["listed"]

    # Art.16: credit repair no earlier than 1 year after the listing date.
    set_day(clock, date(2027, 6, 23))
    r = await client.post(
        f"/v1/blacklist/{eid}/remove",
        json={"removed_on": "2027-06-23", "reason": "repaired"},
        headers=h,
    )
    assert problem(r, 409)["rule"] == "order44-art16-repair-one-year"
    set_day(clock, date(2027, 6, 24))
    entry = await step(client, h, eid, "remove", {"removed_on": "2027-06-24", "reason": "repaired"})
    assert (entry["status"], entry["removal_reason"]) == ("removed", "repaired")
    assert entry["allowed_transitions"] == ["restore"]
    pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
    assert pub["listed"] is False
    assert pub["entries"][0]["removal_reason"] == "repaired"
    assert pub["entries"][0]["removed_on"] == "2027-06-24"

    # Art.20: the repair was obtained by fraud; the period restarts on restoration.
    set_day(clock, date(2027, 7, 1))
    entry = await step(client, h, eid, "restore", {"restored_on": "2027-07-01"})
    assert entry["status"] == "listed"
    assert entry["expires_on"] == "2030-07-01"
    assert entry["removed_on"] is None
    assert entry["published_on"] == "2026-07-23"  # stays published: no gap (Art.20)
    assert entry["publication_overdue"] is False
    assert entry["decided_on"] == FIRST_DECISION_DAY.isoformat()
    assert [t["transition"] for t in entry["transitions"]] == [
        "propose",
        "notify",
        "list",
        "publish",
        "remove",
        "restore",
    ]
    assert (await client.get(f"/v1/enterprises/{uscc}", headers=h)).json()["blacklisted"] is True

    types = [t for t in await event_types(client, h) if t.startswith("blacklist.")]
    assert types == [
        "blacklist.proposed",
        "blacklist.notified",
        "blacklist.listed",
        "blacklist.published",
        "blacklist.removed",
        "blacklist.restored",
    ]
    audit = (await client.get("/v1/audit/verify", headers=h)).json()
    assert audit["ok"] is True


async def test_restore_restarts_the_three_years(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(2)
    entry = await listed(client, h, uscc, "R1")
    set_day(clock, date(2027, 9, 1))
    await step(client, h, entry["id"], "remove", {"removed_on": "2027-09-01", "reason": "repaired"})
    await step(client, h, entry["id"], "restore", {"restored_on": "2027-09-01"})
    # The original period (to 2029-06-15) no longer ends the listing; the new one does.
    set_day(clock, date(2029, 6, 15))
    assert (await client.get(f"/v1/blacklist/{entry['id']}", headers=h)).json()[
        "status"
    ] == "listed"
    set_day(clock, date(2030, 9, 1))
    after = (await client.get(f"/v1/blacklist/{entry['id']}", headers=h)).json()
    assert (after["status"], after["removal_reason"], after["removed_on"]) == (
        "removed",
        "expired",
        "2030-09-01",
    )


async def test_new_heavier_penalty_blocks_repair(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(3)
    entry = await listed(client, h, uscc, "N1")
    set_day(clock, date(2027, 8, 1))
    await penalty(client, h, uscc, "N2", occurred_on=date(2027, 3, 1))
    r = await client.post(
        f"/v1/blacklist/{entry['id']}/remove",
        json={"removed_on": "2027-08-01", "reason": "repaired"},
        headers=h,
    )
    assert problem(r, 409)["rule"] == "order44-art16-new-heavier-penalty"


async def test_county_listing_needs_higher_approval(
    client: httpx.AsyncClient, national: Any, make_agency: Any, clock: FixedClock
) -> None:
    county = await make_agency("county", DAWA, name="大洼区市场监督管理局")
    other_county = await make_agency("county", DAWA, name="另一县级局")
    shenyang = await make_agency("prefecture", "2101", name="沈阳市市场监督管理局")
    no_scope = await make_agency(
        "province", "21", scopes=frozenset({"blacklist:write"}), name="无审批权"
    )
    panjin = await make_agency("prefecture", "2111", name="盘锦市市场监督管理局")
    uscc = code(4, region=DAWA)
    await enterprise(client, county.headers, uscc)
    pid = await penalty(client, county.headers, uscc, "C1")
    entry = await propose(client, county.headers, uscc, pid)
    eid = entry["id"]
    assert entry["approval_required"] is True
    assert entry["authority"] == "大洼区市场监督管理局"
    await step(client, county.headers, eid, "notify", {"notified_on": T0.isoformat()})

    body = {"decided_on": T0.isoformat(), "defence_waived": True}
    r = await client.post(f"/v1/blacklist/{eid}/list", json=body, headers=county.headers)
    assert problem(r, 409)["rule"] == "order44-art22-approval"

    for wrong in (other_county, shenyang):  # same level; higher but another region
        r = await client.post(f"/v1/blacklist/{eid}/approve", json={}, headers=wrong.headers)
        assert problem(r, 409)["rule"] == "order44-art22-approval", wrong
    r = await client.post(f"/v1/blacklist/{eid}/approve", json={}, headers=no_scope.headers)
    assert problem(r, 403)["rule"] == "scope"

    entry = await step(client, panjin.headers, eid, "approve")
    assert entry["approved_on"] == T0.isoformat()
    assert entry["approved_by"] == panjin.id
    r = await client.post(f"/v1/blacklist/{eid}/approve", json={}, headers=national.headers)
    assert problem(r, 409)["rule"] == "order44-art22-approval"  # already approved

    entry = await step(client, county.headers, eid, "list", body)
    assert entry["status"] == "listed"
    # Other transitions need jurisdiction over the enterprise's region: Shenyang has none.
    r = await client.post(f"/v1/blacklist/{eid}/publish", json={}, headers=shenyang.headers)
    assert problem(r, 403)["rule"] == "jurisdiction"


async def test_overturned_penalty_removes_the_listing(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    uscc = code(5)
    entry = await listed(client, h, uscc, "O1")
    r = await client.post(
        f"/v1/records/{entry['penalty_record_id']}/status",
        json={"status": "overturned", "reason": "行政复议撤销"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    after = (await client.get(f"/v1/blacklist/{entry['id']}", headers=h)).json()
    assert (after["status"], after["removal_reason"], after["removed_on"]) == (
        "removed",
        "overturned",
        T0.isoformat(),
    )
    assert after["transitions"][-1]["data"]["reason"] == "overturned"
    pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
    assert pub["listed"] is False
    assert pub["entries"][0]["removal_reason"] == "overturned"
    ent = (await client.get(f"/v1/enterprises/{uscc}", headers=h)).json()
    assert ent["blacklisted"] is False
    assert ent["classification"]["grade"] != "C"  # the only C reason was overturned
    # Art.20 restores only a repaired removal.
    r = await client.post(
        f"/v1/blacklist/{entry['id']}/restore", json={"restored_on": T0.isoformat()}, headers=h
    )
    assert problem(r, 409)["rule"] == "order44-art20-restore-not-repaired"
    # And the overturned penalty can no longer back a new proposal (Art.2).
    r = await client.post(
        "/v1/blacklist", json=proposal(uscc, entry["penalty_record_id"]), headers=h
    )
    assert problem(r, 409)["rule"] == "order44-art2-heavier-penalty"


async def test_expiry_reads_removed_and_is_recorded_once(
    client: httpx.AsyncClient, national: Any, clock: FixedClock, app: Any
) -> None:
    from service.store import ledger
    from service.store.blacklist import procedure as store

    h = national.headers
    uscc = code(6)
    entry = await listed(client, h, uscc, "E1")
    set_day(clock, date(2029, 6, 14))
    assert (await client.get(f"/v1/blacklist/{entry['id']}", headers=h)).json()[
        "status"
    ] == "listed"
    set_day(clock, date(2029, 6, 15))  # Art.21: 3 years after 2026-06-15, no job has run
    after = (await client.get(f"/v1/blacklist/{entry['id']}", headers=h)).json()
    assert (after["status"], after["removal_reason"], after["removed_on"]) == (
        "removed",
        "expired",
        "2029-06-15",
    )
    removed = (await client.get("/v1/blacklist", params={"status": "removed"}, headers=h)).json()
    assert [e["id"] for e in removed["items"]] == [entry["id"]]
    assert (await client.get("/v1/blacklist", params={"status": "listed"}, headers=h)).json()[
        "items"
    ] == []
    assert (await client.get(f"/v1/enterprises/{uscc}", headers=h)).json()["blacklisted"] is False

    recorded = []
    for _ in range(2):
        async with app.state.db.session(write=True) as session:
            recorded.append(await store.record_expiries(session, date(2029, 6, 15)))
            await ledger.commit(session)
    assert recorded == [1, 0]
    types = await event_types(client, h)
    assert types.count("blacklist.removed") == 1
    again = (await client.get(f"/v1/blacklist/{entry['id']}", headers=h)).json()
    assert again["transitions"][-1]["transition"] == "expire"
    assert again["removal_reason"] == "expired"


async def test_proposal_rules(client: httpx.AsyncClient, national: Any, make_agency: Any) -> None:
    h = national.headers
    a, b = code(7), code(8)
    await enterprise(client, h, a)
    await enterprise(client, h, b)
    light = await penalty(client, h, a, "P1", heavier=False)
    of_b = await penalty(client, h, b, "P2")
    heavy = await penalty(client, h, a, "P3")

    r = await client.post("/v1/blacklist", json=proposal(a, light), headers=h)
    body = problem(r, 409)
    assert body["rule"] == "order44-art2-heavier-penalty"
    assert body["errors"][0]["field"] == "penalty_record_id"
    r = await client.post("/v1/blacklist", json=proposal(a, of_b), headers=h)
    assert problem(r, 409)["rule"] == "order44-art2-heavier-penalty"
    r = await client.post("/v1/blacklist", json=proposal(a, 999999), headers=h)
    assert problem(r, 422)["errors"][0]["field"] == "penalty_record_id"
    r = await client.post("/v1/blacklist", json=proposal(a, heavy, category="nonsense"), headers=h)
    assert problem(r, 422)["errors"][0]["field"] == "category"
    r = await client.post("/v1/blacklist", json=proposal(a[:17] + "0", heavy), headers=h)
    assert problem(r, 422)["errors"][0]["field"] == "code"

    shenyang = await make_agency("prefecture", "2101")
    r = await client.post("/v1/blacklist", json=proposal(a, heavy), headers=shenyang.headers)
    assert problem(r, 403)["rule"] == "jurisdiction"

    first = await propose(client, h, a, heavy)
    r = await client.post("/v1/blacklist", json=proposal(a, heavy), headers=h)
    assert problem(r, 409)["rule"] == "blacklist-duplicate"
    assert (await client.post("/v1/blacklist", json=proposal(a, heavy))).status_code == 401

    eid = first["id"]
    r = await client.post(f"/v1/blacklist/{eid}/teleport", json={}, headers=h)
    assert problem(r, 404)["status"] == 404
    r = await client.post(f"/v1/blacklist/{eid}/list", json={"decided_on": "2026-06-15"}, headers=h)
    assert problem(r, 409)["rule"] == "state-machine-illegal-transition"
    r = await client.post(
        f"/v1/blacklist/{eid}/notify", json={"notified_on": "2026-06-16"}, headers=h
    )
    assert problem(r, 409)["rule"] == "date-in-future"
    r = await client.post(
        f"/v1/blacklist/{eid}/remove",
        json={"removed_on": "2026-06-15", "reason": "expired"},
        headers=h,
    )
    assert problem(r, 422)["errors"][0]["field"] == "reason"
    r = await client.post(
        f"/v1/blacklist/{eid}/notify", json={"notified_on": "15/06/2026"}, headers=h
    )
    assert problem(r, 422)["errors"][0]["field"] == "notified_on"
    assert problem(await client.get("/v1/blacklist/424242", headers=h), 404)["status"] == 404
    # Withdrawn for error before listing: removed, nothing public.
    gone = await step(client, h, eid, "remove", {"removed_on": "2026-06-15", "reason": "error"})
    assert (gone["status"], gone["removal_reason"]) == ("removed", "error")
    assert (await client.get(f"/public/v1/blacklist/{a}")).json()["entries"] == []


async def test_agency_list_filters_and_pages(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    ids = [(await listed(client, h, code(10 + i), f"G{i}"))["id"] for i in range(3)]
    other = await listed(client, h, code(20, region=SHENYANG), "G9")
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "region": PANJIN[:4]}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/v1/blacklist", params=params, headers=h)).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)
    assert other["id"] not in seen
    r = await client.get("/v1/blacklist", params={"cursor": "garbage!"}, headers=h)
    assert problem(r, 422)["errors"][0]["field"] == "cursor"


async def test_candidates(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    a, b, c = code(30), code(31), code(32, region=SHENYANG)
    for uscc in (a, b, c):
        await enterprise(client, h, uscc)
    recall = {
        "kind": "recall",
        "occurred_on": "2026-05-10",
        "mode": "ordered",
        "refused_or_delayed": True,
    }
    ids = {}
    for uscc in (a, c):
        r = await client.post(
            f"/v1/enterprises/{uscc}/records",
            json={**recall, "source_ref": f"RC-{uscc}"},
            headers=h,
        )
        assert r.status_code == 201, r.text
        ids[uscc] = r.json()["id"]
    voluntary = {**recall, "mode": "voluntary", "refused_or_delayed": False, "source_ref": "RC-b"}
    assert (
        await client.post(f"/v1/enterprises/{b}/records", json=voluntary, headers=h)
    ).status_code == 201

    page = (await client.get("/v1/blacklist/candidates", headers=h)).json()
    assert [i["code"] for i in page["items"]] == sorted([a, c])
    item = next(i for i in page["items"] if i["code"] == a)
    assert item["record_ids"] == [ids[a]]
    assert item["triggers"][0]["rule"] == "order44-art8-recall-refused"
    regional = (
        await client.get("/v1/blacklist/candidates", params={"region": "2111"}, headers=h)
    ).json()
    assert [i["code"] for i in regional["items"]] == [a]

    pid = await penalty(client, h, a, "CP1")
    await propose(client, h, a, pid)
    page = (await client.get("/v1/blacklist/candidates", headers=h)).json()
    assert [i["code"] for i in page["items"]] == [c]
