"""Administrative-penalty publication (行政处罚信息公示, SAMR Order 45).

Public (no key, rate-limited with the public blacklist, same cursors and ETag): the
penalties public today. Agency: credit repair (信用修复) ending a publication early.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from service.auth import Scope
from service.credit import publication as rules
from service.credit.codes import CodeError, try_parse
from service.deps import CodeDep, PrincipalDep, SessionDep, TodayDep, require
from service.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
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
from service.schemas.fields import Id64
from service.schemas.publication import (
    PublicPenaltyLookup,
    PublicPenaltyPage,
    RepairIn,
    RepairOut,
)
from service.store.blacklist import public
from service.store.publication import penalties
from service.store.sharing import feed

router = APIRouter()

CACHE = "public, max-age=60"


def _after(cursor: str | None) -> tuple[int | None, int | None]:
    key, pinned = decode_snapshot_cursor(cursor)
    if key is None:
        return None, None
    if not (isinstance(key, int) and not isinstance(key, bool)):
        raise malformed_cursor()
    return key, pinned


@router.get(
    "/public/v1/penalties",
    tags=["public"],
    summary="Search the administrative penalties public today",
    response_model=PublicPenaltyPage,
    responses=problem_responses(ValidationFailed, RateLimited),
)
async def search(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Enterprise name or part of it, or a code (USCC or organization code)",
            examples=["辽河乳业"],
        ),
    ] = None,
    region: Annotated[
        str | None,
        Query(pattern=r"^\d{1,6}$", description="Division-code prefix", examples=["2111"]),
    ] = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (1-200)")] = 50,
) -> Response:
    """Newest first. A penalty is public from its decision for 3 years (3 months for a
    warning or a fine of at most 3,000 yuan) unless overturned, withdrawn or ended early by
    credit repair (Order 45; 国市监信规〔2021〕3号)."""
    after, pinned = _after(cursor)
    version = pinned if pinned is not None else await feed.dataset_version(session)
    code = None
    if q is not None:
        parsed = try_parse(q)
        if not isinstance(parsed, CodeError):
            code, q = await public.resolve(session, parsed) or "", None
    items: list[dict[str, Any]] = []
    key = None
    if code != "":  # an org code the registry does not know matches nothing
        items, key = await penalties.search(
            session, today=today, q=q, code=code, region=region, after=after, limit=limit
        )
    payload = {
        "items": items,
        "next_cursor": encode_snapshot_cursor(key, version) if key else None,
    }
    return json_response(request, payload, cache_control=CACHE, dataset_version=version)


@router.get(
    "/public/v1/penalties/{code}",
    tags=["public"],
    summary="The penalties of one enterprise public today",
    response_model=PublicPenaltyLookup,
    responses=problem_responses(InvalidCode, RateLimited),
)
async def lookup(code: CodeDep, request: Request, session: SessionDep, today: TodayDep) -> Response:
    """An unknown code simply has none."""
    uscc = await public.resolve(session, code)
    items = await penalties.by_code(session, uscc, today) if uscc else []
    payload = {"code": uscc or code.org_code_display, "items": items}
    return json_response(request, payload, cache_control=CACHE)


@router.post(
    "/v1/records/{record_id}/repair",
    tags=["records"],
    summary="Credit repair: end a penalty's publication early (信用修复)",
    response_model=RepairOut,
    status_code=201,
    responses=problem_responses(ValidationFailed, Forbidden, NotFound, Conflict, IllegalTransition),
    dependencies=[require(Scope.RECORDS_WRITE)],
)
async def repair(
    record_id: Annotated[Id64, Path(description="The penalty record (current version)")],
    body: RepairIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
) -> Response:
    """国市监信规〔2021〕3号: granted only once publication has run 6 months (1 year for
    food, drugs and special equipment), the penalty performed, the harm eliminated and no
    heavier penalty decided since (409 naming the rule otherwise). Publication ends on
    `granted_on`. The same grant again answers 200."""
    grant, p, created = await penalties.grant_repair(
        session, principal, record_id, body, today=today
    )
    out = RepairOut(
        record_id=grant.record_id,
        code=grant.code,
        granted_on=grant.granted_on,
        reason=grant.reason,
        public_until=rules.public_until(p),
        earliest=rules.repair_earliest(p),
    )
    return Response(
        out.model_dump_json(), status_code=201 if created else 200, media_type="application/json"
    )
