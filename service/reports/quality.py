"""Quality status report (质量状况报告) for a region and year: gathers the figures.

Pass rates come from :func:`service.store.stats.pass_rates` (the same query as
``GET /v1/stats/inspections``), grades from :func:`service.store.stats.grade_distribution`
(``GET /v1/stats/grades``); nothing here counts inspections a second way. The narrative is
generated from these figures only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit import blacklist as rules
from service.credit.blacklist import Status
from service.models import (
    Announcement,
    AnnouncementItem,
    BlacklistEntry,
    CreditRecord,
    Enterprise,
)
from service.reports.figures import GradeRow, Movement, QualityReport, RateRow
from service.reports.narrative import narrate
from service.store import stats
from service.store.blacklist.procedure import entry_of

DEFAULT_TARGET = 0.96  # 盘锦市质量强市: 抽查合格率 ≥ 96 % (the seeds' strictest general target)
GROUPS: tuple[stats.GroupBy, ...] = ("product", "region", "level")


def _merge(
    current: list[stats.PassRow], previous: list[stats.PassRow], target: float
) -> list[RateRow]:
    before = {r.key: r for r in previous}
    out = []
    for r in current:
        prev = before.get(r.key)
        rate = stats.rate(r.passed, r.inspections)
        out.append(
            RateRow(
                key=r.key,
                label=r.label or r.key or "未分类",
                inspections=r.inspections,
                passed=r.passed,
                failed=r.failed,
                rate=rate,
                previous_rate=stats.rate(prev.passed, prev.inspections) if prev else None,
                previous_inspections=prev.inspections if prev else 0,
                # the same test as GET /v1/stats/inspections (passed < target × n)
                below_target=None if not r.inspections else r.passed < target * r.inspections,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar year or quarter (质量状况分析 is made yearly and quarterly, seed 004)."""

    key: str  # "2026" or "2026Q3"
    label: str  # "2026年" or "2026年第三季度"
    year: int
    months: tuple[int, ...]

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        return (date(self.year + (last == 12), last % 12 + 1, 1)) - timedelta(days=1)

    def previous(self) -> tuple[date, date]:
        """The same period a year earlier (the comparison)."""
        return (
            self.start.replace(year=self.year - 1),
            Period(self.key, self.label, self.year - 1, self.months).end,
        )


_QUARTER_ZH = ("一", "二", "三", "四")
PERIOD_PATTERN = r"^\d{4}(Q[1-4])?$"


def parse_period(raw: str) -> Period:
    """``2026`` or ``2026Q3`` (ValueError otherwise)."""
    match = re.fullmatch(r"(\d{4})(?:Q([1-4]))?", raw.strip().upper())
    if match is None:
        raise ValueError(f"period must be YYYY or YYYYQn, not {raw!r}")
    year = int(match.group(1))
    if match.group(2) is None:
        return Period(str(year), f"{year}年", year, tuple(range(1, 13)))
    q = int(match.group(2))
    months = tuple(range(3 * q - 2, 3 * q + 1))
    return Period(f"{year}Q{q}", f"{year}年第{_QUARTER_ZH[q - 1]}季度", year, months)


def _months(
    year: int, rows: list[RateRow], months: tuple[int, ...] = tuple(range(1, 13))
) -> list[RateRow]:
    """Every month of the period, empty ones included, keyed YYYY-MM like the stats API."""
    by_key = {r.key: r for r in rows}
    out = []
    for m in months:
        key = f"{year}-{m:02d}"
        out.append(by_key.get(key) or RateRow(key, key, 0, 0, 0, None, None, 0, None))
    return out


def _total(rows: list[stats.PassRow], previous: list[stats.PassRow], target: float) -> RateRow:
    n, p, f = (sum(getattr(r, a) for r in rows) for a in ("inspections", "passed", "failed"))
    pn, pp = sum(r.inspections for r in previous), sum(r.passed for r in previous)
    return RateRow(
        "total",
        "合计",
        n,
        p,
        f,
        stats.rate(p, n),
        stats.rate(pp, pn),
        pn,
        None if not n else p < target * n,
    )


async def movements(
    session: AsyncSession,
    *,
    region: str | None,
    year: int,
    today: date,
    span: tuple[date, date] | None = None,
) -> tuple[list[Movement], int]:
    """Listings decided, restored and removed in ``year`` (or ``span``; expiry included,
    Order 44 Art.21), read as of ``today``; and how many were in force at its end."""
    start, end = span or (date(year, 1, 1), date(year, 12, 31))

    stmt = (
        select(BlacklistEntry, col(Enterprise.name))
        .join(Enterprise, col(Enterprise.code) == col(BlacklistEntry.code))
        .where(col(BlacklistEntry.decided_on).is_not(None))
        .order_by(col(BlacklistEntry.id))
    )
    if region:
        stmt = stmt.where(col(BlacklistEntry.region_code).startswith(region))
    out: list[Movement] = []
    in_force = 0
    # Listings are few (thousands at most), so every decided entry is read and judged by
    # the pure state machine rather than re-deriving expiry in SQL.
    for row, name in await session.execute(stmt):
        entry = entry_of(row)
        current = rules.effective(entry, today)
        if rules.is_in_force(entry, min(end, today)):
            in_force += 1
        events: list[tuple[str, date | None, str]] = [
            ("listed", entry.decided_on, row.reason),
            ("restored", entry.restored_on, row.reason),
        ]
        if current.status is Status.REMOVED and current.removal_reason is not None:
            events.append(("removed", current.removed_on, current.removal_reason.value))
        out.extend(
            Movement(
                row.code, name, row.region_code, event, on, row.category, detail, row.authority
            )
            for event, on, detail in events
            if on is not None and start <= on <= min(end, today)
        )
    out.sort(key=lambda m: (m.on, m.code, m.event))
    return out, in_force


async def gather(
    session: AsyncSession,
    *,
    region: str | None,
    year: int | None = None,
    today: date,
    target: float = DEFAULT_TARGET,
    period: Period | None = None,
) -> QualityReport:
    """The report of a year, or of ``period`` (a year or a quarter)."""
    period = period or parse_period(str(year if year is not None else today.year))
    year = period.year
    level = stats.default_level(region)
    current_range = (period.start, period.end)
    previous_range = period.previous()

    async def rates(group_by: stats.GroupBy, span: tuple[date, date]) -> list[stats.PassRow]:
        return await stats.pass_rates(
            session,
            group_by=group_by,
            region=region,
            region_level=level,
            date_from=span[0],
            date_to=span[1],
        )

    groups: dict[str, list[RateRow]] = {}
    for group_by in GROUPS:
        groups[group_by] = _merge(
            await rates(group_by, current_range), await rates(group_by, previous_range), target
        )
    month_now = await rates("month", current_range)
    month_before = await rates("month", previous_range)
    # Months compare with the same month a year earlier.
    shifted = [
        stats.PassRow(f"{year}-{r.key[5:]}", r.label, r.inspections, r.passed, r.failed)
        for r in month_before
    ]
    groups["month"] = _months(year, _merge(month_now, shifted, target), period.months)
    grade_rows = await stats.grade_distribution(session, region=region, level=level)
    moves, in_force = await movements(
        session, region=region, year=year, today=today, span=current_range
    )
    monitoring = await stats.pass_rates(
        session,
        group_by="product",
        region=region,
        region_level=level,
        date_from=current_range[0],
        date_to=current_range[1],
        kind="monitoring",
    )
    published = await publication_counts(session, region=region, span=current_range, today=today)
    report = QualityReport(
        region=region,
        region_label=(stats.region_label(region) if region else None) or (region or "全国"),
        year=year,
        target=target,
        generated_on=today,
        total=_total(month_now, month_before, target),
        groups=groups,
        grades=[
            GradeRow(r.key, stats.region_label(r.key) or r.key, dict(r.counts)) for r in grade_rows
        ],
        grade_level=level,
        movements=moves,
        in_force_at_end=in_force,
        period=period.key,
        period_label=period.label,
        monitoring=_total(monitoring, [], target) if monitoring else None,
        announcements=published[0],
        penalties=published[1],
    )
    report.narrative_zh, report.narrative_en = narrate(report)
    return report


async def publication_counts(
    session: AsyncSession, *, region: str | None, span: tuple[date, date], today: date
) -> tuple[int, int]:
    """(sampling-result announcements published, penalties decided) in the span, in the
    region: announcements naming an enterprise of the region; penalties that still stand,
    by their record date (the decision day unless the record says otherwise)."""
    start, end = span[0], min(span[1], today)
    ann = (
        select(func.count(func.distinct(col(Announcement.id))))
        .join(AnnouncementItem, col(AnnouncementItem.announcement_id) == col(Announcement.id))
        .join(Enterprise, col(Enterprise.code) == col(AnnouncementItem.code))
        .where(col(Announcement.published_on) >= start, col(Announcement.published_on) <= end)
    )
    pen = select(func.count()).where(
        col(CreditRecord.kind) == "penalty",
        col(CreditRecord.status) == "active",
        col(CreditRecord.occurred_on) >= start,
        col(CreditRecord.occurred_on) <= end,
    )
    if region:
        ann = ann.where(col(Enterprise.region_code).startswith(region))
        pen = pen.where(col(CreditRecord.region_code).startswith(region))
    return (
        int((await session.execute(ann)).scalar_one()),
        int((await session.execute(pen)).scalar_one()),
    )
