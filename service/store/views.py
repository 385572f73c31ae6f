"""Response documents assembled from several aggregates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.credit.classification import Classification, classify
from service.credit.regions import region_name
from service.models import ClassificationRow, Enterprise
from service.schemas import ClassificationOut, EnterpriseOut, ReasonOut, ReviewOut, SupervisionOut
from service.store.grading import dossiers, review
from service.store.grading import regrade as grading
from service.store.records import objections


def classification_out(
    code: str,
    result: Classification,
    known_at: datetime | None = None,
    *,
    computed_grade: str | None = None,
    review_doc: dict[str, Any] | None = None,
) -> ClassificationOut:
    return ClassificationOut(
        code=code,
        grade=result.grade.value,
        ruleset=result.ruleset,
        as_of=result.as_of,
        known_at=known_at,
        reasons=[ReasonOut(**r) for r in grading.reasons_json(result)],
        supervision=SupervisionOut(**grading.supervision_json(result)),
        computed_grade=computed_grade or result.grade.value,
        review=ReviewOut(**review_doc) if review_doc else None,
    )


async def reviewed(
    session: AsyncSession,
    code: str,
    result: Classification,
    known_at: datetime | None = None,
) -> ClassificationOut:
    """The class in force: ``result`` (computed) with the latest review applied and the
    records under an open objection marked in the reasons that cite them."""
    ruleset = await grading.active_ruleset(session)
    shown, doc = review.apply(result, await review.latest(session, code), ruleset)
    out = classification_out(
        code, shown, known_at, computed_grade=result.grade.value, review_doc=doc
    )
    return mark_disputed(out, set(await objections.open_for_code(session, code)))


def mark_disputed(out: ClassificationOut, disputed: set[int]) -> ClassificationOut:
    if disputed:
        for reason in out.reasons:
            reason.disputed_record_ids = [i for i in reason.record_ids if i in disputed]
    return out


async def current_classification(
    session: AsyncSession, enterprise: Enterprise, today: date
) -> tuple[ClassificationOut, bool]:
    """(class, blacklisted) as of today. Every write re-grades in its own transaction and the
    daily job re-grades what ages, so a row stored for today under the active rule set is
    exact and saves loading and classifying the dossier on the hot lookup path; anything
    older (the daily run has not happened yet) is evaluated live."""
    stored = await session.get(ClassificationRow, enterprise.code)
    if await review.latest(session, enterprise.code) is not None or await objections.open_for_code(
        session, enterprise.code
    ):
        stored = None  # reviewed or disputed: assembled live (both are few)
    if (
        stored is not None
        and stored.as_of == today
        and stored.ruleset == await grading.active_ruleset_id(session)
    ):
        listed = await dossiers.listings_in_force(session, [enterprise.code], today)
        return (
            ClassificationOut(
                code=enterprise.code,
                grade=stored.grade,
                ruleset=stored.ruleset,
                as_of=stored.as_of,
                reasons=[ReasonOut(**r) for r in stored.reasons],
                supervision=SupervisionOut(**stored.supervision),
                computed_grade=stored.grade,
            ),
            bool(listed.get(enterprise.code)),
        )
    [dossier] = await dossiers.load(session, [enterprise], today)
    result = classify(dossier, today, await grading.active_ruleset(session))
    return await reviewed(session, enterprise.code, result), bool(dossier.active_listing_ids)


async def enterprise_out(
    session: AsyncSession, enterprise: Enterprise, today: date
) -> EnterpriseOut:
    classification, blacklisted = await current_classification(session, enterprise, today)
    org = enterprise.org_code
    return EnterpriseOut(
        code=enterprise.code,
        org_code=f"{org[:8]}-{org[8]}",
        name=enterprise.name,
        region_code=enterprise.region_code,
        region_name=region_name(enterprise.region_code),
        industry=enterprise.industry,
        address=enterprise.address,
        legal_representative=enterprise.legal_representative,
        established_on=enterprise.established_on,
        products=enterprise.products,
        classification=classification,
        blacklisted=blacklisted,
        created_at=enterprise.created_at,
        updated_at=enterprise.updated_at,
    )
