"""region from code: every stored region becomes positions 3-8 of the enterprise's USCC

Before this revision a caller could register an enterprise with a `region_code` that
contradicted its code (e.g. a Liaoning code filed under 130100), which then decided
jurisdiction and statistics. The region is now always the code's (GB 32100 positions 3-8);
this repairs rows written before, and the records and blacklist entries that copied them.
Events in the feed are history and stay as they were sent.

Revision ID: 20261201_region
Revises: 20261201_bl44
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261201_region"
down_revision: str | None = "0102_licence_type"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("enterprise", "credit_record", "blacklist_entry")


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"UPDATE {table} SET region_code = substr(code, 3, 6) "
            "WHERE region_code <> substr(code, 3, 6)"
        )


def downgrade() -> None:
    # The contradicting regions were wrong data; there is nothing to restore.
    pass
