"""seed reference data: ledger head and the default key supervision catalog (重点监管产品目录)

The catalog is written out here rather than imported so this migration stays what it was
when it ran; later edits go through the API or a new migration.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:30:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, name, name_en, risk level I high / II relatively high / III general) — domain.md §5
DEFAULT_CATALOG = [
    ("dairy", "乳制品", "Dairy products", "I"),
    ("infant-formula", "婴幼儿配方食品", "Infant formula", "I"),
    ("meat", "肉制品", "Meat products", "I"),
    ("food-additive", "食品添加剂", "Food additives", "I"),
    ("edible-oil", "食用植物油", "Edible vegetable oil", "I"),
    ("liquor", "白酒", "Liquor (baijiu)", "II"),
    ("bottled-water", "瓶(桶)装饮用水", "Bottled drinking water", "II"),
    ("frozen-drink", "冷冻饮品", "Frozen drinks", "II"),
    ("condiment", "调味品", "Condiments", "II"),
    ("children-product", "儿童用品", "Children's products", "I"),
    ("toy", "玩具", "Toys", "I"),
    ("women-product", "妇女用品", "Women's products", "II"),
    ("fertilizer", "化肥", "Fertilizer", "II"),
    ("seed", "种子", "Seeds", "II"),
    ("pesticide", "农药", "Pesticides", "I"),
    ("cement", "水泥", "Cement", "II"),
    ("steel-bar", "钢筋", "Steel reinforcing bars", "I"),
    ("brick", "砖", "Bricks", "III"),
    ("wire-cable", "电线电缆", "Wire and cable", "II"),
    ("special-equipment", "特种设备", "Special equipment", "I"),
    ("lpg-cylinder", "液化石油气钢瓶", "LPG cylinders", "I"),
    ("household-appliance", "家用电器", "Household appliances", "II"),
    ("textile", "纺织品", "Textiles", "III"),
    ("furniture", "家具", "Furniture", "III"),
    ("paper", "纸制品", "Paper products", "III"),
]

catalog = sa.table(
    "catalog_category",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("name_en", sa.String),
    sa.column("risk_level", sa.String),
    sa.column("updated_at", service.models.base.UTCDateTime()),
)
ledger = sa.table(
    "ledger",
    sa.column("id", sa.Integer),
    sa.column("event_seq", sa.BigInteger),
    sa.column("audit_seq", sa.BigInteger),
    sa.column("audit_head", sa.String),
)


def upgrade() -> None:
    now = datetime.now(UTC)
    op.bulk_insert(ledger, [{"id": 1, "event_seq": 0, "audit_seq": 0, "audit_head": "0" * 64}])
    op.bulk_insert(
        catalog,
        [
            {"code": c, "name": n, "name_en": e, "risk_level": r, "updated_at": now}
            for c, n, e, r in DEFAULT_CATALOG
        ],
    )


def downgrade() -> None:
    op.execute(catalog.delete())
    op.execute(ledger.delete())
