"""licence_type becomes an enumeration: map the free text stored before

``licence_type`` was free text; it is now one of production_licence,
food_production_licence, special_equipment_licence, ccc, iso9001, product_certification,
food_safety_system, other (docs/legal.md, AA-commendation-or-certification). Known
spellings are mapped; anything else becomes ``other`` — which never counts as a
certification — and the text as sent is kept in ``licence_name`` (unless one was given),
so nothing is lost. Every row of one old type maps to the same value, so a revocation
still meets the records of its own licence. The body hash is recomputed over the mapped
body, which is what a replay sending the enumerated value hashes to.

The mapping is written out here rather than imported so this migration stays what it was
when it ran. Downgrade leaves the mapped values.

Revision ID: 0102_licence_type
Revises: 0101_penalty_dates
Create Date: 2026-12-01 15:10:00
"""

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "0102_licence_type"
down_revision: str | None = "0101_penalty_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000
# spelling (lower case, without spaces, hyphens, underscores, dots, slashes) -> value
_KNOWN = {
    "productionlicence": "production_licence",
    "productionlicense": "production_licence",
    "production": "production_licence",
    "生产许可证": "production_licence",
    "工业产品生产许可证": "production_licence",
    "qs": "production_licence",
    "foodproductionlicence": "food_production_licence",
    "foodproductionlicense": "food_production_licence",
    "sc": "food_production_licence",
    "食品生产许可证": "food_production_licence",
    "specialequipmentlicence": "special_equipment_licence",
    "specialequipmentlicense": "special_equipment_licence",
    "特种设备生产许可证": "special_equipment_licence",
    "特种设备制造许可证": "special_equipment_licence",
    "ccc": "ccc",
    "3c": "ccc",
    "强制性产品认证": "ccc",
    "中国强制性产品认证": "ccc",
    "3c认证": "ccc",
    "ccc认证": "ccc",
    "iso9001": "iso9001",
    "iso90012015": "iso9001",
    "gbt19001": "iso9001",
    "gbt190012016": "iso9001",
    "qms": "iso9001",
    "质量管理体系认证": "iso9001",
    "iso9001质量管理体系认证": "iso9001",
    "productcertification": "product_certification",
    "产品认证": "product_certification",
    "自愿性产品认证": "product_certification",
    "haccp": "food_safety_system",
    "iso22000": "food_safety_system",
    "食品安全管理体系认证": "food_safety_system",
    "other": "other",
}
_ENUM = frozenset(_KNOWN.values())
_NOISE = re.compile(r"[\s\-_./／（）()]+")

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


def mapped(value: object) -> str:
    if isinstance(value, str):
        if value in _ENUM:
            return value
        key = _NOISE.sub("", value).lower()
        if key in _KNOWN:
            return _KNOWN[key]
    return "other"


def filled(data: dict[str, Any]) -> dict[str, Any]:
    old = data.get("licence_type")
    new = mapped(old)
    if new == old:
        return data
    out = {**data, "licence_type": new}
    if new == "other" and isinstance(old, str) and old and not out.get("licence_name"):
        out["licence_name"] = old[:200]
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
            .where(record.c.kind == "licence", record.c.id > last)
            .order_by(record.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        changes = []
        for row in rows:
            data = filled(row.data)
            if data is not row.data:
                occurred = row.occurred_on.isoformat()
                digest = body_hash(row.code, row.kind, row.source_ref, occurred, data)
                changes.append({"rid": row.id, "new_data": data, "new_hash": digest})
        if changes:
            conn.execute(stmt, changes)


def downgrade() -> None:
    pass
