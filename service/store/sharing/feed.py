"""The change feed: reading the outbox (`event`) in seq order, and the filters that the feed
and the webhook fan-out share.

Why a reader never misses an event: :func:`service.store.ledger.commit` numbers events under
the ledger row lock, taken last and released by COMMIT, so the committed seqs are always a
gap-free prefix 1..head. A page is read as "head first, then events <= head": every event up
to that head was committed before head was read, so the page query sees all of them, and
`next_after` may safely jump to head when the page is not full.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, and_, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.models import Event

# "grade.changed" (exact), "blacklist." or "blacklist.*" (prefix), "*" (everything)
TYPE_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.|\.\*)?)$")
MAX_TYPE_PATTERNS = 50


@dataclass(frozen=True, slots=True)
class TypeFilter:
    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    everything: bool = True

    @classmethod
    def parse(cls, patterns: Sequence[str]) -> TypeFilter:
        """Patterns must already match TYPE_PATTERN; an empty list means every type."""
        if not patterns or "*" in patterns:
            return cls()
        exact = tuple(sorted({p for p in patterns if not p.endswith((".", ".*"))}))
        prefixes = tuple(sorted({p.removesuffix("*") for p in patterns if p.endswith((".", ".*"))}))
        return cls(exact=exact, prefixes=prefixes, everything=False)

    def matches(self, event_type: str) -> bool:
        return (
            self.everything
            or event_type in self.exact
            or any(event_type.startswith(p) for p in self.prefixes)
        )

    def condition(self) -> ColumnElement[bool]:
        if self.everything:
            return true()
        parts: list[ColumnElement[bool]] = []
        if self.exact:
            parts.append(col(Event.type).in_(self.exact))
        for prefix in self.prefixes:
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            parts.append(col(Event.type).like(escaped + "%", escape="\\"))
        return or_(*parts)


def invalid_type_patterns(patterns: Sequence[str]) -> list[int]:
    """Indexes of patterns that are not valid type filters."""
    return [i for i, p in enumerate(patterns) if not TYPE_PATTERN.match(p)]


def region_condition(prefix: str | None) -> ColumnElement[bool]:
    """Events in a division-code prefix; events without a region (catalog changes) concern
    every region, so they always pass."""
    if not prefix:
        return true()
    return or_(col(Event.region_code).is_(None), col(Event.region_code).startswith(prefix))


def visible_to(agency_region: str, region: str | None) -> ColumnElement[bool]:
    """An agency sees its own jurisdiction (national: everything), narrowed by `region`."""
    return and_(region_condition(agency_region), region_condition(region))


async def dataset_version(session: AsyncSession) -> int:
    """The seq of the newest committed event: data read in the same transaction reflects
    every change up to it (clients pass it to /v1/changes?after= to stay in sync)."""
    return int(
        (await session.execute(text("SELECT event_seq FROM ledger WHERE id = 1"))).scalar_one()
    )


# Core columns, not ORM objects: a feed page is up to 1,000 rows on the hot read path
EVENT_COLUMNS = Event.__table__.c  # type: ignore[attr-defined]


def event_json(row: RowMapping | Mapping[str, Any]) -> dict[str, Any]:
    """The event document of the feed and of webhook bodies, from an `event` row mapping."""
    return {
        "seq": row["seq"],
        "id": row["id"],
        "type": row["type"],
        "code": row["code"],
        "region_code": row["region_code"],
        "occurred_at": row["occurred_at"].isoformat().replace("+00:00", "Z"),
        "data": row["data"],
    }


@dataclass(frozen=True, slots=True)
class ChangePage:
    events: list[dict[str, Any]]
    next_after: int
    dataset_version: int


async def read_changes(
    session: AsyncSession,
    *,
    after: int,
    limit: int,
    types: TypeFilter,
    agency_region: str,
    region: str | None,
) -> ChangePage:
    head = await dataset_version(session)
    stmt = (
        select(EVENT_COLUMNS)
        .where(
            col(Event.seq) > after,
            col(Event.seq) <= head,
            types.condition(),
            visible_to(agency_region, region),
        )
        .order_by(col(Event.seq))
        .limit(limit)
    )
    rows = (await session.execute(stmt)).mappings().all()
    # a short page means nothing else up to head matches the filters: skip the scanned range
    next_after = rows[-1]["seq"] if len(rows) == limit else max(after, head)
    return ChangePage([event_json(r) for r in rows], next_after, head)
