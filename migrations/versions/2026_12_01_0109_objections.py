"""objections to credit information (信用异议)

Revision ID: 20261201_objections
Revises: 20261201_announcements
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "20261201_objections"
down_revision: str | None = "20261201_announcements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "objection",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("code", sa.String(length=18), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("target", sa.String(length=8), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_reason", sa.String(length=1000), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", service.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"], ["enterprise.code"], name=op.f("fk_objection_code_enterprise")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_objection_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["agency.id"], name=op.f("fk_objection_decided_by_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )
    op.create_index("ix_objection_code_status", "objection", ["code", "status"])
    op.create_index("ix_objection_status_due", "objection", ["status", "due_on"])


def downgrade() -> None:
    op.drop_index("ix_objection_status_due", table_name="objection")
    op.drop_index("ix_objection_code_status", table_name="objection")
    op.drop_table("objection")
