"""Penalties count from their decision, complaints from their receipt, police referrals
from the referral (issue 14 items 1-2), and the heavier types of Order 44 Art.2 (item 9),
through every path that feeds the classifier: the single write, the batch (set-based
regrade), the recompute, the stored-class lookup and point-in-time reads — on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from service.clock import FixedClock
from service.store.recompute import run as recompute
from tests.api._blacklist import listed, set_day
from tests.api._grading import add_record, code, grade_of, inspection, put_enterprise

E = code(401)


async def _aa(client: httpx.AsyncClient, headers: dict[str, str], uscc: str = E) -> None:
    """An enterprise that is AA on 2026-06-15 (dairy, risk I)."""
    await put_enterprise(client, headers, uscc)
    for ref, on in (("P1", "2025-09-01"), ("P2", "2026-01-05"), ("P3", "2026-04-01")):
        await add_record(client, headers, uscc, inspection(f"{uscc}{ref}", on))
    await add_record(
        client,
        headers,
        uscc,
        {
            "kind": "commendation",
            "source_ref": f"{uscc}-award",
            "occurred_on": "2025-12-01",
            "title": "辽宁省省长质量奖",
        },
    )
    assert await grade_of(client, headers, uscc) == "AA"


def _penalty(ref: str, occurred_on: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "penalty",
        "source_ref": ref,
        "occurred_on": occurred_on,
        "decision_number": f"盘市监罚〔2026〕{ref}号",
        "penalty_types": ["warning"],
        **extra,
    }


def _heavier(ref: str, occurred_on: str, **extra: Any) -> dict[str, Any]:
    return _penalty(ref, occurred_on, penalty_types=["suspension"], **extra)


async def _classification(
    client: httpx.AsyncClient, headers: dict[str, str], uscc: str = E, **q: str
) -> dict[str, Any]:
    r = await client.get(f"/v1/enterprises/{uscc}/classification", params=q, headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _rules(doc: dict[str, Any]) -> list[str]:
    return [x["rule"] for x in doc["reasons"]]


async def test_heavier_penalty_counts_from_its_decision(
    client: httpx.AsyncClient, national: Any
) -> None:
    """The issue's reproduction: conduct in 2023, decision on 2026-06-01 -> C on 06-15."""
    h = national.headers
    await _aa(client, h)
    rec = await add_record(
        client, h, E, _heavier("X1", "2023-01-01", decided_on="2026-06-01", heavier=True)
    )
    doc = await _classification(client, h)
    assert doc["grade"] == "C"
    assert doc["reasons"] == [
        {
            "rule": "C-heavier-penalty",
            "text": "24个月内受到较重行政处罚",
            "text_en": "Heavier administrative penalty within 24 months",
            "grade": "C",
            "record_ids": [rec["id"]],
            "disputed_record_ids": [],
        }
    ]
    # a penalty decided after the evaluation date never counts at that date
    assert await grade_of(client, h, E, as_of="2026-05-31") == "AA"
    assert await grade_of(client, h, E, as_of="2026-06-01") == "C"
    # ... nor when replaying what was known (known_at takes the same cut-off)
    known = datetime(2026, 6, 15, 2, 0, tzinfo=UTC).isoformat()  # the test clock
    assert await grade_of(client, h, E, known_at=known, as_of="2026-05-31") == "AA"
    assert await grade_of(client, h, E, known_at=known) == "C"
    # the stored class (enterprise lookup, hot path) says the same
    r = await client.get(f"/v1/enterprises/{E}", headers=h)
    assert r.json()["classification"]["grade"] == "C"


async def test_decided_on_is_stored_defaulting_to_occurred_on(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    await put_enterprise(client, h, E)
    rec = await add_record(client, h, E, _penalty("D1", "2026-02-10"))
    assert rec["decided_on"] == "2026-02-10"
    assert rec["heavier"] is False and rec["referred_on"] is None
    again = await client.post(
        f"/v1/enterprises/{E}/records",
        json=_penalty("D1", "2026-02-10", decided_on="2026-02-10"),
        headers=h,
    )
    # the default is what was stored: sending it explicitly is the same body (a replay)
    assert again.status_code == 200 and again.json()["id"] == rec["id"]
    listed = await client.get(f"/v1/records/{rec['id']}", headers=h)
    assert listed.json()["decided_on"] == "2026-02-10"


async def test_other_penalty_and_aa_no_penalty_count_from_decision(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    await _aa(client, h)
    # conduct 2024-01-01 (outside the 24-month window), decided 2026-06-01 (inside)
    rec = await add_record(client, h, E, _penalty("W1", "2024-01-01", decided_on="2026-06-01"))
    doc = await _classification(client, h)
    assert doc["grade"] == "B" and _rules(doc) == ["B-other-penalty"]
    assert doc["reasons"][0]["record_ids"] == [rec["id"]]
    assert await grade_of(client, h, E, as_of="2026-05-31") == "AA"


async def test_aa_no_penalty_window_counts_from_decision(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    # the 36-month window ending 2026-06-15 starts 2023-06-15; the conduct (2022) is
    # outside it either way, and the B window (from 2024-06-15) holds neither decision
    inside, outside = code(403), code(404)
    await _aa(client, h, inside)
    await _aa(client, h, outside)
    await add_record(client, h, inside, _penalty("W2", "2022-03-01", decided_on="2023-06-15"))
    await add_record(client, h, outside, _penalty("W3", "2022-03-01", decided_on="2023-06-14"))
    assert await grade_of(client, h, inside) == "A"
    assert await grade_of(client, h, outside) == "AA"


async def test_police_referral_counts_from_the_referral(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    await _aa(client, h)
    rec = await add_record(
        client,
        h,
        E,
        _penalty(
            "R1",
            "2023-01-01",
            decided_on="2023-02-01",
            police_referral=True,
            referred_on="2026-06-01",
        ),
    )
    assert rec["referred_on"] == "2026-06-01"
    doc = await _classification(client, h)
    assert doc["grade"] == "C" and _rules(doc) == ["C-police-referral"]
    assert await grade_of(client, h, E, as_of="2026-05-31") == "AA"
    assert await grade_of(client, h, E, as_of="2026-06-01") == "C"


async def test_referral_date_defaults_to_decision(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    await _aa(client, h)
    rec = await add_record(
        client, h, E, _penalty("R2", "2023-01-01", decided_on="2026-06-01", police_referral=True)
    )
    assert rec["referred_on"] == "2026-06-01"
    doc = await _classification(client, h)
    assert doc["grade"] == "C" and _rules(doc) == ["C-police-referral"]


async def test_referral_date_needs_a_referral(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    await put_enterprise(client, h, E)
    for body, rule in (
        (_penalty("R3", "2026-01-01", referred_on="2026-02-01"), "referral-date-without-referral"),
        (
            _penalty("R4", "2026-01-01", police_referral=True, referred_on="2025-12-31"),
            "date-order",
        ),
    ):
        r = await client.post(f"/v1/enterprises/{E}/records", json=body, headers=h)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [("referred_on", rule)]


async def test_complaints_count_from_receipt(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    await _aa(client, h)
    for i in range(3):
        rec = await add_record(
            client,
            h,
            E,
            {
                "kind": "complaint",
                "source_ref": f"C{i}",
                "occurred_on": "2025-01-01",
                "received_on": "2026-06-01",
                "substantiated": True,
            },
        )
    assert rec["received_on"] == "2026-06-01"
    doc = await _classification(client, h)
    assert doc["grade"] == "B" and _rules(doc) == ["B-complaints"]
    assert await grade_of(client, h, E, as_of="2026-05-31") == "AA"
    default = await add_record(
        client,
        h,
        E,
        {
            "kind": "complaint",
            "source_ref": "C9",
            "occurred_on": "2026-03-01",
            "substantiated": False,
        },
    )
    assert default["received_on"] == "2026-03-01"


async def test_batch_and_lookup_count_from_decision(
    client: httpx.AsyncClient, national: Any
) -> None:
    """The batch path re-grades set-based (regrade_bulk): same answer, stored for lookup."""
    h = national.headers
    await _aa(client, h)
    other = code(402)
    await _aa(client, h, other)
    body = {
        "records": [
            {"code": E, **_heavier("B1", "2023-01-01", decided_on="2026-06-01")},
            {"code": other, **_penalty("B2", "2024-01-01", decided_on="2026-06-01")},
        ]
    }
    r = await client.post("/v1/records/batch", json=body, headers=h)
    assert r.status_code == 200 and r.json()["accepted"] == 2, r.text
    docs = {}
    for uscc in (E, other):
        r = await client.get(f"/v1/enterprises/{uscc}", headers=h)
        docs[uscc] = r.json()["classification"]
    assert docs[E]["grade"] == "C" and _rules(docs[E]) == ["C-heavier-penalty"]
    assert docs[other]["grade"] == "B" and _rules(docs[other]) == ["B-other-penalty"]


async def test_recompute_ages_penalties_from_decision(
    client: httpx.AsyncClient, national: Any, app: Any, clock: FixedClock
) -> None:
    """The set-based recompute (driver SQL on PostgreSQL) ends the window 24 months after
    the decision: C on the last day, no longer the day after."""
    h = national.headers
    await _aa(client, h)
    await add_record(client, h, E, _heavier("A1", "2023-01-01", decided_on="2024-07-01"))
    assert await grade_of(client, h, E) == "C"
    db = app.state.db
    clock.at = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
    await recompute.recompute(db, today=date(2026, 7, 1))
    r = await client.get(f"/v1/enterprises/{E}", headers=h)
    assert r.json()["classification"]["grade"] == "C"
    clock.at = datetime(2026, 7, 2, 2, 0, tzinfo=UTC)
    summary = await recompute.recompute(db, today=date(2026, 7, 2))
    assert summary.changed == 1
    r = await client.get(f"/v1/enterprises/{E}", headers=h)
    # still inside the 36-month AA window: A, not AA
    assert r.json()["classification"]["grade"] == "A"


# --- item 9: the heavier types of Order 44 Art.2 ------------------------------------------


async def test_qualification_downgrade_is_a_heavier_penalty(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    await _aa(client, h)
    rec = await add_record(
        client, h, E, _penalty("Q1", "2026-05-01", penalty_types=["qualification_downgrade"])
    )
    assert rec["penalty_types"] == ["qualification_downgrade"] and rec["heavier"] is True
    doc = await _classification(client, h)
    assert doc["grade"] == "C" and _rules(doc) == ["C-heavier-penalty"]


async def test_every_art2_type_is_heavier_by_law(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    await put_enterprise(client, h, E)
    art2 = [
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
        "business_restriction",
        "suspension",
        "closure",
        "practice_restriction",
    ]
    for t in art2:
        rec = await add_record(client, h, E, _penalty(f"T-{t}", "2026-05-01", penalty_types=[t]))
        assert rec["heavier"] is True, t
        r = await client.post(
            f"/v1/enterprises/{E}/records",
            json=_penalty(f"F-{t}", "2026-05-01", penalty_types=[t], heavier=False),
            headers=h,
        )
        assert r.status_code == 422, r.text
        assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [
            ("heavier", "order44-art2-heavier-by-type")
        ]
    # a fine is heavier only when the agency says it was aggravated (Art.2(1))
    plain = await add_record(
        client, h, E, _penalty("FINE", "2026-05-01", penalty_types=["fine"], fine_amount=5000)
    )
    assert plain["heavier"] is False
    aggravated = await add_record(
        client,
        h,
        E,
        _penalty("FINE2", "2026-05-01", penalty_types=["fine"], fine_amount=5000, heavier=True),
    )
    assert aggravated["heavier"] is True


async def test_repair_refused_by_a_heavier_penalty_decided_since_the_listing(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    """Order 44 Art.16: "no new heavier penalty since" reads the penalty's decision — conduct
    before the listing decided after it blocks repair; one decided before does not."""
    h = national.headers
    uscc = code(410)
    entry = await listed(client, h, uscc, "LX1")  # listed 2026-06-15
    set_day(clock, date(2027, 6, 21))
    before = await add_record(
        client, h, uscc, _heavier("LX2", "2026-05-01", decided_on="2026-06-15")
    )
    assert before["heavier"] is True
    # qualification downgrade is heavier by law (Art.2): no flag needed
    since = await add_record(
        client,
        h,
        uscc,
        _penalty(
            "LX3", "2026-06-01", decided_on="2026-06-16", penalty_types=["qualification_downgrade"]
        ),
    )
    r = await client.post(
        f"/v1/blacklist/{entry['id']}/remove",
        json={"removed_on": "2027-06-21", "reason": "repaired"},
        headers=h,
    )
    assert r.status_code == 409, r.text
    assert r.json()["errors"][0]["rule"] == "order44-art16-new-heavier-penalty"
    assert str(since["id"]) in r.json()["detail"]
