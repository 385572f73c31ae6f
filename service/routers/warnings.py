"""Early warnings (预警): an agency warns on a product category and region; the public (no
key, rate-limited, cursors and ETag as the public blacklist) reads those in force."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from service.auth import Scope
from service.deps import PrincipalDep, SessionDep, TodayDep, require
from service.errors import (
    Conflict,
    Forbidden,
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
from service.schemas.warnings import PublicWarning, PublicWarningPage, WarningIn, WithdrawIn
from service.store.publication import warnings
from service.store.sharing import feed

router = APIRouter()

CACHE = "public, max-age=60"


@router.post(
    "/v1/warnings",
    tags=["publication"],
    summary="Issue an early warning (预警) on a product category and region",
    response_model=PublicWarning,
    status_code=201,
    responses=problem_responses(ValidationFailed, Forbidden),
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def issue(
    body: WarningIn, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> Response:
    """Public from `issued_on` (default today) until `expires_on` or a withdrawal. A
    regional agency warns inside its region only."""
    w = await warnings.issue(
        session,
        principal,
        product_category=body.product_category,
        region_code=body.region_code,
        severity=body.severity,
        title=body.title,
        advice=body.advice,
        issued_on=body.issued_on or today,
        expires_on=body.expires_on,
        today=today,
    )
    out = PublicWarning(**warnings.warning_json(w, await warnings.authority(session, w)))
    return Response(out.model_dump_json(), status_code=201, media_type="application/json")


@router.post(
    "/v1/warnings/{warning_id}/withdraw",
    tags=["publication"],
    summary="Withdraw an early warning",
    response_model=PublicWarning,
    responses=problem_responses(NotFound, Forbidden, Conflict),
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def withdraw(
    warning_id: Annotated[Id32, Path()],
    body: WithdrawIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
) -> PublicWarning:
    w = await warnings.withdraw(session, principal, warning_id, body.withdrawn_on or today)
    return PublicWarning(**warnings.warning_json(w, await warnings.authority(session, w)))


@router.get(
    "/public/v1/warnings",
    tags=["public"],
    summary="Early warnings in force",
    response_model=PublicWarningPage,
    responses=problem_responses(ValidationFailed, RateLimited),
)
async def public_list(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    region: Annotated[
        str | None,
        Query(
            pattern=r"^\d{1,6}$",
            description="Warnings covering this division (national ones too) or inside it",
        ),
    ] = None,
    product: Annotated[str | None, Query(max_length=32, description="Category code")] = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (1-200)")] = 50,
) -> Response:
    """Newest first; expired and withdrawn warnings are gone."""
    key, pinned = decode_snapshot_cursor(cursor)
    if key is not None and not (isinstance(key, int) and not isinstance(key, bool)):
        raise malformed_cursor()
    version = pinned if pinned is not None else await feed.dataset_version(session)
    items, nxt = await warnings.public_page(
        session, today=today, region=region, product=product, after=key, limit=limit
    )
    payload = {
        "items": items,
        "next_cursor": encode_snapshot_cursor(nxt, version) if nxt else None,
    }
    return json_response(request, payload, cache_control=CACHE, dataset_version=version)
