"""The official calendar is never silently missing (issue 14 item 13): start-up, /readyz,
/metrics and the regulator pages report the last year the working-day calendar covers, warn
when today + 60 days is beyond it, and deadlines past it say `calendar_complete: false`.
On SQLite and PostgreSQL. The installed chinesecalendar release covers 2004-2026."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

from service.app import report_calendar
from service.clock import FixedClock
from tests.api._blacklist import set_day
from tests.api._records import PANJIN, ensure_enterprise, post_record

DAYS_2027 = [
    {"day": "2027-01-01", "working": False, "note": "元旦"},
    {"day": "2027-10-01", "working": False, "note": "国庆节"},
]


async def _calendar(client: httpx.AsyncClient) -> dict[str, Any]:
    r = await client.get("/readyz")
    assert r.status_code == 200, r.text
    return dict(r.json()["calendar"])


# today + 60 days: 2026-11-01 -> 12-31 (covered), 2026-11-02 -> 2027-01-01 (not)
@pytest.mark.parametrize(("day", "short"), [(date(2026, 11, 1), False), (date(2026, 11, 2), True)])
async def test_readyz_and_metrics_report_the_covered_year(
    client: httpx.AsyncClient, clock: FixedClock, day: date, short: bool
) -> None:
    set_day(clock, day)
    assert await _calendar(client) == {
        "last_year": 2026,
        "source": "official",
        "covered_through": "2026-12-31",
        "short": short,
    }
    text = (await client.get("/metrics")).text
    assert "qcredit_calendar_last_year 2026.0" in text
    assert f"qcredit_calendar_coverage_short {1.0 if short else 0.0}" in text


async def test_operator_loaded_year_extends_the_coverage(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    set_day(clock, date(2026, 11, 20))
    assert (await _calendar(client))["short"] is True
    r = await client.put("/v1/calendar", json=DAYS_2027, headers=national.headers)
    assert r.status_code == 200, r.text
    assert await _calendar(client) == {
        "last_year": 2027,
        "source": "operator",
        "covered_through": "2027-12-31",
        "short": False,
    }
    assert "qcredit_calendar_coverage_short 0.0" in (await client.get("/metrics")).text


async def test_deadline_past_the_calendar_says_so(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    set_day(clock, date(2026, 12, 21))
    await ensure_enterprise(client, h, PANJIN)
    # notified 12-16: objection due 12-31 (covered); the 60/75-day periods run into 2027
    r = await post_record(
        client,
        h,
        PANJIN,
        "inspection",
        occurred_on="2026-12-10",
        result="fail",
        notified_on="2026-12-16",
    )
    d = r.json()["deadlines"]
    assert d["objection_deadline"] == "2026-12-31"
    assert d["calendar_complete"] is False
    # a chain whose deadlines all fall in 2026 is complete
    r = await post_record(
        client,
        h,
        PANJIN,
        "inspection",
        occurred_on="2026-12-10",
        result="pass",
        notified_on="2026-12-16",
    )
    assert r.json()["deadlines"]["calendar_complete"] is True
    # once 2027 is loaded, the same deadlines are complete
    await client.put("/v1/calendar", json=DAYS_2027, headers=h)
    rid = (await client.get(f"/v1/enterprises/{PANJIN}/records", headers=h)).json()["items"]
    docs = [(await client.get(f"/v1/records/{x['id']}", headers=h)).json() for x in rid]
    assert all(doc["deadlines"]["calendar_complete"] for doc in docs)


@pytest.mark.parametrize(("day", "shown"), [(date(2026, 11, 1), False), (date(2026, 11, 2), True)])
async def test_regulator_pages_show_the_warning(
    client: httpx.AsyncClient, clock: FixedClock, day: date, shown: bool
) -> None:
    set_day(clock, day)
    for path in ("/regulator", "/regulator/plan", "/regulator/report"):
        html = (await client.get(path)).text
        assert ('id="calendar-short"' in html) is shown, path
        if shown:
            assert "工作日历仅覆盖至2026年" in html and "2027年的节假日" in html
    if shown:
        en = (await client.get("/regulator/plan", params={"lang": "en"})).text
        assert "covers only up to 2026" in en


async def test_start_up_warns_when_the_calendar_runs_short(app: Any, clock: FixedClock) -> None:
    # (the test settings log warnings and above: the info line with the year is filtered)
    set_day(clock, date(2026, 11, 1))
    with capture_logs() as logs:
        await report_calendar(app)
    assert [e for e in logs if e["event"] == "calendar.coverage_short"] == []
    set_day(clock, date(2026, 11, 2))
    with capture_logs() as logs:
        await report_calendar(app)
    [short] = [e for e in logs if e["event"] == "calendar.coverage_short"]
    assert (short["log_level"], short["last_year"], short["source"]) == (
        "warning",
        2026,
        "official",
    )
