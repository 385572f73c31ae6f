"""重点监管产品目录 — the key supervision product catalog with risk levels."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy import select

from service.auth import Scope
from service.deps import NowDep, PrincipalDep, SessionDep, TodayDep, require
from service.errors import Forbidden, ValidationFailed, problem_responses
from service.models import CatalogCategory
from service.schemas import CatalogItem, CatalogItemIn, CatalogOut
from service.store import enterprises, ledger
from service.store.grading import regrade as grading

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])

CategoryPath = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$", description="Category code", examples=["dairy"])
]


def _item(row: CatalogCategory) -> CatalogItem:
    return CatalogItem.model_validate(row, from_attributes=True)


@router.get("", summary="The product catalog with risk levels", response_model=CatalogOut)
async def get_catalog(session: SessionDep, _: PrincipalDep) -> CatalogOut:
    rows = (await session.execute(select(CatalogCategory).order_by(CatalogCategory.code))).scalars()
    return CatalogOut(items=[_item(r) for r in rows])


@router.put(
    "/{category}",
    summary="Add or change a catalog category (admin)",
    response_model=CatalogItem,
    responses={201: {"model": CatalogItem}, **problem_responses(Forbidden, ValidationFailed)},
    dependencies=[require(Scope.ADMIN)],
)
async def put_category(
    category: CategoryPath,
    body: CatalogItemIn,
    session: SessionDep,
    today: TodayDep,
    now: NowDep,
    response: Response,
) -> CatalogItem:
    """A changed risk level re-grades every enterprise making that product (the supervision
    plan and the AA extras depend on it)."""
    row = await session.get(CatalogCategory, category)
    created = row is None
    if row is None:
        row = CatalogCategory(
            code=category,
            name=body.name,
            name_en=body.name_en,
            risk_level=body.risk_level,
            updated_at=now,
        )
        session.add(row)
    else:
        risk_changed = row.risk_level != body.risk_level
        row.name, row.name_en, row.risk_level, row.updated_at = (
            body.name,
            body.name_en,
            body.risk_level,
            now,
        )
        if risk_changed:
            await session.flush()
            codes = await enterprises.codes_with_product(session, category)
            await grading.regrade(session, codes, today=today, trigger="catalog")
    ledger.emit(
        session,
        "catalog.updated",
        code=None,
        region_code=None,
        data={"category": category, "risk_level": body.risk_level},
    )
    ledger.audit(session, "catalog.put", category)
    response.status_code = 201 if created else 200
    return _item(row)
