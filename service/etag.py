"""ETag / If-None-Match for JSON reads: the tag is a digest of the body, so it changes
exactly when what the client would see changes."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response


def json_response(
    request: Request,
    payload: Any,
    *,
    status_code: int = 200,
    cache_control: str | None = None,
) -> Response:
    body = orjson.dumps(payload)
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": tag}
    if cache_control:
        headers["Cache-Control"] = cache_control
    inm = request.headers.get("if-none-match")
    if inm and tag in [t.strip() for t in inm.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)
