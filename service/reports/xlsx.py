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
from service.web import i18n, vocabulary

EVENTS_ZH = {"listed": "列入", "removed": "移出", "restored": "恢复列入"}
GRADE_NAMES = {"unclassified": "未分类"}

# sheet title -> report group
RATE_SHEETS = (
    ("按产品", "product"),
    ("按地区", "region"),
    ("按层级", "level"),
    ("按月份", "month"),
)
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
GRADE_HEADERS = ("地区代码", "地区", *(GRADE_NAMES.get(k, k) for k in GRADE_KEYS), "合计")
MOVEMENT_HEADERS = (
    "日期",
    "变动",
    "统一社会信用代码",
    "企业",
    "行政区划代码",
    "列入类别",
    "事由/原因",
    "决定机关",
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
                i18n.label(vocabulary.GROUP_KEYS, r.key, "zh")
                if r.key in vocabulary.GROUP_KEYS
                else r.key,
                r.label,
                r.inspections,
                r.passed,
                r.failed,
                r.rate,
                r.previous_rate,
                r.change_pp,
                target,
                None if r.below_target is None else ("是" if r.below_target else "否"),
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
    summary.title = "概览"
    summary.append([f"{report.period_zh}{report.region_label}质量状况报告"])
    summary["A1"].font = Font(bold=True, size=14)
    t = report.total
    mon = report.monitoring
    for label, value in (
        ("地区代码", report.region or ""),
        ("地区", report.region_label),
        ("年度", report.year),
        ("目标合格率", report.target),
        ("抽查批次", t.inspections),
        ("合格", t.passed),
        ("不合格", t.failed),
        ("合格率", t.rate),
        ("上年合格率", t.previous_rate),
        ("变化（百分点）", t.change_pp),
        ("年末在列", report.in_force_at_end),
        ("生成日期", report.generated_on),
        ("期间", report.period_zh),
        ("风险监测批次", mon.inspections if mon else 0),
        ("监测合格率", mon.rate if mon else None),
        ("抽查结果公告", report.announcements),
        ("行政处罚", report.penalties),
    ):
        append_values(summary, [label, value])
    formats = {"目标合格率": PERCENT, "合格率": PERCENT, "上年合格率": PERCENT}
    formats |= {"监测合格率": PERCENT, "生成日期": "yyyy-mm-dd"}
    for label_cell, value_cell in summary.iter_rows(min_row=2, max_col=2):
        if label_cell.value in formats:
            value_cell.number_format = formats[label_cell.value]
    summary.append([])
    summary.append(["说明"])
    for line in report.narrative_zh:
        append_values(summary, [line])
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 60

    for title, key in RATE_SHEETS:
        sheet = _rate_sheet(book, title, report.groups[key], report.target)
        _chart(sheet, title, line=key == "month")

    grades = book.create_sheet("分类等级")
    _header(grades, GRADE_HEADERS)
    for g in report.grades:
        append_values(grades, [g.key, g.label, *(g.counts.get(k, 0) for k in GRADE_KEYS), g.total])
    totals = report.grade_total
    append_values(grades, ["", "合计", *(totals[k] for k in GRADE_KEYS), sum(totals.values())])

    moves = book.create_sheet("名单变动")
    _header(moves, MOVEMENT_HEADERS)
    for m in report.movements:
        append_values(
            moves,
            [
                m.on,
                EVENTS_ZH.get(m.event, m.event),
                m.code,
                m.name,
                m.region_code,
                i18n.label(i18n.CATEGORY_LABELS, m.category, "zh"),
                REMOVAL_ZH.get(m.detail, m.detail) if m.event == "removed" else m.detail,
                m.authority,
            ],
        )
    for cell in moves["A"][1:]:
        cell.number_format = "yyyy-mm-dd"

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
