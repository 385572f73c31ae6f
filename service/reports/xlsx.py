"""The report as an XLSX workbook (openpyxl): one sheet per breakdown, rates as numbers
formatted as percentages so they can be recomputed and charted in Excel/WPS."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from service.exports.tables import append_values
from service.reports.figures import GRADE_KEYS, QualityReport, RateRow
from service.reports.narrative import REMOVAL_ZH

# sheet title -> report group
RATE_SHEETS = (
    ("按产品 Products", "product"),
    ("按地区 Regions", "region"),
    ("按层级 Levels", "level"),
    ("按月份 Months", "month"),
)
RATE_HEADERS = (
    "key",
    "名称 label",
    "抽查批次 inspections",
    "合格 passed",
    "不合格 failed",
    "合格率 rate",
    "上年合格率 previous_rate",
    "变化(百分点) change_pp",
    "目标 target",
    "低于目标 below_target",
)
GRADE_HEADERS = ("key", "地区 label", *GRADE_KEYS, "合计 total")
MOVEMENT_HEADERS = (
    "日期 on",
    "变动 event",
    "统一社会信用代码 code",
    "企业 name",
    "地区 region_code",
    "类别 category",
    "事由/原因 detail",
    "决定机关 authority",
)
BOLD = Font(bold=True)
LOW_FILL = PatternFill("solid", fgColor="FDE8E6")
PERCENT = "0.0%"


def _header(sheet: Worksheet, headers: Sequence[str]) -> None:
    append_values(sheet, list(headers))
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"


def _rate_sheet(book: Workbook, title: str, rows: list[RateRow], target: float) -> Worksheet:
    sheet = book.create_sheet(title)
    _header(sheet, RATE_HEADERS)
    for r in rows:
        append_values(
            sheet,
            [
                r.key,
                r.label,
                r.inspections,
                r.passed,
                r.failed,
                r.rate,
                r.previous_rate,
                r.change_pp,
                target,
                r.below_target,
            ],
        )
        if r.below_target:
            for cell in sheet[sheet.max_row]:
                cell.fill = LOW_FILL
    for column in ("F", "G", "I"):
        for cell in sheet[column][1:]:
            cell.number_format = PERCENT
    sheet.column_dimensions["B"].width = 22
    return sheet


def _chart(sheet: Worksheet, title: str, line: bool) -> None:
    """A native chart of the rate column against the target column."""
    n = sheet.max_row
    if n < 2:
        return
    chart = LineChart() if line else BarChart()
    if isinstance(chart, BarChart):
        chart.type = "bar"
    chart.title = title
    chart.y_axis.number_format = "0%"
    chart.add_data(Reference(sheet, min_col=6, min_row=1, max_row=n), titles_from_data=True)
    chart.add_data(Reference(sheet, min_col=9, min_row=1, max_row=n), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=n))
    chart.height, chart.width = 9, 18
    sheet.add_chart(chart, "L2")


def build(report: QualityReport) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "概览 Summary"
    summary.append([f"{report.year}年{report.region_label}质量状况报告"])
    summary["A1"].font = Font(bold=True, size=14)
    t = report.total
    for label, value in (
        ("地区 region", report.region or ""),
        ("地区名称 region_label", report.region_label),
        ("年度 year", report.year),
        ("目标合格率 target", report.target),
        ("抽查批次 inspections", t.inspections),
        ("合格 passed", t.passed),
        ("不合格 failed", t.failed),
        ("合格率 rate", t.rate),
        ("上年合格率 previous_rate", t.previous_rate),
        ("变化(百分点) change_pp", t.change_pp),
        ("年末在列 in_force_at_end", report.in_force_at_end),
        ("生成日期 generated_on", report.generated_on.isoformat()),
    ):
        summary.append([label, value])
    for row in (5, 9, 10):
        summary.cell(row=row, column=2).number_format = PERCENT
    summary.append([])
    summary.append(["说明 narrative"])
    for zh, en in zip(report.narrative_zh, report.narrative_en, strict=True):
        append_values(summary, [zh, en])
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 60

    for title, key in RATE_SHEETS:
        sheet = _rate_sheet(book, title, report.groups[key], report.target)
        _chart(sheet, title, line=key == "month")

    grades = book.create_sheet("分类等级 Grades")
    _header(grades, GRADE_HEADERS)
    for g in report.grades:
        append_values(grades, [g.key, g.label, *(g.counts.get(k, 0) for k in GRADE_KEYS), g.total])
    totals = report.grade_total
    grades.append(["total", "合计", *(totals[k] for k in GRADE_KEYS), sum(totals.values())])

    moves = book.create_sheet("名单变动 Blacklist")
    _header(moves, MOVEMENT_HEADERS)
    for m in report.movements:
        append_values(
            moves,
            [
                m.on,
                m.event,
                m.code,
                m.name,
                m.region_code,
                m.category,
                REMOVAL_ZH.get(m.detail, m.detail) if m.event == "removed" else m.detail,
                m.authority,
            ],
        )
    for cell in moves["A"][1:]:
        cell.number_format = "yyyy-mm-dd"

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
