"""The receipts page: a screening receipt in words (when, how many codes, which dataset,
which hits, whether this registry's signature holds), from a pasted token or receipt, or
an uploaded screening download (JSON or XLSX)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from fastapi import Request
from openpyxl import load_workbook

from service.security import receipts
from service.web.i18n import Lang, translate

CHINA = ZoneInfo("Asia/Shanghai")
MAX_UPLOAD = 5 * 1024 * 1024
TOKEN_LABELS = ("token", "回执令牌")


@dataclass(slots=True)
class ReceiptView:
    authentic: bool
    issued_at: str
    count: int
    dataset_version: int
    hits: list[str]
    request_sha256: str
    token: str | None


def _from_xlsx(data: bytes) -> str | None:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if len(row) >= 2 and row[0] in TOKEN_LABELS and isinstance(row[1], str):
                return row[1]
    return None


def receipt_from_upload(filename: str, data: bytes) -> str | dict[str, Any] | None:
    """The receipt inside a screening download: the JSON's `receipt`, the XLSX receipt
    sheet's token, or a text file holding a token or receipt JSON."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        return _from_xlsx(data)
    text = data.decode("utf-8-sig", errors="replace").strip()
    if text.startswith("{"):
        try:
            doc = orjson.loads(text)
        except orjson.JSONDecodeError:
            return text
        inner = doc.get("receipt", doc) if isinstance(doc, dict) else doc
        return inner if isinstance(inner, dict | str) else None
    return text or None


def _when(issued_at: object, lang: Lang) -> str:
    try:
        moment = datetime.fromisoformat(str(issued_at).replace("Z", "+00:00")).astimezone(CHINA)
    except ValueError:
        return str(issued_at)
    if lang == "zh":
        return moment.strftime("%Y年%m月%d日 %H:%M:%S（北京时间）")
    return moment.strftime("%Y-%m-%d %H:%M:%S (China time)")


async def check(
    request: Request, receipt: str | dict[str, Any], lang: Lang
) -> tuple[ReceiptView | None, str | None]:
    """The receipt in words, or an error message for something that is not a receipt."""
    key = await receipts.secret(request)
    try:
        ok, payload = receipts.verify(key, receipt)
    except receipts.ReceiptFormatError:
        return None, translate("receipt.malformed", lang)
    token = receipt if isinstance(receipt, str) else receipt.get("token")
    return (
        ReceiptView(
            authentic=ok,
            issued_at=_when(payload.get("issued_at"), lang),
            count=int(payload.get("count") or 0),
            dataset_version=int(payload.get("dataset_version") or 0),
            hits=[str(h) for h in payload.get("hits") or []],
            request_sha256=str(payload.get("request_sha256")),
            token=token if isinstance(token, str) and not token.startswith("{") else None,
        ),
        None,
    )
