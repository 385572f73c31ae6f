"""Regulator statistics, aggregated in SQL: grade distribution per region and sampling
pass rates (抽查合格率) per product, region, inspection level or month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Integer, String, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.dossier import RecordKind, RecordStatus
from service.credit.regions import region_name
from service.models import CatalogCategory, CreditRecord, Enterprise

RegionLevel = Literal["province", "prefecture", "county"]
GroupBy = Literal["product", "region", "level", "month", "source"]
# Where a monitoring sample or injury case came from (风险监测 / 产品伤害监测).
SOURCE_LABELS = {
    "production": "生产环节",
    "market": "流通环节",
    "ecommerce": "电子商务",
    "hospital": "哨点医院",
    "complaint": "投诉",
    "other": "其他",
}

LEVEL_DIGITS: dict[str, int] = {"province": 2, "prefecture": 4, "county": 6}
GRADES = ("AA", "A", "B", "C")
# Records that no longer stand never count (corrected, 复议/诉讼撤销, withdrawn).
NOT_COUNTING = (
    RecordStatus.SUPERSEDED.value,
    RecordStatus.OVERTURNED.value,
    RecordStatus.WITHDRAWN.value,
)
INSPECTION_LEVEL_LABELS = {
    "national": "国家监督抽查",
    "provincial": "省级监督抽查",
    "municipal": "市级监督抽查",
    "county": "县级监督抽查",
}


def default_level(region: str | None) -> RegionLevel:
    """One level below the region asked about: the country by province, a province by
    prefecture, anything narrower by county."""
    if not region:
        return "province"
    if len(region) <= 2:
        return "prefecture"
    return "county"


def region_label(prefix: str) -> str | None:
    return region_name(prefix.ljust(6, "0"))


# --- grade distribution -------------------------------------------------------------------


@dataclass(slots=True)
class GradeRow:
    key: str
    counts: dict[str, int]  # grade (or "unclassified") -> enterprises


async def grade_distribution(
    session: AsyncSession, *, region: str | None, level: RegionLevel
) -> list[GradeRow]:
    """Enterprises per division prefix and stored grade (enterprise.grade)."""
    key = func.substr(col(Enterprise.region_code), 1, LEVEL_DIGITS[level])
    stmt = select(key, col(Enterprise.grade), func.count()).group_by(key, col(Enterprise.grade))
    if region:
        stmt = stmt.where(col(Enterprise.region_code).startswith(region))
    rows: dict[str, GradeRow] = {}
    for prefix, grade, n in await session.execute(stmt):
        row = rows.setdefault(prefix, GradeRow(prefix, {}))
        name = grade if grade in GRADES else "unclassified"
        row.counts[name] = row.counts.get(name, 0) + int(n)
    return [rows[k] for k in sorted(rows)]


# --- pass rates ---------------------------------------------------------------------------


@dataclass(slots=True)
class PassRow:
    key: str
    label: str | None
    inspections: int
    passed: int
    failed: int


def _month(session: AsyncSession, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _group_key(session: AsyncSession, group_by: GroupBy, region_level: RegionLevel) -> Any:
    cr = CreditRecord
    if group_by == "product":
        return func.coalesce(col(cr.product_category), "")
    if group_by == "region":
        return func.substr(col(cr.region_code), 1, LEVEL_DIGITS[region_level])
    if group_by == "level":
        return func.coalesce(col(cr.data)["level"].as_string(), "")
    if group_by == "source":
        return func.coalesce(col(cr.data)["sample_source"].as_string(), "")
    return _month(session, col(cr.occurred_on))


async def pass_rates(
    session: AsyncSession,
    *,
    group_by: GroupBy,
    region: str | None,
    region_level: RegionLevel,
    date_from: date | None,
    date_to: date | None,
    kind: str = RecordKind.INSPECTION.value,
) -> list[PassRow]:
    """Final results of sampling inspections (the re-test result stands, Order 18 Art.42:
    ``credit_record.final_result``), grouped; refused sampling (Art.21) has no result and
    records that no longer stand are left out. Dated by ``occurred_on`` (sampling day).
    With ``kind`` monitoring or injury: monitoring samples, passing when no hazard was found."""
    cr = CreditRecord
    key = cast(_group_key(session, group_by, region_level), String).label("key")
    final = col(cr.final_result)
    refused = col(cr.data)["refused"].as_boolean()
    stmt = (
        select(
            key,
            func.count(),
            func.sum(cast(case((final == "pass", 1), else_=0), Integer)),
            func.sum(cast(case((final == "fail", 1), else_=0), Integer)),
        )
        .where(
            col(cr.kind) == kind,
            col(cr.status).not_in(NOT_COUNTING),
            final.in_(("pass", "fail")),
            ~func.coalesce(refused, False),
        )
        .group_by(key)
        .order_by(key)
    )
    if region:
        stmt = stmt.where(col(cr.region_code).startswith(region))
    if date_from is not None:
        stmt = stmt.where(col(cr.occurred_on) >= date_from)
    if date_to is not None:
        stmt = stmt.where(col(cr.occurred_on) <= date_to)
    rows = [(k, int(n), int(p or 0), int(f or 0)) for k, n, p, f in await session.execute(stmt)]
    labels = await _labels(session, group_by, [r[0] for r in rows])
    return [PassRow(k, labels.get(k), n, p, f) for k, n, p, f in rows]


async def _labels(session: AsyncSession, group_by: GroupBy, keys: list[str]) -> dict[str, str]:
    if group_by == "product":
        result = await session.execute(
            select(col(CatalogCategory.code), col(CatalogCategory.name)).where(
                col(CatalogCategory.code).in_(keys)
            )
        )
        return {code: name for code, name in result}
    out: dict[str, str] = {}
    for k in keys:
        label: str | None
        if group_by == "region":
            label = region_label(k)
        elif group_by == "level":
            label = INSPECTION_LEVEL_LABELS.get(k)
        elif group_by == "source":
            label = SOURCE_LABELS.get(k)
        else:
            label = k
        if label is not None:
            out[k] = label
    return out


def rate(passed: int, inspections: int) -> float | None:
    return round(passed / inspections, 4) if inspections else None
