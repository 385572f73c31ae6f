"""Verify a webhook delivery (Standard Webhooks scheme, as the registry signs them).

Headers ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``
(space-separated ``v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>``). The key is
the base64-decoded part of a ``whsec_...`` secret, or any other secret's UTF-8 bytes.

Hand-written (30 lines of stdlib) rather than depending on the ``standardwebhooks`` package,
whose dependencies outweigh the check; tests verify it against that package's signer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from qcredit_client.errors import QcreditError

DEFAULT_TOLERANCE = 300  # seconds either way, as Standard Webhooks recommends


class WebhookVerificationError(QcreditError):
    """The delivery is not authentic or not fresh: answer it with 4xx and ignore it."""


def signing_key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        raw = secret.removeprefix("whsec_")
        try:
            return base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
        except binascii.Error as err:
            raise ValueError("a whsec_ secret is base64 after the prefix") from err
    return secret.encode()


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: bytes | str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> dict[str, Any]:
    """Check a delivery's signature and timestamp; return the event (``seq``, ``id``,
    ``type``, ``code``, ``data``...). Pass the raw body exactly as received. Raise
    WebhookVerificationError when a header is missing, the timestamp is outside
    ``tolerance`` seconds of ``now``, or no ``v1`` signature matches."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        msg_id = lower["webhook-id"]
        timestamp = lower["webhook-timestamp"]
        signatures = lower["webhook-signature"]
    except KeyError as err:
        raise WebhookVerificationError(f"missing header {err.args[0]}") from None
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a number") from None
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        raise WebhookVerificationError("webhook-timestamp is outside the tolerance")
    raw = body.encode() if isinstance(body, str) else body
    mac = hmac.new(signing_key(secret), f"{msg_id}.{timestamp}.".encode() + raw, hashlib.sha256)
    expected = base64.b64encode(mac.digest()).decode()
    for candidate in signatures.split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            event: dict[str, Any] = json.loads(raw)
            return event
    raise WebhookVerificationError("no matching v1 signature")
