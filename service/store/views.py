"""Response documents assembled from several aggregates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from service.credit.classification import Classification, classify
from service.credit.regions import region_name
from service.models import ClassificationRow, Enterprise
from service.schemas import ClassificationOut, EnterpriseOut, ReasonOut, SupervisionOut
from service.store.grading import dossiers
from service.store.grading import regrade as grading


def classification_out(
    code: str, result: Classification, known_at: datetime | None = None
) -> ClassificationOut:
    return ClassificationOut(
        code=code,
        grade=result.grade.value,
        ruleset=result.ruleset,
        as_of=result.as_of,
        known_at=known_at,
        reasons=[ReasonOut(**r) for r in grading.reasons_json(result)],
        supervision=SupervisionOut(**grading.supervision_json(result)),
    )


async def current_classification(
    session: AsyncSession, enterprise: Enterprise, today: date
) -> tuple[ClassificationOut, bool]:
    """(class, blacklisted) as of today. Every write re-grades in its own transaction and the
    daily job re-grades what ages, so a row stored for today under the active rule set is
    exact and saves loading and classifying the dossier on the hot lookup path; anything
    older (the daily run has not happened yet) is evaluated live."""
    stored = await session.get(ClassificationRow, enterprise.code)
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
            ),
            bool(listed.get(enterprise.code)),
        )
    [dossier] = await dossiers.load(session, [enterprise], today)
    result = classify(dossier, today, await grading.active_ruleset(session))
    return classification_out(enterprise.code, result), bool(dossier.active_listing_ids)


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
