"""Outbox events and audit entries, written in the caller's transaction.

Store functions call :func:`emit` and :func:`audit`; nothing is written until
:func:`commit` runs at the end of the request. It takes the single ledger row with an
UPDATE (a row lock on PostgreSQL, the write lock on SQLite) held until COMMIT, numbers the
pending events and audit entries, and chains the audit hashes. Because the lock is taken
last and released by the commit, event seqs become visible strictly in order: a feed
reader that resumes after seq N can never miss an N+1 that commits late.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from service.db import driver_of
from service.models import AuditEntry, Event, utcnow
from service.store import phases

_PENDING = "qcredit_pending"
_CONTEXT = "qcredit_context"
GENESIS_HASH = "0" * 64


@dataclass(slots=True)
class WriteContext:
    """Who is writing and why, for the audit entries of this transaction."""

    agency_id: int | None = None
    request_id: str = ""
    body_sha256: str = hashlib.sha256(b"").hexdigest()


@dataclass(slots=True)
class _Pending:
    events: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    # COPY rows (without seq) of events[: len(encoded)], made ahead by encode_pending()
    encoded: list[tuple[Any, ...]] = field(default_factory=list)


def set_context(session: AsyncSession, ctx: WriteContext) -> None:
    session.info[_CONTEXT] = ctx


def context(session: AsyncSession) -> WriteContext:
    ctx = session.info.get(_CONTEXT)
    return ctx if isinstance(ctx, WriteContext) else WriteContext()


def _pending(session: AsyncSession) -> _Pending:
    pending = session.info.get(_PENDING)
    if not isinstance(pending, _Pending):
        pending = session.info[_PENDING] = _Pending()
    return pending


def _uuid4() -> str:
    """``str(uuid.uuid4())`` at 40 % of its cost: a cold recompute emits an event per
    enterprise, and ``UUID.__init__`` validation was 5 % of its CPU."""
    b = bytearray(os.urandom(16))
    b[6] = b[6] & 0x0F | 0x40  # version 4
    b[8] = b[8] & 0x3F | 0x80  # RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def emit(
    session: AsyncSession,
    type: str,
    *,
    code: str | None,
    region_code: str | None,
    data: dict[str, Any],
    at: datetime | None = None,
) -> str:
    """Queue a change event; returns its stable id."""
    event_id = _uuid4()
    _pending(session).events.append(
        {
            "id": event_id,
            "type": type,
            "code": code,
            "region_code": region_code,
            "occurred_at": at or utcnow(),
            "data": data,
        }
    )
    return event_id


def audit(session: AsyncSession, action: str, target: str) -> None:
    """Queue an audit entry for this transaction's write."""
    ctx = context(session)
    _pending(session).audits.append(
        {
            "at": utcnow(),
            "agency_id": ctx.agency_id,
            "action": action,
            "target": target,
            "request_id": ctx.request_id,
            "body_sha256": ctx.body_sha256,
        }
    )


def audit_payload(entry: dict[str, Any]) -> bytes:
    """Canonical JSON of an audit entry, without its own hashes."""
    fields = {
        "seq": entry["seq"],
        "at": entry["at"].isoformat(),
        "agency": entry["agency_id"],
        "action": entry["action"],
        "target": entry["target"],
        "request_id": entry["request_id"],
        "body_sha256": entry["body_sha256"],
    }
    return orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)


def chain_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + audit_payload(entry)).hexdigest()


@event.listens_for(Session, "before_commit")
def _refuse_silent_loss(session: Session) -> None:
    """A plain session.commit() would drop queued events and audit entries without a
    trace (they live in session.info until :func:`commit` writes them): refuse it."""
    pending = session.info.get(_PENDING)
    if isinstance(pending, _Pending) and (pending.events or pending.audits):
        raise RuntimeError("events/audit entries are queued: commit with ledger.commit(session)")


def _copy_row(e: dict[str, Any]) -> tuple[Any, ...]:
    return (
        e["id"],
        e["type"],
        e["code"],
        e["region_code"],
        e["occurred_at"],
        orjson.dumps(e["data"]).decode(),
    )


def encode_pending(session: AsyncSession) -> None:
    """Serialize the events queued so far for PostgreSQL's COPY now rather than at commit:
    a bulk write calls this while the database is busy with its inserts, so the work is
    done while the process would wait anyway. Events must not change once queued."""
    if session.get_bind().dialect.name != "postgresql":
        return
    pending = _pending(session)
    pending.encoded.extend(_copy_row(e) for e in pending.events[len(pending.encoded) :])


def discard(session: AsyncSession) -> None:
    session.info.pop(_PENDING, None)


_EVENT_COLUMNS = ("seq", "id", "type", "code", "region_code", "occurred_at", "data")
# Below this many events the ORM's multi-row insert is as fast as COPY's round trips.
_COPY_EVENTS_FROM = 200


async def _insert_events(session: AsyncSession, pending: _Pending) -> None:
    """Bulk writes (a 100k-record batch emits 100k+ events) go through PostgreSQL's binary
    COPY; the ORM insert costs ~90 µs an event there (bench/ingest_batch.py)."""
    events = pending.events
    if len(events) < _COPY_EVENTS_FROM or session.get_bind().dialect.name != "postgresql":
        await session.execute(insert(Event), events)
        return
    pg = await driver_of(session)
    rows = pending.encoded
    rows.extend(_copy_row(e) for e in events[len(rows) :])
    await pg.copy_records_to_table(
        "event",
        records=[(e["seq"], *row) for e, row in zip(events, rows, strict=True)],
        columns=list(_EVENT_COLUMNS),
    )


async def commit(session: AsyncSession) -> None:
    """Number and write pending events/audit entries, then commit."""
    pending = session.info.pop(_PENDING, None)
    if isinstance(pending, _Pending) and (pending.events or pending.audits):
        n_events, n_audits = len(pending.events), len(pending.audits)
        row = (
            await session.execute(
                text(
                    "UPDATE ledger SET event_seq = event_seq + :ne, audit_seq = audit_seq + :na "
                    "WHERE id = 1 RETURNING event_seq, audit_seq, audit_head"
                ),
                {"ne": n_events, "na": n_audits},
            )
        ).one()
        if n_events:
            first = row.event_seq - n_events + 1
            for offset, event in enumerate(pending.events):
                event["seq"] = first + offset
            with phases.span("events (write)"):
                await _insert_events(session, pending)
        if n_audits:
            prev = row.audit_head
            first = row.audit_seq - n_audits + 1
            for offset, entry in enumerate(pending.audits):
                entry["seq"] = first + offset
                entry["prev_hash"] = prev
                entry["hash"] = prev = chain_hash(prev, entry)
            await session.execute(insert(AuditEntry), pending.audits)
            await session.execute(
                text("UPDATE ledger SET audit_head = :h WHERE id = 1"), {"h": prev}
            )
    with phases.span("commit"):
        await session.commit()
    phases.flush()
