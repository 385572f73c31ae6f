"""honour list (守信激励名单)

Revision ID: 20261201_honour_list
Revises: 20261201_early_warnings
Create Date: 2026-12-01 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "20261201_honour_list"
down_revision: str | None = "20261201_early_warnings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "honour_entry",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("code", sa.String(length=18), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("created_at", service.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"], ["enterprise.code"], name=op.f("fk_honour_entry_code_enterprise")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_honour_entry_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honour_entry")),
    )
    op.create_index("ix_honour_entry_code", "honour_entry", ["code"])


def downgrade() -> None:
    op.drop_index("ix_honour_entry_code", table_name="honour_entry")
    op.drop_table("honour_entry")
