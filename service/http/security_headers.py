"""Browser hardening headers on every response.

* ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` everywhere: no
  response is reinterpreted as another type, and no URL (which may carry a code or a query)
  leaks to another site.
* HTML pages get a Content-Security-Policy that allows only this origin's own scripts and
  styles — no inline script, no inline style, nothing from another host (the portal works
  offline by design). Pages that hold an API key (``/regulator``) also refuse to be framed
  (``frame-ancestors 'none'``, plus ``X-Frame-Options: DENY`` for old browsers), so no
  other site can overlay them to steal clicks; the public pages may be framed by this
  origin only.
* HTML that the API produces (the quality report, ``/v1/reports/quality?format=html``) is a
  self-contained document with its own inline styles and no script: it gets a policy that
  allows exactly that.
* FastAPI's interactive docs (``/docs``, ``/redoc``) are left to their own page, which
  needs its inline bootstrap script.
"""

from __future__ import annotations

_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
    "frame-ancestors {frame}"
)
_DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
_KEY_PAGES = ("/regulator",)
_OWN_POLICY = ("/docs", "/redoc")
_ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]


def policy_for(path: str) -> list[tuple[bytes, bytes]]:
    """The CSP headers for an HTML response at `path`."""
    if path.startswith(_OWN_POLICY):
        return []
    if path.startswith(("/v1/", "/public/v1/")):
        return [(b"content-security-policy", _DOCUMENT_CSP.encode())]
    if path.startswith(_KEY_PAGES):
        return [
            (b"content-security-policy", _PAGE_CSP.format(frame="'none'").encode()),
            (b"x-frame-options", b"DENY"),
        ]
    return [(b"content-security-policy", _PAGE_CSP.format(frame="'self'").encode())]


def with_security_headers(
    path: str, headers: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """A response's headers plus the hardening ones it does not set itself (applied by
    service.http.edge to every response, the 500/503 of the error boundary included)."""
    present = {name.lower() for name, _ in headers}
    out = headers + [(n, v) for n, v in _ALWAYS if n not in present]
    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html"):
        out += [(n, v) for n, v in policy_for(path) if n not in present]
    return out
