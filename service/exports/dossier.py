"""The dossier as CSV or XLSX (openpyxl), and the content negotiation that picks a format.

One row per record version; kind fields become columns (the union over the kinds present),
lists are joined with ``|`` so a row round-trips through ``qcredit import``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from openpyxl import Workbook

from service.errors import AppError
from service.schemas.records import KIND_FIELDS, KINDS

Format = Literal["json", "csv", "xlsx"]
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MEDIA: dict[str, Format] = {
    "application/json": "json",
    "application/*": "json",
    "*/*": "json",
    CSV_TYPE: "csv",
    "text/*": "csv",
    XLSX_TYPE: "xlsx",
}
COLUMNS = (
    "id",
    "code",
    "kind",
    "status",
    "source_ref",
    "version",
    "supersedes_id",
    "agency_id",
    "occurred_on",
    "recorded_at",
    "status_reason",
    "status_changed_at",
)
LIST_SEPARATOR = "|"


class NotAcceptable(AppError):
    status = 406
    slug = "not-acceptable"
    title = "No acceptable representation"


def negotiate(format_param: Format | None, accept: str | None) -> Format:
    """``?format=`` wins; otherwise the first supported type in Accept (by q, then order)."""
    if format_param is not None:
        return format_param
    if not accept:
        return "json"
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media.lower() in _MEDIA and q > 0:
            ranked.append((-q, position, _MEDIA[media.lower()]))
    if not ranked:
        raise NotAcceptable(
            f"cannot produce {accept!r}; ask for application/json, {CSV_TYPE} or {XLSX_TYPE} "
            "(or use ?format=json|csv|xlsx)",
            rule="accept",
        )
    return min(ranked)[2]


def _columns(records: Sequence[Mapping[str, Any]]) -> list[str]:
    kinds = [k for k in KINDS if any(r["kind"] == k for r in records)]
    extra: dict[str, None] = {}
    for kind in kinds:
        extra.update(dict.fromkeys(KIND_FIELDS[kind]))
    for name in COLUMNS:
        extra.pop(name, None)
    return [*COLUMNS, *extra]


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, dict):
        return None
    return value


def rows(records: Sequence[Mapping[str, Any]]) -> tuple[list[str], Iterable[list[Any]]]:
    columns = _columns(records)
    return columns, ([_cell(r.get(c)) for c in columns] for r in records)


def to_csv(dossier: Mapping[str, Any]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs read the Chinese text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    columns, body = rows(dossier["records"])
    writer.writerow(columns)
    for row in body:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(dossier: Mapping[str, Any]) -> bytes:
    """Sheets: the enterprise and its class, the records, the blacklist entries."""
    wb = Workbook(write_only=True)
    ent = dossier["enterprise"]
    summary = wb.create_sheet("enterprise")
    cls = ent.get("classification") or {}
    for key in ("code", "org_code", "name", "region_code", "region_name", "industry", "address"):
        summary.append([key, ent.get(key)])
    summary.append(["products", LIST_SEPARATOR.join(ent.get("products") or [])])
    summary.append(["grade", cls.get("grade")])
    summary.append(["ruleset", cls.get("ruleset")])
    summary.append(["as_of", dossier["as_of"]])
    summary.append(["blacklisted", _cell(ent.get("blacklisted"))])
    for reason in cls.get("reasons") or []:
        summary.append(["reason", reason.get("rule"), reason.get("text")])
    records = wb.create_sheet("records")
    columns, body = rows(dossier["records"])
    records.append(columns)
    for row in body:
        records.append(row)
    entries = wb.create_sheet("blacklist")
    listing = dossier.get("blacklist") or []
    names = list(listing[0]) if listing else ["id", "status", "category", "reason"]
    entries.append(names)
    for e in listing:
        entries.append([_cell(e.get(n)) for n in names])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
