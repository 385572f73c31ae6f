"""API keys, scopes and regional jurisdiction.

Keys are shown once and stored as sha256 digests. A regional agency (region prefix such as
``21`` for Liaoning) may write only for enterprises whose division code starts with it, and
an enterprise's division is positions 3-8 of its USCC (GB 32100), never a field a caller
sends: :meth:`Principal.require_enterprise` is the one jurisdiction check of every write.
Which reads are national and which regional is :data:`READ_POLICY` (README "Read policy").
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.clock import Clock
from service.credit import regions
from service.credit.codes import region_of
from service.db import Database
from service.errors import Forbidden, Unauthorized
from service.models import Agency, ApiKey

KEY_PREFIX = "qck_"


class Scope(StrEnum):
    ENTERPRISES_WRITE = "enterprises:write"
    RECORDS_WRITE = "records:write"
    RECORDS_READ = "records:read"
    BLACKLIST_WRITE = "blacklist:write"
    BLACKLIST_APPROVE = "blacklist:approve"
    WEBHOOKS = "webhooks"
    CLASSIFICATION_REVIEW = "classification:review"  # confirm / override computed classes
    ADMIN = "admin"


ALL_SCOPES = frozenset(s.value for s in Scope)


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


@dataclass(frozen=True, slots=True)
class Principal:
    agency_id: int
    name: str
    level: Level
    region: str  # division-code prefix; "" = national
    scopes: frozenset[str]

    def has(self, scope: Scope) -> bool:
        return scope.value in self.scopes or Scope.ADMIN.value in self.scopes

    def require(self, scope: Scope) -> None:
        if not self.has(scope):
            raise Forbidden(f"this key lacks the scope '{scope.value}'", rule="scope")

    def covers(self, region_code: str) -> bool:
        return regions.contains(self.region, region_code)

    def require_region(self, region_code: str) -> None:
        if not self.covers(region_code):
            raise Forbidden(
                f"agency jurisdiction '{self.region or 'national'}' does not cover "
                f"region {region_code}",
                rule="jurisdiction",
            )

    def require_national(self) -> None:
        """Nation-wide reference data (catalog, calendar, rule sets) has no region a regional
        agency could cover: only a national agency writes it."""
        if self.region:
            raise Forbidden(
                f"agency jurisdiction '{self.region}' is regional; the catalog, the calendar "
                "and the rule sets are nation-wide and written by a national agency",
                rule="jurisdiction",
            )

    def require_enterprise(self, code: str) -> None:
        """Writes about the enterprise with this canonical USCC: its region is the code's."""
        self.require_region(region_of(code))

    def read_scope(self, region: str | None) -> str | None:
        """The division prefix a regional read covers: `region` when the caller's
        jurisdiction contains it, the whole jurisdiction when none is asked for (None for a
        national agency), a 403 `jurisdiction` problem outside it."""
        if region is None or region == "":
            return self.region or None
        self.require_region(region)
        return region


def parse_scopes(raw: str) -> frozenset[str]:
    """`all` or a comma/space separated list; unknown scopes are an error."""
    if raw.strip() == "all":
        return ALL_SCOPES
    scopes = frozenset(s for s in raw.replace(",", " ").split() if s)
    unknown = scopes - ALL_SCOPES
    if unknown or not scopes:
        raise ValueError(f"unknown scopes: {', '.join(sorted(unknown)) or '(none given)'}")
    return scopes


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("send 'Authorization: Bearer <key>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <key>'")
    return token.strip()


async def authenticate(session: AsyncSession, token: str) -> Principal:
    return await _principal_by_digest(session, hash_key(token))


async def _principal_by_digest(session: AsyncSession, digest: str) -> Principal:
    row = (
        await session.execute(
            select(Agency)
            .join(ApiKey, col(ApiKey.agency_id) == col(Agency.id))
            .where(
                col(ApiKey.key_hash) == digest,
                col(ApiKey.revoked_at).is_(None),
                col(Agency.revoked_at).is_(None),
            )
        )
    ).scalar_one_or_none()
    if row is None or row.id is None:
        raise Unauthorized("unknown or revoked API key")
    return principal_of(row)


def principal_of(agency: Agency) -> Principal:
    assert agency.id is not None
    return Principal(
        agency_id=agency.id,
        name=agency.name,
        level=Level(agency.level),
        # "211100" and "2111" are the same jurisdiction; every prefix comparison downstream
        # (jurisdiction, feed filters, Art.22 approver) sees the short form.
        region=regions.scope_prefix(agency.region),
        scopes=frozenset(agency.scopes.split()),
    )


class PrincipalCache:
    """Principals by key digest, kept `ttl` seconds so that a request costs no round trip
    for its key. The price: a key revoked in the database keeps working on a running
    server for at most `ttl` seconds (0 turns the cache off). Unknown keys are never
    cached, so a new key works at once."""

    MAX_ENTRIES = 10_000

    def __init__(self, ttl_seconds: float, clock: Clock) -> None:
        self._ttl = timedelta(seconds=ttl_seconds)
        self._clock = clock
        self._entries: dict[str, tuple[datetime, Principal]] = {}

    async def principal(self, db: Database, token: str) -> Principal:
        digest = hash_key(token)
        now = self._clock.now()
        hit = self._entries.get(digest)
        # checked at or before now (a clock set back does not stretch the entry's life)
        if hit is not None and hit[0] <= now < hit[0] + self._ttl:
            return hit[1]
        async with db.session(write=False) as session:
            principal = await _principal_by_digest(session, digest)
        if self._ttl:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (now, principal)
        return principal
