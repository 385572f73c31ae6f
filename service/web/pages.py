"""Helpers shared by the page routes: counts, region choices, paging links, error and
regulator page rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from service.credit.codes import CodeError, normalize
from service.models import BlacklistEntry
from service.store import stats
from service.store.blacklist import public
from service.store.blacklist.reads import status_clause
from service.web import i18n, vocabulary
from service.web.render import region_label, render, request_lang

# API paths the regulator script calls (one place to keep them in step with the routers).
API_PATHS = {
    "whoami": "/v1/me",
    "enterprise": "/v1/enterprises/{code}",
    "history": "/v1/enterprises/{code}/classification/history",
    "records": "/v1/enterprises/{code}/records",
    "plan": "/v1/supervision/plan",
    "candidates": "/v1/blacklist/candidates",
    "report": "/v1/reports/quality",
    "catalog": "/v1/catalog",
}
REG_NAV = (
    ("reg-signin", "/regulator", "reg.signin"),
    ("reg-dossier", "/regulator/dossier", "reg.dossier"),
    ("reg-plan", "/regulator/plan", "reg.plan"),
    ("reg-candidates", "/regulator/candidates", "reg.candidates"),
    ("reg-report", "/regulator/report", "reg.report"),
)
# Messages the regulator script needs, sent with the page in its language.
JS_KEYS = tuple(
    k
    for k in i18n.MESSAGES
    if k.startswith(("reg.", "grade.", "field.", "screen.hit", "screen.clear"))
)


@dataclass(frozen=True, slots=True)
class Counts:
    listed: int
    removed: int


async def public_counts(session: AsyncSession, today: date) -> Counts:
    """Published entries in force and published removal records, as they read today."""

    async def count(status: str) -> int:
        stmt = (
            select(func.count())
            .select_from(BlacklistEntry)
            .where(public.published(), status_clause(status, today))
        )
        return int((await session.execute(stmt)).scalar_one())

    return Counts(await count("listed"), await count("removed"))


async def region_choices(session: AsyncSession) -> list[tuple[str, str]]:
    """Provinces and prefectures that have registered enterprises, as (prefix, label)."""
    rows = await stats.grade_distribution(session, region=None, level="prefecture")
    out: list[tuple[str, str]] = []
    for province in sorted({r.key[:2] for r in rows}):
        out.append((province, region_label(province)))
        out.extend((r.key, "— " + region_label(r.key)) for r in rows if r.key[:2] == province)
    return out


def looks_like_code(q: str, error: CodeError) -> bool:
    """A search for something typed as a code (18 or 9 code characters) that fails its
    check: the page explains the typo instead of searching names for it."""
    if error.rule in ("uscc_check", "org_check"):
        return True
    return error.rule == "charset" and normalize(q).isascii() and normalize(q).isalnum()


def next_page_url(request: Request, cursor: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", cursor))
    return f"{request.url.path}?{urlencode(params)}"


def error_page(request: Request, status: int, detail: str) -> Response:
    lang = request_lang(request)
    heading = i18n.translate("reg.error" if status != 404 else "notfound", lang)
    return render(
        request, "error.html", page="", status_code=status, heading=heading, detail=detail
    )


def regulator(request: Request, template: str, page: str, **context: Any) -> Response:
    lang = request_lang(request)
    messages = {k: i18n.translate(k, lang) for k in JS_KEYS} | vocabulary.script_messages(lang)
    return render(
        request,
        f"regulator/{template}",
        page=page,
        reg_nav=REG_NAV,
        js_messages=messages,
        api_paths=API_PATHS,
        **context,
    )
