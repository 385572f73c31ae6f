"""Order 18 follow-up steps on an inspection (监督抽查后处理), each recorded as a new version
of the record: objection (Art.35-36), re-test (Art.37-42), rectification order (Art.45),
re-check (Art.47), provincial announcement and second re-check (Art.48)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import Principal
from service.credit import followup
from service.credit.deadlines import WorkCalendar
from service.errors import FieldError, IllegalTransition
from service.models import CreditRecord
from service.schemas.records import FollowupIn
from service.store import ledger
from service.store.grading import regrade as grading
from service.store.grading.dossiers import attrs_from_json
from service.store.records.write import emit_record, invalid, new_version, require_current, writable

# Follow-up step -> (date field, result field or None), Order 18 Art.35-48.
STEP_FIELDS: dict[str, tuple[str, str | None]] = {
    "objection": ("objection_filed_on", None),
    "retest": ("retest_on", "retest_result"),
    "rectification_order": ("rectification_ordered_on", None),
    "recheck": ("recheck_on", "recheck_result"),
    "announcement": ("announced_on", None),
    "recheck2": ("recheck2_on", "recheck2_result"),
}


async def add(
    session: AsyncSession,
    principal: Principal,
    record_id: int,
    body: FollowupIn,
    *,
    today: date,
    now: datetime,
    cal: WorkCalendar,
) -> tuple[CreditRecord, bool]:
    """Records one Order 18 step as a new version of the inspection."""
    target, current = await writable(session, principal, record_id)
    if target.kind != "inspection":
        raise invalid(
            [
                FieldError(
                    field="step",
                    rule="followup-not-inspection",
                    message=f"record {record_id} is a {target.kind}",
                )
            ]
        )
    date_field, result_field = STEP_FIELDS[body.step]
    if result_field is not None and body.result is None:
        raise invalid(
            [FieldError(field="result", rule="missing", message=f"{body.step} needs a result")]
        )
    if result_field is None and body.result is not None:
        raise invalid(
            [
                FieldError(
                    field="result",
                    rule="result-not-applicable",
                    message=f"{body.step} has no result",
                )
            ]
        )
    updates: dict[str, Any] = {date_field: body.on.isoformat()}
    if result_field is not None:
        updates[result_field] = body.result
    if all(current.data.get(k) == v for k, v in updates.items()):
        return current, False  # the same step again: a retry
    require_current(target, current, "add the step to")
    recorded = [k for k in updates if current.data.get(k) is not None]
    if recorded:
        raise IllegalTransition(
            f"{body.step} is already recorded on record {current.id} "
            f"({', '.join(f'{k}={current.data[k]}' for k in recorded)}); "
            "send a correction to change it",
            rule="followup-already-recorded",
        )
    if body.on > today:
        raise invalid(
            [
                FieldError(
                    field="on", rule="future-date", message=f"{body.on} is after today ({today})"
                )
            ]
        )
    data = {**current.data, **updates}
    problems = followup.check_followup(attrs_from_json(data), cal)
    if problems:
        # Name the request field: the step's date is `on`, its result is `result`.
        names = {date_field: "on", result_field: "result"}
        raise invalid(
            [
                FieldError(field=names.get(p.field, p.field), rule=p.rule, message=p.message)
                for p in problems
            ]
        )
    row = await new_version(
        session, current, data, current.occurred_on, now=now, reason=f"follow-up: {body.step}"
    )
    emit_record(session, "record.corrected", row, supersedes_id=current.id, followup=body.step)
    ledger.audit(session, f"record.followup.{body.step}", f"record/{row.id}")
    await grading.regrade(session, [row.code], today=today, trigger="record")
    return row, True
