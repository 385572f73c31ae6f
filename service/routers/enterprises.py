"""Enterprises: register/update, look up (by USCC or org code), list with filters."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from service.auth import Scope
from service.deps import (
    AuthorizationHeader,
    CodeDep,
    CodePath,
    NowDep,
    PrincipalDep,
    SessionDep,
    TodayDep,
    authenticated,
    get_db,
    parse_code_or_422,
    require,
)
from service.errors import Forbidden, InvalidCode, NotFound, ValidationFailed, problem_responses
from service.http.direct import DirectRoute
from service.http.etag import json_response
from service.http.pagination import (
    CursorQuery,
    LimitQuery,
    decode_snapshot_cursor,
    encode_snapshot_cursor,
    malformed_cursor,
)
from service.schemas import EnterpriseIn, EnterpriseOut, EnterpriseSummary, Page
from service.store import enterprises, lookup, views
from service.store.grading import regrade as grading
from service.store.sharing import feed

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"])

RegionQuery = Annotated[
    str | None,
    Query(
        pattern=r"^\d{1,6}$",
        description="Division-code prefix, e.g. `21` or `2111`",
        examples=["2111"],
    ),
]


@router.put(
    "/{code}",
    summary="Register or update an enterprise",
    status_code=200,
    response_model=EnterpriseOut,
    responses={
        201: {"model": EnterpriseOut, "description": "Created"},
        **problem_responses(InvalidCode, Forbidden, ValidationFailed),
    },
    dependencies=[require(Scope.ENTERPRISES_WRITE)],
)
async def put_enterprise(
    code: CodeDep,
    body: EnterpriseIn,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    now: NowDep,
    response: Response,
) -> EnterpriseOut:
    """Creates the enterprise (201) or replaces its descriptive fields (200). The code must be
    a full USCC. Its region is the code's positions 3-8: a `region_code` that says otherwise
    is a 422, and the caller's jurisdiction must cover the code's region (403)."""
    if code.uscc is None:
        raise ValidationFailed(
            "an enterprise is registered under its 18-character USCC, not an org code",
            rule="uscc-required",
        )
    enterprises.check_region(code, body.region_code)
    principal.require_enterprise(code.uscc)
    enterprise, created = await enterprises.upsert(
        session, code, body, agency_id=principal.agency_id, now=now
    )
    await grading.regrade(session, [enterprise.code], today=today, trigger="enterprise")
    response.status_code = 201 if created else 200
    return await views.enterprise_out(session, enterprise, today)


@router.get(
    "/{code}",
    summary="Look up an enterprise with its current class",
    response_model=EnterpriseOut,
    responses=problem_responses(InvalidCode, NotFound),
)
async def get_enterprise(
    code: CodePath, request: Request, authorization: AuthorizationHeader = None
) -> Response:
    """`code` may be a USCC (any case, spaces or hyphens) or a 9-character organization code."""
    # The registry's most frequent read resolves its caller inline: each FastAPI dependency
    # costs about as much as this route's own work.
    parsed = parse_code_or_422(code)
    await authenticated(request, authorization)
    db = get_db(request)
    today = request.app.state.clock.today()
    try:
        document = await lookup.enterprise_document(db, parsed, today)
    except lookup.Stale:
        async with db.session(write=False) as session:
            enterprise = await enterprises.get(session, parsed)
            out = await views.enterprise_out(session, enterprise, today)
        document = out.model_dump(mode="json")
    if document is None:
        raise enterprises.not_found(parsed)
    return json_response(request, document)


async def _get_enterprise_direct(request: Request) -> Response:
    return await get_enterprise(
        request.path_params["code"], request, request.headers.get("authorization")
    )


DIRECT = [DirectRoute("GET", "/v1/enterprises/{code}", _get_enterprise_direct)]


@router.get(
    "",
    summary="List enterprises",
    response_model=Page[EnterpriseSummary],
)
async def list_enterprises(
    session: SessionDep,
    _: PrincipalDep,
    region: RegionQuery = None,
    q: Annotated[str | None, Query(max_length=100, description="Name substring")] = None,
    grade: Annotated[Literal["AA", "A", "B", "C"] | None, Query()] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[EnterpriseSummary]:
    """Ordered by code; filters combine."""
    after, pinned = decode_snapshot_cursor(cursor)
    if after is not None and not isinstance(after, str):
        raise malformed_cursor()
    # read before the first page: a mirror replaying /v1/changes after it misses nothing
    version = pinned if pinned is not None else await feed.dataset_version(session)
    rows = await enterprises.list_page(
        session, region=region, q=q, grade=grade, after=after, limit=limit
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(
        items=[
            EnterpriseSummary(
                code=e.code,
                org_code=e.org_code,
                name=e.name,
                region_code=e.region_code,
                grade=e.grade,
                products=e.products,
            )
            for e in rows
        ],
        next_cursor=encode_snapshot_cursor(rows[-1].code, version) if more and rows else None,
        dataset_version=version,
    )
