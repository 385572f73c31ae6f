"""The public blacklist (失信名单公示): search, look up by code, and export for mirrors.

No key needed; rate-limited per client IP (see :mod:`service.http.ratelimit`). Only published
listings and their removals appear, and only their public fields.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request, Response

from service.credit.codes import CodeError, try_parse
from service.deps import CodeDep, SessionDep, TodayDep, parse_code_or_422
from service.errors import InvalidCode, RateLimited, ValidationFailed, problem_responses
from service.exports import tables
from service.exports.options import DownloadOptionsDep
from service.exports.public import PUBLIC_COLUMNS
from service.http.etag import json_response, tagged_response
from service.http.pagination import (
    CursorQuery,
    decode_snapshot_cursor,
    encode_snapshot_cursor,
    malformed_cursor,
)
from service.schemas.fields import IsoDate
from service.schemas.public import PublicLookup, PublicPage
from service.store.blacklist import public
from service.store.sharing import feed

router = APIRouter(prefix="/public/v1/blacklist", tags=["public"])

CACHE = "public, max-age=60"
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _list_cursor(cursor: str | None) -> tuple[list[Any] | None, int | None]:
    after, pinned = decode_snapshot_cursor(cursor)
    if after is None:
        return None, None
    if not (
        isinstance(after, list)
        and after
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in after)
    ):
        raise malformed_cursor()
    return after, pinned


@router.get(
    "",
    summary="Search the published blacklist",
    response_model=PublicPage,
    responses=problem_responses(InvalidCode, ValidationFailed, RateLimited),
)
async def search(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Enterprise name or part of it (full-width, spacing and 有限公司/"
            "有限责任公司 differences ignored; close misspellings match too), or a code",
            examples=["辽河乳业"],
        ),
    ] = None,
    code: Annotated[
        str | None,
        Query(description="USCC or organization code", examples=["912111000001234570"]),
    ] = None,
    region: Annotated[
        str | None,
        Query(pattern=r"^\d{1,6}$", description="Division-code prefix", examples=["2111"]),
    ] = None,
    status: Annotated[
        Literal["listed", "removed"] | None,
        Query(description="listed: in force today; removed: removal records (incl. expiry)"),
    ] = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (1-200)")] = 50,
) -> Response:
    """Newest first; with `q`, best match first. A `q` that is a valid code searches by code."""
    parsed = parse_code_or_422(code, "code") if code is not None else None
    if parsed is None and q is not None:
        as_code = try_parse(q)
        if not isinstance(as_code, CodeError):
            parsed, q = as_code, None
    after, pinned = _list_cursor(cursor)
    version = pinned if pinned is not None else await feed.dataset_version(session)
    uscc = await public.resolve(session, parsed) if parsed is not None else None
    if parsed is not None and uscc is None:
        items: list[dict[str, Any]] = []
        key = None  # an org code the registry does not know matches nothing
    else:
        items, key = await public.search(
            session,
            today=today,
            q=q,
            code=uscc,
            region=region,
            status=status,
            after=after,
            limit=limit,
        )
    payload = {
        "items": items,
        "next_cursor": encode_snapshot_cursor(key, version) if key else None,
    }
    return json_response(request, payload, cache_control=CACHE, dataset_version=version)


@router.get(
    "/export",
    summary="Download the public list (or a delta) as CSV, JSON or XLSX",
    responses={
        200: {"content": {m: {} for m in _MEDIA.values()}, "description": "The file"},
        **problem_responses(ValidationFailed, RateLimited),
    },
)
async def export(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    options: DownloadOptionsDep,
    format: Annotated[Literal["csv", "json", "xlsx"], Query(description="File format")] = "csv",
    since: Annotated[
        IsoDate | None,
        Query(description="Only entries listed, published, restored or removed on or after"),
    ] = None,
) -> Response:
    """For agencies that mirror the list offline: every public entry with its `status`, or
    with `since` the changes from that date on (an empty delta still has the header row).
    Columns are exactly the public fields; a removed entry fills only its removal record
    (Order 44 Art.18). In Chinese by default (headers, category, status and removal reason
    as words, UTF-8 with BOM); `lang=en` gives the field names and API values, `bom=false` a
    CSV without BOM."""
    version = await feed.dataset_version(session)
    rows = await public.export_rows(session, today=today, since=since)
    if format == "json":
        body = orjson.dumps(
            {
                "generated_on": today.isoformat(),
                "since": since.isoformat() if since else None,
                "dataset_version": version,
                "fields": list(public.EXPORT_FIELDS),
                "items": rows,
            }
        )
    else:
        sheet = tables.Sheet("严重违法失信名单", PUBLIC_COLUMNS, rows, title_en="blacklist")
        body = (
            tables.to_xlsx([sheet], lang=options.lang)
            if format == "xlsx"
            else tables.to_csv(sheet, lang=options.lang, bom=options.bom)
        )
    name = f"blacklist-{today.isoformat()}" + (f"-since-{since.isoformat()}" if since else "")
    return tagged_response(
        request,
        body,
        _MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
        cache_control=CACHE,
        dataset_version=version,
    )


@router.get(
    "/{code}",
    summary="Is this enterprise on the published blacklist?",
    response_model=PublicLookup,
    responses=problem_responses(InvalidCode, RateLimited),
)
async def lookup(code: CodeDep, request: Request, session: SessionDep, today: TodayDep) -> Response:
    """`listed` is true while a published listing is in force; `entries` also holds past
    listings and their removal records. An unknown code is simply not listed."""
    canonical, entries = await public.by_code(session, code, today)
    payload = {"code": canonical, "listed": public.is_listed(entries), "entries": entries}
    return json_response(request, payload, cache_control=CACHE)
