"""penalty publication: credit repairs that end a penalty's publication early

Order 45 publication windows are computed at read time from the penalty record; only the
repair grant (国市监信规〔2021〕3号) is stored.

Revision ID: 20261201_penalty_repair
Revises: 0002
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.models.base

revision: str = "20261201_penalty_repair"
down_revision: str | None = "20261201_region"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "penalty_repair",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("source_ref", sa.String(length=128), nullable=False),
        sa.Column("code", sa.String(length=18), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", service.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_penalty_repair_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["agency.id"], name=op.f("fk_penalty_repair_granted_by_agency")
        ),
        sa.ForeignKeyConstraint(
            ["code"], ["enterprise.code"], name=op.f("fk_penalty_repair_code_enterprise")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_repair")),
        sa.UniqueConstraint(
            "agency_id", "source_ref", name=op.f("uq_penalty_repair_agency_id_source_ref")
        ),
    )
    op.create_index("ix_penalty_repair_record_id", "penalty_repair", ["record_id"])
    op.create_index("ix_penalty_repair_code", "penalty_repair", ["code"])


def downgrade() -> None:
    op.drop_index("ix_penalty_repair_code", table_name="penalty_repair")
    op.drop_index("ix_penalty_repair_record_id", table_name="penalty_repair")
    op.drop_table("penalty_repair")
