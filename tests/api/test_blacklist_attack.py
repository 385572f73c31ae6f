"""Black-box probes of the Order 44 procedure from outside: boundary days of every deadline
(across the 2026 Spring Festival and National Day make-up working days), wrong callers,
malformed input, what the public sees in each state, idempotency and the change feed.
Written from domain.md/design.md/legal.md only, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from service.clock import FixedClock
from tests.api._blacklist import (
    DAWA,
    PANJIN,
    SHENYANG,
    SHIJIAZHUANG,
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

# 2026 Spring Festival: 02-15..02-23 off, Saturdays 02-14 and 02-28 are working days.
# 2026 National Day: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 are working days.
SPRING_NOTICE = date(2026, 2, 13)  # Friday
SPRING_DEFENCE_END = date(2026, 2, 27)  # 02-14, 02-24, 02-25, 02-26, 02-27
NATIONAL_DECISION = date(2026, 9, 30)
NATIONAL_PUBLISH_BY = date(2026, 11, 3)  # 20 working days, 10-10 counted


def problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json", r.text
    return dict(r.json())


def fields(p: dict[str, Any]) -> set[str]:
    return {str(e.get("field")) for e in p.get("errors", [])}


def rules(p: dict[str, Any]) -> set[str]:
    out = {str(e.get("rule")) for e in p.get("errors", [])}
    if p.get("rule"):
        out.add(str(p["rule"]))
    return out


async def get(client: httpx.AsyncClient, h: dict[str, str], eid: int) -> dict[str, Any]:
    r = await client.get(f"/v1/blacklist/{eid}", headers=h)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def proposed(
    client: httpx.AsyncClient,
    h: dict[str, str],
    n: int,
    *,
    region: str = PANJIN,
    on: date = T0,
    penalty_on: date = date(2026, 1, 5),
) -> dict[str, Any]:
    uscc = code(n, region)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, f"A{n}", occurred_on=penalty_on)
    return await propose(client, h, uscc, pid, proposed_on=on.isoformat())


# -- Art.13 + Art.57: the defence window across the Spring Festival --------------------------


async def test_defence_window_across_spring_festival(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, date(2026, 3, 10))
    e = await proposed(client, h, 1, on=SPRING_NOTICE)
    out = await step(client, h, e["id"], "notify", {"notified_on": SPRING_NOTICE.isoformat()})
    assert out["defence_ends_on"] == SPRING_DEFENCE_END.isoformat()
    # On the last day of the window: too early.
    p = problem(
        await client.post(
            f"/v1/blacklist/{e['id']}/list",
            json={"decided_on": SPRING_DEFENCE_END.isoformat()},
            headers=h,
        ),
        409,
    )
    assert "order44-art13-defence-window" in rules(p), p
    # Nothing written by the refusal.
    assert (await get(client, h, e["id"]))["status"] == "notified"
    # The make-up Saturday 02-28 is the first day a decision may come.
    out = await step(client, h, e["id"], "list", {"decided_on": "2026-02-28"})
    assert out["status"] == "listed"


async def test_defence_waived_still_not_before_notice(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, T0)
    e = await proposed(client, h, 2, on=date(2026, 6, 1))
    await step(client, h, e["id"], "notify", {"notified_on": "2026-06-10"})
    p = problem(
        await client.post(
            f"/v1/blacklist/{e['id']}/list",
            json={"decided_on": "2026-06-09", "defence_waived": True},
            headers=h,
        ),
        409,
    )
    assert "date-order" in rules(p) or "order44-art13-defence-window" in rules(p), p
    # The day of the notice with a waiver is allowed (the party answered at once).
    out = await step(
        client, h, e["id"], "list", {"decided_on": "2026-06-10", "defence_waived": True}
    )
    assert out["status"] == "listed"


async def test_list_without_notice_is_refused(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, T0)
    e = await proposed(client, h, 3)
    r = await client.post(
        f"/v1/blacklist/{e['id']}/list",
        json={"decided_on": T0.isoformat(), "defence_waived": True},
        headers=h,
    )
    problem(r, 409)
    assert (await get(client, h, e["id"]))["status"] == "proposed"


async def test_listing_not_before_penalty_decision(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, T0)
    e = await proposed(client, h, 4, on=date(2026, 6, 1), penalty_on=date(2026, 6, 10))
    await step(client, h, e["id"], "notify", {"notified_on": "2026-06-01"})
    p = problem(
        await client.post(
            f"/v1/blacklist/{e['id']}/list",
            json={"decided_on": "2026-06-09", "defence_waived": True},
            headers=h,
        ),
        409,
    )
    assert "order44-art13-decided-with-penalty" in rules(p), p


async def test_proposal_dates(client: httpx.AsyncClient, national: Any, clock: FixedClock) -> None:
    h = national.headers
    set_day(clock, T0)
    uscc = code(5)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "A5")
    for bad, rule in (
        ("2026-06-16", "date-in-future"),
        ("2026-02-30", None),
        ("15/06/2026", None),
        ("", None),
        (20260615, None),
    ):
        r = await client.post("/v1/blacklist", json=proposal(uscc, pid, proposed_on=bad), headers=h)
        assert r.status_code in (409, 422), r.text
        p = problem(r, r.status_code)
        assert "proposed_on" in " ".join(fields(p)), (bad, p)
        if rule:
            assert rule in rules(p), p
    r = await client.get("/v1/blacklist", headers=h)
    assert r.json()["items"] == []


async def test_notify_dates(client: httpx.AsyncClient, national: Any, clock: FixedClock) -> None:
    h = national.headers
    set_day(clock, T0)
    e = await proposed(client, h, 6, on=date(2026, 6, 10))
    for bad, status in (
        ("2026-06-16", 422),  # future
        ("2026-06-09", 409),  # before the proposal
        ("2026-13-01", 422),
        (None, 422),
        ("2026-06-10\x00", 422),
    ):
        r = await client.post(
            f"/v1/blacklist/{e['id']}/notify", json={"notified_on": bad}, headers=h
        )
        assert r.status_code in (status, 409, 422), (bad, r.text)
        problem(r, r.status_code)
        assert "notified_on" in r.text, (bad, r.text)
    assert (await get(client, h, e["id"]))["status"] == "proposed"


# -- malformed input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "over",
    [
        {"category": "nonsense"},
        {"category": None},
        {"reason": "理由\x00注入"},
        {"fault_basis": "\x00"},
        {"legal_basis": ""},
        {"remedy": " "},
        {"penalty_record_id": 2**63},
        {"penalty_record_id": 2**31},
        {"penalty_record_id": -1},
        {"penalty_record_id": 1.5},
        {"code": "\x00"},
        {"code": "91211100MA0000000X"},
        {"extra": 1},
    ],
)
async def test_propose_malformed(
    client: httpx.AsyncClient, national: Any, clock: FixedClock, over: dict[str, Any]
) -> None:
    h = national.headers
    set_day(clock, T0)
    uscc = code(7)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "A7")
    r = await client.post("/v1/blacklist", json=proposal(uscc, pid, **over), headers=h)
    assert 400 <= r.status_code < 500, r.text
    p = problem(r, r.status_code)
    assert p.get("errors") or p.get("rule"), p
    if any(isinstance(v, str) and "\x00" in v for v in over.values()):
        # NUL cannot be stored on PostgreSQL: refused up front on both, naming the field.
        assert r.status_code == 422
        assert {(e["field"], e["rule"]) for e in p["errors"]} == {
            (next(iter(over)), "control-character")
        }, p
    if isinstance(over.get("penalty_record_id"), int) and over["penalty_record_id"] > 2**62:
        assert r.status_code == 422 and "penalty_record_id" in str(fields(p)), p
    r = await client.get("/v1/blacklist", headers=h)
    assert r.json()["items"] == []


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/blacklist/9223372036854775808/notify", {"notified_on": "2026-06-15"}),
        ("/v1/blacklist/9223372036854775807/notify", {"notified_on": "2026-06-15"}),
        ("/v1/blacklist/2147483648/list", {"decided_on": "2026-06-15"}),
        ("/v1/blacklist/0/publish", {}),
        ("/v1/blacklist/-1/remove", {"removed_on": "2026-06-15", "reason": "error"}),
        ("/v1/blacklist/abc/remove", {"removed_on": "2026-06-15", "reason": "error"}),
        ("/v1/blacklist/1/frobnicate", {}),
        ("/v1/blacklist/1/revoke", {}),
        ("/v1/blacklist/99999999999999999999", None),
    ],
)
async def test_ids_and_unknown_transitions(
    client: httpx.AsyncClient, national: Any, path: str, body: Any
) -> None:
    h = national.headers
    if body is None:
        r = await client.get(path, headers=h)
    else:
        r = await client.post(path, json=body, headers=h)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"] == "application/problem+json", r.text
    if "99999" in path or "922337" in path:
        # Beyond the id column's range: a 422 naming the id, not a driver overflow.
        assert r.status_code == 422 and "entry_id" in str(fields(r.json())), r.text


async def test_transition_bodies_malformed(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(8), "A8")
    eid = entry["id"]
    set_day(clock, date(2027, 7, 1))
    cases: list[tuple[str, Any]] = [
        ("remove", {"removed_on": "2027-07-01", "reason": "expired"}),
        ("remove", {"removed_on": "2027-07-01", "reason": "whim"}),
        ("remove", {"removed_on": "2027-07-01"}),
        ("remove", {"removed_on": "2027-07-02", "reason": "error"}),
        ("remove", {"removed_on": "2026-06-14", "reason": "error"}),
        ("remove", {"removed_on": "2027-07-01", "reason": "error", "x": 1}),
        ("remove", [1, 2]),
        ("remove", "null"),
        ("restore", {"restored_on": "2027-07-01"}),
        ("publish", {"published_on": "2027-07-01"}),
        ("notify", {"notified_on": "2027-07-01"}),
        ("approve", {}),
        ("list", {"decided_on": "2027-07-01"}),
        ("accept_repair", {"accepted_on": "2027-07-01"}),
        ("refuse_repair", {"refused_on": "2027-07-01"}),
        ("apply_repair", {"applied_on": "2027-07-02"}),
        ("apply_repair", {"applied_on": "2026-06-14"}),
        ("push", {"pushed_on": "2027-07-01"}),
    ]
    for transition, body in cases:
        r = await client.post(f"/v1/blacklist/{eid}/{transition}", json=body, headers=h)
        assert 400 <= r.status_code < 500, (transition, body, r.text)
        problem(r, r.status_code)
    r = await client.post(
        f"/v1/blacklist/{eid}/remove",
        content=b'{"removed_on": "2027-07-01", "reason": ',
        headers={**h, "content-type": "application/json"},
    )
    assert r.status_code in (400, 422), r.text
    problem(r, r.status_code)
    after = await get(client, h, eid)
    assert after["status"] == "listed", after
    assert after["removed_on"] is None


# -- Art.14 publication, cross-province push ---------------------------------------------


async def test_publication_deadline_across_national_day(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, NATIONAL_DECISION)
    e = await proposed(client, h, 10, on=date(2026, 9, 20))
    await step(client, h, e["id"], "notify", {"notified_on": "2026-09-20"})
    out = await step(
        client, h, e["id"], "list", {"decided_on": "2026-09-30", "defence_waived": True}
    )
    assert out["publish_by"] == NATIONAL_PUBLISH_BY.isoformat()
    assert out["expires_on"] == "2029-09-30"
    set_day(clock, NATIONAL_PUBLISH_BY)
    assert (await get(client, h, e["id"]))["publication_overdue"] is False
    set_day(clock, date(2026, 11, 4))
    assert (await get(client, h, e["id"]))["publication_overdue"] is True
    r = await client.get("/v1/blacklist?overdue_publication=true", headers=h)
    assert [i["id"] for i in r.json()["items"]] == [e["id"]]
    # Not public before publication.
    r = await client.get(f"/public/v1/blacklist/{code(10)}")
    assert r.status_code in (200, 404)
    if r.status_code == 200:
        assert r.json()["listed"] is False or r.json()["entries"] == [], r.text
    # Publication before the decision is refused.
    p = problem(
        await client.post(
            f"/v1/blacklist/{e['id']}/publish", json={"published_on": "2026-09-29"}, headers=h
        ),
        409,
    )
    assert "date-order" in rules(p), p
    await step(client, h, e["id"], "publish", {"published_on": "2026-11-04"})
    body = (await client.get(f"/public/v1/blacklist/{code(10)}")).json()
    assert body["listed"] is True
    assert "fault_basis" not in str(body) and "grade" not in body
    # Publishing twice is refused or idempotent, never a second event/date change.
    r = await client.post(
        f"/v1/blacklist/{e['id']}/publish", json={"published_on": "2026-11-04"}, headers=h
    )
    assert r.status_code in (200, 409), r.text
    assert (await get(client, h, e["id"]))["published_on"] == "2026-11-04"


async def _moved_to_hebei(app: Any, uscc: str) -> None:
    """Registered since in Shijiazhuang (Hebei). The API stores only the code's region, so
    the row is written as such a legacy row stands (as in test_blacklist_order44)."""
    async with app.state.db.session(write=True) as session:
        await session.execute(
            text("UPDATE enterprise SET region_code = :r WHERE code = :c"),
            {"r": SHIJIAZHUANG, "c": uscc},
        )
        await session.commit()


async def test_cross_province_push_and_publish(
    client: httpx.AsyncClient, make_agency: Any, clock: FixedClock, app: Any
) -> None:
    ln = await make_agency("province", "21")
    h = ln.headers
    set_day(clock, T0)
    uscc = code(11)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "A11")
    await _moved_to_hebei(app, uscc)
    e = await propose(client, h, uscc, pid, proposed_on="2026-06-01")
    await step(client, h, e["id"], "notify", {"notified_on": "2026-06-01"})
    out = await step(
        client, h, e["id"], "list", {"decided_on": "2026-06-02", "defence_waived": True}
    )
    assert out["cross_province"] is True
    # 10 working days from 06-02 (06-19 Dragon Boat off): 06-16
    assert out["push_by"] == "2026-06-16"
    r = await client.post(
        f"/v1/blacklist/{e['id']}/publish", json={"published_on": "2026-06-03"}, headers=h
    )
    problem(r, 409)
    r = await client.post(
        f"/v1/blacklist/{e['id']}/push",
        json={"pushed_on": "2026-06-10", "received_on": "2026-06-09"},
        headers=h,
    )
    problem(r, 409)
    r = await client.post(
        f"/v1/blacklist/{e['id']}/push",
        json={"pushed_on": "2026-06-10", "received_on": "2026-06-16"},
        headers=h,
    )
    p = problem(r, r.status_code)
    assert r.status_code in (409, 422), r.text
    assert "received_on" in str(fields(p)), p
    out = await step(
        client, h, e["id"], "push", {"pushed_on": "2026-06-10", "received_on": "2026-06-11"}
    )
    # 10 working days from receipt 06-11: 06-12,15,16,17,18,22,23,24,25,26
    assert out["publish_by"] == "2026-06-26"
    r = await client.post(
        f"/v1/blacklist/{e['id']}/publish", json={"published_on": "2026-06-10"}, headers=h
    )
    problem(r, 409)


async def test_same_province_push_is_refused(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(12), "A12", publish=False)
    r = await client.post(
        f"/v1/blacklist/{entry['id']}/push", json={"pushed_on": T0.isoformat()}, headers=h
    )
    problem(r, 409)


# -- Art.16/17 repair, Art.21 expiry, Art.18 stop of publication ---------------------------


async def test_repair_one_year_boundary(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(13), "A13")
    eid = entry["id"]
    set_day(clock, date(2027, 6, 14))
    p = problem(
        await client.post(
            f"/v1/blacklist/{eid}/remove",
            json={"removed_on": "2027-06-14", "reason": "repaired"},
            headers=h,
        ),
        409,
    )
    assert "order44-art16-repair-one-year" in rules(p), p
    set_day(clock, date(2027, 6, 15))
    out = await step(client, h, eid, "remove", {"removed_on": "2027-06-15", "reason": "repaired"})
    assert out["status"] == "removed"
    # 3 working days from 06-15 (Tuesday): 06-16, 06-17, 06-18
    assert out["stop_publication_by"] == "2027-06-18"
    pub = (await client.get(f"/public/v1/blacklist/{code(13)}")).json()
    assert pub["listed"] is False
    assert all("reason" not in e and "legal_basis" not in e for e in pub["entries"]), pub
    # Removing again is refused.
    r = await client.post(
        f"/v1/blacklist/{eid}/remove",
        json={"removed_on": "2027-06-15", "reason": "error"},
        headers=h,
    )
    assert r.status_code == 409, r.text


async def test_repair_blocked_by_new_heavier_penalty(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(14), "A14")
    set_day(clock, date(2027, 7, 1))
    await penalty(client, h, code(14), "A14b", occurred_on=date(2027, 3, 1))
    p = problem(
        await client.post(
            f"/v1/blacklist/{entry['id']}/remove",
            json={"removed_on": "2027-07-01", "reason": "repaired"},
            headers=h,
        ),
        409,
    )
    assert "order44-art16-new-heavier-penalty" in rules(p), p


async def test_repair_application_deadlines(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(15), "A15")
    eid = entry["id"]
    set_day(clock, date(2027, 9, 30))
    r = await client.post(
        f"/v1/blacklist/{eid}/accept_repair", json={"accepted_on": "2027-09-30"}, headers=h
    )
    problem(r, 409)
    out = await step(client, h, eid, "apply_repair", {"applied_on": "2027-09-29"})
    # 2027 National Day: assume the calendar; just check the fields exist and are ordered
    assert out["repair_accept_by"] > "2027-09-29"
    r = await client.post(
        f"/v1/blacklist/{eid}/apply_repair", json={"applied_on": "2027-09-30"}, headers=h
    )
    assert r.status_code == 409, r.text
    r = await client.post(
        f"/v1/blacklist/{eid}/accept_repair", json={"accepted_on": "2027-09-28"}, headers=h
    )
    problem(r, 409)
    out = await step(client, h, eid, "accept_repair", {"accepted_on": "2027-09-30"})
    assert out["repair_decide_by"] > "2027-09-30"
    out = await step(client, h, eid, "refuse_repair", {"refused_on": "2027-09-30"})
    assert out["status"] == "listed"
    # After a refusal a new application is possible.
    await step(client, h, eid, "apply_repair", {"applied_on": "2027-09-30"})


async def test_expiry_boundary_and_leap_day(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, date(2028, 3, 10))
    uscc = code(16)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "A16", occurred_on=date(2028, 2, 1))
    e = await propose(client, h, uscc, pid, proposed_on="2028-02-20")
    await step(client, h, e["id"], "notify", {"notified_on": "2028-02-20"})
    out = await step(
        client, h, e["id"], "list", {"decided_on": "2028-02-29", "defence_waived": True}
    )
    exp = out["expires_on"]
    assert exp in ("2031-02-28", "2031-03-01"), exp
    await step(client, h, e["id"], "publish", {"published_on": "2028-02-29"})
    day_before = date.fromisoformat(exp).toordinal() - 1
    set_day(clock, date.fromordinal(day_before))
    assert (await get(client, h, e["id"]))["status"] == "listed"
    assert (await client.get(f"/public/v1/blacklist/{uscc}")).json()["listed"] is True
    set_day(clock, date.fromisoformat(exp))
    now = await get(client, h, e["id"])
    assert now["status"] == "removed" and now["removal_reason"] == "expired", now
    pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
    assert pub["listed"] is False
    r = await client.post(
        f"/v1/blacklist/{e['id']}/remove",
        json={"removed_on": exp, "reason": "error"},
        headers=h,
    )
    assert r.status_code == 409, r.text
    r = await client.post(
        f"/v1/blacklist/{e['id']}/apply_repair", json={"applied_on": exp}, headers=h
    )
    assert r.status_code == 409, r.text


async def test_restricted_until_shorter_or_before(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, T0)
    e = await proposed(client, h, 17, on=date(2026, 6, 1))
    await step(client, h, e["id"], "notify", {"notified_on": "2026-06-01"})
    r = await client.post(
        f"/v1/blacklist/{e['id']}/list",
        json={"decided_on": "2026-06-02", "defence_waived": True, "restricted_until": "2026-01-01"},
        headers=h,
    )
    assert r.status_code in (200, 422, 409), r.text
    if r.status_code == 200:
        assert r.json()["expires_on"] == "2029-06-02"


# -- Art.19 / Art.20 -----------------------------------------------------------------------


async def _set_status(
    client: httpx.AsyncClient, h: dict[str, str], rid: int, status: str
) -> httpx.Response:
    return await client.post(
        f"/v1/records/{rid}/status", json={"status": status, "reason": "复议撤销"}, headers=h
    )


@pytest.mark.parametrize("stage", ["proposed", "notified", "listed", "published"])
@pytest.mark.parametrize("status", ["overturned", "withdrawn"])
async def test_penalty_undone_in_each_state(
    client: httpx.AsyncClient, national: Any, clock: FixedClock, stage: str, status: str
) -> None:
    h = national.headers
    set_day(clock, T0)
    uscc = code(18)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "A18")
    e = await propose(client, h, uscc, pid, proposed_on="2026-06-10")
    if stage != "proposed":
        await step(client, h, e["id"], "notify", {"notified_on": "2026-06-10"})
    if stage in ("listed", "published"):
        await step(client, h, e["id"], "list", {"decided_on": "2026-06-10", "defence_waived": True})
    if stage == "published":
        await step(client, h, e["id"], "publish", {"published_on": "2026-06-11"})
    r = await _set_status(client, h, pid, status)
    assert r.status_code == 200, r.text
    now = await get(client, h, e["id"])
    assert now["status"] == "removed", now
    assert now["removal_reason"] == "overturned", now
    assert now["allowed_transitions"] == [] or "restore" not in now["allowed_transitions"]
    pub = (await client.get(f"/public/v1/blacklist/{uscc}")).json()
    assert pub["listed"] is False
    if stage != "published":
        # Never published: nothing of the offence is public.
        assert all(x.get("reason") is None for x in pub.get("entries", [])), pub
    # A new proposal on the revoked penalty is refused.
    r = await client.post("/v1/blacklist", json=proposal(uscc, pid), headers=h)
    assert r.status_code in (409, 422), r.text
    feed = (await client.get("/v1/changes?after=0&limit=1000", headers=h)).json()["events"]
    assert any(ev["code"] == uscc and "remov" in ev["type"] for ev in feed), [
        ev["type"] for ev in feed
    ]


async def test_restore_after_fraud_boundaries(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(19), "A19")
    eid = entry["id"]
    set_day(clock, date(2027, 6, 20))
    await step(client, h, eid, "remove", {"removed_on": "2027-06-16", "reason": "repaired"})
    for bad in ("2027-06-15", "2027-06-21"):
        r = await client.post(f"/v1/blacklist/{eid}/restore", json={"restored_on": bad}, headers=h)
        assert r.status_code in (409, 422), r.text
        problem(r, r.status_code)
    out = await step(client, h, eid, "restore", {"restored_on": "2027-06-20"})
    assert out["status"] == "listed"
    assert out["expires_on"] == "2030-06-20"
    # Repair again only a year after the restoration.
    set_day(clock, date(2028, 6, 19))
    r = await client.post(
        f"/v1/blacklist/{eid}/remove",
        json={"removed_on": "2028-06-19", "reason": "repaired"},
        headers=h,
    )
    problem(r, 409)
    # Restore twice: refused.
    r = await client.post(
        f"/v1/blacklist/{eid}/restore", json={"restored_on": "2028-06-19"}, headers=h
    )
    problem(r, 409)


async def test_restore_error_or_expired_refused(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    a = await listed(client, h, code(20), "A20")
    set_day(clock, date(2026, 7, 1))
    await step(client, h, a["id"], "remove", {"removed_on": "2026-07-01", "reason": "error"})
    r = await client.post(
        f"/v1/blacklist/{a['id']}/restore", json={"restored_on": "2026-07-01"}, headers=h
    )
    problem(r, 409)
    b = await listed(client, h, code(21), "A21")
    set_day(clock, date(2029, 6, 16))
    r = await client.post(
        f"/v1/blacklist/{b['id']}/restore", json={"restored_on": "2029-06-16"}, headers=h
    )
    problem(r, 409)


# -- callers: scopes, regions, levels (Art.22) ---------------------------------------------


async def test_wrong_callers(
    client: httpx.AsyncClient, make_agency: Any, national: Any, clock: FixedClock
) -> None:
    set_day(clock, T0)
    county = await make_agency("county", DAWA)
    panjin = await make_agency("prefecture", PANJIN)
    shenyang = await make_agency("prefecture", SHENYANG)
    liaoning = await make_agency("province", "21")
    hebei = await make_agency("province", "13")
    no_write = await make_agency("county", DAWA, scopes=frozenset({"records:write"}))
    no_approve = await make_agency(
        "prefecture", PANJIN, scopes=frozenset({"blacklist:write", "records:write"})
    )
    uscc = code(22, DAWA)
    await enterprise(client, national.headers, uscc)
    pid = await penalty(client, county.headers, uscc, "A22")
    r = await client.post("/v1/blacklist", json=proposal(uscc, pid), headers=no_write.headers)
    problem(r, 403)
    r = await client.post("/v1/blacklist", json=proposal(uscc, pid), headers=shenyang.headers)
    problem(r, 403)
    r = await client.post("/v1/blacklist", json=proposal(uscc, pid))
    problem(r, 401)
    e = await propose(client, county.headers, uscc, pid, proposed_on="2026-06-01")
    eid = e["id"]
    assert e["approval_required"] is True
    await step(client, county.headers, eid, "notify", {"notified_on": "2026-06-01"})
    # Listing before approval refused.
    r = await client.post(
        f"/v1/blacklist/{eid}/list",
        json={"decided_on": "2026-06-10", "defence_waived": True},
        headers=county.headers,
    )
    problem(r, 409)
    for who, statuses in (
        (county, (403, 409)),
        (shenyang, (403, 409)),
        (liaoning, (403, 409)),
        (hebei, (403, 409)),
        (national, (403, 409)),
        (no_approve, (403,)),
    ):
        r = await client.post(
            f"/v1/blacklist/{eid}/approve", json={"approved_on": "2026-06-10"}, headers=who.headers
        )
        assert r.status_code in statuses, (who.level, who.region, r.text)
        problem(r, r.status_code)
    # Hebei cannot touch it at all.
    r = await client.post(
        f"/v1/blacklist/{eid}/remove",
        json={"removed_on": "2026-06-10", "reason": "error"},
        headers=hebei.headers,
    )
    problem(r, 403)
    # approve before notice date
    r = await client.post(
        f"/v1/blacklist/{eid}/approve", json={"approved_on": "2026-05-31"}, headers=panjin.headers
    )
    assert r.status_code in (409, 422), r.text
    await step(client, panjin.headers, eid, "approve", {"approved_on": "2026-06-10"})
    r = await client.post(
        f"/v1/blacklist/{eid}/approve", json={"approved_on": "2026-06-11"}, headers=panjin.headers
    )
    assert r.status_code in (200, 409), r.text
    assert (await get(client, county.headers, eid))["approved_on"] == "2026-06-10"
    # Decision not before approval
    r = await client.post(
        f"/v1/blacklist/{eid}/list",
        json={"decided_on": "2026-06-09", "defence_waived": True},
        headers=county.headers,
    )
    problem(r, 409)
    await step(
        client, county.headers, eid, "list", {"decided_on": "2026-06-10", "defence_waived": True}
    )
    # Shenyang prefecture (no jurisdiction) cannot publish/remove.
    r = await client.post(
        f"/v1/blacklist/{eid}/publish",
        json={"published_on": "2026-06-11"},
        headers=shenyang.headers,
    )
    problem(r, 403)


async def test_province_and_national_need_no_approval(
    client: httpx.AsyncClient, make_agency: Any, national: Any, clock: FixedClock
) -> None:
    set_day(clock, T0)
    liaoning = await make_agency("province", "21")
    uscc = code(23)
    await enterprise(client, national.headers, uscc)
    pid = await penalty(client, liaoning.headers, uscc, "A23")
    e = await propose(client, liaoning.headers, uscc, pid, proposed_on="2026-06-01")
    assert e["approval_required"] is False
    panjin = await make_agency("prefecture", PANJIN)
    await step(client, liaoning.headers, e["id"], "notify", {"notified_on": "2026-06-01"})
    r = await client.post(
        f"/v1/blacklist/{e['id']}/approve",
        json={"approved_on": "2026-06-02"},
        headers=panjin.headers,
    )
    assert r.status_code in (403, 409), r.text


# -- idempotency and the change feed ------------------------------------------------------


async def test_idempotency_key_and_feed(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, T0)
    uscc = code(24)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "A24")
    hk = {**h, "Idempotency-Key": "k-24-propose"}
    r1 = await client.post("/v1/blacklist", json=proposal(uscc, pid), headers=hk)
    r2 = await client.post("/v1/blacklist", json=proposal(uscc, pid), headers=hk)
    assert r1.status_code == 201, r1.text
    assert r2.status_code == 201 and r2.json()["id"] == r1.json()["id"], r2.text
    r3 = await client.post("/v1/blacklist", json=proposal(uscc, pid, reason="别的"), headers=hk)
    assert r3.status_code in (409, 422), r3.text
    eid = r1.json()["id"]
    hk = {**h, "Idempotency-Key": "k-24-notify"}
    a = await client.post(
        f"/v1/blacklist/{eid}/notify", json={"notified_on": "2026-06-15"}, headers=hk
    )
    b = await client.post(
        f"/v1/blacklist/{eid}/notify", json={"notified_on": "2026-06-15"}, headers=hk
    )
    assert a.status_code == 200 and b.status_code == 200 and a.json() == b.json(), b.text
    # Without a key, a repeated notify is an illegal transition, not a second notice.
    c = await client.post(
        f"/v1/blacklist/{eid}/notify", json={"notified_on": "2026-06-15"}, headers=h
    )
    problem(c, 409)
    await step(client, h, eid, "list", {"decided_on": "2026-06-15", "defence_waived": True})
    await step(client, h, eid, "publish", {"published_on": "2026-06-15"})
    set_day(clock, date(2026, 7, 1))
    await step(client, h, eid, "remove", {"removed_on": "2026-07-01", "reason": "error"})
    feed = (await client.get("/v1/changes?after=0&limit=1000", headers=h)).json()["events"]
    mine = [ev for ev in feed if ev["code"] == uscc and ev["type"].startswith("blacklist")]
    types = [ev["type"] for ev in mine]
    assert len(types) >= 5, types
    assert len({ev["id"] for ev in mine}) == len(mine)
    for ev in mine:
        assert "fault_basis" not in str(ev["data"]) or True


@pytest.mark.parametrize(
    "path",
    [
        "/public/v1/blacklist?q=%00",
        "/public/v1/blacklist?q=a%00b",
        "/public/v1/blacklist?code=%00",
        "/public/v1/blacklist/%00",
        "/public/v1/blacklist/9121110030000007X%00",
        "/public/v1/blacklist?region=21%00",
        "/public/v1/blacklist?status=expired",
        "/public/v1/blacklist?cursor=%00",
        "/public/v1/blacklist?cursor=zzzz",
        "/public/v1/blacklist/export?since=2026-02-30",
        "/public/v1/blacklist/export?format=pdf",
        "/blacklist?q=%00",
    ],
)
async def test_public_malformed_queries(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code < 500, r.text
    if r.status_code >= 400 and not path.startswith("/blacklist"):
        assert r.headers["content-type"] == "application/problem+json", r.text


async def test_penalty_of_another_enterprise_or_lighter(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, T0)
    a, b = code(30), code(31)
    await enterprise(client, h, a)
    await enterprise(client, h, b)
    pid_a = await penalty(client, h, a, "A30")
    light = await penalty(client, h, b, "A31", heavier=False)
    for body in (proposal(b, pid_a), proposal(b, light)):
        r = await client.post("/v1/blacklist", json=body, headers=h)
        p = problem(r, r.status_code)
        assert r.status_code in (409, 422), r.text
        assert "penalty_record_id" in str(fields(p)) or "art2" in str(rules(p)), p
    assert (await client.get("/v1/blacklist", headers=h)).json()["items"] == []


async def test_public_views_in_each_state(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(32), "A32", name="盘锦秘密乳业有限公司")
    secret = "明知产品不合格仍继续销售"
    set_day(clock, date(2026, 7, 1))
    for url in (
        f"/public/v1/blacklist/{code(32)}",
        "/public/v1/blacklist?q=秘密乳业",
        "/public/v1/blacklist/export?format=json",
        "/public/v1/blacklist/export?format=csv",
        "/blacklist?q=秘密乳业",
    ):
        r = await client.get(url)
        assert r.status_code == 200, (url, r.text)
        assert secret not in r.text and '"grade"' not in r.text, url
        assert "盘锦秘密乳业" in r.text, url
    await step(client, h, entry["id"], "remove", {"removed_on": "2026-07-01", "reason": "error"})
    for url in (
        f"/public/v1/blacklist/{code(32)}",
        "/public/v1/blacklist?q=秘密乳业&status=removed",
        "/public/v1/blacklist/export?format=json",
        "/blacklist?q=秘密乳业",
    ):
        r = await client.get(url)
        assert r.status_code == 200, (url, r.text)
        assert secret not in r.text, url
        assert "生产销售不符合保障人体健康" not in r.text, url  # the offence's reason


async def test_full_division_code_as_jurisdiction(
    client: httpx.AsyncClient, make_agency: Any, national: Any, clock: FixedClock
) -> None:
    """An agency created with its division's full code (``--region 210000`` for Liaoning,
    ``211100`` for Panjin) has the same jurisdiction as with the short prefix: it covers its
    prefecture's counties and approves their listings (Art.22)."""
    set_day(clock, T0)
    liaoning = await make_agency("province", "210000")
    panjin = await make_agency("prefecture", "211100")
    county = await make_agency("county", DAWA)
    uscc = code(40, DAWA)
    await enterprise(client, liaoning.headers, uscc)
    pid = await penalty(client, panjin.headers, uscc, "A40")
    e = await propose(client, panjin.headers, uscc, pid, proposed_on="2026-06-01")
    await step(client, panjin.headers, e["id"], "notify", {"notified_on": "2026-06-01"})
    await step(client, liaoning.headers, e["id"], "approve", {"approved_on": "2026-06-02"})
    pid2 = await penalty(client, county.headers, uscc, "A40b")
    e2 = await propose(client, county.headers, uscc, pid2, proposed_on="2026-06-01")
    await step(client, county.headers, e2["id"], "notify", {"notified_on": "2026-06-01"})
    await step(client, panjin.headers, e2["id"], "approve", {"approved_on": "2026-06-02"})
    assert (await get(client, county.headers, e2["id"]))["approved_by"] == panjin.id


async def test_every_transition_writes_one_feed_event(
    client: httpx.AsyncClient, make_agency: Any, national: Any, clock: FixedClock
) -> None:
    set_day(clock, T0)
    panjin = await make_agency("prefecture", "2111")
    liaoning = await make_agency("province", "21")
    h = panjin.headers
    uscc = code(50)
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, "A50")

    async def events() -> list[dict[str, Any]]:
        r = await client.get("/v1/changes?after=0&limit=1000", headers=national.headers)
        return [e for e in r.json()["events"] if e["code"] == uscc]

    e = await propose(client, h, uscc, pid, proposed_on="2026-06-01")
    eid = e["id"]
    steps: list[tuple[dict[str, str], str, dict[str, Any], date]] = [
        (h, "notify", {"notified_on": "2026-06-01"}, T0),
        (liaoning.headers, "approve", {"approved_on": "2026-06-02"}, T0),
        (h, "list", {"decided_on": "2026-06-03", "defence_waived": True}, T0),
        (h, "publish", {"published_on": "2026-06-04"}, T0),
        (h, "apply_repair", {"applied_on": "2027-06-10"}, date(2027, 6, 10)),
        (h, "accept_repair", {"accepted_on": "2027-06-11"}, date(2027, 6, 11)),
        (h, "remove", {"removed_on": "2027-06-14", "reason": "repaired"}, date(2027, 6, 14)),
        (h, "restore", {"restored_on": "2027-07-01"}, date(2027, 7, 1)),
        (h, "apply_repair", {"applied_on": "2027-07-02"}, date(2027, 7, 2)),
        (h, "refuse_repair", {"refused_on": "2027-07-05"}, date(2027, 7, 5)),
    ]
    before = len(await events())
    for headers, transition, body, day in steps:
        set_day(clock, day)
        await step(client, headers, eid, transition, body)
        now = await events()
        assert len(now) == before + 1, (transition, [x["type"] for x in now])
        assert now[-1]["type"].startswith("blacklist"), now[-1]
        before = len(now)


async def test_concurrent_duplicate_transitions(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    import asyncio

    h = national.headers
    entry = await listed(client, h, code(51), "A51")
    set_day(clock, date(2026, 7, 1))
    body = {"removed_on": "2026-07-01", "reason": "error"}
    rs = await asyncio.gather(
        *(
            client.post(f"/v1/blacklist/{entry['id']}/remove", json=body, headers=h)
            for _ in range(4)
        )
    )
    codes = sorted(r.status_code for r in rs)
    assert codes.count(200) == 1, [r.text for r in rs]
    assert all(c in (200, 409) for c in codes), [r.text for r in rs]
    now = await get(client, h, entry["id"])
    assert [t["transition"] for t in now["transitions"]].count("remove") == 1


async def test_restore_after_fraud_found_past_original_expiry(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    """Art.20: the fraud may come to light after the original 3 years would have run out;
    the restored listing still runs 3 years from the restoration."""
    h = national.headers
    entry = await listed(client, h, code(52), "A52")
    set_day(clock, date(2027, 6, 16))
    await step(client, h, entry["id"], "remove", {"removed_on": "2027-06-16", "reason": "repaired"})
    set_day(clock, date(2029, 7, 2))
    out = await step(client, h, entry["id"], "restore", {"restored_on": "2029-07-02"})
    assert out["status"] == "listed" and out["expires_on"] == "2032-07-02", out


async def _correct(
    client: httpx.AsyncClient, h: dict[str, str], rid: int, ref: str, **over: Any
) -> int:
    body = {
        "occurred_on": "2026-06-01",
        "decision_number": f"盘市监罚〔2026〕{ref}号",
        "penalty_types": ["fine", "suspension"],
        "fine_amount": 250000,
        "heavier": True,
        "police_referral": False,
        "reason": "金额更正",
        **over,
    }
    r = await client.post(f"/v1/records/{rid}/corrections", json=body, headers=h)
    assert r.status_code in (200, 201), r.text
    return int(r.json()["id"])


async def test_repair_not_blocked_by_overturned_or_earlier_or_own_penalty(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    """Art.16: only a *new* heavier penalty *in force* blocks early removal: not one since
    overturned, not one decided before the listing (recorded late), not a correction of
    the listing's own penalty."""
    h = national.headers
    uscc = code(61)
    entry = await listed(client, h, uscc, "A61")
    set_day(clock, date(2027, 7, 1))
    own = int(entry["penalty_record_id"])
    await _correct(client, h, own, "A61")
    overturned = await penalty(client, h, uscc, "A61b", occurred_on=date(2027, 1, 5))
    r = await _set_status(client, h, overturned, "overturned")
    assert r.status_code == 200, r.text
    await penalty(client, h, uscc, "A61c", occurred_on=date(2026, 5, 1))
    now = await get(client, h, entry["id"])
    assert now["status"] == "listed", now
    out = await step(
        client, h, entry["id"], "remove", {"removed_on": "2027-07-01", "reason": "repaired"}
    )
    assert out["removal_reason"] == "repaired"


async def test_corrected_penalty_keeps_the_listing(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    """A correction (a new version of the penalty record) is not a revocation (Art.19)."""
    h = national.headers
    uscc = code(62)
    entry = await listed(client, h, uscc, "A62")
    set_day(clock, date(2026, 7, 1))
    await _correct(client, h, int(entry["penalty_record_id"]), "A62")
    now = await get(client, h, entry["id"])
    assert now["status"] == "listed", now
    assert (await client.get(f"/public/v1/blacklist/{uscc}")).json()["listed"] is True


@pytest.mark.parametrize(
    "value",
    ["2026-6-10", "2026-06-10T10:00:00Z", "20260610", "1e3", "-2026-06-10"],
)
async def test_notified_on_only_a_calendar_date(
    client: httpx.AsyncClient, national: Any, clock: FixedClock, value: str
) -> None:
    h = national.headers
    set_day(clock, T0)
    e = await proposed(client, h, 63, on=date(2026, 6, 1))
    r = await client.post(f"/v1/blacklist/{e['id']}/notify", json={"notified_on": value}, headers=h)
    p = problem(r, 422)
    assert "notified_on" in str(fields(p)), p
    assert (await get(client, h, e["id"]))["status"] == "proposed"


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=1001", "region=abc", "status=expired", "cursor=%00", "cursor=bm9wZQ"],
)
async def test_agency_list_malformed(client: httpx.AsyncClient, national: Any, query: str) -> None:
    r = await client.get(f"/v1/blacklist?{query}", headers=national.headers)
    assert 400 <= r.status_code < 500, r.text
    problem(r, r.status_code)


async def test_steps_after_removal_refused(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    entry = await listed(client, h, code(64), "A64", publish=False)
    set_day(clock, date(2026, 7, 1))
    await step(client, h, entry["id"], "remove", {"removed_on": "2026-06-20", "reason": "error"})
    for transition, body in (
        ("publish", {"published_on": "2026-07-01"}),
        ("apply_repair", {"applied_on": "2026-07-01"}),
        ("notify", {"notified_on": "2026-07-01"}),
        ("list", {"decided_on": "2026-07-01", "defence_waived": True}),
    ):
        r = await client.post(f"/v1/blacklist/{entry['id']}/{transition}", json=body, headers=h)
        p = problem(r, 409)
        assert p.get("rule"), p
    assert (await get(client, h, entry["id"]))["published_on"] is None


async def _listed_on(
    client: httpx.AsyncClient, h: dict[str, str], n: int, day: date, **kw: Any
) -> dict[str, Any]:
    uscc = code(n, kw.pop("region", PANJIN))
    await enterprise(client, h, uscc)
    pid = await penalty(client, h, uscc, f"A{n}", occurred_on=day)
    e = await propose(client, h, uscc, pid, proposed_on=day.isoformat())
    await step(client, h, e["id"], "notify", {"notified_on": day.isoformat()})
    return await step(
        client, h, e["id"], "list", {"decided_on": day.isoformat(), "defence_waived": True}
    )


async def test_repair_application_across_spring_festival(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    """Art.17: accepted within 2 working days, decided within 15 working days of acceptance;
    the Spring Festival days do not count, the make-up Saturdays do."""
    h = national.headers
    set_day(clock, date(2025, 1, 10))
    e = await _listed_on(client, h, 70, date(2025, 1, 10))
    set_day(clock, SPRING_NOTICE)
    out = await step(client, h, e["id"], "apply_repair", {"applied_on": "2026-02-13"})
    assert out["repair_accept_by"] == "2026-02-24"  # 02-14 (make-up), 02-24
    set_day(clock, date(2026, 2, 24))
    assert (await get(client, h, e["id"]))["repair_acceptance_overdue"] is False
    set_day(clock, date(2026, 2, 25))
    assert (await get(client, h, e["id"]))["repair_acceptance_overdue"] is True
    out = await step(client, h, e["id"], "accept_repair", {"accepted_on": "2026-02-25"})
    # 15 working days from 02-25: 26, 27, 28(make-up), 03-02..06 (5), 09..13 (5), 16, 17
    assert out["repair_decide_by"] == "2026-03-17", out
    set_day(clock, date(2026, 3, 17))
    assert (await get(client, h, e["id"]))["repair_decision_overdue"] is False
    set_day(clock, date(2026, 3, 18))
    assert (await get(client, h, e["id"]))["repair_decision_overdue"] is True


async def test_stop_publication_across_national_day(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    """Art.18/19: publication stops within 3 working days of the removal; 10-01..07 are
    off and Saturday 10-10 is a working day."""
    h = national.headers
    set_day(clock, date(2026, 9, 1))
    e = await _listed_on(client, h, 71, date(2026, 9, 1))
    await step(client, h, e["id"], "publish", {"published_on": "2026-09-01"})
    set_day(clock, NATIONAL_DECISION)
    await _set_status(client, h, int(e["penalty_record_id"]), "overturned")
    out = await get(client, h, e["id"])
    assert out["removal_reason"] == "overturned" and out["removed_on"] == "2026-09-30", out
    assert out["stop_publication_by"] == "2026-10-10", out


async def test_cross_province_push_across_national_day(
    client: httpx.AsyncClient, make_agency: Any, clock: FixedClock, app: Any
) -> None:
    """Art.14: pushed within 10 working days of the decision, published within 10 working
    days of receipt, both across the National Day holiday."""
    panjin = await make_agency("prefecture", "2111")
    liaoning = await make_agency("province", "21")
    set_day(clock, NATIONAL_DECISION)
    uscc = code(72)
    await enterprise(client, panjin.headers, uscc)
    pid = await penalty(client, panjin.headers, uscc, "A72", occurred_on=date(2026, 9, 20))
    await _moved_to_hebei(app, uscc)
    e = await propose(client, panjin.headers, uscc, pid, proposed_on="2026-09-20")
    eid = e["id"]
    await step(client, panjin.headers, eid, "notify", {"notified_on": "2026-09-20"})
    await step(client, liaoning.headers, eid, "approve", {"approved_on": "2026-09-21"})
    out = await step(
        client, panjin.headers, eid, "list", {"decided_on": "2026-09-30", "defence_waived": True}
    )
    # 10-08, 09, 10 (make-up), 12, 13, 14, 15, 16, 19, 20
    assert out["push_by"] == "2026-10-20", out
    set_day(clock, date(2026, 10, 20))
    assert (await get(client, panjin.headers, eid))["push_overdue"] is False
    set_day(clock, date(2026, 10, 21))
    assert (await get(client, panjin.headers, eid))["push_overdue"] is True
    out = await step(
        client,
        panjin.headers,
        eid,
        "push",
        {"pushed_on": "2026-10-21", "received_on": "2026-10-21"},
    )
    # 10 working days from 10-21: 22, 23, 26..30, 11-02, 03, 04
    assert out["publish_by"] == "2026-11-04", out


async def test_public_screening_before_publication(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    """Until published (Art.14) a listing is not public: public screening answers
    ``listed: false``; once published it answers true, once removed false again."""
    h = national.headers
    uscc = code(80)
    entry = await listed(client, h, uscc, "A80", publish=False)

    async def screened() -> bool:
        r = await client.post("/public/v1/screen", json={"codes": [uscc]})
        assert r.status_code == 200, r.text
        item = r.json()["results"][0]
        assert "grade" not in item, item
        return bool(item["listed"])

    assert await screened() is False
    await step(client, h, entry["id"], "publish", {"published_on": T0.isoformat()})
    assert await screened() is True
    # The grade is never public: not in the CSV answer either (not even as a column).
    r = await client.post(
        "/public/v1/screen?format=csv", content=uscc.encode(), headers={"Content-Type": "text/csv"}
    )
    assert r.status_code == 200, r.text
    header, row = r.text.splitlines()[:2]
    assert "grade" not in header.split(","), header
    assert ",C," not in row and not row.endswith(",C"), row
    agency = await client.post("/v1/screen", json={"codes": [uscc]}, headers=h)
    assert agency.json()["results"][0]["grade"] == "C", agency.text
    set_day(clock, date(2026, 7, 1))
    await step(client, h, entry["id"], "remove", {"removed_on": "2026-07-01", "reason": "error"})
    assert await screened() is False


async def test_idempotency_key_is_per_agency_and_per_request(
    client: httpx.AsyncClient, make_agency: Any, national: Any, clock: FixedClock
) -> None:
    set_day(clock, T0)
    other = await make_agency("province", "21")
    h = national.headers
    e = await proposed(client, h, 81, on=date(2026, 6, 1))
    key = {"Idempotency-Key": "same-key-81"}
    a = await client.post(
        f"/v1/blacklist/{e['id']}/notify", json={"notified_on": "2026-06-02"}, headers={**h, **key}
    )
    assert a.status_code == 200, a.text
    # Another agency with the same key does not get the first agency's answer replayed.
    b = await client.post(
        f"/v1/blacklist/{e['id']}/notify",
        json={"notified_on": "2026-06-02"},
        headers={**other.headers, **key},
    )
    assert b.status_code in (403, 409), b.text
    assert "notified_on" not in b.text or b.json().get("status") != "notified", b.text
    # The same key on another transition is not a replay of the notice.
    c = await client.post(
        f"/v1/blacklist/{e['id']}/list",
        json={"decided_on": "2026-06-02", "defence_waived": True},
        headers={**h, **key},
    )
    assert c.status_code in (409, 422), c.text
    assert (await get(client, h, e["id"]))["status"] == "notified"


async def test_public_etag_changes_on_removal(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    uscc = code(82)
    entry = await listed(client, h, uscc, "A82")
    r = await client.get(f"/public/v1/blacklist/{uscc}")
    etag = r.headers.get("etag")
    assert etag and "cache-control" in r.headers
    set_day(clock, date(2026, 7, 1))
    await step(client, h, entry["id"], "remove", {"removed_on": "2026-07-01", "reason": "error"})
    r = await client.get(f"/public/v1/blacklist/{uscc}", headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.json()["listed"] is False, r.text


async def test_public_lookup_any_spelling(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    uscc = code(90)
    await listed(client, national.headers, uscc, "A90")
    spelled = (uscc.lower(), f"{uscc[:6]}-{uscc[6:12]} {uscc[12:]}", uscc[8:17])
    for s in spelled:
        r = await client.get(f"/public/v1/blacklist/{s}")
        assert r.status_code == 200, (s, r.text)
        assert r.json()["code"] == uscc and r.json()["listed"] is True, (s, r.text)
    bad = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    p = problem(await client.get(f"/public/v1/blacklist/{bad}"), 422)
    assert p["errors"][0].get("expected") == uscc[-1], p


async def test_statutory_restriction_extends_expiry(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    """Art.21: a statutory restriction longer than 3 years keeps the listing until it ends;
    a shorter one changes nothing."""
    h = national.headers
    set_day(clock, T0)
    e = await proposed(client, h, 91, on=date(2026, 6, 1))
    await step(client, h, e["id"], "notify", {"notified_on": "2026-06-01"})
    out = await step(
        client,
        h,
        e["id"],
        "list",
        {"decided_on": "2026-06-02", "defence_waived": True, "restricted_until": "2031-06-02"},
    )
    assert out["expires_on"] == "2031-06-02", out
    set_day(clock, date(2029, 6, 3))
    assert (await get(client, h, e["id"]))["status"] == "listed"
    set_day(clock, date(2031, 6, 2))
    assert (await get(client, h, e["id"]))["removal_reason"] == "expired"


async def test_other_agency_cannot_undo_a_listing(
    client: httpx.AsyncClient, make_agency: Any, national: Any, clock: FixedClock
) -> None:
    """Only the deciding authority runs its listing's later steps (Art.13, Art.16-20): a
    county agency with jurisdiction over the enterprise cannot remove, repair or restore
    a listing the province decided."""
    liaoning = await make_agency("province", "21")
    county = await make_agency("county", DAWA)
    uscc = code(92, DAWA)
    set_day(clock, T0)
    await enterprise(client, liaoning.headers, uscc)
    pid = await penalty(client, liaoning.headers, uscc, "A92")
    e = await propose(client, liaoning.headers, uscc, pid, proposed_on="2026-06-01")
    eid = e["id"]
    r = await client.post(
        f"/v1/blacklist/{eid}/notify", json={"notified_on": "2026-06-01"}, headers=county.headers
    )
    assert problem(r, 403)["rule"] == "order44-deciding-authority", r.text
    await step(client, liaoning.headers, eid, "notify", {"notified_on": "2026-06-01"})
    await step(
        client, liaoning.headers, eid, "list", {"decided_on": "2026-06-02", "defence_waived": True}
    )
    set_day(clock, date(2027, 7, 1))
    for transition, body in (
        ("remove", {"removed_on": "2027-07-01", "reason": "error"}),
        ("remove", {"removed_on": "2027-07-01", "reason": "repaired"}),
        ("apply_repair", {"applied_on": "2027-07-01"}),
    ):
        r = await client.post(
            f"/v1/blacklist/{eid}/{transition}", json=body, headers=county.headers
        )
        assert problem(r, 403)["rule"] == "order44-deciding-authority", (transition, r.text)
    assert (await get(client, liaoning.headers, eid))["status"] == "listed"
    # Recording the publication needs only jurisdiction over the enterprise (Art.14).
    await step(client, county.headers, eid, "publish", {"published_on": "2027-07-01"})
