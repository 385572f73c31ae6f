"""The honour list (守信激励名单, seeds 000/001): an agency publishes AA enterprises it
recommends for awards; the public reads the entries in force (no class is shown)."""

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
from service.schemas.fields import Id32
from service.schemas.honours import HonourIn, HonourWithdrawIn, PublicHonour, PublicHonourPage
from service.store import enterprises
from service.store.publication import honours
from service.store.sharing import feed

router = APIRouter()

CACHE = "public, max-age=60"


@router.post(
    "/v1/honours",
    tags=["publication"],
    summary="Publish an enterprise on the honour list (守信激励)",
    response_model=PublicHonour,
    status_code=201,
    responses=problem_responses(InvalidCode, NotFound, Forbidden, Conflict, ValidationFailed),
    dependencies=[require(Scope.CLASSIFICATION_REVIEW)],
)
async def publish(
    body: HonourIn, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> Response:
    """Only an enterprise whose class in force is AA (seed 000: AA enterprises are
    recommended for awards) and that has no listing in force (Order 44 Art.15); 409 naming
    the rule otherwise. Needs the `classification:review` scope: it is a judgement on the
    class."""
    enterprise = await enterprises.get(session, parse_code_or_422(body.code))
    h = await honours.publish(
        session,
        principal,
        enterprise,
        reason=body.reason,
        published_on=body.published_on or today,
        today=today,
    )
    return Response(
        PublicHonour(**await honours.document(session, h.id or 0)).model_dump_json(),
        status_code=201,
        media_type="application/json",
    )


@router.post(
    "/v1/honours/{honour_id}/withdraw",
    tags=["publication"],
    summary="Withdraw an honour-list entry",
    response_model=PublicHonour,
    responses=problem_responses(NotFound, Forbidden, Conflict),
    dependencies=[require(Scope.CLASSIFICATION_REVIEW)],
)
async def withdraw(
    honour_id: Annotated[Id32, Path()],
    body: HonourWithdrawIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
) -> Response:
    await honours.withdraw(session, principal, honour_id, body.withdrawn_on or today)
    return Response(
        PublicHonour(**await honours.document(session, honour_id)).model_dump_json(),
        media_type="application/json",
    )


@router.get(
    "/public/v1/honours",
    tags=["public"],
    summary="The honour list (守信激励名单)",
    response_model=PublicHonourPage,
    responses=problem_responses(ValidationFailed, RateLimited),
)
async def public_list(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    region: Annotated[str | None, Query(pattern=r"^\d{1,6}$")] = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (1-200)")] = 50,
) -> Response:
    """Entries in force, newest first; an enterprise listed since drops out (Art.15)."""
    key, pinned = decode_snapshot_cursor(cursor)
    if key is not None and not (isinstance(key, int) and not isinstance(key, bool)):
        raise malformed_cursor()
    version = pinned if pinned is not None else await feed.dataset_version(session)
    items, nxt = await honours.public_page(
        session, today=today, region=region, after=key, limit=limit
    )
    payload = {
        "items": items,
        "next_cursor": encode_snapshot_cursor(nxt, version) if nxt else None,
    }
    return json_response(request, payload, cache_control=CACHE, dataset_version=version)
