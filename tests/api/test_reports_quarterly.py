"""Quarterly quality status analysis (issue 16 item 7): `period=2026Q2` / `--period 2026Q3`,
the figures of the quarter against the same quarter a year earlier, with the monitoring
rate, the published announcements and the penalties of the period."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from service.cli import app as cli_app
from service.clock import Clock
from tests.api._grading import add_record, code, inspection, penalty, put_enterprise
from tests.api.test_monitoring import sample


def _summary(body: bytes) -> dict[str, Any]:
    book = load_workbook(io.BytesIO(body))
    rows = list(book["概览"].iter_rows(values_only=True))
    out = {r[0]: r[1] for r in rows[1:] if r and r[0]}
    out["_title"] = rows[0][0]
    out["_months"] = [r[0] for r in list(book["按月份"].iter_rows(values_only=True))[1:]]
    return out


async def test_quarter_report_api(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    a = code(961)
    await put_enterprise(client, h, a, products=["toy"], name="盘锦季度玩具有限公司")
    now = await add_record(client, h, a, inspection("Q1", "2026-04-10", product="toy"))
    await add_record(client, h, a, inspection("Q2", "2026-05-10", "fail", product="toy"))
    await add_record(client, h, a, inspection("Q3", "2026-02-10", product="toy"))  # Q1: out
    await add_record(client, h, a, inspection("Q4", "2025-05-01", product="toy"))  # a year ago
    await add_record(client, h, a, sample("QM1", "2026-05-01", hazard=False))
    await add_record(client, h, a, sample("QM2", "2026-06-01", hazard=True))
    await add_record(client, h, a, penalty("QP1", "2026-05-20"))
    ann = await client.post(
        "/v1/announcements",
        json={
            "title": "第二季度抽查",
            "announced_on": "2026-06-10",
            "product_category": "toy",
            "level": "provincial",
            "record_ids": [now["id"]],
        },
        headers=h,
    )
    await client.post(f"/v1/announcements/{ann.json()['id']}/publish", json={}, headers=h)

    r = await client.get(
        "/v1/reports/quality",
        params={"period": "2026Q2", "region": "2111", "format": "xlsx"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert "quality-2111-2026Q2.xlsx" in r.headers["content-disposition"]
    s = _summary(r.content)
    assert s["_title"] == "2026年第二季度盘锦市质量状况报告"
    assert s["_months"] == ["2026-04", "2026-05", "2026-06"]
    assert (s["抽查批次"], s["合格"], s["上年合格率"]) == (
        2,
        1,
        1.0,
    )
    assert s["期间"] == "2026年第二季度"
    assert (s["风险监测批次"], s["监测合格率"]) == (2, 0.5)
    assert (s["抽查结果公告"], s["行政处罚"]) == (1, 1)

    html = await client.get(
        "/v1/reports/quality", params={"period": "2026Q2", "format": "html"}, headers=h
    )
    text = html.text
    for part in (
        "2026年第二季度",
        "上年同期",
        "季度末在列",
        "监测合格率 50.0%",
        "发布抽查结果公告 1 期",
    ):
        assert part in text, part
    year = _summary(
        (
            await client.get(
                "/v1/reports/quality", params={"year": 2026, "region": "2111"}, headers=h
            )
        ).content
    )
    assert year["抽查批次"] == 3 and len(year["_months"]) == 12
    bad = await client.get("/v1/reports/quality", params={"period": "2026Q5"}, headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "period"


async def test_quarter_of_the_demo_data_from_the_cli(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app: Any
) -> None:
    monkeypatch.setenv("QCREDIT_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)  # the demo saves its key file here
    runner = CliRunner()
    demo = await asyncio.to_thread(runner.invoke, cli_app, ["demo", "--enterprises", "40"])
    assert demo.exit_code == 0, demo.output
    today = Clock().today()  # the demo and the CLI use the real clock
    last = (today.month - 1) // 3  # the last complete quarter of this year (or last year's Q4)
    period = f"{today.year}Q{last}" if last else f"{today.year - 1}Q4"
    out = tmp_path / "q.xlsx"
    args = ["report", "quality", "--period", period, "--out", str(out)]
    result = await asyncio.to_thread(runner.invoke, cli_app, args)
    assert result.exit_code == 0, result.output
    assert period in result.output
    s = _summary(out.read_bytes())
    quarter = "一二三四"[int(period[-1]) - 1]
    assert s["期间"] == f"{period[:4]}年第{quarter}季度"
    assert len(s["_months"]) == 3
    assert s["抽查批次"] > 0
    html_out = tmp_path / "q.html"
    args = ["report", "quality", "--period", period, "--out", str(html_out)]
    assert (await asyncio.to_thread(runner.invoke, cli_app, args)).exit_code == 0
    assert "季度" in html_out.read_text(encoding="utf-8")
    bad = await asyncio.to_thread(
        runner.invoke, cli_app, ["report", "quality", "--period", "2026Q9", "--out", str(out)]
    )
    assert bad.exit_code == 2
