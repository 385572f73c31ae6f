"""Sampling-result announcements (抽查结果公示, seed 001): agencies draft and publish; the
public (no key, rate-limited, cursors and ETag as the public blacklist) reads only what was
published, with each inspection's final result."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from service.auth import Scope
from service.deps import PrincipalDep, SessionDep, TodayDep, parse_code_or_422, require
from service.errors import (
    Conflict,
    Forbidden,
    InvalidCode,
    NotFound,
    RateLimited,
    ValidationFailed,
    problem_responses,
)
from service.http.etag import json_response
from service.http.pagination import (
    CursorQuery,
    decode_snapshot_cursor,
    encode_snapshot_cursor,
    malformed_cursor,
)
from service.schemas.announcements import (
    AnnouncementIn,
    AnnouncementOut,
    AnnouncementPublishIn,
    PublicAnnouncementDetail,
    PublicAnnouncementPage,
)
from service.schemas.fields import Id32
from service.store.blacklist import public
from service.store.publication import announcements
from service.store.sharing import feed

router = APIRouter()

CACHE = "public, max-age=60"
AnnouncementId = Annotated[Id32, Path(description="Announcement id")]


async def _out(session: SessionDep, ann_id: int) -> AnnouncementOut:
    ann = await announcements.get_row(session, ann_id)
    items = await announcements.results(session, ann)
    authority = await announcements.authority(session, ann)
    return AnnouncementOut(**announcements.public_announcement(ann, authority, items))


@router.post(
    "/v1/announcements",
    tags=["publication"],
    summary="Draft a sampling-result announcement (抽查结果公示)",
    response_model=AnnouncementOut,
    status_code=201,
    responses=problem_responses(ValidationFailed, Forbidden),
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def create(body: AnnouncementIn, session: SessionDep, principal: PrincipalDep) -> Response:
    """A draft over inspection records in the agency's jurisdiction; nothing is public
    until it is published."""
    ann = await announcements.create(
        session,
        principal,
        title=body.title,
        announced_on=body.announced_on,
        product_category=body.product_category,
        level=body.level,
        record_ids=body.record_ids,
    )
    out = await _out(session, ann.id or 0)
    return Response(out.model_dump_json(), status_code=201, media_type="application/json")


@router.post(
    "/v1/announcements/{announcement_id}/publish",
    tags=["publication"],
    summary="Publish an announcement",
    response_model=AnnouncementOut,
    responses=problem_responses(ValidationFailed, Forbidden, NotFound, Conflict),
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def publish(
    announcement_id: AnnouncementId,
    body: AnnouncementPublishIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
) -> AnnouncementOut:
    """From `published_on` (default today) the public reads it. Publishing again on the
    same day is a no-op; another day is a 409."""
    await announcements.publish(session, principal, announcement_id, body.published_on or today)
    return await _out(session, announcement_id)


def _after(cursor: str | None) -> tuple[int | None, int | None]:
    key, pinned = decode_snapshot_cursor(cursor)
    if key is None:
        return None, None
    if not (isinstance(key, int) and not isinstance(key, bool)):
        raise malformed_cursor()
    return key, pinned


@router.get(
    "/public/v1/announcements",
    tags=["public"],
    summary="Published sampling-result announcements",
    response_model=PublicAnnouncementPage,
    responses=problem_responses(InvalidCode, ValidationFailed, RateLimited),
)
async def public_list(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    code: Annotated[
        str | None,
        Query(description="Only announcements naming this enterprise (USCC or org code)"),
    ] = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (1-200)")] = 50,
) -> Response:
    """Newest first; drafts and announcements published after today never appear."""
    after, pinned = _after(cursor)
    version = pinned if pinned is not None else await feed.dataset_version(session)
    uscc = None
    if code is not None:
        uscc = await public.resolve(session, parse_code_or_422(code)) or ""
    items, key = await announcements.published_page(
        session, today=today, code=uscc, after=after, limit=limit
    )
    payload = {
        "items": items,
        "next_cursor": encode_snapshot_cursor(key, version) if key else None,
    }
    return json_response(request, payload, cache_control=CACHE, dataset_version=version)


@router.get(
    "/public/v1/announcements/{announcement_id}",
    tags=["public"],
    summary="One published announcement with its results per enterprise",
    response_model=PublicAnnouncementDetail,
    responses=problem_responses(NotFound, RateLimited),
)
async def public_one(
    announcement_id: AnnouncementId, request: Request, session: SessionDep, today: TodayDep
) -> Response:
    """Each inspection with product, batch, first result, failed items, re-test and final
    result. A draft is a 404."""
    doc = await announcements.published_one(session, announcement_id, today)
    return json_response(request, doc, cache_control=CACHE)
