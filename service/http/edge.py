"""The one ASGI layer every HTTP request passes first (pure ASGI, no buffering).

In one pass over the request's headers and one wrapper around ``send`` it does what used
to be four stacked middlewares, each with its own wrapper and header scan:

* a request id (the caller's ``X-Request-ID``, at most 64 characters, or a new one) on the
  response and on every log line of the request;
* the access log line and the Prometheus request counter and latency histogram;
* the browser hardening headers (:mod:`service.http.security_headers`);
* the refusals due before any route runs (:mod:`service.http.guard`: a ``/v1`` call without
  a bearer key, control characters in the path or query);
* the error boundary: an exception nothing else handled is logged here, while the request
  id is still set, and answered as a 500 — or a 503 with ``Retry-After`` when the database
  is unreachable — carrying ``X-Request-ID`` like every other response;
* the hot routes (:mod:`service.http.direct`), handed straight to their endpoint.
"""

from __future__ import annotations

import os
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.db import database_unavailable
from service.http import guard
from service.http.direct import DirectRoutes
from service.http.handlers import send_problem
from service.http.observability import (
    Metrics,
    access_log,
    failure_problem,
    log,
    request_id_var,
)
from service.http.ratelimit import is_limited
from service.http.security_headers import with_security_headers


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics, direct: DirectRoutes) -> None:
        self.app = app
        self.metrics = metrics
        self.direct = direct

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = authorization = None
        has_body = False
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = incoming or value
            elif name == b"authorization":
                authorization = authorization or value
            elif name in (b"content-length", b"transfer-encoding"):
                has_body = True
        request_id = incoming.decode("latin-1")[:64] if incoming else os.urandom(16).hex()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        token = request_id_var.set(request_id)
        path: str = scope["path"]
        status = 500
        response_started = False
        started = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = with_security_headers(path, list(message.get("headers") or ()))
                # latin-1 both ways: the caller's id comes back byte for byte
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                write_lsn = state.get("write_lsn")
                if write_lsn:  # read-your-writes with a read replica (service/replica.py)
                    headers.append((b"x-write-lsn", write_lsn.encode()))
                message["headers"] = headers
            await send(message)

        try:
            # a rate-limited path is checked after it is counted (service/http/ratelimit.py)
            refused = None if is_limited(path) else guard.refusal(scope, authorization)
            if refused is not None:
                await send_problem(send_wrapper, refused.problem(), _headers(refused.headers))
            elif not has_body and (matched := self.direct.match(scope)) is not None:
                await self.direct.serve(matched, scope, receive, send_wrapper)
            else:
                await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            unavailable = database_unavailable(exc)
            log.error(
                "database unavailable" if unavailable else "unhandled error",
                error=type(exc).__name__,
                exc_info=exc,
            )
            if not response_started:  # else a streamed body broke off: nothing more to say
                code, body, headers = failure_problem(unavailable)
                await send_wrapper(
                    {"type": "http.response.start", "status": code, "headers": headers}
                )
                await send_wrapper({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe(scope["method"], route, status, elapsed)
            access_log(scope["method"], path, status, round(elapsed * 1000, 2))
            request_id_var.reset(token)


def _headers(extra: dict[str, str] | None) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in (extra or {}).items()]
