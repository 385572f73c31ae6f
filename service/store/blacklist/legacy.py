"""Loading a legacy serious-dishonesty list (`qcredit import-listings`): each listing is
replayed through the Order 44 procedure (:mod:`service.store.blacklist.procedure`) with the
dates it really happened on, so every rule that guards a new listing guards an imported one
and a listing decided years ago reads as it stands today (e.g. expired, Art.21).

The importing agency is the deciding authority: the penalty must be one it recorded itself
(Art.13 — a listing is decided with the penalty). Re-running a file is safe: a listing
whose penalty chain already backs an entry is reported as existing and left alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.credit import blacklist as rules
from service.credit.codes import CodeError, parse_code
from service.errors import FieldError, ValidationFailed
from service.models import BlacklistEntry, CreditRecord
from service.schemas.blacklist import LegacyListingIn
from service.store import enterprises
from service.store.blacklist import procedure

Outcome = Literal["created", "existing"]


async def _penalty(session: AsyncSession, agency_id: int, source_ref: str) -> CreditRecord:
    """The current version of the importing agency's penalty chain ``source_ref``."""
    stmt = (
        select(CreditRecord)
        .where(
            col(CreditRecord.agency_id) == agency_id,
            col(CreditRecord.source_ref) == source_ref,
        )
        .order_by(col(CreditRecord.version).desc())
        .limit(1)
    )
    record = (await session.execute(stmt)).scalar_one_or_none()
    if record is None or record.kind != "penalty":
        raise ValidationFailed(
            f"no penalty with source_ref {source_ref!r} from this agency",
            errors=[
                FieldError(
                    field="penalty_source_ref",
                    rule="not-found",
                    message=f"no penalty record {source_ref!r} recorded by the importing agency",
                )
            ],
        )
    return record


async def _existing(session: AsyncSession, record: CreditRecord) -> int | None:
    chain = select(col(CreditRecord.id)).where(
        col(CreditRecord.agency_id) == record.agency_id,
        col(CreditRecord.source_ref) == record.source_ref,
    )
    stmt = (
        select(col(BlacklistEntry.id))
        .where(col(BlacklistEntry.penalty_record_id).in_(chain))
        .order_by(col(BlacklistEntry.id))
        .limit(1)
    )
    found: int | None = (await session.execute(stmt)).scalar_one_or_none()
    return found


async def load_listing(
    session: AsyncSession,
    principal: Principal,
    item: LegacyListingIn,
    *,
    today: date,
    approver: Callable[[int], Awaitable[Principal]],
    default_approver: int | None = None,
) -> tuple[Outcome, int]:
    """Replay one legacy listing; returns whether it was created or already there, and the
    entry id. Raises the same errors as the API would (the caller rolls back the line)."""
    try:
        code = parse_code(item.code)
    except CodeError as err:
        raise ValidationFailed(
            f"{item.code!r} is not a valid code: {err.message}",
            errors=[FieldError(field="code", rule=err.rule, message=err.message)],
        ) from err
    enterprise = await enterprises.get(session, code)
    record = await _penalty(session, principal.agency_id, item.penalty_source_ref)
    if (entry_id := await _existing(session, record)) is not None:
        return "existing", entry_id
    assert record.id is not None
    row = await procedure.propose(
        session,
        principal,
        code=enterprise.code,
        region_code=enterprise.region_code,
        category=item.category,
        reason=item.reason,
        legal_basis=item.legal_basis,
        remedy=item.remedy,
        fault_basis=item.fault_basis,
        penalty_record_id=record.id,
        today=today,
        proposed_on=item.proposed_on,
    )

    async def step(name: str, params: dict[str, Any], who: Principal = principal) -> None:
        await procedure.apply(session, row, name, principal=who, today=today, params=params)

    await step(rules.NOTIFY, {"notified_on": item.notified_on})
    if item.approved_on is not None:
        approver_id = item.approver_agency_id or default_approver
        if approver_id is None:
            raise ValidationFailed(
                "approved_on without an approver",
                errors=[
                    FieldError(
                        field="approver_agency_id",
                        rule="required",
                        message="an approval needs the approving agency (Order 44 Art.22)",
                    )
                ],
            )
        await step(rules.APPROVE, {"approved_on": item.approved_on}, await approver(approver_id))
    await step(
        rules.LIST,
        {
            "decided_on": item.decided_on,
            "defence_waived": item.defence_waived,
            "restricted_until": item.restricted_until,
        },
    )
    if item.pushed_on is not None:
        await step(rules.PUSH, {"pushed_on": item.pushed_on, "received_on": item.push_received_on})
    if item.published_on is not None:
        await step(rules.PUBLISH, {"published_on": item.published_on})
    if item.removed_on is not None or item.removal_reason is not None:
        if item.removed_on is None or item.removal_reason is None:
            field = "removed_on" if item.removed_on is None else "removal_reason"
            raise ValidationFailed(
                "a removal needs its date and its reason",
                errors=[FieldError(field=field, rule="required", message=f"{field} is required")],
            )
        await step(rules.REMOVE, {"removed_on": item.removed_on, "reason": item.removal_reason})
    if item.restored_on is not None:
        await step(rules.RESTORE, {"restored_on": item.restored_on})
    assert row.id is not None
    return "created", row.id
