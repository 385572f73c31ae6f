"""Sampling-result announcements (抽查结果公示, seed 001; Order 18 Art.48 for the provincial
公告 of failures that persist): an agency drafts an announcement over inspection records
and publishes it; the public reads only published ones, with each inspection's current
version (a re-test's final result, Order 18 Art.42)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.models import (
    Agency,
    Announcement,
    AnnouncementItem,
    CatalogCategory,
    CreditRecord,
    Enterprise,
)
from service.store import ledger

ANNOUNCEMENT_FIELDS = (
    "id",
    "title",
    "announced_on",
    "published_on",
    "product_category",
    "level",
    "authority",
    "count",
    "failed",
)
RESULT_FIELDS = (
    "code",
    "name",
    "product_category",
    "product_name",
    "batch_no",
    "sampled_on",
    "result",
    "failed_items",
    "retest_result",
    "final_result",
)


async def create(
    session: AsyncSession,
    principal: Principal,
    *,
    title: str,
    announced_on: date,
    product_category: str,
    level: str,
    record_ids: list[int],
) -> Announcement:
    """A draft over these inspection records (each in the agency's jurisdiction)."""
    errors: list[FieldError] = []
    chains: dict[tuple[int, str], str] = {}
    for i, record_id in enumerate(record_ids):
        row = await session.get(CreditRecord, record_id)
        field = f"record_ids.{i}"
        if row is None:
            errors.append(FieldError(field=field, rule="exists", message="no such record"))
        elif row.kind != "inspection":
            errors.append(FieldError(field=field, rule="kind", message="must be an inspection"))
        else:
            principal.require_region(row.region_code)
            chains[(row.agency_id, row.source_ref)] = row.code
    if errors:
        raise ValidationFailed("some records cannot be announced", errors=errors)
    ann = Announcement(
        agency_id=principal.agency_id,
        title=title,
        announced_on=announced_on,
        product_category=product_category,
        level=level,
        region_code=principal.region,
    )
    session.add(ann)
    await session.flush()
    for (agency_id, source_ref), code in chains.items():
        session.add(
            AnnouncementItem(
                announcement_id=ann.id or 0, agency_id=agency_id, source_ref=source_ref, code=code
            )
        )
    await session.flush()
    ledger.audit(session, "announcement.created", f"announcement/{ann.id}")
    return ann


async def get_row(session: AsyncSession, announcement_id: int) -> Announcement:
    ann = await session.get(Announcement, announcement_id)
    if ann is None:
        raise NotFound(f"no announcement {announcement_id}")
    return ann


async def publish(
    session: AsyncSession, principal: Principal, announcement_id: int, published_on: date
) -> Announcement:
    ann = await get_row(session, announcement_id)
    if ann.agency_id != principal.agency_id:
        principal.require_region(ann.region_code)
    if ann.published_on is not None:
        if ann.published_on == published_on:
            return ann
        raise Conflict(
            f"announcement {announcement_id} was published on {ann.published_on}",
            rule="announcement-published",
        )
    if published_on < ann.announced_on:
        raise ValidationFailed(
            "cannot be published before its date",
            errors=[
                FieldError(
                    field="published_on",
                    rule="date-order",
                    message="on or after announced_on",
                    expected=f">= {ann.announced_on.isoformat()}",
                )
            ],
        )
    ann.published_on = published_on
    await session.flush()
    ledger.emit(
        session,
        "announcement.published",
        code=None,
        region_code=ann.region_code or None,
        data={"id": ann.id, "title": ann.title, "published_on": published_on.isoformat()},
    )
    ledger.audit(session, "announcement.published", f"announcement/{ann.id}")
    return ann


async def results(session: AsyncSession, ann: Announcement) -> list[dict[str, Any]]:
    """Each inspection's current version (re-test applied); overturned or withdrawn ones
    leave the announcement."""
    stmt = (
        select(CreditRecord, col(Enterprise.name))
        .join(
            AnnouncementItem,
            and_(
                col(AnnouncementItem.agency_id) == col(CreditRecord.agency_id),
                col(AnnouncementItem.source_ref) == col(CreditRecord.source_ref),
            ),
        )
        .join(Enterprise, col(Enterprise.code) == col(CreditRecord.code))
        .where(
            col(AnnouncementItem.announcement_id) == ann.id,
            col(CreditRecord.status) == "active",
        )
        .order_by(col(Enterprise.code), col(CreditRecord.id))
    )
    out = []
    for row, name in await session.execute(stmt):
        data = row.data or {}
        out.append(
            {
                "code": row.code,
                "name": name,
                "product_category": row.product_category,
                "product_name": data.get("product_name"),
                "batch_no": data.get("batch_no"),
                "sampled_on": row.occurred_on.isoformat(),
                "result": data.get("result"),
                "failed_items": list(data.get("failed_items") or ()),
                "retest_result": data.get("retest_result"),
                "final_result": row.final_result,
            }
        )
    return out


def public_announcement(
    ann: Announcement, authority: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": ann.id,
        "title": ann.title,
        "announced_on": ann.announced_on.isoformat(),
        "published_on": ann.published_on.isoformat() if ann.published_on else None,
        "product_category": ann.product_category,
        "level": ann.level,
        "authority": authority,
        "count": len(items),
        "failed": sum(1 for i in items if i["final_result"] == "fail"),
    }


async def published_page(
    session: AsyncSession,
    *,
    today: date,
    code: str | None,
    after: int | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int | None]:
    """Published announcements (published on or before today), newest first; with
    ``code`` only those naming that enterprise."""
    stmt = (
        select(Announcement, col(Agency.name))
        .join(Agency, col(Agency.id) == col(Announcement.agency_id))
        .where(col(Announcement.published_on).is_not(None), col(Announcement.published_on) <= today)
        .order_by(col(Announcement.id).desc())
        .limit(limit + 1)
    )
    if after is not None:
        stmt = stmt.where(col(Announcement.id) < after)
    if code is not None:
        stmt = stmt.where(
            col(Announcement.id).in_(
                select(col(AnnouncementItem.announcement_id)).where(
                    col(AnnouncementItem.code) == code
                )
            )
        )
    rows = list(await session.execute(stmt))
    page = rows[:limit]
    items = [public_announcement(a, n, await results(session, a)) for a, n in page]
    return items, (page[-1][0].id if len(rows) > limit and page else None)


async def published_one(session: AsyncSession, announcement_id: int, today: date) -> dict[str, Any]:
    stmt = (
        select(Announcement, col(Agency.name))
        .join(Agency, col(Agency.id) == col(Announcement.agency_id))
        .where(col(Announcement.id) == announcement_id)
    )
    found = (await session.execute(stmt)).first()
    if found is None or found[0].published_on is None or found[0].published_on > today:
        raise NotFound(f"no published announcement {announcement_id}")
    ann, authority = found
    items = await results(session, ann)
    return {**public_announcement(ann, authority, items), "results": items}


async def authority(session: AsyncSession, ann: Announcement) -> str:
    agency = await session.get(Agency, ann.agency_id)
    return agency.name if agency else ""


async def catalog_names(session: AsyncSession) -> dict[str, tuple[str, str]]:
    """Category code → (zh name, en name), for labels."""
    stmt = select(
        col(CatalogCategory.code), col(CatalogCategory.name), col(CatalogCategory.name_en)
    )
    return {c: (n, e or n) for c, n, e in await session.execute(stmt)}
