"""Codes for the screening page, from a pasted list or an uploaded CSV/XLSX (first column)."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

from service.http.csvbody import CsvLimitError, read_rows

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
_SPLIT = re.compile(r"[\r\n,;，；\t]+")
XLSX_MAGIC = b"PK\x03\x04"


class UploadError(ValueError):
    """The upload cannot be read; the message is shown to the user."""


def split_pasted(text: str) -> list[str]:
    """One code per line (commas, semicolons and tabs separate too); spaces inside a code
    are kept because codes are often written in groups."""
    return [c.strip() for c in _SPLIT.split(text) if c.strip()]


def _decode(data: bytes) -> str:
    # Excel on Chinese Windows saves CSV as GB18030 (GBK); everything else is UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError("the file is neither UTF-8 nor GB18030 text")


def _looks_like_header(cell: str) -> bool:
    return not any(ch.isdigit() for ch in cell)


def _first_column(rows: list[str]) -> list[str]:
    cells = [c.strip() for c in rows if c and c.strip()]
    if cells and _looks_like_header(cells[0]):
        cells = cells[1:]
    return cells


def codes_from_csv(data: bytes) -> list[str]:
    try:
        rows = read_rows(_decode(data), max_rows=MAX_ROWS)
    except CsvLimitError as err:
        raise UploadError(str(err)) from err
    return _first_column([row[0] if row else "" for row in rows])


def codes_from_xlsx(data: bytes) -> list[str]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise UploadError("the file is not a readable XLSX workbook") from err
    try:
        sheet = book.worksheets[0]
        values = [
            "" if row[0] is None else str(row[0])
            for row in sheet.iter_rows(max_col=1, values_only=True)
            if row
        ]
    finally:
        book.close()
    return _first_column(values)


def codes_from_upload(filename: str, data: bytes) -> list[str]:
    if len(data) > MAX_FILE_BYTES:
        raise UploadError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if filename.lower().endswith(".xlsx") or data.startswith(XLSX_MAGIC):
        return codes_from_xlsx(data)
    return codes_from_csv(data)
