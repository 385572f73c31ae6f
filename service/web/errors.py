"""Error pages for browser routes: a person who mistypes a portal URL, sends a bad form or
exceeds the rate limit gets a page in their language with a way back; API routes keep
their problem+json."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from service.web import i18n
from service.web.render import render, request_lang

# Paths that are API or machinery, never pages.
NOT_PAGES = (
    "/v1",
    "/public/v1",
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/docs-assets",
    "/static",
)
HEADINGS = {404: "error.404", 405: "error.405", 422: "error.422", 429: "error.429"}


def is_page(request: Request) -> bool:
    """A browser route: not an API path, and the client asked for HTML (or anything)."""
    path = request.url.path
    if any(path == p or path.startswith(p + "/") for p in NOT_PAGES):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "*/*" in accept or not accept


def error_page(
    request: Request, status: int, detail: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    lang = request_lang(request)
    heading = i18n.translate(HEADINGS.get(status, "reg.error"), lang)
    text = detail or i18n.translate(HEADINGS.get(status, "reg.error") + ".detail", lang)
    response = render(
        request, "error.html", page="", status_code=status, heading=heading, detail=text
    )
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response
