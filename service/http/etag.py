"""ETag / If-None-Match for JSON reads: the tag is a digest of the body, so it changes
exactly when what the client would see changes."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response


def tagged_response(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    headers: dict[str, str] | None = None,
    cache_control: str | None = None,
    dataset_version: int | None = None,
    status_code: int = 200,
) -> Response:
    """`body` with an ETag over it; 304 when the client already has it. The dataset version
    travels in a header so it does not change the tag of data that did not change."""
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    meta = {"ETag": tag}
    if cache_control:
        meta["Cache-Control"] = cache_control
    if dataset_version is not None:
        meta["X-Dataset-Version"] = str(dataset_version)
    inm = request.headers.get("if-none-match")
    if inm and tag in [t.strip() for t in inm.split(",")]:
        return Response(status_code=304, headers=meta)
    return Response(
        body, status_code=status_code, media_type=media_type, headers={**(headers or {}), **meta}
    )


def json_response(
    request: Request,
    payload: Any,
    *,
    cache_control: str | None = None,
    dataset_version: int | None = None,
    status_code: int = 200,
) -> Response:
    return tagged_response(
        request,
        # UTC as "Z", as pydantic writes it, for documents built without a model
        orjson.dumps(payload, option=orjson.OPT_UTC_Z),
        "application/json",
        cache_control=cache_control,
        dataset_version=dataset_version,
        status_code=status_code,
    )
