"""blacklist: Order 44 fidelity — fault finding, removal authority, restoration history,
statutory restriction, cross-province push and credit-repair application dates

Revision ID: 20261201_bl44
Revises: 0002
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261201_bl44"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DATES = (
    "restricted_until",
    "pushed_on",
    "push_received_on",
    "repair_applied_on",
    "repair_accepted_on",
    "repair_refused_on",
)


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    with op.batch_alter_table("blacklist_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fault_basis", sa.String(length=1000), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("removal_authority", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("undone_removals", json_type, nullable=False, server_default="[]")
        )
        for name in _DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
    # Removals recorded before this revision: the authority that decided the listing is the
    # best knowledge of who removed it (an expiry has no other).
    op.execute(
        "UPDATE blacklist_entry SET removal_authority = authority "
        "WHERE status = 'removed' AND removal_authority IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("blacklist_entry", schema=None) as batch_op:
        for name in reversed(_DATES):
            batch_op.drop_column(name)
        batch_op.drop_column("undone_removals")
        batch_op.drop_column("removal_authority")
        batch_op.drop_column("fault_basis")
