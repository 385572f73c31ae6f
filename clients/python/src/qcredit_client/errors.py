"""What a failed call raises: the server's RFC 9457 problem, kept whole and typed."""

from __future__ import annotations

from typing import Any

import httpx

from qcredit_client.models import FieldError


class QcreditError(Exception):
    """Base of every error this client raises."""


class ApiError(QcreditError):
    """A 4xx/5xx answer. ``problem`` is the server's problem+json body as sent."""

    def __init__(self, status: int, problem: dict[str, Any], response: httpx.Response) -> None:
        self.status = status
        self.problem = problem
        self.response = response
        self.type: str = str(problem.get("type", "about:blank"))
        self.title: str = str(problem.get("title", response.reason_phrase))
        self.detail: str = str(problem.get("detail", ""))
        self.rule: str | None = problem.get("rule")
        self.errors = [FieldError.model_validate(e) for e in problem.get("errors") or []]
        super().__init__(f"{status} {self.title}: {self.detail}".rstrip(": "))

    @property
    def rules(self) -> list[str]:
        """Every rule the server named (the problem's own and each field error's)."""
        return [r for r in [self.rule, *(e.rule for e in self.errors)] if r]


class AuthError(ApiError):
    """401 (no or bad key) or 403 (scope or jurisdiction)."""


class NotFoundError(ApiError):
    """404."""


class ConflictError(ApiError):
    """409: an illegal blacklist transition, a record in the wrong state..."""


class ValidationError(ApiError):
    """400/413/415/422: the request broke a rule; ``errors`` names the fields."""


class RateLimitedError(ApiError):
    """429 after the client's retries ran out."""


class UnavailableError(ApiError):
    """503 after the client's retries ran out."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: ValidationError,
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    409: ConflictError,
    413: ValidationError,
    415: ValidationError,
    422: ValidationError,
    429: RateLimitedError,
    503: UnavailableError,
}


def error_for(response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    problem = body if isinstance(body, dict) else {"detail": response.text[:500]}
    cls = _BY_STATUS.get(response.status_code, ApiError)
    return cls(response.status_code, problem, response)
