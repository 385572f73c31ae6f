"""Reading, verifying and checkpointing the audit hash chain (each entry hashes the
previous one).

The chain is written by :func:`service.store.ledger.commit`. Verification reads it in seq
order, in chunks (constant memory whatever its length), and reports every broken link, not
only the first: a missing range, an entry whose `prev_hash` is not its predecessor's hash,
an entry whose hash does not follow from its content. Editing an entry and recomputing every
hash after it, or deleting the last entries and moving the ledger head back, leaves a chain
that is consistent with itself — only a signed checkpoint (a head signed with a key kept
outside the database, :mod:`service.security.checkpoints`) can tell: the entry at the
checkpoint's seq must still hash to its head, and the chain must still be that long.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.models import AuditCheckpoint, AuditEntry
from service.security import checkpoints as cps
from service.store import ledger

_COLUMNS = AuditEntry.__table__.c  # type: ignore[attr-defined]
MAX_BREAKS = 1000  # a wholesale rewrite is named by its first thousand broken links


@dataclass(frozen=True, slots=True)
class Break:
    seq: int
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    length: int  # entries in the chain according to the ledger
    head: str  # the ledger's head hash
    broken: list[Break] = field(default_factory=list)
    checkpoints: int = 0  # checkpoints checked
    last_checkpoint: cps.Checkpoint | None = None  # the newest one the chain agrees with

    @property
    def first_bad(self) -> int | None:
        return min(b.seq for b in self.broken) if self.broken else None

    @property
    def reason(self) -> str | None:
        first = self.first_bad
        return next(b.reason for b in self.broken if b.seq == first) if self.broken else None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": self.ok,
            "length": self.length,
            "head": self.head,
            "broken": [b.as_json() for b in self.broken],
            "checkpoints_checked": self.checkpoints,
            "last_checkpoint": self.last_checkpoint.as_json() if self.last_checkpoint else None,
        }
        if not self.ok:
            out["first_bad"] = self.first_bad
            out["reason"] = self.reason
        return out


async def verify(
    session: AsyncSession,
    *,
    extra: Iterable[cps.Checkpoint] = (),
    trusted_key_id: str | None = None,
    chunk: int = 5000,
) -> Verdict:
    """Check the chain link by link, then against every checkpoint: those stored here and
    `extra` (copies another party kept). A stored checkpoint counts only when signed by
    `trusted_key_id` (the registry's key) if one is given; `extra` ones are the caller's own
    copies and count when their signature holds."""
    # Checkpoints first, then the ledger: on PostgreSQL each read is its own snapshot, and a
    # checkpoint signed in between must not look like one beyond the chain's end.
    stored = await list_checkpoints(session)
    ledger_row = (
        await session.execute(text("SELECT audit_seq, audit_head FROM ledger WHERE id = 1"))
    ).one()
    length, head = int(ledger_row.audit_seq), str(ledger_row.audit_head)
    candidates = [(cp, True) for cp in stored] + [(cp, False) for cp in extra]
    wanted = {cp.seq for cp, _ in candidates}
    broken: list[Break] = []

    def report(seq: int, reason: str) -> None:
        if len(broken) < MAX_BREAKS:
            broken.append(Break(seq, reason))

    hashes_at: dict[int, str] = {0: ledger.GENESIS_HASH}
    expected, prev = 1, ledger.GENESIS_HASH  # prev: the previous entry's stored hash
    last_hash = ledger.GENESIS_HASH
    while True:
        # up to the ledger's length: entries committed after it was read are not judged
        stmt = (
            select(_COLUMNS)
            .where(_COLUMNS.seq >= expected, _COLUMNS.seq <= length)
            .order_by(_COLUMNS.seq)
            .limit(chunk)
        )
        rows = (await session.execute(stmt)).mappings().all()
        for row in rows:
            seq = int(row["seq"])
            if seq != expected:
                report(expected, _missing(expected, seq - 1))
            elif row["prev_hash"] != prev:
                report(seq, "prev_hash is not the previous entry's hash")
            if ledger.chain_hash(row["prev_hash"], dict(row)) != row["hash"]:
                report(seq, "hash does not match the entry's content")
            prev = row["hash"]
            if seq in wanted:
                hashes_at[seq] = prev
            last_hash = prev
            expected = seq + 1
        if len(rows) < chunk:
            break
    if expected <= length:
        report(expected, _missing(expected, length))
    elif last_hash != head:
        report(length, "the ledger head is not the last entry's hash")

    last_good: cps.Checkpoint | None = None
    checked = 0
    previous_ok = 0
    for cp, from_db in sorted(candidates, key=lambda c: c[0].seq):
        checked += 1
        if not cps.signature_valid(cp):
            report(cp.seq, f"checkpoint {cp.seq} has an invalid signature (forged or altered)")
            continue
        if from_db and trusted_key_id is not None and cp.key_id != trusted_key_id:
            report(cp.seq, f"checkpoint {cp.seq} is signed by key {cp.key_id}, not the registry's")
            continue
        if cp.seq > length:
            report(
                min(length + 1, cp.seq),
                f"truncated: checkpoint {cp.seq} (signed {cp.signed_at}) covers {cp.seq} "
                f"entries, the chain now has {length}",
            )
            continue
        actual = hashes_at.get(cp.seq)
        if actual != cp.head:
            report(
                previous_ok + 1,
                f"rewritten: entries {previous_ok + 1}–{cp.seq} no longer hash to the head "
                f"signed in checkpoint {cp.seq} ({cp.signed_at})",
            )
            continue
        previous_ok = cp.seq
        last_good = cp
    broken.sort(key=lambda b: b.seq)
    return Verdict(not broken, length, head, broken, checked, last_good)


def _missing(first: int, last: int) -> str:
    return "entry missing" if first == last else f"entries {first}–{last} missing"


# --- checkpoints -------------------------------------------------------------------------


def _from_row(row: AuditCheckpoint) -> cps.Checkpoint:
    return cps.Checkpoint(
        seq=row.seq,
        head=row.head,
        signed_at=row.signed_at,
        key_id=row.key_id,
        public_key=row.public_key,
        signature=row.signature,
    )


async def list_checkpoints(session: AsyncSession) -> list[cps.Checkpoint]:
    rows = await session.execute(select(AuditCheckpoint).order_by(col(AuditCheckpoint.seq)))
    return [_from_row(r) for r in rows.scalars()]


async def latest_checkpoint(session: AsyncSession) -> cps.Checkpoint | None:
    stmt = select(AuditCheckpoint).order_by(col(AuditCheckpoint.seq).desc()).limit(1)
    row = (await session.execute(stmt)).scalar_one_or_none()
    return _from_row(row) if row is not None else None


async def make_checkpoint(
    session: AsyncSession, key: Any, now: datetime
) -> tuple[cps.Checkpoint, bool]:
    """Sign the current head (queued in the caller's transaction with an
    ``audit.checkpoint`` change-feed event, so other agencies receive a copy). Returns the
    existing checkpoint, and False, when the head has not moved since the last one."""
    row = (
        await session.execute(text("SELECT audit_seq, audit_head FROM ledger WHERE id = 1"))
    ).one()
    seq, head = int(row.audit_seq), str(row.audit_head)
    existing = await session.get(AuditCheckpoint, seq)
    if existing is not None:
        return _from_row(existing), False
    cp = cps.sign(key, seq=seq, head=head, signed_at=now)
    session.add(
        AuditCheckpoint(
            seq=cp.seq,
            head=cp.head,
            signed_at=cp.signed_at,
            key_id=cp.key_id,
            public_key=cp.public_key,
            signature=cp.signature,
        )
    )
    ledger.emit(session, "audit.checkpoint", code=None, region_code=None, data=cp.as_json(), at=now)
    return cp, True


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
