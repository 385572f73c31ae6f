"""Product barcodes (物品编码) registered to their producer, for traceability."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.errors import Conflict, NotFound
from service.models import Enterprise, Gtin
from service.store import ledger


async def register(
    session: AsyncSession,
    enterprise: Enterprise,
    gtin: str,
    *,
    product_name: str | None,
    product_category: str | None,
    agency_id: int,
    now: datetime,
) -> tuple[Gtin, bool]:
    """(row, created). The same barcode for the same producer again updates the product
    name/category; a barcode registered to another producer is a 409 (a GTIN identifies one
    trade item of one brand owner)."""
    row = await session.get(Gtin, gtin)
    if row is not None and row.code != enterprise.code:
        raise Conflict(
            f"GTIN {gtin} is registered to enterprise {row.code}",
            rule="gtin-registered-elsewhere",
        )
    created = row is None
    if row is None:
        row = Gtin(
            gtin=gtin,
            code=enterprise.code,
            product_name=product_name,
            product_category=product_category,
            registered_by=agency_id,
            registered_at=now,
        )
        session.add(row)
    elif (row.product_name, row.product_category) == (product_name, product_category):
        return row, False
    else:
        row.product_name = product_name
        row.product_category = product_category
    await session.flush()
    ledger.emit(
        session,
        "gtin.registered",
        code=enterprise.code,
        region_code=enterprise.region_code,
        data={"gtin": gtin, "product_name": product_name, "product_category": product_category},
    )
    ledger.audit(session, "gtin.put", gtin)
    return row, created


async def lookup(session: AsyncSession, gtin: str) -> tuple[Gtin, Enterprise]:
    result = await session.execute(
        select(Gtin, Enterprise)
        .join(Enterprise, col(Enterprise.code) == col(Gtin.code))
        .where(col(Gtin.gtin) == gtin)
    )
    found = result.first()
    if found is None:
        raise NotFound(f"GTIN {gtin} is not registered")
    return found[0], found[1]


async def for_enterprise(session: AsyncSession, code: str) -> list[Gtin]:
    result = await session.execute(
        select(Gtin).where(col(Gtin.code) == code).order_by(col(Gtin.gtin))
    )
    return list(result.scalars())
