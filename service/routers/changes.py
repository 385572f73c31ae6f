"""变更订阅 — the change feed: every committed change, in seq order, resumable."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Response

from service.deps import PrincipalDep, SessionDep
from service.errors import FieldError, Forbidden, ValidationFailed, problem_responses
from service.schemas.sharing import ChangesOut
from service.store.sharing import feed

router = APIRouter(prefix="/v1/changes", tags=["sharing"])


def parse_types(raw: str | None) -> feed.TypeFilter:
    patterns = [p.strip() for p in (raw or "").split(",") if p.strip()]
    bad = feed.invalid_type_patterns(patterns)
    if bad or len(patterns) > feed.MAX_TYPE_PATTERNS:
        raise ValidationFailed(
            "types must be a comma list of event types or prefixes such as 'blacklist.'",
            errors=[
                FieldError(
                    field="types",
                    rule="event-type",
                    message=f"'{patterns[i]}' is not an event type or prefix"
                    if bad
                    else f"at most {feed.MAX_TYPE_PATTERNS} types",
                )
                for i in (bad or [0])
            ],
        )
    return feed.TypeFilter.parse(patterns)


@router.get(
    "",
    summary="Read the change feed after a seq",
    response_model=ChangesOut,
    responses=problem_responses(ValidationFailed, Forbidden),
)
async def get_changes(
    session: SessionDep,
    principal: PrincipalDep,
    after: Annotated[
        int, Query(ge=0, description="Last seq you have processed (0 = from the start)")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Events per page (1-1000)")] = 100,
    types: Annotated[
        str | None,
        Query(
            max_length=2000,
            description="Comma list of event types; `blacklist.` matches every blacklist event",
            examples=["blacklist.,grade.changed"],
        ),
    ] = None,
    region: Annotated[
        str | None,
        Query(pattern=r"^\d{1,6}$", description="Division-code prefix", examples=["2111"]),
    ] = None,
) -> Response:
    """Events with `seq > after` in seq order. Resume from `next_after`: a client that does so
    never misses an event and never sees one out of order, whatever commits concurrently.
    A regional agency sees its own region's events (and region-less catalog events)."""
    if (
        region
        and principal.region
        and not (region.startswith(principal.region) or principal.region.startswith(region))
    ):
        principal.require_region(region)
    page = await feed.read_changes(
        session,
        after=after,
        limit=limit,
        types=parse_types(types),
        agency_region=principal.region,
        region=region,
    )
    # serialized directly: a feed page is up to 1000 events and this is the hot read path
    payload = {
        "events": page.events,
        "next_after": page.next_after,
        "dataset_version": page.dataset_version,
    }
    return Response(orjson.dumps(payload), media_type="application/json")
