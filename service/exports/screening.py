"""Screening results as a download: one row per code screened, in request order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.credit.codes import CodeError, try_parse
from service.exports.tables import Column, Lang, Sheet
from service.web import vocabulary
from service.web.i18n import code_error_text

COLUMNS = (
    Column("input", "输入"),
    Column("code", "统一社会信用代码"),
    Column("valid", "代码有效", "bool"),
    Column("known", "已登记", "bool"),
    Column("listed", "在列", "bool"),
    Column("grade", "分类等级"),
    Column("error_rule", "错误类型", labels=vocabulary.CODE_RULES),
    Column("error_message", "错误说明"),
)
# Grades are a supervision reference, never public (design.md "Screening").
PUBLIC_COLUMNS = tuple(c for c in COLUMNS if c.key != "grade")
RECEIPT_COLUMNS = (Column("field", "项目"), Column("value", "内容"))
RECEIPT_LABELS = {
    "issued_at": "签发时间（协调世界时）",
    "alg": "签名算法",
    "signature": "签名",
    "dataset_version": "数据版本",
    "request_sha256": "所筛代码的摘要（SHA-256）",
    "count": "代码个数",
    "hits": "在列企业代码",
    "token": "回执令牌",
    "verify": "核验方法",
}


def rows(results: Iterable[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    out = []
    for r in results:
        err = r.get("error") or {}
        out.append(
            {
                "input": r.get("input", r["code"]),
                "code": r["code"],
                "valid": r["valid"],
                "known": r["known"],
                "listed": r["listed"],
                "grade": r.get("grade"),
                "error_rule": err.get("rule"),
                "error_message": _message(r, err, lang) if err else None,
            }
        )
    return out


def _message(result: dict[str, Any], err: dict[str, Any], lang: Lang) -> str:
    raw = result.get("input", result["code"])
    again = try_parse(raw) if isinstance(raw, str) else None  # the error with its details
    return code_error_text(again if isinstance(again, CodeError) else err, lang)


def results_sheet(results: Iterable[dict[str, Any]], lang: Lang, *, public: bool) -> Sheet:
    columns = PUBLIC_COLUMNS if public else COLUMNS
    return Sheet("筛查结果", columns, rows(results, lang), title_en="results")


def receipt_sheet(receipt: dict[str, Any], lang: Lang) -> Sheet:
    items: list[dict[str, Any]] = []
    for key, value in receipt.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        name = RECEIPT_LABELS.get(key, key) if lang == "zh" else key
        items.append({"field": name, "value": shown})
    verify = (
        "在本系统“回执核验”页面上传本文件即可核验"
        if lang == "zh"
        else "upload this file on the receipts page, or "
        "GET /public/v1/screen/verify?receipt=<token>"
    )
    items.append({"field": RECEIPT_LABELS["verify"] if lang == "zh" else "verify", "value": verify})
    return Sheet("回执", RECEIPT_COLUMNS, items, title_en="receipt")
