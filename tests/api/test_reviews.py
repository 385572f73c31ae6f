"""Grades decided by people (issue 16 item 4): confirm or override the computed class; the
override is what lookups, screening and supervision plans use until it expires or the
dossier computes a lower class; audit, change feed and grade history name who and why."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from service.auth import ALL_SCOPES
from service.clock import FixedClock
from tests.api._blacklist import set_day
from tests.api._grading import add_record, code, inspection, penalty, put_enterprise
from tests.conftest import MakeAgency

REVIEW_KEYS = {
    "action",
    "grade",
    "computed_grade",
    "reason",
    "agency",
    "reviewed_on",
    "expires_on",
    "in_force",
}


async def review(
    client: httpx.AsyncClient, h: dict[str, str], uscc: str, expect: int = 201, **body: Any
) -> dict[str, Any]:
    r = await client.post(f"/v1/enterprises/{uscc}/classification/review", json=body, headers=h)
    assert r.status_code == expect, r.text
    return dict(r.json())


async def grades_everywhere(
    client: httpx.AsyncClient, h: dict[str, str], uscc: str
) -> tuple[str, str, str, str, float]:
    """(classification, lookup, screening, plan grade, plan inspections per year)."""
    cls = (await client.get(f"/v1/enterprises/{uscc}/classification", headers=h)).json()
    ent = (await client.get(f"/v1/enterprises/{uscc}", headers=h)).json()
    screen = (await client.post("/v1/screen", json={"codes": [uscc]}, headers=h)).json()
    plan = (
        await client.get("/v1/supervision/plan", params={"region": uscc[2:8]}, headers=h)
    ).json()
    [item] = [i for i in plan["items"] if i["code"] == uscc]
    return (
        cls["grade"],
        ent["classification"]["grade"],
        screen["results"][0]["grade"],
        item["grade"],
        item["inspections_per_year"],
    )


async def test_override_holds_everywhere_until_it_expires(
    client: httpx.AsyncClient, make_agency: MakeAgency, clock: FixedClock
) -> None:
    province = await make_agency("province", "21", name="辽宁省市场监督管理局")
    h = province.headers
    uscc = code(801)
    await put_enterprise(client, h, uscc, products=["dairy"])  # never inspected: B
    assert (await grades_everywhere(client, h, uscc)) == ("B", "B", "B", "B", 2.0)

    out = await review(
        client,
        h,
        uscc,
        action="override",
        grade="C",
        reason="群众举报集中,约谈后加严监管",
        expires_on="2026-07-15",
    )
    assert (out["grade"], out["computed_grade"]) == ("C", "B")
    assert set(out["review"]) == REVIEW_KEYS
    assert out["review"] | {"reviewed_on": None} == {
        "action": "override",
        "grade": "C",
        "computed_grade": "B",
        "reason": "群众举报集中,约谈后加严监管",
        "agency": "辽宁省市场监督管理局",
        "reviewed_on": None,
        "expires_on": "2026-07-15",
        "in_force": True,
    }
    assert out["supervision"]["inspections_per_year"] == 4.0  # C × risk Ⅰ
    assert (await grades_everywhere(client, h, uscc)) == ("C", "C", "C", "C", 4.0)

    history = (
        await client.get(f"/v1/enterprises/{uscc}/classification/history", headers=h)
    ).json()["items"]
    assert (history[0]["from"], history[0]["to"], history[0]["trigger"]) == ("B", "C", "review")
    assert history[0]["agency"] == "辽宁省市场监督管理局"
    assert history[0]["reason"] == "群众举报集中,约谈后加严监管"
    feed = (await client.get("/v1/changes", params={"after": 0, "limit": 1000}, headers=h)).json()
    reviewed = [e for e in feed["events"] if e["type"] == "grade.reviewed"]
    assert [(e["code"], e["data"]["from"], e["data"]["to"]) for e in reviewed] == [(uscc, "B", "C")]
    audit = await client.get("/v1/audit", params={"target": f"enterprise/{uscc}"}, headers=h)
    assert "classification.override" in [e["action"] for e in audit.json()["items"]]

    set_day(clock, date(2026, 7, 14))  # the last day of the override
    assert (await grades_everywhere(client, h, uscc))[:4] == ("C", "C", "C", "C")
    set_day(clock, date(2026, 7, 15))  # expired: the computed class again
    assert (await grades_everywhere(client, h, uscc)) == ("B", "B", "B", "B", 2.0)
    cls = (await client.get(f"/v1/enterprises/{uscc}/classification", headers=h)).json()
    assert cls["review"]["in_force"] is False and cls["computed_grade"] == "B"


async def test_a_lower_computed_class_ends_the_override_a_higher_does_not(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    lenient, strict = code(802), code(803)
    for uscc in (lenient, strict):
        await put_enterprise(client, h, uscc, products=["dairy"])  # B
    await review(
        client, h, lenient, action="override", grade="A", reason="整改到位", expires_on="2027-01-01"
    )
    await review(
        client, h, strict, action="override", grade="C", reason="风险较高", expires_on="2027-01-01"
    )
    # better evidence for `strict` (computed A): not lower than B, the override holds
    await add_record(client, h, strict, inspection("RV1", "2026-05-01"))
    cls = (await client.get(f"/v1/enterprises/{strict}/classification", headers=h)).json()
    assert (cls["grade"], cls["computed_grade"], cls["review"]["in_force"]) == ("C", "A", True)
    # a heavier penalty for `lenient` (computed C, lower than the B the reviewer saw): lapses
    await add_record(client, h, lenient, penalty("RV2", "2026-06-01", heavier=True))
    assert (await grades_everywhere(client, h, lenient))[:4] == ("C", "C", "C", "C")
    cls = (await client.get(f"/v1/enterprises/{lenient}/classification", headers=h)).json()
    assert cls["review"]["in_force"] is False

    # both computed classes changed since their reviews: both are due for a new review
    page = (
        await client.get("/v1/classification/reviews", params={"region": "2111"}, headers=h)
    ).json()
    assert [(i["code"], i["computed_grade"]) for i in page["items"]] == sorted(
        [(lenient, "C"), (strict, "A")]
    )
    assert page["next_cursor"] is None
    other = (
        await client.get("/v1/classification/reviews", params={"region": "2101"}, headers=h)
    ).json()
    assert other["items"] == []
    # a confirmation of today's class takes it off the list and ends the override
    out = await review(client, h, strict, action="confirm", reason="复核确认")
    assert (out["grade"], out["review"]["action"], out["review"]["in_force"]) == (
        "A",
        "confirm",
        False,
    )
    page = (await client.get("/v1/classification/reviews", headers=h)).json()
    assert [i["code"] for i in page["items"]] == [lenient]


async def test_scope_jurisdiction_and_validation(
    client: httpx.AsyncClient, make_agency: MakeAgency, national: Any
) -> None:
    uscc = code(804)
    await put_enterprise(client, national.headers, uscc, products=["dairy"])
    body = {"action": "override", "grade": "A", "reason": "x", "expires_on": "2026-12-31"}
    no_scope = await make_agency(scopes=ALL_SCOPES - {"classification:review", "admin"})
    r = await client.post(
        f"/v1/enterprises/{uscc}/classification/review", json=body, headers=no_scope.headers
    )
    assert r.status_code == 403 and r.json()["rule"] == "scope"
    hebei = await make_agency("province", "13")
    r = await client.post(
        f"/v1/enterprises/{uscc}/classification/review", json=body, headers=hebei.headers
    )
    assert r.status_code == 403 and r.json()["rule"] == "jurisdiction"
    h = national.headers

    def fields(r: dict[str, Any]) -> list[tuple[str, str]]:
        return [(e["field"], e["rule"]) for e in r["errors"]]

    bad = await review(client, h, uscc, 422, action="override", grade="A", reason="x")
    assert fields(bad) == [("expires_on", "missing")]
    bad = await review(
        client, h, uscc, 422, action="override", grade="B", reason="x", expires_on="2026-12-31"
    )
    assert fields(bad) == [("grade", "override-same-grade")]
    bad = await review(
        client, h, uscc, 422, action="override", grade="A", reason="x", expires_on="2026-06-15"
    )
    assert fields(bad) == [("expires_on", "future")]
    bad = await review(client, h, uscc, 422, action="confirm", grade="A", reason="x")
    assert bad["errors"][0]["expected"] == "B"
    cls = (await client.get(f"/v1/enterprises/{uscc}/classification", headers=h)).json()
    assert cls["review"] is None  # nothing was stored
