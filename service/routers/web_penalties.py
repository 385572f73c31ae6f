"""The portal's penalty publication page (行政处罚信息公示, Order 45): the same store
reads as ``GET /public/v1/penalties``, rendered in zh-CN (``?lang=en``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from service.credit.codes import CodeError, try_parse
from service.deps import SessionDep, TodayDep
from service.errors import ValidationFailed
from service.http.pagination import decode_cursor, encode_cursor
from service.store.blacklist import public
from service.store.publication import penalties
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
