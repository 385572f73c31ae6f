"""Early warnings (预警): issued by an agency on a product category and a region within its
jurisdiction, public while in force (from `issued_on` until `expires_on` or a withdrawal)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.models import Agency, CatalogCategory, EarlyWarning
from service.store import ledger


def warning_json(w: EarlyWarning, authority: str) -> dict[str, Any]:
    return {
        "id": w.id,
        "title": w.title,
        "product_category": w.product_category,
        "region_code": w.region_code,
        "severity": w.severity,
        "advice": w.advice,
        "issued_on": w.issued_on.isoformat(),
        "expires_on": w.expires_on.isoformat() if w.expires_on else None,
        "authority": authority,
    }


def in_force(today: date) -> Any:
    w = EarlyWarning
    return (
        (col(w.issued_on) <= today)
        & or_(col(w.expires_on).is_(None), col(w.expires_on) > today)
        & (col(w.withdrawn_on).is_(None) | (col(w.withdrawn_on) > today))
    )


async def issue(
    session: AsyncSession,
    principal: Principal,
    *,
    product_category: str,
    region_code: str,
    severity: str,
    title: str,
    advice: str,
    issued_on: date,
    expires_on: date | None,
    today: date,
) -> EarlyWarning:
    principal.require_region(region_code)  # a regional agency warns inside its region only
    errors: list[FieldError] = []
    if await session.get(CatalogCategory, product_category) is None:
        errors.append(
            FieldError(field="product_category", rule="catalog", message="not in the catalog")
        )
    if issued_on > today:
        errors.append(FieldError(field="issued_on", rule="not-in-future", message="future"))
    if expires_on is not None and expires_on <= issued_on:
        errors.append(
            FieldError(
                field="expires_on",
                rule="date-order",
                message="after issued_on",
                expected=f"> {issued_on.isoformat()}",
            )
        )
    if errors:
        raise ValidationFailed("the warning is not valid", errors=errors)
    w = EarlyWarning(
        agency_id=principal.agency_id,
        product_category=product_category,
        region_code=region_code,
        severity=severity,
        title=title,
        advice=advice,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    session.add(w)
    await session.flush()
    ledger.emit(
        session,
        "warning.issued",
        code=None,
        region_code=region_code or None,
        data={"id": w.id, "product_category": product_category, "severity": severity},
    )
    ledger.audit(session, "warning.issued", f"warning/{w.id}")
    return w


async def withdraw(
    session: AsyncSession, principal: Principal, warning_id: int, on: date
) -> EarlyWarning:
    w = await session.get(EarlyWarning, warning_id)
    if w is None:
        raise NotFound(f"no warning {warning_id}")
    principal.require_region(w.region_code)
    if w.withdrawn_on is not None:
        raise Conflict(f"warning {warning_id} was withdrawn on {w.withdrawn_on}", rule="withdrawn")
    w.withdrawn_on = on
    await session.flush()
    ledger.emit(
        session,
        "warning.withdrawn",
        code=None,
        region_code=w.region_code or None,
        data={"id": w.id, "withdrawn_on": on.isoformat()},
    )
    ledger.audit(session, "warning.withdrawn", f"warning/{w.id}")
    return w


async def authority(session: AsyncSession, w: EarlyWarning) -> str:
    agency = await session.get(Agency, w.agency_id)
    return agency.name if agency else ""


async def public_page(
    session: AsyncSession,
    *,
    today: date,
    region: str | None,
    product: str | None,
    after: int | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int | None]:
    """Warnings in force today, newest first. ``region`` matches warnings that cover it: a
    national warning, or one whose region is a prefix of ``region`` or inside it."""
    w = EarlyWarning
    stmt = (
        select(w, col(Agency.name))
        .join(Agency, col(Agency.id) == col(w.agency_id))
        .where(in_force(today))
        .order_by(col(w.id).desc())
        .limit(limit + 1)
    )
    if product:
        stmt = stmt.where(col(w.product_category) == product)
    if region:
        # covering it (national, or a prefix of it) or inside it
        stmt = stmt.where(
            or_(
                literal(region).like(col(w.region_code) + "%"),
                col(w.region_code).startswith(region),
            )
        )
    if after is not None:
        stmt = stmt.where(col(w.id) < after)
    rows = list(await session.execute(stmt))
    page = rows[:limit]
    return [warning_json(x, n) for x, n in page], (
        page[-1][0].id if len(rows) > limit and page else None
    )
