"""Opaque cursors for stable keyset pagination."""

from __future__ import annotations

import base64
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Query

from service.errors import FieldError, ValidationFailed

K = TypeVar("K", int, str)

LimitQuery = Annotated[int, Query(ge=1, le=1000, description="Page size (1-1000)", examples=[50])]
CursorQuery = Annotated[
    str | None,
    Query(description="`next_cursor` from the previous page; omit for the first page"),
]


def malformed_cursor() -> ValidationFailed:
    return ValidationFailed(
        "cursor is not one this service issued",
        rule="cursor",
        errors=[FieldError(field="cursor", rule="cursor", message="malformed cursor")],
    )


def encode_cursor(key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Any:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, orjson.JSONDecodeError) as err:
        raise malformed_cursor() from err


def decode_cursor_of(cursor: str | None, kind: type[K]) -> K | None:
    """The key of a cursor whose key is a single `kind` value (an id or a code)."""
    key = decode_cursor(cursor)
    if key is not None and (not isinstance(key, kind) or isinstance(key, bool)):
        raise malformed_cursor()
    return key


def encode_snapshot_cursor(key: Any, dataset_version: int) -> str:
    """A cursor that also carries the dataset version paging started at, so every page of
    one walk reports the same version: the seq a mirror replays /v1/changes after."""
    return encode_cursor({"k": key, "v": dataset_version})


def decode_snapshot_cursor(cursor: str | None) -> tuple[Any, int | None]:
    """(key, dataset_version) from a cursor of :func:`encode_snapshot_cursor`."""
    raw = decode_cursor(cursor)
    if raw is None:
        return None, None
    if not (isinstance(raw, dict) and set(raw) == {"k", "v"} and isinstance(raw["v"], int)):
        raise malformed_cursor()
    return raw["k"], raw["v"]
