"""Per-client-IP rate limit on what anyone may call without a key — the public API
(``/public/v1``) and the portal pages that search or screen (``/blacklist``, ``/screen``) —
moving window, in memory, one budget per client across all of them.

Each app instance keeps its own counters (``limits`` in-memory storage): with N replicas
behind a balancer a client gets at most N times the limit, which is the price of needing
no shared store. Every public response carries the IETF ``RateLimit-Limit``,
``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds) headers; an exhausted window
gets a 429 problem with ``Retry-After``.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import RateLimited
from service.http.handlers import send_problem

PUBLIC_PREFIX = "/public/v1"
LIMITED_PREFIXES = (PUBLIC_PREFIX, "/blacklist", "/screen")


class PublicRateLimitMiddleware:
    def __init__(
        self, app: ASGIApp, per_minute: int, prefixes: tuple[str, ...] = LIMITED_PREFIXES
    ) -> None:
        self.app = app
        self.prefixes = prefixes
        self.item = RateLimitItemPerMinute(max(1, per_minute))
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def _applies(self, scope: Scope) -> bool:
        path: str = scope.get("path", "")
        return scope["type"] == "http" and any(
            path == p or path.startswith(p + "/") for p in self.prefixes
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client[0] if client else "unknown"
        allowed = await self.limiter.hit(self.item, key)
        stats = await self.limiter.get_window_stats(self.item, key)
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        headers = [
            (b"ratelimit-limit", str(self.item.amount).encode()),
            (b"ratelimit-remaining", str(stats.remaining).encode()),
            (b"ratelimit-reset", str(reset).encode()),
        ]
        if not allowed:
            if not scope.get("path", "").startswith(PUBLIC_PREFIX):  # a portal page
                await self._refuse_page(scope, receive, send, headers, max(1, reset))
                return
            await self._refuse(send, headers, max(1, reset))
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _refuse_page(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: list[tuple[bytes, bytes]],
        retry: int,
    ) -> None:
        from starlette.requests import Request

        from service.web.errors import error_page  # the portal builds on the API

        extra = {k.decode(): v.decode() for k, v in headers} | {"Retry-After": str(retry)}
        response = error_page(Request(scope, receive), 429, headers=extra)
        await response(scope, receive, send)

    async def _refuse(self, send: Send, headers: list[tuple[bytes, bytes]], retry: int) -> None:
        problem = RateLimited(
            f"more than {self.item.amount} requests per minute from this address; "
            f"retry in {retry} s",
            rule="public-rate-limit",
        ).problem()
        await send_problem(send, problem, [(b"retry-after", str(retry).encode()), *headers])
