"""sampling-result announcements (抽查结果公示): announcement and its inspections

Revision ID: 20261201_announcements
Revises: 20261201_classification_review
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "20261201_announcements"
down_revision: str | None = "20261201_classification_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "announcement",
        sa.Column("id", BIGINT, autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("announced_on", sa.Date(), nullable=False),
        sa.Column("product_category", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("created_at", service.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_announcement_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement")),
    )
    op.create_table(
        "announcement_item",
        sa.Column("id", BIGINT, autoincrement=True, nullable=False),
        sa.Column("announcement_id", sa.BigInteger(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("source_ref", sa.String(length=128), nullable=False),
        sa.Column("code", sa.String(length=18), nullable=False),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcement.id"],
            name=op.f("fk_announcement_item_announcement_id_announcement"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_announcement_item_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["code"], ["enterprise.code"], name=op.f("fk_announcement_item_code_enterprise")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement_item")),
        sa.UniqueConstraint(
            "announcement_id",
            "agency_id",
            "source_ref",
            name=op.f("uq_announcement_item_announcement_id_agency_id_source_ref"),
        ),
    )
    op.create_index(
        "ix_announcement_item_announcement_id", "announcement_item", ["announcement_id"]
    )
    op.create_index("ix_announcement_item_code", "announcement_item", ["code"])


def downgrade() -> None:
    op.drop_index("ix_announcement_item_code", table_name="announcement_item")
    op.drop_index("ix_announcement_item_announcement_id", table_name="announcement_item")
    op.drop_table("announcement_item")
    op.drop_table("announcement")
