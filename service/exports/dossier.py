"""The dossier as CSV or XLSX (openpyxl), and the content negotiation that picks a format.

One row per record version; kind fields become columns (the union over the kinds present),
lists are joined with ``|`` so a row round-trips through ``qcredit import``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from service.errors import AppError
from service.exports import tables
from service.exports.tables import Column, Kind, Lang, Sheet
from service.schemas.records import KIND_FIELDS, KINDS
from service.web import vocabulary
from service.web.i18n import CATEGORY_LABELS, REMOVAL_LABELS, STATUS_LABELS

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


def _column(name: str) -> Column:
    kind: Kind = (
        "date"
        if name in vocabulary.DATE_FIELDS
        else "datetime"
        if name in vocabulary.DATETIME_FIELDS
        else "bool"
        if name in vocabulary.BOOL_FIELDS
        else "text"
    )
    return Column(
        name, vocabulary.RECORD_FIELDS.get(name, name), kind, vocabulary.VALUE_LABELS.get(name)
    )


def records_sheet(records: Sequence[Mapping[str, Any]]) -> Sheet:
    columns = [_column(c) for c in _columns(records)]
    return Sheet("信用记录", columns, records, title_en="records")


def to_csv(dossier: Mapping[str, Any], *, lang: Lang = "zh", bom: bool = True) -> bytes:
    """One row per record version (UTF-8 with a BOM unless `bom` is false)."""
    return tables.to_csv(records_sheet(dossier["records"]), lang=lang, bom=bom)


SUMMARY_ROWS = (
    ("code", "统一社会信用代码"),
    ("org_code", "组织机构代码"),
    ("name", "企业名称"),
    ("region_code", "行政区划代码"),
    ("region_name", "地区"),
    ("industry", "行业"),
    ("address", "地址"),
    ("products", "产品类别"),
    ("grade", "分类等级"),
    ("ruleset", "分类规则版本"),
    ("as_of", "评定日期"),
    ("blacklisted", "在严重违法失信名单中"),
)
BLACKLIST_COLUMNS = (
    Column("id", "名单编号", "int"),
    Column("status", "状态", labels=STATUS_LABELS),
    Column("category", "列入类别", labels=CATEGORY_LABELS),
    Column("reason", "列入事由"),
    Column("decided_on", "列入日期", "date"),
    Column("expires_on", "届满日期", "date"),
    Column("published_on", "公示日期", "date"),
    Column("removed_on", "移出日期", "date"),
    Column("removal_reason", "移出原因", labels=REMOVAL_LABELS),
)


def to_xlsx(dossier: Mapping[str, Any], *, lang: Lang = "zh") -> bytes:
    """Sheets: the enterprise and its class, the records, the blacklist entries."""
    ent = dossier["enterprise"]
    cls = ent.get("classification") or {}
    values = {
        **ent,
        "grade": cls.get("grade"),
        "ruleset": cls.get("ruleset"),
        "as_of": dossier["as_of"],
    }
    summary_rows: list[dict[str, Any]] = []
    for key, zh in SUMMARY_ROWS:
        value = values.get(key)
        if isinstance(value, bool):
            value = tables.BOOL_WORDS[lang][0 if value else 1]
        elif isinstance(value, list):
            value = LIST_SEPARATOR.join(str(v) for v in value)
        summary_rows.append({"field": zh if lang == "zh" else key, "value": value})
    for reason in cls.get("reasons") or []:
        text = reason.get("text") if lang == "zh" else reason.get("text_en") or reason.get("text")
        summary_rows.append({"field": "分类依据" if lang == "zh" else "reason", "value": text})
    summary = Sheet(
        "企业",
        (Column("field", "项目"), Column("value", "内容")),
        summary_rows,
        title_en="enterprise",
    )
    listing = Sheet(
        "严重违法失信名单", BLACKLIST_COLUMNS, dossier.get("blacklist") or [], "blacklist"
    )
    return tables.to_xlsx([summary, records_sheet(dossier["records"]), listing], lang=lang)
