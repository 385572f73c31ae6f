"""catalog completeness: every key product the seed documents name has an entry

Adds the key products (重点产品) the seeds name beyond the default catalog of 0002, each
with a risk level (Ⅰ high / Ⅱ relatively high / Ⅲ general). An entry an agency already
added under the same code is left as it is (its risk level may have been set on purpose).

Revision ID: 20261201_catalog_seed
Revises: 20261201_penalty_repair
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "20261201_catalog_seed"
down_revision: str | None = "20261201_penalty_repair"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, name, name_en, risk level, seed) — seed 000: Liaoning 2012 plan, 001: Hebei 2015
# plan, 003: county key-product governance; see docs/legal.md "Catalogue".
SEED_CATALOG = [
    ("alcoholic-drink", "酒类", "Alcoholic drinks", "II", "000 (三) 重点食品目录"),
    ("kitchenware", "厨房用具", "Kitchenware", "II", "001 九类工业产品"),
    ("decoration-material", "装饰装修材料", "Decoration materials", "II", "000 (四), 001"),
    ("water-saving-product", "节水产品", "Water-saving products", "III", "001 九类工业产品"),
    ("compound-fertilizer", "复混肥料", "Compound fertilizer", "II", "001 九类工业产品"),
    ("waterproof-membrane", "建筑防水卷材", "Waterproof membranes", "II", "001 九类工业产品"),
    ("vehicle-fuel", "车用汽柴油", "Vehicle petrol and diesel", "I", "001 九类工业产品"),
    ("textile-garment", "纺织服装", "Textiles and garments", "III", "001 九类工业产品"),
    ("children-clothing", "儿童服装", "Children's clothing", "I", "000 (四) 风险监测"),
    ("student-supplies", "学生用品", "Student supplies", "II", "000 (四) 风险监测"),
    ("tissue-paper", "纸巾纸", "Tissue paper", "II", "000 (四) 风险监测"),
    ("fiber-padding", "絮用纤维制品", "Fibre padding (黑心棉)", "II", "000 (一)"),
    ("food-related", "食品相关产品", "Food contact products", "II", "001 (二)"),
    ("food-packaging", "食品包装材料", "Food packaging materials", "II", "001"),
    ("edible-agri-product", "食用农产品", "Edible agricultural products", "I", "000 (一)"),
    ("drug", "药品", "Drugs", "I", "000 (一), 001 (一)"),
    ("agri-machinery", "农机具", "Agricultural machinery", "II", "001 (一)"),
    ("auto-parts", "汽车及其配件", "Motor vehicles and parts", "II", "001 (一)"),
    ("elevator", "电梯", "Elevators", "I", "001 (二) 电梯安全监管"),
    ("boiler", "锅炉", "Boilers", "I", "001 (二) 燃煤锅炉"),
    ("oil-gas-pipeline", "油气输送管道", "Oil and gas pipelines", "I", "001 (二)"),
    ("grain", "粮食", "Grain", "II", "001 (二)"),
    ("energy-label-product", "能效标识管理产品", "Energy-labelled products", "III", "001 (二)"),
]

catalog = sa.table(
    "catalog_category",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("name_en", sa.String),
    sa.column("risk_level", sa.String),
    sa.column("updated_at", service.models.base.UTCDateTime()),
)


def upgrade() -> None:
    now = datetime.now(UTC)
    have = {row[0] for row in op.get_bind().execute(sa.select(catalog.c.code))}
    op.bulk_insert(
        catalog,
        [
            {"code": c, "name": n, "name_en": e, "risk_level": r, "updated_at": now}
            for c, n, e, r, _ in SEED_CATALOG
            if c not in have
        ],
    )


def downgrade() -> None:
    op.execute(catalog.delete().where(catalog.c.code.in_([c for c, *_ in SEED_CATALOG])))
