"""Exception handlers: everything a client can cause becomes problem+json, never a trace."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import compile_path

from service.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, AppError, FieldError, Problem
from service.http.observability import log
from service.schemas.fields import control_problem

_HTTP_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(problem.model_dump(exclude_none=True)),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


async def send_problem(
    send: Any, problem: Problem, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer with a problem document from pure ASGI middleware (before any route runs)."""
    body = orjson.dumps(problem.model_dump(exclude_none=True))
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "body")


def validation_errors(errors: list[dict[str, Any]] | Any) -> list[FieldError]:
    out = []
    for err in errors:
        expected = err.get("ctx", {}).get("expected") if isinstance(err.get("ctx"), dict) else None
        rule, message = control_problem(err) or (
            str(err.get("type", "invalid")),
            str(err.get("msg", "invalid value")),
        )
        out.append(
            FieldError(
                field=_field_name(tuple(err.get("loc", ()))),
                rule=rule,
                message=message,
                expected=str(expected) if expected is not None else None,
            )
        )
    return out


def _page(request: Request, status: int, headers: dict[str, str] | None = None) -> Response | None:
    """The HTML error page when a person's browser asked for a portal route, else None."""
    from service.web import errors as web_errors  # the portal builds on the API, not back

    if status in web_errors.HEADINGS and web_errors.is_page(request):
        return web_errors.error_page(request, status, headers=headers)
    return None


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return app_error_response(request, exc)


def app_error_response(request: Request, exc: AppError) -> Response:
    if exc.status >= 500:
        log.error("server problem", detail=exc.detail)
    return _page(request, exc.status, exc.headers) or problem_response(exc.problem(), exc.headers)


async def _request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    page = _page(request, 422)
    if page is not None:
        return page
    errors = validation_errors(exc.errors())
    malformed = any(e.rule == "json_invalid" for e in errors)
    status = 400 if malformed else 422
    problem = Problem(
        type=PROBLEM_BASE + ("malformed-json" if malformed else "validation"),
        title="Malformed JSON body" if malformed else "Request is not valid",
        status=status,
        detail="; ".join(f"{e.field}: {e.message}" for e in errors[:5]),
        errors=errors,
    )
    return problem_response(problem)


def allowed_methods(request: Request) -> str:
    """Every method the routes of this path serve: Starlette's own 405 names only the
    first route that matched, though another may serve the same path. A literal segment
    beats a parameter (`/v1/records/batch` is not a `/v1/records/{record_id}`)."""
    by_params: dict[int, set[str]] = {}
    path = request.url.path
    for route in iter_route_contexts(request.app.router.routes):
        template = route.path_format or ""
        regex, _, _ = compile_path(template)
        if regex.match(path):
            by_params.setdefault(template.count("{"), set()).update(route.methods or ())
    return ", ".join(sorted(by_params[min(by_params)])) if by_params else ""


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request)
    page = _page(request, exc.status_code, headers)
    if page is not None:
        return page
    slug = _HTTP_SLUGS.get(exc.status_code, "http-error")
    problem = Problem(
        type=PROBLEM_BASE + slug,
        title=slug.replace("-", " ").capitalize(),
        status=exc.status_code,
        detail=str(exc.detail),
    )
    return problem_response(problem, headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # Other exceptions: service.http.edge logs and answers them (500,
    # or 503 when the database is unreachable) inside the request id's scope.
