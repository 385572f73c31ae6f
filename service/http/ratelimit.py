"""Per-client rate limit on everything anyone may call without a key and that does work —
the public API (``/public/v1``, exports and screening included) and the portal pages that
query (home, ``/blacklist``, ``/penalties``, ``/announcements``, ``/warnings``, ``/honours``,
``/screen``, ``/stats``, ``/downloads``) — moving window, one
budget per client across all of them.

The counters live in memory (one node) or, with ``QCREDIT_REDIS_URL``, in Redis through the
``limits`` library's Redis storage, so N replicas behind a balancer enforce one budget per
client. If Redis cannot be reached the request is counted in the process's own window
instead (logged), so an outage of the limiter's store never turns into a 500.

The client is the socket peer, or — only when that peer is one of
``QCREDIT_TRUSTED_PROXIES`` — the address the proxies forwarded (``service.http.proxies``, which
runs before this). Every limited response carries the IETF ``RateLimit-Limit``,
``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds) headers; an exhausted window gets
a 429 problem with ``Retry-After``.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import RateLimited
from service.http import guard
from service.http.handlers import send_problem
from service.http.observability import log

PUBLIC_PREFIX = "/public/v1"
LIMITED_PREFIXES = (
    PUBLIC_PREFIX,
    "/blacklist",
    "/penalties",
    "/announcements",
    "/warnings",
    "/honours",
    "/screen",
    "/stats",
    "/downloads",
)
LIMITED_PATHS = frozenset({"/"})  # the portal's home page counts the registry


def make_storage(redis_url: str, key_prefix: str) -> Storage:
    if not redis_url:
        return MemoryStorage()
    uri = redis_url if redis_url.startswith("async+") else f"async+{redis_url}"
    return RedisStorage(
        uri,
        implementation="redispy",
        wrap_exceptions=True,
        key_prefix=key_prefix,
        socket_connect_timeout=1.0,
        socket_timeout=1.0,
    )


# the prefixes as exact paths and as folders, built once: every request asks (the edge too)
_EXACT = LIMITED_PATHS | frozenset(LIMITED_PREFIXES)
_FOLDERS = tuple(p + "/" for p in LIMITED_PREFIXES)


def is_limited(path: str) -> bool:
    return path in _EXACT or path.startswith(_FOLDERS)


class PublicRateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        per_minute: int,
        redis_url: str = "",
        key_prefix: str = "qcredit",
    ) -> None:
        self.app = app
        self.item = RateLimitItemPerMinute(max(1, per_minute))
        self.limiter = MovingWindowRateLimiter(make_storage(redis_url, key_prefix))
        self.local = MovingWindowRateLimiter(MemoryStorage())  # when the shared store is down

    async def _hit(self, key: str) -> tuple[bool, int, int]:
        """(allowed, remaining, reset seconds) from the shared window, else the local one."""
        try:
            return await self._count(self.limiter, key)
        except StorageError as err:
            log.warning("rate limit store unreachable; counting locally", error=str(err))
            return await self._count(self.local, key)

    async def _count(self, limiter: MovingWindowRateLimiter, key: str) -> tuple[bool, int, int]:
        allowed = await limiter.hit(self.item, "public", key)
        stats = await limiter.get_window_stats(self.item, "public", key)
        return allowed, stats.remaining, max(0, math.ceil(stats.reset_time - time.time()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        allowed, remaining, reset = await self._hit(client[0] if client else "unknown")
        headers = [
            (b"ratelimit-limit", str(self.item.amount).encode()),
            (b"ratelimit-remaining", str(remaining).encode()),
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

        # the pre-route refusals of the paths counted here come after the count (the edge
        # leaves them to this layer), so a refused request spends budget and says how much
        refused = guard.refusal(scope, None)
        if refused is not None:
            await send_problem(send_with_headers, refused.problem())
            return
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
