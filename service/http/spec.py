"""The OpenAPI document tells the truth about errors and auth, written in one place.

FastAPI documents what each route declares; what the shared machinery answers (the bearer
check, the scope and jurisdiction dependencies, path lookups, body parsing and its size
limit, ``Idempotency-Key``, the public rate limit, a database outage) is added here from the
route's shape, so no route has to repeat it and a new route is documented the day it lands.
Every error is ``application/problem+json`` with the ``Problem`` schema. A fuzzer
(tests/fuzz) checks that no response falls outside what this writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from service.errors import PROBLEM_MEDIA_TYPE
from service.schemas.fields import add_text_patterns

BEARER_SCHEME = "bearer"
AGENCY_PREFIX = "/v1/"
RATE_LIMITED_PREFIXES = ("/public/v1/",)
NO_DATABASE = frozenset({"/healthz", "/metrics"})
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

TITLES = {
    400: "Malformed request body (not JSON where JSON is declared)",
    401: "Missing or invalid API key",
    403: "The key lacks the scope, or the jurisdiction does not cover the region",
    404: "Not found",
    409: "Conflict (state, duplicate, or an Idempotency-Key still being processed)",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Request is not valid (the problem's `errors` name each field and rule)",
    429: "Too many requests (public rate limit); see Retry-After",
    503: "Database unavailable; retry after Retry-After",
}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _guarded(dependant: Dependant) -> bool:
    """A scope check or a regional read scope: either can answer 403."""
    return any(getattr(call, "answers_forbidden", False) for call in _calls(dependant))


def statuses(path: str, dependant: Dependant, method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses the shared machinery can answer for this operation."""
    out: set[int] = set()
    agency = path.startswith(AGENCY_PREFIX)
    has_body = "requestBody" in operation
    if agency:
        out.add(401)
        if _guarded(dependant):
            out.add(403)
        if method == "POST":
            out |= {409, 422}  # Idempotency-Key in flight / reused with another request
    if "{" in path:
        out.add(404)
    out.add(422)  # any parameter may be malformed; the guard refuses control characters
    if has_body:
        out |= {400, 413}
    if path.startswith(RATE_LIMITED_PREFIXES):
        out.add(429)
    if path not in NO_DATABASE:
        out.add(503)
    return out


def _problem(status: int, description: str | None) -> dict[str, Any]:
    return {
        "description": description or TITLES.get(status, "Error"),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}},
    }


def complete(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER_SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An agency key made by `qcredit agency create` (shown once, stored "
        "hashed). Every `/v1` operation needs it; `/public/v1` needs none.",
    }
    for route in iter_route_contexts(app.routes):
        original = route.original_route
        if not isinstance(original, APIRoute) or not route.include_in_schema:
            continue
        path = route.path_format or ""
        for method in sorted(route.methods or ()):
            operation = schema["paths"].get(path, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in statuses(path, original.dependant, method, operation):
                responses.setdefault(str(status), {})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400:
                    described = response.get("description")
                    generic = described in (None, "Validation Error")
                    responses[code] = _problem(int(code), None if generic else described)
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in ("query", "path"):
                    add_text_patterns(parameter.get("schema"))  # the guard's rule, written down
            if path.startswith(AGENCY_PREFIX):
                operation["security"] = [{BEARER_SCHEME: []}]
                # the bearer scheme documents the header; a parameter would repeat it
                params = [
                    p
                    for p in operation.get("parameters", [])
                    if not (
                        p.get("in") == "header" and p.get("name", "").lower() == "authorization"
                    )
                ]
                if params:
                    operation["parameters"] = params
                else:
                    operation.pop("parameters", None)
    for unused in ("HTTPValidationError", "ValidationError"):
        components.get("schemas", {}).pop(unused, None)
    return schema


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` (and /openapi.json, /docs) return the completed document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(app, build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
