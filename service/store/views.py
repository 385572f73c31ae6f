"""Response documents assembled from several aggregates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from service.credit.classification import Classification, classify
from service.credit.regions import region_name
from service.models import Enterprise
from service.schemas import ClassificationOut, EnterpriseOut, ReasonOut, SupervisionOut
from service.store import dossiers, grading


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


async def enterprise_out(
    session: AsyncSession, enterprise: Enterprise, today: date
) -> EnterpriseOut:
    [dossier] = await dossiers.load(session, [enterprise], today)
    result = classify(dossier, today, await grading.active_ruleset(session))
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
        classification=classification_out(enterprise.code, result),
        blacklisted=bool(dossier.active_listing_ids),
        created_at=enterprise.created_at,
        updated_at=enterprise.updated_at,
    )
