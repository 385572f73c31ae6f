"""The screening page: the public screening (≤ 1,000 codes, published listings only) with its
signed receipt, shown as a table and downloadable as XLSX or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from fastapi import Request, UploadFile
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from service.credit.codes import CodeError, try_parse
from service.exports import screening as screening_export
from service.exports import tables
from service.security import receipts
from service.store import screening
from service.store.blacklist.reads import names
from service.web.i18n import Lang, code_error_text, translate
from service.web.render import request_lang
from service.web.upload import UploadError, codes_from_upload, split_pasted

MAX_CODES = screening.PUBLIC_MAX_CODES
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(slots=True)
class Row:
    code: str
    valid: bool
    known: bool
    listed: bool
    name: str | None
    error: str | None
    corrected: str | None  # the code with the right check character, for a typo


@dataclass(slots=True)
class ScreenView:
    rows: list[Row]
    total: int
    hits: int
    invalid: int
    receipt: dict[str, Any]
    receipt_pretty: str
    codes_text: str


async def collect_codes(
    text: str, file: UploadFile | None, lang: Lang
) -> tuple[list[str], str | None]:
    """Pasted codes, then the uploaded file's first column; an error message or None."""
    codes = split_pasted(text)
    if file is not None and file.filename:
        data = await file.read(5 * 1024 * 1024 + 1)
        try:
            codes.extend(codes_from_upload(file.filename, data))
        except UploadError as err:
            return codes, translate("screen.error", lang, detail=str(err))
    if not codes:
        return codes, translate("screen.empty", lang)
    if len(codes) > MAX_CODES:
        detail = f"{len(codes)} > {MAX_CODES}"
        return codes, translate("screen.error", lang, detail=detail)
    return codes, None


async def _screen(
    request: Request, session: AsyncSession, raw: list[str], today: date
) -> tuple[screening.Screened, dict[str, Any]]:
    key = await receipts.secret(request)
    answer = await screening.screen(session, raw, today, public=True)
    receipt = receipts.sign(
        key,
        raw_codes=raw,
        dataset_version=answer.dataset_version,
        issued_at=request.app.state.clock.now(),
        hits=answer.hits,
    )
    return answer, receipt


async def run(request: Request, session: AsyncSession, raw: list[str], today: date) -> ScreenView:
    answer, receipt = await _screen(request, session, raw, today)
    # Names only for published listings: the public list shows them anyway.
    hit_names = await names(session, answer.hits) if answer.hits else {}
    lang = request_lang(request)
    rows = []
    for r in answer.results:
        problem = try_parse(r["code"]) if not r["valid"] and isinstance(r["code"], str) else None
        error = problem if isinstance(problem, CodeError) else None
        rows.append(
            Row(
                code=r["code"],
                valid=r["valid"],
                known=r["known"],
                listed=r["listed"],
                name=hit_names.get(r["code"]) if r["listed"] else None,
                error=code_error_text(error or r.get("error"), lang) if not r["valid"] else None,
                corrected=error.corrected if error else None,
            )
        )
    return ScreenView(
        rows=rows,
        total=len(rows),
        hits=sum(r.listed for r in rows),
        invalid=sum(not r.valid for r in rows),
        receipt=receipt,
        receipt_pretty=orjson.dumps(receipt, option=orjson.OPT_INDENT_2).decode(),
        codes_text="\n".join(raw),
    )


def _xlsx(results: list[dict[str, Any]], receipt: dict[str, Any], lang: Lang) -> bytes:
    return tables.to_xlsx(
        [
            screening_export.results_sheet(results, lang, public=True),
            screening_export.receipt_sheet(receipt, lang),
        ],
        lang=lang,
    )


async def download(
    request: Request, session: AsyncSession, raw: list[str], today: date, fmt: str
) -> Response:
    """The screening answered again (same codes, so the same `request_sha256`) with a fresh
    receipt; JSON has the public API's shape, XLSX a results and a receipt sheet."""
    answer, receipt = await _screen(request, session, raw, today)
    name = f"screening-{today.isoformat()}-v{answer.dataset_version}"
    headers = {"Cache-Control": "no-store", "X-Screen-Receipt": receipt["token"]}
    if fmt == "json":
        body = orjson.dumps(
            {
                "results": answer.results,
                "dataset_version": answer.dataset_version,
                "receipt": receipt,
            }
        )
        media = "application/json"
    else:
        body, media, fmt = _xlsx(answer.results, receipt, request_lang(request)), XLSX_MEDIA, "xlsx"
    headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return Response(body, media_type=media, headers=headers)
