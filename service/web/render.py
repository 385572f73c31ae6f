"""Jinja2 environment, language choice and static assets for the HTML pages."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse, Response

from service.credit.regions import region_name
from service.web import i18n
from service.web.svg import pct

STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
# Pages keep their own language even when cached by a proxy.
HTML_HEADERS = {"Vary": "Cookie", "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
# Public navigation: (page key, path).
NAV = (
    ("home", "/"),
    ("search", "/blacklist"),
    ("penalties", "/penalties"),
    ("announcements", "/announcements"),
    ("warnings", "/warnings"),
    ("honours", "/honours"),
    ("screen", "/screen"),
    ("downloads", "/downloads"),
    ("stats", "/stats"),
    ("receipts", "/receipts"),
    ("regulator", "/regulator"),
)
CATEGORY_LABELS = i18n.CATEGORY_LABELS


@dataclass(frozen=True, slots=True)
class StaticFile:
    body: bytes
    media_type: str
    etag: str


@functools.cache
def static_file(name: str) -> StaticFile | None:
    """A file of service/web/static, read once per process; None for anything else."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    if "/" in name or "\\" in name or name.startswith(".") or suffix not in STATIC_TYPES:
        return None
    path = resources.files("service.web").joinpath("static", name)
    if not path.is_file():
        return None
    body = path.read_bytes()
    return StaticFile(body, STATIC_TYPES[suffix], hashlib.sha256(body).hexdigest()[:16])


def static_url(name: str) -> str:
    found = static_file(name)
    # The content hash in the URL lets browsers cache assets for a year safely.
    return f"/static/{name}?v={found.etag}" if found else f"/static/{name}"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("service.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = static_url
    env.globals["pct"] = pct
    return env


def request_lang(request: Request) -> i18n.Lang:
    return i18n.resolve_lang(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE))


def switch_url(request: Request, lang: i18n.Lang) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", "en" if lang == "zh" else "zh"))
    return f"{request.url.path}?{urlencode(params)}"


def region_label(code: str | None) -> str:
    if not code:
        return ""
    return region_name(code.ljust(6, "0")) or code


def render(
    request: Request,
    template: str,
    *,
    page: str,
    status_code: int = 200,
    **context: Any,
) -> Response:
    lang = request_lang(request)
    t = i18n.translator(lang)

    def category_label(key: str) -> str:
        pair = CATEGORY_LABELS.get(key)
        return pair[0 if lang == "zh" else 1] if pair else key

    html = (
        environment()
        .get_template(template)
        .render(
            t=t,
            lang=lang,
            html_lang="zh-CN" if lang == "zh" else "en",
            page=page,
            nav=NAV,
            switch_url=switch_url(request, lang),
            region_label=region_label,
            category_label=category_label,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code, headers=HTML_HEADERS)
    if request.query_params.get("lang") in i18n.LANGS:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response
