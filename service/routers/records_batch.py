"""POST /v1/records/batch: up to 100,000 records as JSON or as a streamed NDJSON body."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response

from service.auth import Scope
from service.deps import NowDep, PrincipalDep, SessionDep, TodayDep, require
from service.errors import (
    AppError,
    FieldError,
    Forbidden,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    problem_responses,
)
from service.http import ndjson
from service.schemas.records import BatchOut
from service.store import gcpause, ledger
from service.store.records import ingest

router = APIRouter(tags=["records"])
NDJSON_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)


@router.post(
    "/v1/records/batch",
    summary="Add up to 100,000 records (JSON or NDJSON)",
    response_model=BatchOut,
    responses=problem_responses(Forbidden, PayloadTooLarge, UnsupportedMediaType, ValidationFailed),
    dependencies=[require(Scope.RECORDS_WRITE)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["records"],
                        "properties": {
                            "records": {
                                "type": "array",
                                "maxItems": ingest.MAX_ITEMS,
                                "items": {
                                    "type": "object",
                                    "description": "A record body plus `code`",
                                },
                            }
                        },
                    }
                },
                "application/x-ndjson": {
                    "schema": {"type": "string", "description": "One record (with `code`) per line"}
                },
            },
        }
    },
)
async def post_batch(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    now: NowDep,
) -> Response:
    """Each item is accepted, a duplicate (same source_ref and body: the original id) or
    rejected (with its index and field errors). Valid items are kept even when others are
    rejected; `ids` says exactly which record each item ended as. Retrying a whole batch
    after a timeout stores nothing twice. NDJSON is read as a stream, line by line; a
    malformed line is a rejected item (`json_invalid`)."""
    media = (
        (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    )
    digest = hashlib.sha256()
    with gcpause.paused():
        job = await ingest.Ingest(session, principal, today, now).start()
        try:
            await _feed(request, media, job, digest)
        except BaseException:
            await job.abandon()
            raise
        ledger.context(session).body_sha256 = digest.hexdigest()
        out = await job.finish()
    return Response(out.model_dump_json(), media_type="application/json")


async def _feed(request: Request, media: str, job: ingest.Ingest, digest: Any) -> None:
    """Hand the body to ``job`` chunk by chunk, hashing it on the way."""
    if media in NDJSON_TYPES:
        chunk: list[ndjson.RawItem] = []
        async for batch in ndjson.ndjson_batches(_hashed(request.stream(), digest)):
            for item in batch:
                if item.index >= ingest.MAX_ITEMS:
                    raise _too_many()
                chunk.append(item)
                if len(chunk) == ingest.CHUNK:
                    await job.add(chunk)
                    chunk = []
        await job.add(chunk)
    elif media == "application/json":
        raw = await request.body()
        digest.update(raw)
        values = _json_items(raw)
        for start in range(0, len(values), ingest.CHUNK):
            part = values[start : start + ingest.CHUNK]
            await job.add([ndjson.RawItem(start + i, v) for i, v in enumerate(part)])
    else:
        raise UnsupportedMediaType(
            f'send application/json ({{"records": [...]}}) or application/x-ndjson, not {media}',
            rule="content-type",
        )


def _too_many() -> PayloadTooLarge:
    return PayloadTooLarge(
        f"a batch holds at most {ingest.MAX_ITEMS} records; split it", rule="max-batch-items"
    )


async def _hashed(stream: AsyncIterator[bytes], digest: Any) -> AsyncIterator[bytes]:
    async for chunk in stream:
        digest.update(chunk)
        yield chunk


def _json_items(raw: bytes) -> list[Any]:
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise AppError(f"the body is not JSON: {err}", rule="json_invalid") from err
    values = doc.get("records") if isinstance(doc, dict) else doc
    if not isinstance(values, list):
        raise ValidationFailed(
            'the body is {"records": [...]} (or a JSON array of records)',
            errors=[FieldError(field="records", rule="list_type", message="a list of records")],
        )
    if len(values) > ingest.MAX_ITEMS:
        raise _too_many()
    return values
