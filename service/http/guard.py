"""What every request must pass before any route runs (one pure ASGI middleware):

* an ``/v1`` request without ``Authorization: Bearer <key>`` is a 401 at once — before its
  body is read, validated or sized, so an anonymous caller learns nothing about the route;
* no query parameter and no path may hold a control character (NUL and the other C0/C1
  characters): PostgreSQL cannot store NUL and the exports cannot hold the others, so such a
  value would only fail later, as a 500. The 422 names the parameter.

Request bodies get the same text rule from their schemas (:mod:`service.schemas.fields`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Receive, Scope, Send

from service.auth import bearer_token
from service.errors import FieldError, Unauthorized, ValidationFailed
from service.http.handlers import send_problem
from service.schemas.fields import CONTROL_RULE, control_character

AGENCY_PREFIX = "/v1/"


def _control_error(field: str, char: str) -> ValidationFailed:
    message = f"contains the control character {char}; only printable characters are allowed"
    return ValidationFailed(
        f"{field}: {message}",
        errors=[FieldError(field=field, rule=CONTROL_RULE, message=message)],
    )


def check_query(raw: bytes) -> ValidationFailed | None:
    """The first query parameter (name or value) that holds a control character."""
    if not raw:
        return None
    text = raw.decode("latin-1")
    if "%" not in text and control_character(text) is None:
        return None
    for name, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8"):
        for part in (name, value):
            char = control_character(part)
            if char is not None:
                return _control_error(name if control_character(name) is None else "query", char)
    return None


def check_path(path: str) -> ValidationFailed | None:
    char = control_character(unquote(path))
    return None if char is None else _control_error("path", char)


class RequestGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path.startswith(AGENCY_PREFIX):
            authorization = None
            for name, value in scope.get("headers") or []:
                if name == b"authorization":
                    authorization = value.decode("latin-1")
                    break
            try:
                bearer_token(authorization)
            except Unauthorized as err:
                headers = [(k.lower().encode(), v.encode()) for k, v in err.headers.items()]
                await send_problem(send, err.problem(), headers)
                return
        problem = check_path(path) or check_query(scope.get("query_string", b""))
        if problem is not None:
            await send_problem(send, problem.problem())
            return
        await self.app(scope, receive, send)
