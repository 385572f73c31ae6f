"""Reading a dossier: an enterprise's records (filtered, paginated), the whole archive in one
document (JSON, CSV, XLSX) and the inspections whose Order 18 follow-up is overdue."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from service.auth import Scope
from service.deps import CodeDep, RegionScopeDep, SessionDep, TodayDep, require
from service.errors import (
    FieldError,
    Forbidden,
    InvalidCode,
    NotFound,
    ValidationFailed,
    problem_responses,
)
from service.exports.dossier import XLSX_TYPE, Format, NotAcceptable, negotiate, to_csv, to_xlsx
from service.exports.options import DownloadOptionsDep
from service.exports.tables import CSV_TYPE
from service.http.etag import json_response
from service.http.pagination import (
    CursorQuery,
    LimitQuery,
    decode_cursor,
    decode_cursor_of,
    encode_cursor,
    malformed_cursor,
)
from service.schemas.fields import IsoDate
from service.schemas.records import Kind, OverduePage, RecordPage
from service.store import calendar, enterprises
from service.store.records import objections
from service.store.records import reads as record_reads
from service.store.records import rows as rr
from service.store.sharing import feed

router = APIRouter(tags=["records"])


@router.get(
    "/v1/enterprises/{code}/records",
    summary="List an enterprise's records",
    response_model=RecordPage,
    responses=problem_responses(InvalidCode, NotFound, ValidationFailed),
    dependencies=[require(Scope.RECORDS_READ)],
)
async def list_records(
    code: CodeDep,
    session: SessionDep,
    request: Request,
    kind: Annotated[list[Kind] | None, Query(description="Repeat to combine kinds")] = None,
    date_from: Annotated[IsoDate | None, Query(alias="from", description="occurred_on ≥")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to", description="occurred_on ≤")] = None,
    status: Annotated[
        list[Literal["active", "overturned", "withdrawn", "superseded"]] | None,
        Query(description="Default: every status except superseded"),
    ] = None,
    history: Annotated[bool, Query(description="Include superseded versions")] = False,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Response:
    """Newest first (occurred_on, then id). Current versions unless `history=true`."""
    # read before the page: a mirror replaying /v1/changes after it misses nothing
    version = await feed.dataset_version(session)
    enterprise = await enterprises.get(session, code)
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed(
            "from is after to",
            errors=[
                FieldError(field="from", rule="date-order", message=f"{date_from} > {date_to}")
            ],
        )
    after = decode_cursor(cursor)
    try:
        key = (date.fromisoformat(after[0]), int(after[1])) if after is not None else None
    except (TypeError, ValueError, IndexError, KeyError) as err:
        raise malformed_cursor() from err
    rows = await record_reads.list_page(
        session,
        enterprise.code,
        kinds=list(kind) if kind else None,
        date_from=date_from,
        date_to=date_to,
        statuses=list(status) if status else None,
        history=history,
        after=key,
        limit=limit,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    disputed = await objections.open_for_records(session, [r.id for r in rows if r.id])
    page = {
        "items": [
            rr.record_out(r, objection_id=disputed.get(r.id or 0)).model_dump(
                mode="json", exclude={"warnings", "deadlines"}
            )
            for r in rows
        ],
        "next_cursor": encode_cursor([last.occurred_on.isoformat(), last.id])
        if more and last
        else None,
    }
    return json_response(request, page, dataset_version=version)


@router.get(
    "/v1/enterprises/{code}/dossier",
    summary="The whole dossier in one document (JSON, CSV or XLSX)",
    responses={
        200: {
            "description": "The dossier",
            "content": {"text/csv": {}, XLSX_TYPE: {}},
        },
        **problem_responses(InvalidCode, NotFound, NotAcceptable),
    },
    dependencies=[require(Scope.RECORDS_READ)],
)
async def get_dossier(
    code: CodeDep,
    session: SessionDep,
    request: Request,
    today: TodayDep,
    options: DownloadOptionsDep,
    format: Annotated[Format | None, Query(description="Overrides the Accept header")] = None,
    history: Annotated[bool, Query(description="Include superseded versions")] = False,
) -> Response:
    """The enterprise, its current class with reasons, every record (inspections with their
    Order 18 deadlines), blacklist entries and registered barcodes."""
    chosen = negotiate(format, request.headers.get("accept"))
    enterprise = await enterprises.get(session, code)
    cal = await calendar.work_calendar(session)
    doc = await record_reads.dossier(session, enterprise, today=today, cal=cal, history=history)
    if chosen == "json":
        return json_response(request, doc)
    name = f"dossier-{enterprise.code}-{today.isoformat()}"
    if chosen == "csv":
        body, media, ext = to_csv(doc, lang=options.lang, bom=options.bom), CSV_TYPE, "csv"
    else:
        body, media, ext = to_xlsx(doc, lang=options.lang), XLSX_TYPE, "xlsx"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'},
    )


@router.get(
    "/v1/inspections/overdue",
    summary="Failed inspections whose follow-up is overdue",
    response_model=OverduePage,
    responses=problem_responses(Forbidden, ValidationFailed),
    dependencies=[require(Scope.RECORDS_READ)],
)
async def list_overdue(
    session: SessionDep,
    region: RegionScopeDep,
    today: TodayDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> OverduePage:
    """Re-test formalities past 7 days from the re-test notice (Art.38), re-test labs not
    designated within 10 days of the formalities (Art.39), re-checks past the 75-day
    deadline (Art.47) and second re-checks past the end of the 60-90 day window (Art.48),
    as of today (the last day itself is on time); ordered by record id."""
    prefix = region or ""
    after = decode_cursor_of(cursor, int)
    cal = await calendar.work_calendar(session)
    items, last = await record_reads.overdue(
        session, prefix, today=today, cal=cal, after_id=after or 0, limit=limit
    )
    return OverduePage(items=items, next_cursor=encode_cursor(last) if last else None)
