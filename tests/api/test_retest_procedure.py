"""Order 18 Art.38-39 re-test procedure on an objection (issue 14 item 11): the re-test
notice, the 7-day formalities and the 10-day lab designation deadlines (rolled past rest
days, Art.55), overdue flags, and a re-test lab that must differ from the first lab.
On SQLite and PostgreSQL.

Calendar: Dragon Boat Festival 2026 is Fri 06-19 to Sun 06-21 (official calendar)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from service.clock import FixedClock
from tests.api._blacklist import set_day
from tests.api._records import PANJIN, ensure_enterprise, fields_of, post_record, rules_of
from tests.conftest import AgencyKey

NOTICE = "2026-06-12"  # Fri; + 7 days = Fri 06-19, a holiday -> Mon 06-22
FORMALITIES_DUE = "2026-06-22"
FORMALITIES = "2026-06-17"  # Wed; + 10 days = Sat 06-27 -> Mon 06-29
LAB_DUE = "2026-06-29"


async def _failed(client: httpx.AsyncClient, h: dict[str, str], **extra: Any) -> dict[str, Any]:
    await ensure_enterprise(client, h, PANJIN)
    r = await post_record(
        client,
        h,
        PANJIN,
        "inspection",
        occurred_on="2026-05-20",
        result="fail",
        notified_on="2026-05-25",
        lab="辽宁省产品质量监督检验院",
        **extra,
    )
    return dict(r.json())


async def _step(
    client: httpx.AsyncClient, h: dict[str, str], rid: int, status: int = 201, **body: Any
) -> httpx.Response:
    r = await client.post(f"/v1/records/{rid}/followups", json=body, headers=h)
    assert r.status_code == status, r.text
    return r


async def _overdue(client: httpx.AsyncClient, h: dict[str, str]) -> list[dict[str, Any]]:
    r = await client.get("/v1/inspections/overdue", headers=h)
    assert r.status_code == 200, r.text
    return [s for item in r.json()["items"] for s in item["steps"]]


async def test_retest_procedure_deadlines(
    client: httpx.AsyncClient, national: AgencyKey, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, date(2026, 6, 18))
    rec = await _failed(client, h)
    r = await _step(client, h, rec["id"], step="objection", on="2026-05-28")
    r = await _step(client, h, r.json()["id"], step="retest_notice", on=NOTICE)
    d = r.json()["deadlines"]
    assert d["retest_formalities_deadline"] == FORMALITIES_DUE
    # until the formalities are recorded, the lab deadline runs from the notice
    assert d["retest_lab_deadline"] == "2026-06-22"
    assert [s["step"] for s in d["open_steps"]] == ["retest_formalities", "retest"]
    assert d["open_steps"][0]["due"] == FORMALITIES_DUE
    assert d["open_steps"][0]["rule"] == "order18-art38-retest-formalities"

    r = await _step(client, h, r.json()["id"], step="retest_formalities", on=FORMALITIES)
    d = r.json()["deadlines"]
    assert d["retest_lab_deadline"] == LAB_DUE
    assert [(s["step"], s["due"]) for s in d["open_steps"]] == [
        ("retest_lab", LAB_DUE),
        ("retest", None),
    ]

    r = await _step(
        client, h, r.json()["id"], step="retest_lab", on="2026-06-18", lab="国家乳制品质检中心"
    )
    rec = r.json()
    assert rec["retest_lab"] == "国家乳制品质检中心" and rec["lab"] == "辽宁省产品质量监督检验院"
    assert [s["step"] for s in rec["deadlines"]["open_steps"]] == ["retest"]


@pytest.mark.parametrize(("day", "overdue"), [("2026-06-22", 0), ("2026-06-23", 1)])
async def test_formalities_overdue_boundary(
    client: httpx.AsyncClient, national: AgencyKey, clock: FixedClock, day: str, overdue: int
) -> None:
    h = national.headers
    await _failed(client, h, objection_filed_on="2026-05-28", retest_notified_on=NOTICE)
    set_day(clock, date.fromisoformat(day))
    steps = await _overdue(client, h)
    if not overdue:
        assert steps == []
        return
    assert steps == [
        {
            "step": "retest_formalities",
            "due": FORMALITIES_DUE,
            "days_overdue": 1,
            "rule": "order18-art38-retest-formalities",
        }
    ]


@pytest.mark.parametrize(("day", "overdue"), [("2026-06-29", 0), ("2026-06-30", 1)])
async def test_lab_designation_overdue_boundary(
    client: httpx.AsyncClient, national: AgencyKey, clock: FixedClock, day: str, overdue: int
) -> None:
    h = national.headers
    set_day(clock, date.fromisoformat(day))
    await _failed(
        client,
        h,
        objection_filed_on="2026-05-28",
        retest_notified_on=NOTICE,
        retest_formalities_on=FORMALITIES,
    )
    steps = await _overdue(client, h)
    expected = [
        {
            "step": "retest_lab",
            "due": LAB_DUE,
            "days_overdue": 1,
            "rule": "order18-art39-retest-lab",
        }
    ]
    assert steps == (expected if overdue else [])


@pytest.mark.parametrize("same", ["辽宁省产品质量监督检验院", " 辽宁省产品质量监督检验院 "])
async def test_retest_lab_must_differ_from_the_first(
    client: httpx.AsyncClient, national: AgencyKey, clock: FixedClock, same: str
) -> None:
    h = national.headers
    set_day(clock, date(2026, 6, 18))
    rec = await _failed(
        client,
        h,
        objection_filed_on="2026-05-28",
        retest_notified_on=NOTICE,
        retest_formalities_on=FORMALITIES,
    )
    r = await _step(client, h, rec["id"], 422, step="retest_lab", on="2026-06-18", lab=same)
    assert r.headers["content-type"].startswith("application/problem+json")
    assert rules_of(r) == ["order18-art39-retest-lab-differs"] and fields_of(r) == ["lab"]
    # the same in a record body
    r = await post_record(
        client,
        h,
        PANJIN,
        "inspection",
        expect=422,
        occurred_on="2026-05-20",
        result="fail",
        notified_on="2026-05-25",
        lab="省检院",
        objection_filed_on="2026-05-28",
        retest_notified_on=NOTICE,
        retest_lab="省检院",
        retest_lab_designated_on="2026-06-15",
    )
    assert rules_of(r) == ["order18-art39-retest-lab-differs"] and fields_of(r) == ["retest_lab"]


async def test_retest_lab_needs_the_first_lab(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    h = national.headers
    await ensure_enterprise(client, h, PANJIN)
    r = await post_record(
        client,
        h,
        PANJIN,
        "inspection",
        occurred_on="2026-05-20",
        result="fail",
        notified_on="2026-05-25",
        objection_filed_on="2026-05-28",
        retest_notified_on=NOTICE,
    )
    rid = r.json()["id"]
    r = await _step(client, h, rid, 422, step="retest_lab", on="2026-06-15", lab="国家质检中心")
    assert rules_of(r) == ["order18-art39-first-lab-required"] and fields_of(r) == ["first_lab"]
    r = await _step(
        client,
        h,
        rid,
        422,
        step="retest_lab",
        on="2026-06-15",
        lab="甲检测所",
        first_lab="甲检测所",
    )
    assert rules_of(r) == ["order18-art39-retest-lab-differs"]
    r = await _step(
        client, h, rid, step="retest_lab", on="2026-06-15", lab="国家质检中心", first_lab="甲检测所"
    )
    assert r.json()["lab"] == "甲检测所" and r.json()["retest_lab"] == "国家质检中心"


async def test_formalities_after_the_deadline_waive_the_retest(
    client: httpx.AsyncClient, national: AgencyKey, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, date(2026, 7, 1))
    rec = await _failed(client, h, objection_filed_on="2026-05-28", retest_notified_on=NOTICE)
    r = await _step(client, h, rec["id"], 201, step="retest_formalities", on=FORMALITIES_DUE)
    r = await _failed(
        client, h, objection_filed_on="2026-05-28", retest_notified_on=NOTICE, source_ref="late"
    )
    r2 = await _step(client, h, r["id"], 422, step="retest_formalities", on="2026-06-23")
    assert rules_of(r2) == ["order18-art38-formalities-deadline"] and fields_of(r2) == ["on"]


async def test_objection_without_retest_has_no_retest_steps(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    h = national.headers
    rec = await _failed(client, h)
    r = await _step(client, h, rec["id"], step="objection", on="2026-05-28", retest_requested=False)
    assert r.json()["retest_requested"] is False
    assert [s["step"] for s in r.json()["deadlines"]["open_steps"]] == ["recheck"]
    r = await _step(client, h, r.json()["id"], 422, step="retest_notice", on=NOTICE)
    assert rules_of(r) == ["order18-art38-retest-not-requested"]
    r = await _step(
        client, h, rec["id"], 422, step="recheck", on="2026-06-01", result="pass", lab="x"
    )
    assert rules_of(r) == ["field-not-applicable"] and fields_of(r) == ["lab"]
