"""Re-encrypting every stored secret with the current key (``qcredit secrets rotate``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.models import RegistrySetting, Webhook
from service.security.receipts import SETTING_KEY as RECEIPT_SETTING
from service.security.secrets import SecretBox
from service.store import ledger


async def reseal_all(session: AsyncSession, box: SecretBox) -> int:
    """Re-encrypt (or, if still plaintext, encrypt) every stored secret under the first
    key; returns how many rows changed. Audited; idempotent."""
    changed = 0
    for hook in (await session.execute(select(Webhook).with_for_update())).scalars():
        sealed = box.reseal(hook.secret)
        if sealed is not None:
            hook.secret = sealed
            changed += 1
    setting = (
        await session.execute(
            select(RegistrySetting).where(col(RegistrySetting.key) == RECEIPT_SETTING)
        )
    ).scalar_one_or_none()
    if setting is not None:
        sealed = box.reseal(setting.value)
        if sealed is not None:
            setting.value = sealed
            changed += 1
    if changed:
        ledger.audit(session, "registry.secrets.rotated", f"secrets:{changed}")
    return changed
