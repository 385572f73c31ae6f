"""The shared download writer (service/exports/tables.py): what every CSV and XLSX export
goes through, tested once for the attacks and the Excel details the exports rely on."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from service.exports import tables
from service.exports.tables import Column, Sheet

COLUMNS = (
    Column("text", "文本"),
    Column("on", "日期", "date"),
    Column("rate", "合格率", "percent"),
    Column("ok", "是否合格", "bool"),
    Column("n", "数量", "int"),
)
ATTACKS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']


def _sheet(values: list[str]) -> Sheet:
    return Sheet(
        "表",
        COLUMNS,
        [{"text": v, "on": "2026-03-09", "rate": 0.875, "ok": True, "n": -3} for v in values],
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_cells_that_would_run_as_formulas_are_neutralised(lang: str) -> None:
    body = tables.to_csv(_sheet([*ATTACKS, "普通文本"]), lang=lang)  # type: ignore[arg-type]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'" + a for a in ATTACKS] + ["普通文本"]
    assert {r[4] for r in rows[1:]} == {"-3"}  # a real negative number stays a number


def test_xlsx_cells_are_values_never_formulas_and_survive_control_characters() -> None:
    body = tables.to_xlsx([_sheet([*ATTACKS, "坏\x00字\x1b符"])])
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    # (XML reads a stored CR back as LF)
    assert [c.value for c in cells] == [a.replace("\r", "\n") for a in ATTACKS] + ["坏字符"]


def test_report_workbooks_built_in_memory_keep_formulas_as_text() -> None:
    book = Workbook()
    ws = book.active
    tables.append_values(ws, ["=1+1", "正常", 3, "x\x07"])
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(out).active.iter_rows())
    assert [(c.value, c.data_type) for c in row] == [
        ("=1+1", "s"),
        ("正常", "s"),
        (3, "n"),
        ("x", "s"),
    ]


def test_excel_details_dates_percentages_booleans_widths_bom() -> None:
    body = tables.to_csv(_sheet(["a"]))
    assert body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body
    assert not tables.to_csv(_sheet(["a"]), bom=False).startswith(b"\xef\xbb\xbf")
    row = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1]
    assert row[3] == "是"
    sheet = load_workbook(
        io.BytesIO(tables.to_xlsx([_sheet(["很长的企业名称有限责任公司"])]))
    ).active
    on, rate, ok = sheet["B2"], sheet["C2"], sheet["D2"]
    assert on.value.date() == date(2026, 3, 9) and on.number_format == "yyyy-mm-dd"
    assert rate.value == 0.875 and rate.number_format == "0.0%"
    assert ok.value == "是"
    assert sheet.column_dimensions["A"].width >= tables.display_width("很长的企业名称有限责任公司")
    assert sheet.column_dimensions["D"].width >= tables.display_width("是否合格")
    assert sheet.freeze_panes == "A2"
    english = load_workbook(io.BytesIO(tables.to_xlsx([_sheet(["a"])], lang="en"))).active
    assert [c.value for c in english[1]] == ["text", "on", "rate", "ok", "n"]
    assert english["D2"].value is True


def test_the_public_download_has_every_public_field_in_order() -> None:
    from service.exports.public import PUBLIC_COLUMNS
    from service.store.blacklist.public import EXPORT_FIELDS

    assert tuple(c.key for c in PUBLIC_COLUMNS) == EXPORT_FIELDS
