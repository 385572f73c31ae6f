"""secrets at rest: room for encrypted webhook secrets, and existing secrets encrypted

Webhook secrets and the generated receipt key are stored as ``fernet:<token>``
(service/security/secrets.py). When a key is configured while migrating
(``QCREDIT_SECRETS_KEY`` / ``QCREDIT_SECRETS_KEY_FILE``), existing plaintext rows are
encrypted here; otherwise they stay readable as they are, and ``qcredit secrets rotate``
encrypts them once a key is set.

Revision ID: 20261201_secrets_at_rest
Revises: 20261201_audit_checkpoint
Create Date: 2026-12-01 15:10:00
"""

import os
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet

revision: str = "20261201_secrets_at_rest"
down_revision: str | None = "20261201_audit_checkpoint"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "fernet:"


def _current_key() -> Fernet | None:
    text = os.environ.get("QCREDIT_SECRETS_KEY", "")
    path = os.environ.get("QCREDIT_SECRETS_KEY_FILE", "")
    if path:
        text += "," + Path(path).read_text()
    keys = [k.strip() for k in text.replace("\n", ",").split(",") if k.strip()]
    return Fernet(keys[0].encode()) if keys else None


def upgrade() -> None:
    with op.batch_alter_table("webhook") as batch:
        batch.alter_column(
            "secret", existing_type=sa.String(length=200), type_=sa.String(length=512)
        )
    key = _current_key()
    if key is None:
        return
    conn = op.get_bind()

    def seal(value: str) -> str:
        return PREFIX + key.encrypt(value.encode()).decode()

    for row in conn.execute(sa.text("SELECT id, secret FROM webhook")).mappings().all():
        if not row["secret"].startswith(PREFIX):
            conn.execute(
                sa.text("UPDATE webhook SET secret = :s WHERE id = :id"),
                {"s": seal(row["secret"]), "id": row["id"]},
            )
    receipt = conn.execute(
        sa.text("SELECT value FROM registry_setting WHERE key = 'receipt_secret'")
    ).scalar()
    if receipt is not None and not receipt.startswith(PREFIX):
        conn.execute(
            sa.text("UPDATE registry_setting SET value = :v WHERE key = 'receipt_secret'"),
            {"v": seal(receipt)},
        )


def downgrade() -> None:
    # Encrypted values stay encrypted (decrypt them first with the key if you must go back);
    # only the column width is restored where the values still fit.
    with op.batch_alter_table("webhook") as batch:
        batch.alter_column(
            "secret", existing_type=sa.String(length=512), type_=sa.String(length=200)
        )
