"""Signed screening receipts: proof of what the registry answered, and when.

A receipt is the canonical JSON (sorted keys, no spaces) of ``{request_sha256,
dataset_version, issued_at, count, hits}`` with an HMAC-SHA256 over it. The key is
``QCREDIT_RECEIPT_SECRET`` or, when that is empty, a random secret generated once per
database and kept in ``registry_setting`` (so every replica signs and verifies alike).
``token`` packs the payload and signature into one URL-safe string.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from fastapi import Request
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from service.db import Database
from service.models import RegistrySetting
from service.settings import Settings
from service.store import ledger

SETTING_KEY = "receipt_secret"
PAYLOAD_FIELDS = ("request_sha256", "dataset_version", "issued_at", "count", "hits")
_STATE_ATTR = "receipt_secret"


class ReceiptFormatError(ValueError):
    """Not a receipt this service could have issued (malformed, missing fields)."""


def request_sha256(raw_codes: Sequence[object]) -> str:
    """sha256 of the codes exactly as sent, joined by newlines (clients can recompute it)."""
    return hashlib.sha256("\n".join(map(str, raw_codes)).encode()).hexdigest()


def _canonical(payload: dict[str, Any]) -> bytes:
    return orjson.dumps({k: payload[k] for k in PAYLOAD_FIELDS}, option=orjson.OPT_SORT_KEYS)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(
    key: bytes,
    *,
    raw_codes: Sequence[object],
    dataset_version: int,
    issued_at: datetime,
    hits: list[str],
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "request_sha256": request_sha256(raw_codes),
        "dataset_version": dataset_version,
        "issued_at": issued_at.isoformat().replace("+00:00", "Z"),
        "count": len(raw_codes),
        "hits": hits,
    }
    canonical = _canonical(payload)
    signature = hmac.new(key, canonical, hashlib.sha256).hexdigest()
    return {
        **payload,
        "alg": "HMAC-SHA256",
        "signature": signature,
        "token": f"{_b64(canonical)}.{signature}",
    }


def parse(receipt: str | dict[str, Any]) -> tuple[dict[str, Any], str]:
    """``(payload, signature)`` from a token, a receipt's JSON text, or a receipt object."""
    if isinstance(receipt, str):
        text = receipt.strip()
        if text.startswith("{"):
            try:
                receipt = orjson.loads(text)
            except orjson.JSONDecodeError as err:
                raise ReceiptFormatError("the receipt is not valid JSON") from err
        else:
            body, _, signature = text.partition(".")
            try:
                receipt = {**orjson.loads(_unb64(body)), "signature": signature}
            except (binascii.Error, ValueError, TypeError) as err:
                raise ReceiptFormatError("the receipt token is malformed") from err
    if not isinstance(receipt, dict):
        raise ReceiptFormatError("a receipt is a JSON object or a token")
    missing = [k for k in (*PAYLOAD_FIELDS, "signature") if k not in receipt]
    if missing:
        raise ReceiptFormatError(f"the receipt lacks {', '.join(missing)}")
    signature = receipt["signature"]
    if not isinstance(signature, str):
        raise ReceiptFormatError("signature must be a hex string")
    return {k: receipt[k] for k in PAYLOAD_FIELDS}, signature


def verify(key: bytes, receipt: str | dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Whether the signature matches the payload; raises :class:`ReceiptFormatError`."""
    payload, signature = parse(receipt)
    expected = hmac.new(key, _canonical(payload), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.lower()), payload


async def _stored_secret(db: Database) -> str:
    async with db.session(write=False) as session:
        row = await session.get(RegistrySetting, SETTING_KEY)
        if row is not None:
            return row.value
    async with db.session(write=True) as session:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        created = await session.execute(
            insert(RegistrySetting)
            .values(key=SETTING_KEY, value=secrets.token_hex(32))
            .on_conflict_do_nothing(index_elements=["key"])
        )
        # Another replica may have won the race: everyone signs with the stored value.
        value = (
            await session.execute(
                select(col(RegistrySetting.value)).where(col(RegistrySetting.key) == SETTING_KEY)
            )
        ).scalar_one()
        if getattr(created, "rowcount", 0):
            ledger.audit(session, "registry.receipt_secret.created", SETTING_KEY)
        await ledger.commit(session)
        return str(value)


async def secret(request: Request) -> bytes:
    """The signing key, loaded (or generated) once per app instance."""
    cached = getattr(request.app.state, _STATE_ATTR, None)
    if isinstance(cached, bytes):
        return cached
    settings: Settings = request.app.state.settings
    value = settings.receipt_secret or await _stored_secret(request.app.state.db)
    key = value.encode()
    setattr(request.app.state, _STATE_ATTR, key)
    return key
