"""Bulk screening of supplier lists against the blacklist and the classes.

``POST /v1/screen`` (any agency key, ≤ 100,000 codes) and ``POST /public/v1/screen`` (no
key, ≤ 1,000 codes, published listings only). JSON ``{"codes": [...]}`` or CSV in (one
code per line, or a ``code`` column); JSON or CSV out (``Accept: text/csv`` or
``?format=csv``). Each answer carries the dataset version and a signed receipt.

These routes do not use the request transaction: they read through their own read-only
session so a large screen never holds SQLite's write lock.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request, Response
from starlette.types import Receive, Scope, Send

from service.deps import ClockDep, PrincipalDep, read_session
from service.errors import (
    FieldError,
    PayloadTooLarge,
    RateLimited,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
    problem_responses,
)
from service.exports import screening as screening_export
from service.exports import tables
from service.exports.options import DownloadOptions, DownloadOptionsDep
from service.http.csvbody import CsvLimitError, read_rows
from service.schemas.public import PublicScreenOut, ScreenIn, ScreenOut, VerifyOut
from service.security import receipts
from service.store import gcpause, phases, screening

router = APIRouter(tags=["screening"])

FormatQuery = Annotated[
    Literal["json", "csv"] | None,
    Query(description="Response format; `Accept: text/csv` works too"),
]
_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ScreenIn.model_json_schema()},
            "text/csv": {
                "schema": {"type": "string"},
                "example": "code\n91210100000123457K\n00012345-7\n",
            },
        },
    }
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "Results in request order"},
}


def _too_many(count: int, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"{count} codes sent; this endpoint screens at most {limit} per request",
        rule="screen-max-codes",
        errors=[
            FieldError(
                field="codes",
                rule="max-codes",
                message=f"at most {limit} codes per request",
                expected=f"<= {limit}",
            )
        ],
    )


def _body_error(message: str) -> ValidationFailed:
    return ValidationFailed(
        message, errors=[FieldError(field="codes", rule="type", message=message)]
    )


def _csv_codes(body: bytes, limit: int) -> list[object]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValidationFailed("a CSV body must be UTF-8", rule="encoding") from err
    try:
        rows = read_rows(text, max_rows=limit + 1)  # + a header row
    except CsvLimitError as err:
        if err.too_many_rows:
            raise _too_many(limit + 1, limit) from err
        raise ValidationFailed(
            str(err), errors=[FieldError(field="body", rule=err.rule, message=err.message)]
        ) from err
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    if "code" in header:
        at = header.index("code")
        return [row[at].strip() if at < len(row) else "" for row in rows[1:]]
    return [",".join(row).strip() for row in rows]


async def _codes(request: Request, limit: int) -> list[object]:
    body = await request.body()
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media in ("text/csv", "text/plain"):
        codes = _csv_codes(body, limit)
    elif media in ("application/json", ""):
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as err:
            raise ValidationFailed("the body is not valid JSON", rule="json_invalid") from err
        if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
            raise _body_error('the body must be {"codes": [...]}')
        codes = data["codes"]
    else:
        raise UnsupportedMediaType(
            f"send application/json or text/csv, not {media}", rule="media-type"
        )
    if len(codes) > limit:
        raise _too_many(len(codes), limit)
    return codes


class _GcPausedResponse(Response):
    """Sent with Python's cyclic collector paused, as the answer was built
    (:mod:`service.store.gcpause`): 100,000 answers allocate a few hundred thousand objects,
    and the collections they would trigger found nothing to free and delayed the answer
    (BENCHMARKS.md, "Screening"). The pause ends once the body is out."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with gcpause.paused():
            await super().__call__(scope, receive, send)


def _wants_csv(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "csv"
    return "text/csv" in request.headers.get("accept", "")


async def _screen(
    request: Request,
    clock: ClockDep,
    format: str | None,
    options: DownloadOptions,
    *,
    limit: int,
    public: bool,
) -> Response:
    with gcpause.paused():
        with phases.span("screen: read and parse the body"):
            codes = await _codes(request, limit)
        key = await receipts.secret(request)
        async with await read_session(request) as session:
            answer = await screening.screen(session, codes, clock.today(), public=public)
        with phases.span("screen: receipt and serialization"):
            response = _response(request, answer, codes, key, clock, format, options, public=public)
    phases.flush()  # the split, with QCREDIT_PHASES_LOG set (service/store/phases.py)
    return response


def _response(
    request: Request,
    answer: screening.Screened,
    codes: list[object],
    key: bytes,
    clock: ClockDep,
    format: str | None,
    options: DownloadOptions,
    *,
    public: bool,
) -> Response:
    receipt = receipts.sign(
        key,
        raw_codes=codes,
        dataset_version=answer.dataset_version,
        issued_at=clock.now(),
        hits=answer.hits,
    )
    headers = {"Cache-Control": "no-store", "X-Dataset-Version": str(answer.dataset_version)}
    if _wants_csv(request, format):
        sheet = screening_export.results_sheet(answer.results, options.lang, public=public)
        headers["X-Screen-Receipt"] = receipt["token"]
        body = tables.to_csv(sheet, lang=options.lang, bom=options.bom)
        return _GcPausedResponse(body, media_type=tables.CSV_TYPE, headers=headers)
    payload = {
        "results": answer.results,
        "dataset_version": answer.dataset_version,
        "receipt": receipt,
    }
    return _GcPausedResponse(orjson.dumps(payload), media_type="application/json", headers=headers)


@router.post(
    "/v1/screen",
    summary="Screen up to 100,000 codes",
    response_model=ScreenOut,
    responses={
        **_RESPONSES,
        **problem_responses(Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed),
    },
    openapi_extra=_BODY_DOC,
)
async def screen_agency(
    request: Request,
    clock: ClockDep,
    _: PrincipalDep,
    options: DownloadOptionsDep,
    format: FormatQuery = None,
) -> Response:
    """For each code in request order: `valid`, `known`, `listed` (a listing in force
    today, published or not) and the current `grade`. Invalid codes are answered in their
    own item with the rule they broke. More than 100,000 codes is a 413 problem."""
    return await _screen(
        request, clock, format, options, limit=screening.AGENCY_MAX_CODES, public=False
    )


@router.post(
    "/public/v1/screen",
    summary="Screen up to 1,000 codes (public)",
    response_model=PublicScreenOut,
    responses={
        **_RESPONSES,
        **problem_responses(PayloadTooLarge, UnsupportedMediaType, ValidationFailed, RateLimited),
    },
    openapi_extra=_BODY_DOC,
)
async def screen_public(
    request: Request, clock: ClockDep, options: DownloadOptionsDep, format: FormatQuery = None
) -> Response:
    """Like `/v1/screen` with no key, at most 1,000 codes, `listed` counting only
    published listings, and no `grade` (classes are a supervision reference, not a public
    rating)."""
    return await _screen(
        request, clock, format, options, limit=screening.PUBLIC_MAX_CODES, public=True
    )


async def _verify(request: Request, receipt: str | dict[str, Any]) -> VerifyOut:
    key = await receipts.secret(request)
    try:
        ok, payload = receipts.verify(key, receipt)
    except receipts.ReceiptFormatError as err:
        raise ValidationFailed(
            str(err), errors=[FieldError(field="receipt", rule="receipt-format", message=str(err))]
        ) from err
    detail = "issued by this registry" if ok else "the signature does not match: not authentic"
    return VerifyOut(authentic=ok, receipt=payload, detail=detail)


@router.get(
    "/public/v1/screen/verify",
    summary="Check a screening receipt",
    response_model=VerifyOut,
    responses=problem_responses(ValidationFailed, RateLimited),
)
async def verify_get(
    request: Request,
    receipt: Annotated[
        str, Query(min_length=1, max_length=2_000_000, description="The receipt's `token`")
    ],
) -> VerifyOut:
    """`authentic` is true when this registry signed exactly this receipt."""
    return await _verify(request, receipt)


@router.post(
    "/public/v1/screen/verify",
    summary="Check a screening receipt (JSON body)",
    response_model=VerifyOut,
    responses=problem_responses(ValidationFailed, RateLimited),
)
async def verify_post(request: Request, body: dict[str, Any]) -> VerifyOut:
    """Send the `receipt` object from a screening answer, or `{"receipt": <it or token>}`."""
    receipt = body.get("receipt", body)
    if not isinstance(receipt, str | dict):
        raise ValidationFailed(
            "receipt must be an object or a token",
            errors=[FieldError(field="receipt", rule="type", message="object or string")],
        )
    return await _verify(request, receipt)
