"""CSV sent by clients (screening bodies, portal uploads), read with explicit limits.

Python's reader has one implicit limit (a field over 128 KiB raises ``csv.Error``) and no
others; here every limit is ours and named: too many rows is a 413 (the request is too large
for the endpoint), a field or row too long, or a control character in a cell, is a 422 naming
the line. Nothing in a client's CSV can end as a 500.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Final

from service.schemas.fields import control_character

MAX_FIELD_CHARS: Final = 4096  # a code is at most 40 characters even with spaces
MAX_COLUMNS: Final = 256


@dataclass(frozen=True)
class CsvLimitError(ValueError):
    """A CSV body broke a limit; ``too_many_rows`` is a 413, everything else a 422."""

    rule: str
    message: str
    line: int | None = None
    too_many_rows: bool = False

    def __str__(self) -> str:
        return self.message


def read_rows(text: str, *, max_rows: int) -> list[list[str]]:
    """The non-blank rows of ``text`` (at most ``max_rows``), limits checked as it reads."""
    reader = csv.reader(io.StringIO(text))
    rows: list[list[str]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as err:  # csv's own field limit (128 KiB) or a syntax error
            line = reader.line_num
            rule = "csv-field-too-long" if "field limit" in str(err) else "csv-syntax"
            raise CsvLimitError(rule, f"line {line}: {err}", line) from err
        _check_row(row, reader.line_num)
        if any(cell.strip() for cell in row):
            rows.append(row)
            if len(rows) > max_rows:
                raise CsvLimitError(
                    "csv-max-rows",
                    f"more than {max_rows} rows; this endpoint reads at most {max_rows}",
                    reader.line_num,
                    too_many_rows=True,
                )


def _check_row(row: list[str], line: int) -> None:
    if len(row) > MAX_COLUMNS:
        raise CsvLimitError(
            "csv-max-columns", f"line {line}: more than {MAX_COLUMNS} columns", line
        )
    for cell in row:
        if len(cell) > MAX_FIELD_CHARS:
            raise CsvLimitError(
                "csv-field-too-long",
                f"line {line}: a field of {len(cell)} characters; at most {MAX_FIELD_CHARS}",
                line,
            )
        char = control_character(cell, multiline=True)
        if char is not None:
            message = f"line {line}: a field contains the control character {char}"
            raise CsvLimitError("control-character", message, line)
