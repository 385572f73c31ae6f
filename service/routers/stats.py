"""Regulator statistics: grade distribution per region and sampling pass rates (抽查合格率)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from service.deps import RegionScopeDep, SessionDep
from service.errors import FieldError, Forbidden, ValidationFailed, problem_responses
from service.exports import tables
from service.exports.options import DownloadOptions, DownloadOptionsDep
from service.exports.tables import Column
from service.http.etag import json_response
from service.schemas.classification import (
    GradeCounts,
    GradeGroup,
    GradeStats,
    PassRateRow,
    PassRateStats,
)
from service.schemas.fields import IsoDate
from service.store import stats
from service.web import vocabulary

router = APIRouter(prefix="/v1/stats", tags=["statistics"])

LevelQuery = Annotated[
    Literal["province", "prefecture", "county"] | None,
    Query(
        description="Group regions by province (2 digits), prefecture (4) or county (6); "
        "default one level below `region`",
    ),
]


def _check_level(region: str | None, level: stats.RegionLevel) -> None:
    if region and stats.LEVEL_DIGITS[level] < len(region):
        detail = f"level {level} is coarser than region {region}; choose a finer level"
        raise ValidationFailed(
            detail, errors=[FieldError(field="level", rule="level", message=detail)]
        )


@router.get(
    "/grades",
    summary="Enterprises per class (AA/A/B/C) per region",
    response_model=GradeStats,
    responses=problem_responses(Forbidden, ValidationFailed),
)
async def grade_stats(
    session: SessionDep,
    region: RegionScopeDep,
    request: Request,
    level: LevelQuery = None,
) -> Response:
    """Counts of the stored classes (kept current by re-grading and `qcredit recompute`),
    grouped by division-code prefix; `unclassified` counts enterprises without a class."""
    lvl = level or stats.default_level(region)
    _check_level(region, lvl)
    rows = await stats.grade_distribution(session, region=region, level=lvl)
    total = GradeCounts()
    groups = []
    for row in rows:
        group = GradeGroup(
            key=row.key,
            region_code=row.key.ljust(6, "0"),
            label=stats.region_label(row.key),
            **row.counts,
            total=sum(row.counts.values()),
        )
        groups.append(group)
        for name in ("AA", "A", "B", "C", "unclassified", "total"):
            setattr(total, name, getattr(total, name) + getattr(group, name))
    out = GradeStats(level=lvl, region=region, groups=groups, total=total)
    return json_response(request, out.model_dump(mode="json"))


def _row(
    key: str, label: str | None, n: int, passed: int, failed: int, target: float | None
) -> PassRateRow:
    below = None if target is None or n == 0 else passed < target * n
    return PassRateRow(
        key=key,
        label=label,
        inspections=n,
        passed=passed,
        failed=failed,
        rate=stats.rate(passed, n),
        below_target=below,
    )


CSV_COLUMNS = (
    Column("key", "分组代码", labels=vocabulary.GROUP_KEYS),
    Column("label", "名称"),
    Column("inspections", "抽查批次", "int"),
    Column("passed", "合格批次", "int"),
    Column("failed", "不合格批次", "int"),
    Column("rate", "合格率", "percent"),
    Column("below_target", "低于目标", "bool"),
)


def _csv(out: PassRateStats, options: DownloadOptions) -> Response:
    rows = [row.model_dump() for row in [*out.groups, out.total]]
    body = tables.to_csv(
        tables.Sheet("合格率", CSV_COLUMNS, rows), lang=options.lang, bom=options.bom
    )
    return Response(
        body,
        media_type=tables.CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="pass-rates-{out.group_by}.csv"'},
    )


@router.get(
    "/inspections",
    summary="Sampling-inspection pass rates (抽查合格率) by product, region, level or month",
    response_model=PassRateStats,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(Forbidden, ValidationFailed),
    },
)
async def inspection_stats(
    session: SessionDep,
    region: RegionScopeDep,
    request: Request,
    options: DownloadOptionsDep,
    group_by: Annotated[
        Literal["product", "region", "level", "month"],
        Query(description="product category, region, inspection level or month (YYYY-MM)"),
    ] = "product",
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="Sampled on or after (YYYY-MM-DD)")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="Sampled on or before (YYYY-MM-DD)")
    ] = None,
    level: LevelQuery = None,
    target: Annotated[
        float | None,
        Query(gt=0, le=1, description="Target pass rate, e.g. 0.96; flags groups below it"),
    ] = None,
    fmt: Annotated[
        Literal["json", "csv"], Query(alias="format", description="`csv`: text/csv with header")
    ] = "json",
) -> Response:
    """Counts final results: a re-test result replaces the first one (Order 18 Art.42).
    Refused sampling (Art.21) and overturned, withdrawn or superseded records are left out.
    With `group_by=region`, `level` picks the division level (default one below `region`).
    CSV ends with a `total` row."""
    return await _rates(
        session,
        request,
        "inspection",
        group_by,
        date_from,
        date_to,
        region,
        level,
        target,
        fmt,
        options,
    )


async def _rates(
    session: SessionDep,
    request: Request,
    kind: str,
    group_by: stats.GroupBy,
    date_from: IsoDate | None,
    date_to: IsoDate | None,
    region: str | None,
    level: stats.RegionLevel | None,
    target: float | None,
    fmt: str,
    options: DownloadOptions,
) -> Response:
    if date_from is not None and date_to is not None and date_from > date_to:
        detail = f"from ({date_from}) is after to ({date_to})"
        raise ValidationFailed(
            detail, errors=[FieldError(field="from", rule="range", message=detail)]
        )
    lvl = level or stats.default_level(region)
    _check_level(region, lvl)
    rows = await stats.pass_rates(
        session,
        group_by=group_by,
        region=region,
        region_level=lvl,
        date_from=date_from,
        date_to=date_to,
        kind=kind,
    )
    groups = [_row(r.key, r.label, r.inspections, r.passed, r.failed, target) for r in rows]
    total = _row(
        "total",
        "合计",
        sum(r.inspections for r in rows),
        sum(r.passed for r in rows),
        sum(r.failed for r in rows),
        target,
    )
    out = PassRateStats(
        group_by=group_by,
        from_=date_from,
        to=date_to,
        region=region,
        target=target,
        groups=groups,
        total=total,
    )
    if fmt == "csv":
        return _csv(out, options)
    return json_response(request, out.model_dump(mode="json", by_alias=True))


@router.get(
    "/monitoring",
    summary="Risk-monitoring and product-injury monitoring rates (风险监测 / 产品伤害监测)",
    response_model=PassRateStats,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(ValidationFailed),
    },
)
async def monitoring_stats(
    session: SessionDep,
    region: RegionScopeDep,
    request: Request,
    options: DownloadOptionsDep,
    program: Annotated[
        Literal["risk", "injury"],
        Query(description="risk: 风险监测 samples; injury: 产品伤害监测 cases"),
    ] = "risk",
    group_by: Annotated[
        Literal["product", "region", "source", "month"],
        Query(description="product category, region, sample source or month (YYYY-MM)"),
    ] = "product",
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="Sampled on or after (YYYY-MM-DD)")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="Sampled on or before (YYYY-MM-DD)")
    ] = None,
    level: LevelQuery = None,
    target: Annotated[
        float | None,
        Query(gt=0, le=1, description="Target rate, e.g. 0.96 or 0.90 (seed 002)"),
    ] = None,
    fmt: Annotated[
        Literal["json", "csv"], Query(alias="format", description="`csv`: text/csv with header")
    ] = "json",
) -> Response:
    """The share of monitoring samples with no hazard found (`passed`), in the shape of the
    inspection pass rates. The seeds' targets are monitoring rates: 主要农产品质量安全监测合格率
    ≥ 96 %, 重点食品的质量安全监测合格率 ≥ 90 % (seed 002). Monitoring never counts for the
    class."""
    kind = "monitoring" if program == "risk" else "injury"
    return await _rates(
        session, request, kind, group_by, date_from, date_to, region, level, target, fmt, options
    )
