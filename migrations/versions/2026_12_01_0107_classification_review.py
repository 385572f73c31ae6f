"""classification reviews: a regulator confirms or overrides a computed class

Adds ``classification_review`` and, on ``grade_change``, who decided a change and why.

Revision ID: 20261201_classification_review
Revises: 20261201_catalog_seed
Create Date: 2026-12-01 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "20261201_classification_review"
down_revision: str | None = "20261201_catalog_seed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "classification_review",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
            nullable=False,
        ),
        sa.Column("code", sa.String(length=18), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("grade", sa.String(length=2), nullable=False),
        sa.Column("computed_grade", sa.String(length=2), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("inspections_per_year", sa.Float(), nullable=True),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", service.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_classification_review_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["code"], ["enterprise.code"], name=op.f("fk_classification_review_code_enterprise")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_review")),
    )
    op.create_index(
        "ix_classification_review_code_latest", "classification_review", ["code", "latest"]
    )
    with op.batch_alter_table("grade_change") as batch:
        batch.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reason", sa.String(length=1000), nullable=True))
        batch.create_foreign_key(
            op.f("fk_grade_change_agency_id_agency"), "agency", ["agency_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("grade_change") as batch:
        batch.drop_constraint(op.f("fk_grade_change_agency_id_agency"), type_="foreignkey")
        batch.drop_column("reason")
        batch.drop_column("agency_id")
    op.drop_index("ix_classification_review_code_latest", table_name="classification_review")
    op.drop_table("classification_review")
