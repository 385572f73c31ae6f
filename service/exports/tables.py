"""The one writer behind every CSV and XLSX download (public list and deltas, dossier,
screening results, pass-rate statistics, the quality report's tables).

Two jobs, done once here so no export can forget them:

* **Safe for the reader** (OWASP "CSV injection"): a CSV text cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so a spreadsheet shows
  it as text instead of running it as a formula; XLSX cells are always typed values (text
  cells are written as strings, never formulas), and characters XML cannot carry are dropped
  instead of failing the whole file.
* **Right in Excel on Chinese Windows**: CSV in UTF-8 with a BOM (``bom=False`` for
  programs that do not want one), CRLF line ends; XLSX with real dates, percentages as
  numbers formatted ``0.0%``, every column as wide as its header and values, a frozen header
  row. In Chinese (the default) headers and enumerated values are Chinese words and
  booleans 是/否; ``lang=en`` gives the API's own field names and values (the stable form for
  programs).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Lang = Literal["zh", "en"]
Kind = Literal["text", "date", "datetime", "int", "number", "percent", "bool"]
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OWASP CSV injection: characters that make a spreadsheet treat a cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOOL_WORDS = {"zh": ("是", "否"), "en": ("true", "false")}
MAX_WIDTH = 60
BOLD = Font(bold=True)
Labeler = Callable[[Any, Lang], Any]


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the API field name, also the English header
    zh: str  # the Chinese header
    kind: Kind = "text"
    # enumerated values -> (zh, en) words; values not in it pass through unchanged
    labels: Mapping[str, tuple[str, str]] | None = None

    def header(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.key

    def value(self, raw: Any, lang: Lang) -> Any:
        """The cell value in `lang`, typed for XLSX (CSV stringifies it)."""
        if raw is None or raw == "":
            return None
        if isinstance(raw, list | tuple):
            if lang == "zh" and self.labels is not None:
                return "、".join(self.labels[v][0] if v in self.labels else str(v) for v in raw)
            return "|".join(str(v) for v in raw)  # `qcredit import` splits on "|"
        if self.labels is not None and isinstance(raw, str) and raw in self.labels:
            pair = self.labels[raw]
            return pair[0] if lang == "zh" else raw
        if self.kind == "bool":
            return bool(raw)
        if self.kind == "date" and isinstance(raw, str):
            return date.fromisoformat(raw[:10])
        if self.kind == "datetime" and isinstance(raw, str):
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if self.kind in ("number", "percent") and not isinstance(raw, int | float):
            return float(raw)
        if isinstance(raw, dict):
            return None
        return raw


@dataclass(slots=True)
class Sheet:
    title: str  # the XLSX sheet name (Chinese in zh files, English in en files)
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, Any]]
    title_en: str | None = None
    extra: list[Any] = field(default_factory=list)

    def name(self, lang: Lang) -> str:
        return self.title if lang == "zh" or not self.title_en else self.title_en


def neutralise(text: str) -> str:
    """A CSV text cell a spreadsheet will show, never evaluate (OWASP: prefix a quote).
    defusedcsv does the same for = + - @ but lets a leading tab or CR through."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_text(value: Any, kind: Kind, lang: Lang) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = BOOL_WORDS[lang]
        return yes if value else no
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)  # a number is a number: "-3" is not a formula
    return neutralise(str(value))


def to_csv(sheet: Sheet, *, lang: Lang = "zh", bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow(
            [_csv_text(c.value(row.get(c.key), lang), c.kind, lang) for c in sheet.columns]
        )
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def display_width(value: Any) -> int:
    """Columns Excel needs to show `value`: CJK and full-width characters take two."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx_cell(ws: WriteOnlyWorksheet, value: Any, kind: Kind, lang: Lang) -> WriteOnlyCell:
    if isinstance(value, bool) and lang == "zh":
        value = BOOL_WORDS["zh"][0 if value else 1]
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; values are UTC
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a string that starts with "=" stays a string, never a formula
    elif kind == "percent":
        cell.number_format = "0.0%"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def add_sheet(book: Workbook, sheet: Sheet, *, lang: Lang) -> None:
    ws = book.create_sheet(sheet.name(lang)[:31])
    headers = [c.header(lang) for c in sheet.columns]
    body = [[c.value(row.get(c.key), lang) for c in sheet.columns] for row in sheet.rows]
    widths = [display_width(h) for h in headers]
    for values in body:
        for i, v in enumerate(values):
            if v is not None:
                shown = BOOL_WORDS[lang][0] if isinstance(v, bool) else v
                widths[i] = max(widths[i], 10 if isinstance(v, date) else display_width(shown))
    # write-only sheets take widths and panes before the first row
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"
    header_cells = []
    for h in headers:
        cell = _xlsx_cell(ws, h, "text", lang)
        cell.font = BOLD
        header_cells.append(cell)
    ws.append(header_cells)
    for values in body:
        ws.append(
            [_xlsx_cell(ws, v, c.kind, lang) for v, c in zip(values, sheet.columns, strict=True)]
        )


def to_xlsx(sheets: Sequence[Sheet], *, lang: Lang = "zh") -> bytes:
    book = Workbook(write_only=True)
    for sheet in sheets:
        add_sheet(book, sheet, lang=lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def append_values(ws: Any, values: Sequence[Any]) -> None:
    """`ws.append` for workbooks built in memory (the quality report, with native charts):
    text stripped of characters XML cannot carry, and a text starting with "=" kept as text
    (openpyxl would store it as a formula)."""
    ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
