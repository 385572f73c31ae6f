"""Enterprise rows: upsert, lookup by USCC or org code, filtered listing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.codes import ParsedCode
from service.credit.names import name_key
from service.errors import FieldError, NotFound, ValidationFailed
from service.models import CatalogCategory, Enterprise
from service.schemas import EnterpriseIn
from service.store import ledger


async def find(session: AsyncSession, code: ParsedCode) -> Enterprise | None:
    if code.uscc is not None:
        return await session.get(Enterprise, code.uscc)
    result = await session.execute(
        select(Enterprise).where(col(Enterprise.org_code) == code.org_code)
    )
    return result.scalar_one_or_none()


def not_found(code: ParsedCode) -> NotFound:
    return NotFound(f"no enterprise with code {code.uscc or code.org_code_display}")


async def get(session: AsyncSession, code: ParsedCode) -> Enterprise:
    enterprise = await find(session, code)
    if enterprise is None:
        raise not_found(code)
    return enterprise


async def check_products(session: AsyncSession, products: Sequence[str]) -> None:
    if not products:
        return
    known = set(
        (
            await session.execute(
                select(col(CatalogCategory.code)).where(col(CatalogCategory.code).in_(products))
            )
        ).scalars()
    )
    unknown = [p for p in products if p not in known]
    if unknown:
        raise ValidationFailed(
            f"unknown product categories: {', '.join(unknown)} (see GET /v1/catalog)",
            errors=[
                FieldError(
                    field=f"products.{list(products).index(p)}",
                    rule="catalog",
                    message=f"'{p}' is not in the product catalog",
                )
                for p in unknown
            ],
        )


def check_region(code: ParsedCode, region_code: str | None) -> None:
    """A USCC carries its division (positions 3-8, GB 32100): a body may repeat it, never
    contradict it, or a caller could file an enterprise under another region's authority."""
    if region_code is not None and region_code != code.region_code:
        detail = (
            f"region_code {region_code} contradicts the code, whose positions 3-8 give "
            f"{code.region_code}"
        )
        raise ValidationFailed(
            detail,
            errors=[
                FieldError(
                    field="region_code",
                    rule="region-from-code",
                    message=detail,
                    expected=code.region_code,
                )
            ],
        )


async def upsert(
    session: AsyncSession,
    code: ParsedCode,
    body: EnterpriseIn,
    *,
    agency_id: int,
    now: datetime,
) -> tuple[Enterprise, bool]:
    """Create or update; returns (enterprise, created)."""
    assert code.uscc is not None and code.region_code is not None
    products = list(dict.fromkeys(body.products))
    await check_products(session, products)
    fields: dict[str, Any] = {
        "name": body.name,
        "name_key": name_key(body.name),
        "region_code": code.region_code,  # positions 3-8; check_region refused any other
        "industry": body.industry,
        "address": body.address,
        "legal_representative": body.legal_representative,
        "established_on": body.established_on,
        "products": products,
    }
    enterprise = await session.get(Enterprise, code.uscc)
    created = enterprise is None
    if enterprise is None:
        enterprise = Enterprise(
            code=code.uscc,
            org_code=code.org_code,
            created_by=agency_id,
            created_at=now,
            updated_at=now,
            **fields,
        )
        session.add(enterprise)
    else:
        for key, value in fields.items():
            setattr(enterprise, key, value)
        enterprise.updated_at = now
        enterprise.version += 1
    await session.flush()
    ledger.emit(
        session,
        "enterprise.created" if created else "enterprise.updated",
        code=enterprise.code,
        region_code=enterprise.region_code,
        data={"name": enterprise.name, "region_code": enterprise.region_code, "products": products},
    )
    ledger.audit(session, "enterprise.put", enterprise.code)
    return enterprise, created


async def list_page(
    session: AsyncSession,
    *,
    region: str | None,
    q: str | None,
    grade: str | None,
    after: str | None,
    limit: int,
) -> list[Enterprise]:
    stmt = select(Enterprise).order_by(col(Enterprise.code)).limit(limit + 1)
    if region:
        stmt = stmt.where(col(Enterprise.region_code).startswith(region))
    if q:
        stmt = stmt.where(col(Enterprise.name_key).contains(name_key(q)))
    if grade:
        stmt = stmt.where(col(Enterprise.grade) == grade)
    if after:
        stmt = stmt.where(col(Enterprise.code) > after)
    return list((await session.execute(stmt)).scalars())


def products_contain(session: AsyncSession, category: str) -> Any:
    """SQL condition: the enterprise's product list holds `category` (JSONB or SQLite JSON)."""
    if session.get_bind().dialect.name == "postgresql":
        return text("enterprise.products @> CAST(:cats AS jsonb)").bindparams(
            cats=json.dumps([category])
        )
    return text(
        "EXISTS (SELECT 1 FROM json_each(enterprise.products) WHERE value = :cat)"
    ).bindparams(cat=category)


async def codes_with_product(session: AsyncSession, category: str) -> list[str]:
    stmt = select(col(Enterprise.code)).where(products_contain(session, category))
    return list((await session.execute(stmt)).scalars())
