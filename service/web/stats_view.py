"""The statistics page: pass rates from :func:`service.store.stats.pass_rates`, drawn as
server-side SVG (bars per product/region/level, a line per month, region tiles)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.models import CatalogCategory
from service.store import stats
from service.web import svg
from service.web.i18n import Lang, translate

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LEVELS_EN = {
    "national": "National",
    "provincial": "Provincial",
    "municipal": "Municipal",
    "county": "County",
}


@dataclass(slots=True)
class Tile:
    label: str
    rate: float | None
    tested: int
    passed: int
    cls: str
    low: bool


@dataclass(slots=True)
class Section:
    id: str
    title: str
    points: list[svg.Point]
    svg: str
    tiles: list[Tile] = field(default_factory=list)


@dataclass(slots=True)
class Total:
    inspections: int
    passed: int
    rate: float | None


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


async def product_names_en(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(col(CatalogCategory.code), col(CatalogCategory.name_en)))
    return {code: name for code, name in rows if name}


def _point(row: stats.PassRow, label: str) -> svg.Point:
    return svg.Point(label, stats.rate(row.passed, row.inspections), row.inspections, row.passed)


def _label(row: stats.PassRow, group_by: str, lang: Lang, names_en: dict[str, str]) -> str:
    if group_by == "product":
        if not row.key:
            return "未分类" if lang == "zh" else "Uncategorized"
        return (names_en.get(row.key) if lang == "en" else row.label) or row.label or row.key
    if group_by == "level" and lang == "en":
        return LEVELS_EN.get(row.key, row.key)
    return row.label or row.key


async def build(
    session: AsyncSession, *, year: int, region: str | None, target: float, lang: Lang
) -> tuple[Total, list[Section]]:
    date_from, date_to = year_range(year)
    level = stats.default_level(region)
    names_en = await product_names_en(session) if lang == "en" else {}

    async def rows(group_by: stats.GroupBy) -> list[stats.PassRow]:
        return await stats.pass_rates(
            session,
            group_by=group_by,
            region=region,
            region_level=level,
            date_from=date_from,
            date_to=date_to,
        )

    def t(key: str) -> str:
        return translate(key, lang)

    below = t("stats.below")
    sections: list[Section] = []
    groups: tuple[tuple[stats.GroupBy, str], ...] = (
        ("product", "stats.by_product"),
        ("level", "stats.by_level"),
    )
    for group_by, key in groups:
        points = [_point(r, _label(r, group_by, lang, names_en)) for r in await rows(group_by)]
        points.sort(key=lambda p: (p.rate is None, p.rate or 0.0))
        chart = svg.bar_chart(
            points, target=target, title=t(key), chart_id=group_by, below_text=below
        )
        sections.append(Section(group_by, t(key), points, chart))

    region_rows = await rows("region")
    region_points = [_point(r, _label(r, "region", lang, names_en)) for r in region_rows]
    tiles = [
        Tile(
            p.label,
            p.rate,
            p.tested,
            p.passed,
            svg.heat_class(p.rate, target),
            p.rate is not None and p.rate < target,
        )
        for p in region_points
    ]
    region_chart = svg.bar_chart(
        region_points,
        target=target,
        title=t("stats.by_region"),
        chart_id="region",
        below_text=below,
    )
    sections.insert(1, Section("region", t("stats.by_region"), region_points, region_chart, tiles))

    by_month = {r.key: r for r in await rows("month")}
    month_points = []
    for m in range(1, 13):
        label = f"{m}月" if lang == "zh" else MONTHS_EN[m - 1]
        row = by_month.get(f"{year}-{m:02d}")
        month_points.append(_point(row, label) if row else svg.Point(label, None))
    sections.insert(
        2,
        Section(
            "month",
            t("stats.by_month"),
            month_points,
            svg.line_chart(month_points, target=target, title=t("stats.by_month")),
        ),
    )
    tested = sum(r.inspections for r in by_month.values())
    passed = sum(r.passed for r in by_month.values())
    return Total(tested, passed, stats.rate(passed, tested)), sections
