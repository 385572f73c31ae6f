"""Demo publication data: a published sampling-result announcement (抽查结果公示) over the
demo inspections of the last year, one regulator override of a computed class and an early
warning (预警) — built
through the real store paths, safe to run again."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.credit import review as review_rules
from service.credit.codes import parse_code
from service.credit.ruleset import Grade
from service.models import (
    Announcement,
    ClassificationReview,
    CreditRecord,
    EarlyWarning,
    HonourEntry,
)
from service.store import enterprises, views
from service.store.grading import regrade as grading
from service.store.grading import review
from service.store.publication import announcements, honours, warnings

ANNOUNCEMENT_ITEMS = 40


async def _announcement(session: AsyncSession, principal: Principal, today: date) -> int:
    title = f"演示:{today.year}年产品质量省级监督抽查结果公告"
    found = await session.execute(
        select(col(Announcement.id)).where(col(Announcement.title) == title)
    )
    if found.first() is not None:
        return 0
    rows = (
        await session.execute(
            select(col(CreditRecord.id), col(CreditRecord.product_category))
            .where(
                col(CreditRecord.kind) == "inspection",
                col(CreditRecord.status) == "active",
                col(CreditRecord.agency_id) == principal.agency_id,
                col(CreditRecord.occurred_on) >= today - timedelta(days=365),
                col(CreditRecord.product_category).is_not(None),
            )
            .order_by(col(CreditRecord.id))
        )
    ).all()
    if not rows:
        return 0
    category = str(Counter(c for _, c in rows).most_common(1)[0][0])
    ids = [i for i, c in rows if c == category and i is not None][:ANNOUNCEMENT_ITEMS]
    ann = await announcements.create(
        session,
        principal,
        title=title,
        announced_on=today - timedelta(days=7),
        product_category=category,
        level="provincial",
        record_ids=ids,
    )
    await announcements.publish(session, principal, ann.id or 0, today - timedelta(days=7))
    return 1


async def _override(
    session: AsyncSession, principal: Principal, codes: list[str], today: date
) -> int:
    if (await session.execute(select(col(ClassificationReview.id)).limit(1))).first():
        return 0
    code = codes[len(codes) // 2]
    enterprise = await enterprises.get(session, parse_code(code))
    computed = await grading.evaluate(session, enterprise, today)
    if computed.grade is Grade.C:
        return 0
    await review.post(
        session,
        principal,
        enterprise,
        action=review_rules.Action.OVERRIDE,
        grade=Grade.C,
        reason="演示:群众投诉集中,约谈后加严监管",
        expires_on=today + timedelta(days=90),
        today=today,
    )
    return 1


async def _warning(session: AsyncSession, principal: Principal, today: date) -> int:
    title = "演示:儿童玩具小零件窒息风险警示"
    found = await session.execute(
        select(col(EarlyWarning.id)).where(col(EarlyWarning.title) == title)
    )
    if found.first() is not None:
        return 0
    await warnings.issue(
        session,
        principal,
        product_category="toy",
        region_code="21",
        severity="high",
        title=title,
        advice="选购带有年龄警示标识的玩具;三岁以下儿童不要接触含小零件的玩具。",
        issued_on=today - timedelta(days=3),
        expires_on=today + timedelta(days=180),
        today=today,
    )
    return 1


async def _honours(
    session: AsyncSession, principal: Principal, codes: list[str], today: date
) -> int:
    """Up to three AA enterprises on the honour list (守信激励)."""
    if (await session.execute(select(col(HonourEntry.id)).limit(1))).first():
        return 0
    made = 0
    for code in codes:
        enterprise = await enterprises.get(session, parse_code(code))
        classification, listed = await views.current_classification(session, enterprise, today)
        if classification.grade != "AA" or listed:
            continue
        await honours.publish(
            session,
            principal,
            enterprise,
            reason="演示:质量信用优秀,推荐参评市长质量奖",
            published_on=today - timedelta(days=10),
            today=today,
        )
        made += 1
        if made == 3:
            break
    return made


async def load_publication_demo(
    session: AsyncSession, principal: Principal, codes: list[str], *, today: date
) -> str:
    made = await _announcement(session, principal, today)
    overridden = await _override(session, principal, codes, today)
    warned = await _warning(session, principal, today)
    honoured = await _honours(session, principal, codes, today)
    return (
        f"{made} announcement, {overridden} override, {warned} warning, "
        f"{honoured} on the honour list"
    )
