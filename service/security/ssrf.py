"""SSRF guard for webhook URLs.

A webhook URL is chosen by the subscriber, so the server must not be made to call its own
network (loopback, private ranges, link-local cloud metadata at 169.254.169.254, reserved
space). The check runs when the webhook is created and again before every send, and the
sender connects to the address that was checked (see :class:`Target`), so a DNS answer that
changes between check and connect (rebinding) cannot redirect a delivery.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(ValueError):
    """The URL may not be called; `rule` names why (for problem+json field errors)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: IPAddress

    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address (Host header and TLS SNI
        must then carry `host`)."""
        parts = urlsplit(self.url)
        literal = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        netloc = f"{literal}:{self.port}"
        return parts._replace(netloc=netloc).geturl()

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses only."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback, whatever 3.11 says
    return address.is_global and not address.is_multicast


def check_shape(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an http(s) URL; raises UnsafeUrl otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise UnsafeUrl("url", f"not a valid URL: {err}") from err
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl("scheme", "only http and https URLs can receive webhooks")
    if not parts.hostname:
        raise UnsafeUrl("url", "the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("userinfo", "credentials in the URL are not allowed; use the secret")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


async def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise UnsafeUrl("unresolvable", f"host '{host}' does not resolve: {err}") from err
    # scope ids ("fe80::1%eth0") are dropped: such addresses are link-local and refused anyway
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise UnsafeUrl("unresolvable", f"host '{host}' has no addresses")
    return list(dict.fromkeys(addresses))


async def check_url(url: str, *, allow_private: bool) -> Target:
    """Validate and resolve `url`; every address it resolves to must be public unless
    `allow_private` (QCREDIT_WEBHOOK_ALLOW_PRIVATE, for tests and closed networks)."""
    scheme, host, port = check_shape(url)
    addresses = await resolve(host, port)
    if not allow_private:
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            raise UnsafeUrl(
                "ssrf",
                f"'{host}' resolves to a non-public address ({blocked[0]}); webhooks may only "
                "call public addresses",
            )
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])
