"""Hot routes answered by the edge without FastAPI's per-request machinery.

A FastAPI route pays, before its endpoint runs, for its dependency solver (parameter
introspection per request), its exception, exit-stack and body-limit layers and a walk of
the route table — about 120 µs per request here, as much as the raw Starlette + asyncpg
floor needs for the whole lookup (BENCHMARKS.md, "Lookup"). The registry's most frequent
read, `GET /v1/enterprises/{code}`, is one statement long, so that machinery was most of its
cost.

A direct route calls the **same endpoint function** the FastAPI route declares (so the
OpenAPI document, the parameters and the behaviour stay one definition) with its arguments
read from the request, and renders `AppError`s through the same handler. It is taken only
for requests the FastAPI route would serve identically:

* exactly the route's method (a HEAD or OPTIONS goes the long way);
* no request body (a GET with one goes through the body limit like any request);
* a path the route table would give to this route — literal siblings that the pattern would
  also match (none today) are listed at build time and left to the table.

`tests/api/test_direct_routes.py` holds the two paths to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import Receive, Scope, Send

from service.errors import AppError
from service.http.handlers import app_error_response

Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class DirectRoute:
    method: str
    path: str  # the FastAPI route's template, e.g. "/v1/enterprises/{code}"
    endpoint: Endpoint  # reads its arguments from the request, calls the route's function


@dataclass
class _Compiled:
    route: DirectRoute
    regex: re.Pattern[str]
    api_route: Any  # the FastAPI route: scope["route"] for metrics and handlers
    literal_siblings: frozenset[str]


class DirectRoutes:
    def __init__(self, compiled: list[_Compiled]) -> None:
        self._by_method: dict[str, list[_Compiled]] = {}
        for c in compiled:
            self._by_method.setdefault(c.route.method, []).append(c)

    @classmethod
    def build(cls, app: FastAPI, routes: list[DirectRoute]) -> DirectRoutes:
        table = list(iter_route_contexts(app.router.routes))
        compiled = []
        for route in routes:
            api_route = next(
                (
                    r
                    for r in table
                    if r.path_format == route.path and route.method in (r.methods or ())
                ),
                None,
            )
            if api_route is None:
                raise LookupError(f"no FastAPI route {route.method} {route.path} to shortcut")
            regex, _, _ = compile_path(route.path)
            siblings = frozenset(
                r.path_format
                for r in table
                if r.path_format and "{" not in r.path_format and regex.match(r.path_format)
            )
            compiled.append(_Compiled(route, regex, api_route.route, siblings))
        return cls(compiled)

    def match(self, scope: Scope) -> tuple[_Compiled, dict[str, str]] | None:
        candidates = self._by_method.get(scope["method"])
        if not candidates:
            return None
        path: str = scope["path"]
        for c in candidates:
            found = c.regex.match(path)
            if found is not None and path not in c.literal_siblings:
                return c, found.groupdict()
        return None

    @staticmethod
    async def serve(
        matched: tuple[_Compiled, dict[str, str]], scope: Scope, receive: Receive, send: Send
    ) -> None:
        compiled, params = matched
        scope["path_params"] = params
        scope["route"] = compiled.api_route
        request = Request(scope, receive)
        try:
            response = await compiled.route.endpoint(request)
        except AppError as exc:
            response = app_error_response(request, exc)
        await response(scope, receive, send)
