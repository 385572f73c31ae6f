"""The public portal (zh-CN by default, ``?lang=en``) and the regulator pages, as HTML.

Public pages are rendered on the server from the same store functions the public API uses,
so they work without JavaScript and without a key. Regulator pages are shells: a small
script reads the agency key from ``sessionStorage`` and calls the ``/v1`` API with it, so
the server never renders private data into a page. None of this is in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from starlette.responses import Response

from service.credit.codes import CodeError, try_parse
from service.credit.deadlines import Coverage
from service.deps import SessionDep, TodayDep, read_session
from service.errors import ValidationFailed
from service.http.pagination import decode_cursor, encode_cursor
from service.store import calendar
from service.store.blacklist import public
from service.web import pages, receipts_view, screening_view, stats_view
from service.web.i18n import code_error_text, translate
from service.web.render import render, request_lang, static_file

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
DEFAULT_TARGET = 0.96  # 盘锦: 抽查合格率 ≥ 96 % (seed plan); ?target= overrides
RegionParam = Annotated[str | None, Query(pattern=r"^\d{0,6}$")]


@router.get("/static/{name}")
async def static(name: Annotated[str, Path(max_length=64)], request: Request) -> Response:
    found = static_file(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    headers = {"ETag": f'"{found.etag}"', "Cache-Control": "public, max-age=31536000, immutable"}
    if request.headers.get("if-none-match") == f'"{found.etag}"':
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


@router.get("/favicon.ico")
async def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico on their own; an SVG answers it (every current browser
    reads an SVG icon)."""
    return await static("favicon.svg", request)


@router.get("/")
async def home(request: Request, session: SessionDep, today: TodayDep) -> Response:
    counts = await pages.public_counts(session, today)
    regions = await pages.region_choices(session)
    return render(request, "home.html", page="home", counts=counts, regions=regions)


@router.get("/blacklist")
async def search(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    region: RegionParam = None,
    status: Annotated[Literal["listed", "removed", ""] | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """A `q` that is a valid code searches by code, as the public API does."""
    q = (q or "").strip() or None
    lang = request_lang(request)
    code = None
    code_error = None
    if q is not None:
        parsed = try_parse(q)
        if not isinstance(parsed, CodeError):
            code = await public.resolve(session, parsed) or ""
        elif pages.looks_like_code(q, parsed):
            code_error = parsed
    after = None
    error = None
    try:
        raw = decode_cursor(cursor)
        after = raw if isinstance(raw, list) else None
    except ValidationFailed:
        error = translate("search.none", lang)
    items: list[dict[str, Any]] = []
    key = None
    if code_error is None and code != "":  # an unknown org code matches nothing
        items, key = await public.search(
            session,
            today=today,
            q=None if code else q,
            code=code,
            region=region or None,
            status=status or None,
            after=after,
            limit=PAGE_SIZE,
        )
    next_url = pages.next_page_url(request, encode_cursor(key)) if key else None
    # a valid code with no entries: say whether the registry knows the enterprise at all
    known = bool(code) and not items and await public.registered(session, code or "")
    return render(
        request,
        "search.html",
        page="search",
        q=q,
        code=code,
        known=known,
        code_error=code_error_text(code_error, lang) if code_error else None,
        corrected=code_error.corrected if code_error else None,
        region=region or "",
        status=status or "",
        regions=await pages.region_choices(session),
        items=items,
        next_url=next_url,
        error=error,
    )


@router.get("/blacklist/{code}")
async def entry(
    code: Annotated[str, Path(max_length=40)],
    request: Request,
    session: SessionDep,
    today: TodayDep,
) -> Response:
    parsed = try_parse(code)
    lang = request_lang(request)
    if isinstance(parsed, CodeError):
        return render(
            request,
            "entry.html",
            page="search",
            status_code=422,
            code=code,
            name=None,
            region_code=None,
            listed=False,
            known=False,
            entries=[],
            code_error=code_error_text(parsed, lang),
            corrected=parsed.corrected,
        )
    canonical, entries = await public.by_code(session, parsed, today)
    known = (
        bool(entries)
        or (parsed.uscc is not None and await public.registered(session, canonical))
        or (parsed.uscc is None and canonical != parsed.org_code_display)
    )
    return render(
        request,
        "entry.html",
        page="search",
        code=canonical,
        name=entries[0]["name"] if entries else None,
        # a removal record (Order 44 Art.18) carries no region: fall back to the code's
        region_code=next(
            (e["region_code"] for e in entries if "region_code" in e), parsed.region_code
        ),
        listed=public.is_listed(entries),
        known=known,
        entries=entries,
        code_error=None,
        corrected=None,
    )


@router.get("/screen")
async def screen_form(request: Request) -> Response:
    return render(
        request, "screen.html", page="screen", max_codes=screening_view.MAX_CODES, result=None
    )


@router.post("/screen")
async def screen_submit(
    request: Request,
    today: TodayDep,
    codes: Annotated[str, Form(max_length=200_000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    lang = request_lang(request)
    raw, error = await screening_view.collect_codes(codes, file, lang)
    result = None
    if error is None:
        # Screening only reads: a read transaction keeps the public form from taking
        # SQLite's write lock.
        async with await read_session(request) as session:
            result = await screening_view.run(request, session, raw, today)
    return render(
        request,
        "screen.html",
        page="screen",
        status_code=200 if error is None else 422,
        max_codes=screening_view.MAX_CODES,
        codes_text=codes if error else "\n".join(raw),
        result=result,
        error=error,
    )


@router.post("/screen/download")
async def screen_download(
    request: Request,
    today: TodayDep,
    codes: Annotated[str, Form(max_length=200_000)] = "",
    format: Annotated[Literal["xlsx", "json"], Form()] = "xlsx",
) -> Response:
    lang = request_lang(request)
    # The hidden field holds the codes exactly as screened, one per line.
    raw = [c for c in codes.split("\n") if c.strip()]
    raw, error = await screening_view.collect_codes("\n".join(raw), None, lang)
    if error is not None:
        return pages.error_page(request, 422, error)
    async with await read_session(request) as session:
        return await screening_view.download(request, session, raw, today, format)


@router.get("/receipts")
async def receipts_page(
    request: Request, receipt: Annotated[str | None, Query(max_length=200_000)] = None
) -> Response:
    """A receipt in words; `?receipt=<token>` (the screening page links here) checks it."""
    view, error = None, None
    if receipt:
        view, error = await receipts_view.check(request, receipt.strip(), request_lang(request))
    return render(request, "receipts.html", page="receipts", view=view, error=error, token=receipt)


@router.post("/receipts")
async def receipts_verify(
    request: Request,
    receipt: Annotated[str, Form(max_length=200_000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    lang = request_lang(request)
    found: str | dict[str, Any] | None = receipt.strip() or None
    if file is not None and file.filename:
        data = await file.read(receipts_view.MAX_UPLOAD + 1)
        found = receipts_view.receipt_from_upload(file.filename, data[: receipts_view.MAX_UPLOAD])
        if found is None:
            found = ""
    view, error = None, None
    if found is None:
        error = translate("receipt.empty", lang)
    elif found == "":
        error = translate("receipt.malformed", lang)
    else:
        view, error = await receipts_view.check(request, found, lang)
    return render(
        request,
        "receipts.html",
        page="receipts",
        status_code=422 if error else 200,
        view=view,
        error=error,
        token=view.token if view else receipt,
    )


@router.get("/downloads")
async def downloads(request: Request, today: TodayDep) -> Response:
    base = "/public/v1/blacklist/export"
    lang = request_lang(request)
    links = [(fmt.upper(), f"{base}?format={fmt}&lang={lang}") for fmt in ("csv", "xlsx", "json")]
    return render(
        request,
        "downloads.html",
        page="downloads",
        full_links=links,
        machine_link=f"{base}?format=csv&lang=en&bom=false",
        delta_action=base,
        today=today,
    )


@router.get("/stats")
async def statistics(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    region: RegionParam = None,
    target: Annotated[float | None, Query(gt=0, le=100)] = None,
) -> Response:
    """`target` in percent (96) or as a fraction (0.96)."""
    chosen = year or today.year
    goal = DEFAULT_TARGET if target is None else (target / 100 if target > 1 else target)
    total, sections = await stats_view.build(
        session, year=chosen, region=region or None, target=goal, lang=request_lang(request)
    )
    return render(
        request,
        "stats.html",
        page="stats",
        year=chosen,
        years=list(range(today.year, today.year - 5, -1)),
        region=region or "",
        regions=await pages.region_choices(session),
        target=goal,
        total=total,
        sections=sections,
    )


async def calendar_short(session: SessionDep, today: TodayDep) -> Coverage | None:
    """The calendar coverage when today + 60 days is beyond it: the regulator pages say so,
    since deadlines there are computed on weekends only."""
    cov = await calendar.calendar_coverage(session, today)
    return cov if cov.short else None


CalendarShortDep = Annotated[Coverage | None, Depends(calendar_short)]


@router.get("/regulator")
async def regulator_signin(request: Request, short: CalendarShortDep) -> Response:
    return pages.regulator(request, "signin.html", "reg-signin", calendar_short=short)


@router.get("/regulator/dossier")
async def regulator_dossier(
    request: Request,
    short: CalendarShortDep,
    code: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    return pages.regulator(request, "dossier.html", "reg-dossier", code=code, calendar_short=short)


@router.get("/regulator/plan")
async def regulator_plan(request: Request, short: CalendarShortDep) -> Response:
    return pages.regulator(request, "plan.html", "reg-plan", calendar_short=short)


@router.get("/regulator/candidates")
async def regulator_candidates(request: Request, short: CalendarShortDep) -> Response:
    return pages.regulator(request, "candidates.html", "reg-candidates", calendar_short=short)


@router.get("/regulator/report")
async def regulator_report(request: Request, today: TodayDep, short: CalendarShortDep) -> Response:
    return pages.regulator(
        request, "report.html", "reg-report", year=today.year - 1, calendar_short=short
    )
