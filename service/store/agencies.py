"""Agencies and API keys (used by the CLI)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Level, hash_key, new_key
from service.models import Agency, ApiKey, utcnow


async def create(
    session: AsyncSession, *, name: str, level: Level, region: str, scopes: frozenset[str]
) -> tuple[Agency, str]:
    """Returns the agency and its key; only the key's hash is stored."""
    agency = Agency(name=name, level=level.value, region=region, scopes=" ".join(sorted(scopes)))
    session.add(agency)
    await session.flush()
    assert agency.id is not None
    key = await add_key(session, agency.id)
    return agency, key


async def add_key(session: AsyncSession, agency_id: int) -> str:
    key = new_key()
    session.add(ApiKey(agency_id=agency_id, key_hash=hash_key(key), prefix=key[:12]))
    await session.flush()
    return key


async def list_all(session: AsyncSession) -> list[Agency]:
    return list((await session.execute(select(Agency).order_by(col(Agency.id)))).scalars())


async def revoke(session: AsyncSession, agency_id: int) -> bool:
    agency = await session.get(Agency, agency_id)
    if agency is None:
        return False
    agency.revoked_at = utcnow()
    return True


async def find_by_name(session: AsyncSession, name: str) -> Agency | None:
    result = await session.execute(
        select(Agency).where(col(Agency.name) == name, col(Agency.revoked_at).is_(None))
    )
    return result.scalars().first()
