"""penalty and complaint dates: fill decided_on, referred_on, received_on and heavier

Penalties count from their decision and complaints from their receipt (docs/legal.md,
rule counted-from-decision). Rows stored before these fields were filled on write get
them here: ``decided_on`` = occurred_on, ``referred_on`` = decided_on for a police
referral, ``received_on`` = occurred_on, and ``heavier`` = true when a penalty type is
heavier by law (Order 44 Art.2). The body hash is recomputed so that re-sending the
original body stays a no-op (it is filled the same way on write).

The rules are written out here rather than imported so this migration stays what it was
when it ran. Downgrade leaves the filled values: they are what the bodies meant.

Revision ID: 0101_penalty_dates
Revises: 0002
Create Date: 2026-12-01 15:00:00
"""

import hashlib
from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "0101_penalty_dates"
down_revision: str | None = "20261201_bl44"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HEAVIER_BY_TYPE = frozenset(
    {
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
        "business_restriction",
        "suspension",
        "closure",
        "practice_restriction",
    }
)
_BATCH = 1000

record = sa.table(
    "credit_record",
    sa.column("id", sa.BigInteger()),
    sa.column("code", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("source_ref", sa.String()),
    sa.column("occurred_on", sa.Date()),
    sa.column("body_hash", sa.String()),
    sa.column("data", service.models.base.JSONType),
)


def filled(kind: str, occurred_on: str, data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if kind == "penalty":
        if out.get("decided_on") is None:
            out["decided_on"] = occurred_on
        if out.get("police_referral") is True and out.get("referred_on") is None:
            out["referred_on"] = out["decided_on"]
        if out.get("heavier") is not True and _HEAVIER_BY_TYPE.intersection(
            out.get("penalty_types") or ()
        ):
            out["heavier"] = True
    elif kind == "complaint" and out.get("received_on") is None:
        out["received_on"] = occurred_on
    return out


def body_hash(code: str, kind: str, source_ref: str, occurred_on: str, data: dict[str, Any]) -> str:
    # service.store.record_rows.body_hash as of this revision
    body = {
        **data,
        "code": code,
        "kind": kind,
        "source_ref": source_ref,
        "occurred_on": occurred_on,
    }
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def upgrade() -> None:
    conn = op.get_bind()
    stmt = (
        sa.update(record)
        .where(record.c.id == sa.bindparam("rid"))
        .values(data=sa.bindparam("new_data"), body_hash=sa.bindparam("new_hash"))
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(
                record.c.id,
                record.c.code,
                record.c.kind,
                record.c.source_ref,
                record.c.occurred_on,
                record.c.data,
            )
            .where(record.c.kind.in_(("penalty", "complaint")), record.c.id > last)
            .order_by(record.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        changes = []
        for row in rows:
            occurred = row.occurred_on.isoformat()
            data = filled(row.kind, occurred, row.data)
            if data != row.data:
                digest = body_hash(row.code, row.kind, row.source_ref, occurred, data)
                changes.append({"rid": row.id, "new_data": data, "new_hash": digest})
        if changes:
            conn.execute(stmt, changes)


def downgrade() -> None:
    pass
