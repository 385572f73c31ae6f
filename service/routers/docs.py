"""API docs that work on a network with no internet: Swagger UI at ``/docs`` and ReDoc at
``/redoc``, their scripts and styles served from the installed ``fastapi-offline`` package
(it ships the swagger-ui-dist and redoc bundles; MIT, with Swagger UI under Apache-2.0 and
ReDoc under MIT) instead of a public CDN. No fonts are fetched (ReDoc falls back to system
fonts) and Swagger UI's online validator is off."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from starlette.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)

ASSET_PREFIX = "/docs-assets"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
}
# ReDoc's side menu shows the vendor's logo from its CDN, unconditionally; an empty data URL
# makes the image fail without a request, and ReDoc then drops it (its onError handler).
REWRITES = {"redoc.standalone.js": ((b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"data:,"),)}
TITLE = "Quality Credit Registry"
FAVICON = "/favicon.ico"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


@functools.cache
def asset(name: str) -> Asset | None:
    media_type = ASSETS.get(name)
    if media_type is None:
        return None
    body = resources.files("fastapi_offline").joinpath("static", name).read_bytes()
    for old, new in REWRITES.get(name, ()):
        body = body.replace(old, new)
    return Asset(body, media_type, hashlib.sha256(body).hexdigest()[:16])


def asset_url(name: str) -> str:
    found = asset(name)
    assert found is not None, name
    return f"{ASSET_PREFIX}/{name}?v={found.etag}"


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{TITLE} — Swagger UI",
        swagger_js_url=asset_url("swagger-ui-bundle.js"),
        swagger_css_url=asset_url("swagger-ui.css"),
        swagger_favicon_url=FAVICON,
        oauth2_redirect_url=OAUTH2_REDIRECT,
        # the default validator badge would call validator.swagger.io
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get(OAUTH2_REDIRECT)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=f"{TITLE} — ReDoc",
        redoc_js_url=asset_url("redoc.standalone.js"),
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )


@router.get(ASSET_PREFIX + "/{name}")
async def docs_asset(name: Annotated[str, Path(max_length=64)], request: Request) -> Response:
    found = asset(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    headers = {"ETag": f'"{found.etag}"', "Cache-Control": "public, max-age=31536000, immutable"}
    if request.headers.get("if-none-match") == f'"{found.etag}"':
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)
