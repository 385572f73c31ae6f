"""Quality status report (质量状况报告) for a region and year: gathers the figures.

Pass rates come from :func:`service.store.stats.pass_rates` (the same query as
``GET /v1/stats/inspections``), grades from :func:`service.store.stats.grade_distribution`
(``GET /v1/stats/grades``); nothing here counts inspections a second way. The narrative is
generated from these figures only.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit import blacklist as rules
from service.credit.blacklist import Status
from service.models import BlacklistEntry, Enterprise
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


def _months(year: int, rows: list[RateRow]) -> list[RateRow]:
    """All twelve months, empty ones included, keyed YYYY-MM like the stats API."""
    by_key = {r.key: r for r in rows}
    out = []
    for m in range(1, 13):
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
    session: AsyncSession, *, region: str | None, year: int, today: date
) -> tuple[list[Movement], int]:
    """Listings decided, restored and removed in ``year`` (expiry included, Order 44
    Art.21), read as of ``today``; and how many were in force on 31 December."""
    start, end = date(year, 1, 1), date(year, 12, 31)

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
    year: int,
    today: date,
    target: float = DEFAULT_TARGET,
) -> QualityReport:
    level = stats.default_level(region)
    current_range = (date(year, 1, 1), date(year, 12, 31))
    previous_range = (date(year - 1, 1, 1), date(year - 1, 12, 31))

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
    groups["month"] = _months(year, _merge(month_now, shifted, target))
    grade_rows = await stats.grade_distribution(session, region=region, level=level)
    moves, in_force = await movements(session, region=region, year=year, today=today)
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
    )
    report.narrative_zh, report.narrative_en = narrate(report)
    return report
