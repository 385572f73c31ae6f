"""Quality status report: XLSX structure and figures equal to the stats API, the HTML
document with its charts and narrative, jurisdiction, and `qcredit report quality`."""

from __future__ import annotations

import asyncio
import base64
import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from service.cli import app as cli_app
from service.web.vocabulary import GROUP_KEYS
from tests.api import _web_data as data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = ["概览", "按产品", "按地区", "按层级", "按月份", "分类等级", "名单变动"]
RATE_HEADERS = (
    "分组代码",
    "名称",
    "抽查批次",
    "合格",
    "不合格",
    "合格率",
    "上年合格率",
    "变化（百分点）",
    "目标",
    "低于目标",
)


@pytest.fixture
async def seeded(client: httpx.AsyncClient, national: Any) -> data.Seeded:
    return await data.seed(client, national.headers)


async def _stats(
    client: httpx.AsyncClient, headers: dict[str, str], group_by: str, year: int, **extra: str
) -> dict[str, Any]:
    params = {
        "group_by": group_by,
        "from": f"{year}-01-01",
        "to": f"{year}-12-31",
        "target": "0.96",
        **extra,
    }
    r = await client.get("/v1/stats/inspections", params=params, headers=headers)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


async def test_xlsx_sheets_headers_and_figures_match_the_stats_api(
    client: httpx.AsyncClient, national: Any, seeded: data.Seeded
) -> None:
    r = await client.get(
        "/v1/reports/quality", params={"year": 2026, "format": "xlsx"}, headers=national.headers
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    assert 'filename="quality-CN-2026.xlsx"' in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == SHEETS

    for sheet, group_by in (
        ("按产品", "product"),
        ("按地区", "region"),
        ("按层级", "level"),
    ):
        rows = _rows(book[sheet])
        assert rows[0] == RATE_HEADERS
        now = await _stats(client, national.headers, group_by, 2026)
        before = {
            g["key"]: g for g in (await _stats(client, national.headers, group_by, 2025))["groups"]
        }
        # level keys are words in the Chinese report (国家级...), product/region keys codes
        assert [row[0] for row in rows[1:]] == [
            GROUP_KEYS[g["key"]][0] if g["key"] in GROUP_KEYS else g["key"] for g in now["groups"]
        ]
        for row, g in zip(rows[1:], now["groups"], strict=True):
            assert row[2:6] == (g["inspections"], g["passed"], g["failed"], g["rate"]), sheet
            assert row[6] == (before[g["key"]]["rate"] if g["key"] in before else None)
            assert row[8] == 0.96
            assert row[9] == {True: "是", False: "否", None: None}[g["below_target"]]

    months = _rows(book["按月份"])
    api_months = {
        g["key"]: g for g in (await _stats(client, national.headers, "month", 2026))["groups"]
    }
    assert [row[0] for row in months[1:]] == [f"2026-{m:02d}" for m in range(1, 13)]
    for row in months[1:]:
        expected = api_months.get(row[0])
        assert row[2] == (expected["inspections"] if expected else 0)
        assert row[5] == (expected["rate"] if expected else None)

    # the known data: dairy fell from 4/4 in 2025 to 2/4 in 2026
    dairy = next(row for row in _rows(book["按产品"]) if row[0] == "dairy")
    assert dairy[2:8] == (4, 2, 2, 0.5, 1.0, -50.0)
    assert dairy[9] == "是"

    summary = {row[0]: row[1] for row in _rows(book["概览"]) if row and row[0]}
    total = (await _stats(client, national.headers, "product", 2026))["total"]
    assert summary["抽查批次"] == total["inspections"] == 7
    assert summary["合格率"] == total["rate"]
    assert summary["上年合格率"] == 0.9  # 9 of 10 in 2025
    assert summary["年末在列"] == 1

    grades = _rows(book["分类等级"])
    assert grades[0] == ("地区代码", "地区", "AA", "A", "B", "C", "未分类", "合计")
    api_grades = (await client.get("/v1/stats/grades", headers=national.headers)).json()
    assert [(row[0], *row[2:]) for row in grades[1:-1]] == [
        (g["key"], g["AA"], g["A"], g["B"], g["C"], g["unclassified"], g["total"])
        for g in api_grades["groups"]
    ]
    assert grades[-1][-1] == api_grades["total"]["total"] == 4

    moves = _rows(book["名单变动"])
    events = sorted((row[1], row[2]) for row in moves[1:])
    assert events == sorted(
        [
            ("列入", seeded.listed_code),
            ("列入", seeded.removed_code),
            ("移出", seeded.removed_code),
        ]
    )


async def test_html_report_has_charts_tables_and_a_narrative(
    client: httpx.AsyncClient, national: Any, seeded: data.Seeded
) -> None:
    r = await client.get(
        "/v1/reports/quality", params={"year": 2026, "format": "html"}, headers=national.headers
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    page = r.text
    assert "<title>2026年全国质量状况报告</title>" in page
    charts = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', page)
    assert len(charts) == 5  # product, region, level, month, grades
    for encoded, alt in charts:
        svg = base64.b64decode(encoded).decode()
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>"), alt
    product_svg = base64.b64decode(charts[0][0]).decode()
    assert "乳制品" in product_svg and "目标 target 96%" in product_svg
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing fetched online
    narrative = re.search(r'<div class="narrative" id="narrative">(.*?)</div>', page, re.S)
    assert narrative is not None
    text = narrative.group(1)
    assert "共监督抽查 7 批次,合格 5 批次,合格率 71.4%,未达到目标 96.0%" in text
    assert "与上年(90.0%)相比下降 18.6 个百分点" in text
    assert "合格率降幅最大的产品类别:乳制品(100.0%→50.0%,-50.0 个百分点)" in text
    assert "低于目标 96.0% 的产品类别(1 个):乳制品 50.0%" in text
    assert "年内列入 2 家,移出 1 家(错误更正 1 家),年末在列 1 家" in text
    assert page.count('data-table="') == 6


async def test_regional_agency_gets_its_own_region_and_nothing_outside(
    client: httpx.AsyncClient, make_agency: Any, seeded: data.Seeded
) -> None:
    panjin = await make_agency("prefecture", "2111")
    r = await client.get(
        "/v1/reports/quality", params={"year": 2026, "format": "xlsx"}, headers=panjin.headers
    )
    assert r.status_code == 200, r.text
    assert 'filename="quality-2111-2026.xlsx"' in r.headers["content-disposition"]
    summary = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(r.content))["概览"].iter_rows(values_only=True)
        if row and row[0]
    }
    # Panjin: dairy fail + pass (211100) and cement pass + pass (211102) in 2026
    assert (summary["地区代码"], summary["抽查批次"], summary["合格"]) == (
        "2111",
        4,
        3,
    )
    outside = await client.get(
        "/v1/reports/quality", params={"region": "21", "year": 2026}, headers=panjin.headers
    )
    assert outside.status_code == 403
    assert outside.json()["rule"] == "jurisdiction"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({"year": "1999"}, "year"),
        ({"region": "21a"}, "region"),
        ({"target": "1.5"}, "target"),
    ],
)
async def test_bad_parameters_are_422_problems(
    client: httpx.AsyncClient, national: Any, params: dict[str, str], field: str
) -> None:
    r = await client.get("/v1/reports/quality", params=params, headers=national.headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == [field]


async def test_report_needs_a_key(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/reports/quality")
    assert r.status_code == 401


async def test_cli_writes_both_formats(
    client: httpx.AsyncClient,
    national: Any,
    seeded: data.Seeded,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QCREDIT_DATABASE_URL", database_url)
    runner = CliRunner()
    for suffix in ("xlsx", "html"):
        out = tmp_path / f"report.{suffix}"
        args = ["report", "quality", "--region", "2111", "--year", "2026", "--out", str(out)]
        # the CLI runs its own event loop: give it a thread
        result = await asyncio.to_thread(runner.invoke, cli_app, args)
        assert result.exit_code == 0, result.output
        assert "4 inspections" in result.output
    book = load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames == SHEETS
    assert "2026年盘锦市质量状况报告" in (tmp_path / "report.html").read_text(encoding="utf-8")
    bad = await asyncio.to_thread(
        runner.invoke, cli_app, ["report", "quality", "--out", str(tmp_path / "r.pdf")]
    )
    assert bad.exit_code == 2
