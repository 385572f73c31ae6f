"""Quality status report (质量状况报告) for a region and year, as XLSX or HTML."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from service.deps import RegionScopeDep, SessionDep, TodayDep
from service.errors import Forbidden, Unauthorized, ValidationFailed, problem_responses
from service.reports import html, quality, xlsx

router = APIRouter(prefix="/v1/reports", tags=["reports"])

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/quality",
    summary="Quality status report for a region and year (XLSX workbook or HTML with charts)",
    responses={
        200: {
            "content": {XLSX_MEDIA: {}, "text/html": {}},
            "description": "The report as an attachment",
        },
        **problem_responses(Unauthorized, Forbidden, ValidationFailed),
    },
)
async def quality_report(
    session: SessionDep,
    scope: RegionScopeDep,
    today: TodayDep,
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Calendar year; default this year")
    ] = None,
    period: Annotated[
        str | None,
        Query(
            pattern=quality.PERIOD_PATTERN,
            description="A year (`2026`) or a quarter (`2026Q3`); overrides `year`",
            examples=["2026Q3"],
        ),
    ] = None,
    format: Annotated[
        Literal["xlsx", "html"], Query(description="`xlsx` workbook or `html` document")
    ] = "xlsx",
    target: Annotated[
        float,
        Query(gt=0, le=1, description="Target pass rate, e.g. 0.96"),
    ] = quality.DEFAULT_TARGET,
) -> Response:
    """Yearly or quarterly (`period=2026Q3`). Pass rates by product, region, inspection
    level and month against the target and the same period a year earlier (the figures of
    `GET /v1/stats/inspections`), the class distribution (`GET /v1/stats/grades`), the
    period's blacklist movements, its risk-monitoring rate, sampling-result announcements
    and penalties, and a generated narrative naming the largest declines and the categories
    below target. A regional agency gets its own region by default and a 403
    `jurisdiction` problem outside it (the rule of every
    regional read, README "Read policy")."""
    chosen = quality.parse_period(period or str(year or today.year))
    report = await quality.gather(session, region=scope, period=chosen, today=today, target=target)
    name = f"quality-{scope or 'CN'}-{chosen.key}"
    if format == "html":
        body = (await run_in_threadpool(html.render, report)).encode()
        media = "text/html; charset=utf-8"
    else:
        body, media = await run_in_threadpool(xlsx.build, report), XLSX_MEDIA
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{format}"',
            "Cache-Control": "private, no-store",
        },
    )
