"""Domain exceptions and their RFC 9457 problem+json rendering.

Every error a client can cause maps to one of these; FastAPI's own validation errors are
reshaped to the same document so clients parse one format.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://qcredit.example.org/problems/"


class FieldError(BaseModel):
    field: str
    rule: str
    message: str
    expected: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []
    rule: str | None = None


class AppError(Exception):
    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        rule: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.rule = rule
        self.headers = headers or {}

    def problem(self) -> Problem:
        return Problem(
            type=PROBLEM_BASE + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            errors=self.errors,
            rule=self.rule,
        )


class ValidationFailed(AppError):
    status = 422
    slug = "validation"
    title = "Request is not valid"


class InvalidCode(ValidationFailed):
    slug = "invalid-code"
    title = "Invalid enterprise code"


class Unauthorized(AppError):
    status = 401
    slug = "unauthorized"
    title = "Missing or invalid API key"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status = 403
    slug = "forbidden"
    title = "Not allowed"


class NotFound(AppError):
    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(AppError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class IllegalTransition(Conflict):
    slug = "illegal-transition"
    title = "Transition not allowed"


class PayloadTooLarge(AppError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class UnsupportedMediaType(AppError):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


class RateLimited(AppError):
    status = 429
    slug = "rate-limited"
    title = "Too many requests"


def problem_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting the problems a route can answer."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        out[err.status] = {
            "model": Problem,
            "description": err.title,
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
    return out
