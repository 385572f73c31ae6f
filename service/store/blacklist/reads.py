"""Agency-side reads of the blacklist: filtered lists, the internal entry view, and listing
candidates (Order 44 Art.2(2), Art.7(3), Art.8, Art.10(3)) found in dossiers.

Statuses are judged as the entries *read* on ``today``: a listing past its 3 years is
removed (Art.21) whether or not the expiry job has recorded it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit import blacklist as rules
from service.credit.blacklist import RemovalReason, Status
from service.credit.candidates import Trigger, listing_triggers
from service.credit.deadlines import WorkCalendar
from service.credit.listing_steps import due
from service.models import BlacklistEntry, CreditRecord, Enterprise
from service.schemas.blacklist import (
    CandidateOut,
    EntryOut,
    TransitionOut,
    TriggerOut,
    UndoneRemovalOut,
)
from service.store.blacklist.procedure import transitions_of
from service.store.blacklist.rows import entry_of
from service.store.calendar import work_calendar
from service.store.grading import dossiers

# A removal for one of these reasons ran its course: the conduct before its listing is
# settled, so only a chain qualifying after it makes the enterprise a candidate again.
# An overturned or erroneous listing settles nothing.
_SETTLED_REASONS = (RemovalReason.REPAIRED.value, RemovalReason.EXPIRED.value)


def status_clause(status: str, today: date) -> Any:
    """SQL condition: the entry *reads* as ``status`` on ``today`` (Art.21 expiry included)."""
    if status == Status.LISTED.value:
        return and_(
            col(BlacklistEntry.status) == Status.LISTED.value,
            or_(col(BlacklistEntry.expires_on).is_(None), col(BlacklistEntry.expires_on) > today),
        )
    if status == Status.REMOVED.value:
        return or_(
            col(BlacklistEntry.status) == Status.REMOVED.value,
            and_(
                col(BlacklistEntry.status) == Status.LISTED.value,
                col(BlacklistEntry.expires_on) <= today,
            ),
        )
    return col(BlacklistEntry.status) == status


def overdue_clause(today: date) -> Any:
    """SQL condition: listed, unpublished and past the Art.14 deadline (that day is on time)."""
    return and_(
        status_clause(Status.LISTED.value, today),
        col(BlacklistEntry.published_on).is_(None),
        col(BlacklistEntry.publish_by) < today,
    )


async def list_page(
    session: AsyncSession,
    *,
    today: date,
    status: str | None,
    region: str | None,
    overdue: bool,
    after: int | None,
    limit: int,
) -> list[BlacklistEntry]:
    """Agency list, newest first (keyset on id); one row more than ``limit`` if more exist."""
    stmt = select(BlacklistEntry).order_by(col(BlacklistEntry.id).desc()).limit(limit + 1)
    if status:
        stmt = stmt.where(status_clause(status, today))
    if region:
        stmt = stmt.where(col(BlacklistEntry.region_code).startswith(region))
    if overdue:
        stmt = stmt.where(overdue_clause(today))
    if after is not None:
        stmt = stmt.where(col(BlacklistEntry.id) < after)
    return list((await session.execute(stmt)).scalars())


async def names(session: AsyncSession, codes: Sequence[str]) -> dict[str, str]:
    rows = await session.execute(
        select(col(Enterprise.code), col(Enterprise.name)).where(
            col(Enterprise.code).in_(set(codes))
        )
    )
    return {code: name for code, name in rows}


def removal_authority(row: BlacklistEntry, current: rules.Entry) -> str | None:
    """Who decided the removal; an expiry (Art.21) is the listing authority's own."""
    if current.status is not Status.REMOVED:
        return None
    return current.removal_authority or row.authority


async def entry_out(
    session: AsyncSession,
    row: BlacklistEntry,
    today: date,
    *,
    name: str | None = None,
    history: bool = True,
    cal: WorkCalendar | None = None,
) -> EntryOut:
    """The internal view: state as it reads today, deadlines, what may happen next."""
    assert row.id is not None
    entry = entry_of(row)
    current = rules.effective(entry, today)
    cal = cal or await work_calendar(session)
    defence_ends_on = None
    if entry.notified_on is not None:
        defence_ends_on = cal.add_working_days(entry.notified_on, rules.DEFENCE_WORKING_DAYS)
    dues = due(entry, today, cal)
    if name is None:
        name = (await names(session, [row.code])).get(row.code)
    transitions = (
        [
            TransitionOut(
                transition=t.transition, on=t.on, at=t.at, agency_id=t.agency_id, data=t.data
            )
            for t in await transitions_of(session, row.id)
        ]
        if history
        else []
    )
    return EntryOut(
        id=row.id,
        code=row.code,
        name=name,
        region_code=row.region_code,
        category=row.category,
        reason=row.reason,
        legal_basis=row.legal_basis,
        remedy=row.remedy,
        fault_basis=row.fault_basis,
        authority=row.authority,
        penalty_record_id=row.penalty_record_id,
        proposer_agency_id=row.proposer_agency_id,
        proposer_level=row.proposer_level,
        status=current.status.value,
        proposed_on=current.proposed_on,
        notified_on=current.notified_on,
        defence_ends_on=defence_ends_on,
        approval_required=rules.needs_approval(entry),
        approved_on=current.approved_on,
        approved_by=current.approved_by,
        decided_on=current.decided_on,
        defence_waived=current.defence_waived,
        expires_on=current.expires_on,
        restricted_until=current.restricted_until,
        restored_on=current.restored_on,
        undone_removals=[
            UndoneRemovalOut(
                removed_on=u.removed_on,
                reason=u.reason.value,
                restored_on=u.restored_on,
                authority=u.authority,
            )
            for u in current.undone_removals
        ],
        cross_province=rules.cross_province(entry),
        push_by=dues.push_by,
        pushed_on=current.pushed_on,
        push_received_on=current.push_received_on,
        push_overdue=dues.push_overdue,
        publish_by=current.publish_by,
        published_on=current.published_on,
        publication_overdue=rules.publication_overdue(entry, today),
        repair_applied_on=current.repair_applied_on,
        repair_accept_by=dues.repair_accept_by,
        repair_accepted_on=current.repair_accepted_on,
        repair_acceptance_overdue=dues.repair_acceptance_overdue,
        repair_decide_by=dues.repair_decide_by,
        repair_refused_on=current.repair_refused_on,
        repair_decision_overdue=dues.repair_decision_overdue,
        removed_on=current.removed_on,
        removal_reason=current.removal_reason.value if current.removal_reason else None,
        removal_authority=removal_authority(row, current),
        stop_publication_by=dues.stop_publication_by,
        allowed_transitions=rules.allowed_transitions(entry, today),
        transitions=transitions,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


# -- candidates (Order 44 Art.2(2), Art.7(3), Art.8, Art.10(3)) ----------------------------


def _trigger_out(t: Trigger) -> TriggerOut:
    return TriggerOut(
        rule=t.rule,
        article=t.article,
        text=t.text_zh,
        text_en=t.text_en,
        record_ids=list(t.record_ids),
    )


async def _settled(
    session: AsyncSession, codes: Sequence[str], today: date
) -> tuple[set[str], dict[str, date]]:
    """Enterprises with an entry open or in force (no candidate at all), and for the others
    the day up to which an earlier listing that ran its course (repaired or expired) covers
    their conduct: a trigger qualifying after that day is a new chain and counts again."""
    rows = (
        await session.execute(select(BlacklistEntry).where(col(BlacklistEntry.code).in_(codes)))
    ).scalars()
    open_codes: set[str] = set()
    covered: dict[str, date] = {}
    for row in rows:
        current = rules.effective(entry_of(row), today)
        if current.status is not Status.REMOVED:
            open_codes.add(row.code)
        elif current.removal_reason is not None and current.removal_reason.value in (
            _SETTLED_REASONS
        ):
            until = current.decided_on or current.proposed_on
            covered[row.code] = max(until, covered.get(row.code, until))
    return open_codes, covered


def _new_chains(triggers: list[Trigger], covered_until: date | None) -> list[Trigger]:
    if covered_until is None:
        return triggers
    return [t for t in triggers if t.on is not None and t.on > covered_until]


async def candidates(
    session: AsyncSession,
    *,
    today: date,
    region: str | None,
    after: str | None,
    limit: int,
    chunk: int = 500,
) -> list[CandidateOut]:
    """Enterprises whose dossier meets a listing trigger but have no entry for it, by code;
    one more than ``limit`` when more exist.

    Only enterprises holding an active record of a kind a trigger reads (a not-passed
    inspection, a recall, a licence) are loaded, in chunks of ``chunk`` codes.
    """
    out: list[CandidateOut] = []
    cursor = after
    while len(out) <= limit:
        stmt = (
            select(col(CreditRecord.code))
            .where(
                col(CreditRecord.status) == "active",
                col(CreditRecord.occurred_on) <= today,
                or_(
                    and_(
                        col(CreditRecord.kind) == "inspection",
                        or_(
                            col(CreditRecord.final_result).is_(None),
                            col(CreditRecord.final_result) != "pass",
                        ),
                    ),
                    col(CreditRecord.kind).in_(("recall", "licence")),
                ),
            )
            .distinct()
            .order_by(col(CreditRecord.code))
            .limit(chunk)
        )
        if region:
            stmt = stmt.where(col(CreditRecord.region_code).startswith(region))
        if cursor is not None:
            stmt = stmt.where(col(CreditRecord.code) > cursor)
        codes = list((await session.execute(stmt)).scalars())
        if not codes:
            break
        cursor = codes[-1]
        facts = await dossiers.facts_by_code(session, codes)
        found = {c: t for c in codes if (t := listing_triggers(facts.get(c, ()), today))}
        blocked, covered = await _settled(session, list(found), today)
        found = {
            c: new
            for c, t in found.items()
            if c not in blocked and (new := _new_chains(t, covered.get(c)))
        }
        ents = {
            e.code: e
            for e in (
                await session.execute(
                    select(Enterprise).where(col(Enterprise.code).in_(list(found)))
                )
            ).scalars()
        }
        for code in codes:
            if code not in found or code not in ents:
                continue
            triggers = found[code]
            out.append(
                CandidateOut(
                    code=code,
                    name=ents[code].name,
                    region_code=ents[code].region_code,
                    grade=ents[code].grade,
                    record_ids=sorted({i for t in triggers for i in t.record_ids}),
                    triggers=[_trigger_out(t) for t in triggers],
                )
            )
            if len(out) > limit:
                break
        if len(codes) < chunk:
            break
    return out
