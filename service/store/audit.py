"""Reading and verifying the audit hash chain (each entry hashes the previous one).

The chain is written by :func:`service.store.ledger.commit`; verification recomputes it in
seq order, in chunks (constant memory whatever its length), and names the first entry that
is missing or whose hashes do not follow from its content and its predecessor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.models import AuditEntry
from service.store import ledger

_COLUMNS = AuditEntry.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    length: int  # entries in the chain according to the ledger
    head: str  # the ledger's head hash
    first_bad: int | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "length": self.length, "head": self.head}
        if not self.ok:
            out["first_bad"] = self.first_bad
            out["reason"] = self.reason
        return out


async def verify(session: AsyncSession, *, chunk: int = 5000) -> Verdict:
    ledger_row = (
        await session.execute(text("SELECT audit_seq, audit_head FROM ledger WHERE id = 1"))
    ).one()
    length, head = int(ledger_row.audit_seq), str(ledger_row.audit_head)

    def broken(seq: int, reason: str) -> Verdict:
        return Verdict(False, length, head, seq, reason)

    expected, prev = 1, ledger.GENESIS_HASH
    while True:
        stmt = (
            select(_COLUMNS)
            .where(_COLUMNS.seq >= expected, _COLUMNS.seq <= length)
            .order_by(_COLUMNS.seq)
            .limit(chunk)
        )
        rows = (await session.execute(stmt)).mappings().all()
        for row in rows:
            if row["seq"] != expected:
                return broken(expected, "entry missing")
            if row["prev_hash"] != prev:
                return broken(expected, "prev_hash is not the previous entry's hash")
            computed = ledger.chain_hash(prev, dict(row))
            if computed != row["hash"]:
                return broken(expected, "hash does not match the entry's content")
            prev = computed
            expected += 1
        if len(rows) < chunk:
            break
    if expected <= length:
        return broken(expected, "entry missing")
    if prev != head:
        return broken(length, "the ledger head is not the last entry's hash")
    return Verdict(True, length, head)


async def entries_for(
    session: AsyncSession, target: str, *, after: int | None, limit: int
) -> list[AuditEntry]:
    stmt = (
        select(AuditEntry)
        .where(col(AuditEntry.target) == target)
        .order_by(col(AuditEntry.seq))
        .limit(limit + 1)
    )
    if after is not None:
        stmt = stmt.where(col(AuditEntry.seq) > after)
    return list((await session.execute(stmt)).scalars())
