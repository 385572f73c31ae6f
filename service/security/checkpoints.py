"""Signed checkpoints of the audit chain head (Ed25519).

Whoever can write SQL can edit an audit entry and recompute every hash after it, or delete
the last entries and move the head back: the chain alone still verifies. A checkpoint is the
head `(seq, head)` signed with a key the database never sees
(``QCREDIT_AUDIT_SIGNING_KEY_FILE``); it is published (public URL, change feed) so other
agencies keep copies. A chain whose entry `seq` no longer hashes to a checkpoint's `head`,
or that is shorter than `seq`, was rewritten or truncated after that checkpoint was signed.

A checkpoint document::

    {"alg": "Ed25519", "seq": 1200, "head": "<64 hex>", "signed_at": "2026-06-15T02:00:00Z",
     "key_id": "<16 hex>", "public_key": "<base64 raw key>", "signature": "<base64>"}

The signature covers the canonical JSON (sorted keys, no spaces) of ``{"purpose":
"qcredit.audit.checkpoint", "seq", "head", "signed_at", "key_id"}``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALG = "Ed25519"
PURPOSE = "qcredit.audit.checkpoint"


class CheckpointFormatError(ValueError):
    """Not a checkpoint document (missing or malformed fields)."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    head: str
    signed_at: str  # ISO 8601, UTC, "Z"
    key_id: str
    public_key: str  # base64 of the raw 32-byte key
    signature: str  # base64

    def as_json(self) -> dict[str, Any]:
        return {
            "alg": ALG,
            "seq": self.seq,
            "head": self.head,
            "signed_at": self.signed_at,
            "key_id": self.key_id,
            "public_key": self.public_key,
            "signature": self.signature,
        }

    def message(self) -> bytes:
        return _message(self.seq, self.head, self.signed_at, self.key_id)


def _message(seq: int, head: str, signed_at: str, key_id: str) -> bytes:
    body = {"purpose": PURPOSE, "seq": seq, "head": head, "signed_at": signed_at, "key_id": key_id}
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_b64(public: Ed25519PublicKey) -> str:
    return base64.b64encode(_raw(public)).decode()


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def load_signing_key(path: str | Path) -> Ed25519PrivateKey:
    """The PEM (PKCS#8) Ed25519 private key at `path` (``qcredit audit keygen`` makes one)."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


@functools.cache
def _cached_key(path: str, _mtime_ns: int) -> Ed25519PrivateKey:
    return load_signing_key(path)


def configured_key(path: str) -> Ed25519PrivateKey | None:
    """The key named by ``QCREDIT_AUDIT_SIGNING_KEY_FILE`` (read once per file version), or
    None when none is configured."""
    if not path:
        return None
    return _cached_key(path, os.stat(path).st_mtime_ns)


def configured_key_id(path: str) -> str | None:
    key = configured_key(path)
    return key_id(key.public_key()) if key is not None else None


def write_signing_key(path: str | Path) -> Ed25519PrivateKey:
    """A new key at `path`, readable by its owner only; refuses to overwrite."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def sign(key: Ed25519PrivateKey, *, seq: int, head: str, signed_at: datetime) -> Checkpoint:
    public = key.public_key()
    at = signed_at.isoformat().replace("+00:00", "Z")
    kid = key_id(public)
    signature = key.sign(_message(seq, head, at, kid))
    return Checkpoint(
        seq=seq,
        head=head,
        signed_at=at,
        key_id=kid,
        public_key=public_b64(public),
        signature=base64.b64encode(signature).decode(),
    )


def signature_valid(cp: Checkpoint) -> bool:
    """Whether `cp` is signed by the key it names (trust in that key is the caller's)."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(cp.public_key))
        if key_id(public) != cp.key_id:
            return False
        public.verify(base64.b64decode(cp.signature), cp.message())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def parse(document: dict[str, Any]) -> Checkpoint:
    try:
        cp = Checkpoint(
            seq=int(document["seq"]),
            head=str(document["head"]),
            signed_at=str(document["signed_at"]),
            key_id=str(document["key_id"]),
            public_key=str(document["public_key"]),
            signature=str(document["signature"]),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise CheckpointFormatError(f"not a checkpoint document: {err}") from err
    if document.get("alg", ALG) != ALG:
        raise CheckpointFormatError(f"unsupported alg {document.get('alg')!r}")
    return cp


def read_file(path: str | Path) -> list[Checkpoint]:
    """Checkpoints saved by another party: one document, a list, or the change-feed event
    (``{"type": "audit.checkpoint", "data": {...}}``) as received."""
    try:
        loaded = orjson.loads(Path(path).read_bytes())
    except orjson.JSONDecodeError as err:
        raise CheckpointFormatError(f"{path} is not JSON: {err}") from err
    items = loaded if isinstance(loaded, list) else [loaded]
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("data"), dict):
            item = item["data"]
        if not isinstance(item, dict):
            raise CheckpointFormatError(f"{path}: a checkpoint is a JSON object")
        out.append(parse(item))
    return out
