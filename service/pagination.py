"""Opaque cursors for stable keyset pagination."""

from __future__ import annotations

import base64
from typing import Annotated, Any

import orjson
from fastapi import Query

from service.errors import FieldError, ValidationFailed

LimitQuery = Annotated[int, Query(ge=1, le=1000, description="Page size (1-1000)", examples=[50])]
CursorQuery = Annotated[
    str | None,
    Query(description="`next_cursor` from the previous page; omit for the first page"),
]


def encode_cursor(key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Any:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, orjson.JSONDecodeError) as err:
        raise ValidationFailed(
            "cursor is not one this service issued",
            errors=[FieldError(field="cursor", rule="cursor", message="malformed cursor")],
        ) from err
