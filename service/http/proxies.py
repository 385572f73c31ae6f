"""The client address behind a load balancer, believed only from proxies we were told to trust.

uvicorn's own proxy-header handling trusts 127.0.0.1 by default, so anyone on the host (or a
balancer's health checker) could name any client address and reset their rate-limit budget.
``qcredit serve`` turns it off; this installs the same middleware with
``QCREDIT_TRUSTED_PROXIES`` (default: no one), so the rule holds under any ASGI server.
"""

from __future__ import annotations

import ipaddress
from typing import Any, cast

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def parse_trusted(value: str) -> list[str]:
    """Comma-separated addresses or CIDRs → normalised networks; a bad entry is an error at
    start-up (uvicorn would silently treat it as a literal that never matches)."""
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as err:
            why = f"QCREDIT_TRUSTED_PROXIES: {item!r} is not an address or CIDR"
            raise ValueError(why) from err
    return networks


class TrustedProxyMiddleware:
    """X-Forwarded-For / -Proto from a trusted peer set the client; otherwise ignored.
    Installed only when some proxy is trusted (service/app.py): with none, nothing to do."""

    def __init__(self, app: ASGIApp, trusted: list[str]) -> None:
        # uvicorn types its middleware with its own ASGI typed dicts; same protocol
        wrapped: Any = ProxyHeadersMiddleware(cast(Any, app), trusted_hosts=trusted)
        self.app: ASGIApp = wrapped

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
