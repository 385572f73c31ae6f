"""What every request must pass before any route runs (checked by service.http.edge):

* an ``/v1`` request without ``Authorization: Bearer <key>`` is a 401 at once — before its
  body is read, validated or sized, so an anonymous caller learns nothing about the route;
* no query parameter and no path may hold a control character (NUL and the other C0/C1
  characters): PostgreSQL cannot store NUL and the exports cannot hold the others, so such a
  value would only fail later, as a 500. The 422 names the parameter.

Request bodies get the same text rule from their schemas (:mod:`service.schemas.fields`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote

from starlette.types import Scope

from service.auth import bearer_token
from service.errors import AppError, FieldError, Unauthorized, ValidationFailed
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


def refusal(scope: Scope, authorization: bytes | None) -> AppError | None:
    """Why the request is refused before any route runs, or None. ``authorization`` is the
    request's first Authorization header (the edge reads the headers once)."""
    path: str = scope.get("path", "")
    if path.startswith(AGENCY_PREFIX):
        try:
            bearer_token(None if authorization is None else authorization.decode("latin-1"))
        except Unauthorized as err:
            return err
    return check_path(path) or check_query(scope.get("query_string", b""))
