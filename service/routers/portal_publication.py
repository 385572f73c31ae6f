"""The portal's publication pages, in zh-CN (``?lang=en``): administrative penalties public
today (行政处罚信息公示, Order 45) and published sampling-result announcements (抽查结果公示)
— the same store reads as ``/public/v1/penalties`` and ``/public/v1/announcements``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from service.credit.codes import CodeError, try_parse
from service.deps import SessionDep, TodayDep
from service.errors import NotFound, ValidationFailed
from service.http.pagination import decode_cursor, encode_cursor
from service.schemas.fields import Id32
from service.store.blacklist import public
from service.store.publication import announcements, honours, penalties, warnings
from service.web import pages
from service.web.i18n import translate
from service.web.render import render, request_lang

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20


@router.get("/penalties")
async def penalty_search(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{0,6}$")] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    q = (q or "").strip() or None
    code = None
    if q is not None:
        parsed = try_parse(q)
        if not isinstance(parsed, CodeError):
            code, q = await public.resolve(session, parsed) or "", None
    after = None
    error = None
    try:
        raw = decode_cursor(cursor)
        after = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    except ValidationFailed:
        error = translate("pen.none", request_lang(request))
    items: list[dict[str, Any]] = []
    key = None
    if code != "":  # an org code the registry does not know matches nothing
        items, key = await penalties.search(
            session,
            today=today,
            q=q,
            code=code,
            region=region or None,
            after=after,
            limit=PAGE_SIZE,
        )
    return render(
        request,
        "penalties.html",
        page="penalties",
        q=request.query_params.get("q", ""),
        region=region or "",
        regions=await pages.region_choices(session),
        items=items,
        next_url=pages.next_page_url(request, encode_cursor(key)) if key else None,
        error=error,
    )


async def _product_label(session: SessionDep, request: Request) -> Callable[[str], str]:
    names = await announcements.catalog_names(session)
    zh = request_lang(request) == "zh"

    def label(code: str) -> str:
        pair = names.get(code)
        return (pair[0] if zh else pair[1]) if pair else code

    return label


def _lenient_after(cursor: str | None) -> int | None:
    """The id a portal list continues after; a cursor that is not one of ours starts over
    (a person's stale or edited link, not an API client's error)."""
    try:
        raw = decode_cursor(cursor)
    except ValidationFailed:
        return None
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


@router.get("/announcements")
async def announcement_list(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    after = _lenient_after(cursor)
    items, key = await announcements.published_page(
        session, today=today, code=None, after=after, limit=PAGE_SIZE
    )
    return render(
        request,
        "announcements.html",
        page="announcements",
        items=items,
        next_url=pages.next_page_url(request, encode_cursor(key)) if key else None,
        product_label=await _product_label(session, request),
    )


@router.get("/announcements/{announcement_id}")
async def announcement_page(
    announcement_id: Annotated[Id32, Path()],
    request: Request,
    session: SessionDep,
    today: TodayDep,
) -> Response:
    try:
        ann = await announcements.published_one(session, announcement_id, today)
    except NotFound:
        return pages.error_page(request, 404, translate("ann.none", request_lang(request)))
    return render(
        request,
        "announcement.html",
        page="announcements",
        ann=ann,
        product_label=await _product_label(session, request),
    )


@router.get("/warnings")
async def warning_list(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Early warnings (预警) in force today."""
    after = _lenient_after(cursor)
    items, key = await warnings.public_page(
        session, today=today, region=None, product=None, after=after, limit=PAGE_SIZE
    )
    return render(
        request,
        "warnings.html",
        page="warnings",
        items=items,
        next_url=pages.next_page_url(request, encode_cursor(key)) if key else None,
        product_label=await _product_label(session, request),
    )


@router.get("/honours")
async def honour_list(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The honour list (守信激励名单) in force today."""
    after = _lenient_after(cursor)
    items, key = await honours.public_page(
        session, today=today, region=None, after=after, limit=PAGE_SIZE
    )
    return render(
        request,
        "honours.html",
        page="honours",
        items=items,
        next_url=pages.next_page_url(request, encode_cursor(key)) if key else None,
    )
