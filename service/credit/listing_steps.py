"""Dated steps beside the Order 44 listing states and the procedure's due dates.

Steps (each returns a new :class:`~service.credit.blacklist.Entry` or raises
:class:`~service.credit.blacklist.TransitionRefused`):

- Art.14 across provinces: :func:`push` to the registration province;
- Art.17 credit repair: :func:`apply_repair`, :func:`accept_repair`, :func:`refuse_repair`
  (granting it is ``remove`` with reason ``repaired``).

Due dates (:func:`due`), counted in working days on the official calendar
(:class:`~service.credit.deadlines.WorkCalendar`); the start day never counts and the
deadline day itself is on time, so a step is overdue from the day after it:

- Art.14: published within 20 working days of the decision; across provinces pushed to
  the registration province within 10 working days, published there within 10 working
  days of receipt (``publish_by`` on the entry, replaced when the push is recorded);
- Art.17: a credit-repair application accepted within 2 working days, decided within 15
  working days of its acceptance;
- Art.18/19: once a published listing is removed, its publication stops within 3 working
  days of the removal (the removal record itself stays public).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from service.credit.blacklist import (
    APPLY_REPAIR,
    PUBLISH_AFTER_RECEIPT_WORKING_DAYS,
    PUSH,
    PUSH_WORKING_DAYS,
    Entry,
    Status,
    TransitionRefused,
    cross_province,
    effective,
    illegal,
    not_before,
    period_start,
    repair_pending,
)
from service.credit.deadlines import WorkCalendar


def push(entry: Entry, *, pushed_on: date, received_on: date, cal: WorkCalendar) -> Entry:
    """Art.14 across provinces: the decision is pushed to the enterprise's registration
    province, which publishes it within 10 working days of receiving it."""
    rule = "order44-art14-cross-province"
    current = effective(entry, pushed_on)
    if current.status is not Status.LISTED:
        raise illegal(current, PUSH)
    if not cross_province(current):
        raise TransitionRefused(
            rule, "the enterprise is registered in the deciding authority's own province"
        )
    if current.pushed_on is not None:
        raise TransitionRefused(rule, f"already pushed on {current.pushed_on}")
    not_before(pushed_on, current.decided_on, "pushed_on", "decided_on")
    not_before(received_on, pushed_on, "received_on", "pushed_on")
    return replace(
        entry,
        pushed_on=pushed_on,
        push_received_on=received_on,
        publish_by=cal.add_working_days(received_on, PUBLISH_AFTER_RECEIPT_WORKING_DAYS),
    )


def apply_repair(entry: Entry, *, applied_on: date) -> Entry:
    """Art.17: the party applies for early removal; acceptance is due within 2 working days.

    A new application may follow a refused one; a pending one blocks another.
    """
    current = effective(entry, applied_on)
    if current.status is not Status.LISTED:
        raise illegal(current, APPLY_REPAIR)
    if repair_pending(current):
        raise TransitionRefused(
            "order44-art17-repair-application",
            f"an application of {current.repair_applied_on} is still pending",
        )
    not_before(applied_on, period_start(current), "applied_on", "the listing date")
    return replace(
        entry, repair_applied_on=applied_on, repair_accepted_on=None, repair_refused_on=None
    )


def accept_repair(entry: Entry, *, accepted_on: date) -> Entry:
    """Art.17: the application is accepted (受理); the decision is due in 15 working days."""
    current = effective(entry, accepted_on)
    if not repair_pending(current) or current.repair_accepted_on is not None:
        raise TransitionRefused(
            "order44-art17-repair-application",
            "no application waiting for acceptance",
        )
    not_before(accepted_on, current.repair_applied_on, "accepted_on", "applied_on")
    return replace(entry, repair_accepted_on=accepted_on)


def refuse_repair(entry: Entry, *, refused_on: date) -> Entry:
    """Art.17: the application is not accepted or early removal is refused; the listing
    stays. Granting it is ``remove`` with reason ``repaired``."""
    current = effective(entry, refused_on)
    if not repair_pending(current):
        raise TransitionRefused(
            "order44-art17-repair-application", "no pending credit-repair application"
        )
    not_before(
        refused_on,
        current.repair_accepted_on or current.repair_applied_on,
        "refused_on",
        "the application",
    )
    return replace(entry, repair_refused_on=refused_on)


# Order 44 Art.17: acceptance within 2 working days, decision within 15 of acceptance.
REPAIR_ACCEPT_WORKING_DAYS = 2
REPAIR_DECIDE_WORKING_DAYS = 15
# Order 44 Art.18 (removal) and Art.19 (revocation): publication stops within 3 working days.
STOP_PUBLICATION_WORKING_DAYS = 3


@dataclass(frozen=True)
class Due:
    """The procedure's open deadlines on ``today``; ``None`` where a step does not apply."""

    push_by: date | None
    push_overdue: bool
    repair_accept_by: date | None
    repair_acceptance_overdue: bool
    repair_decide_by: date | None
    repair_decision_overdue: bool
    stop_publication_by: date | None


def due(entry: Entry, today: date, cal: WorkCalendar) -> Due:
    current = effective(entry, today)
    listed = current.status is Status.LISTED

    push_by = None
    if cross_province(current) and current.decided_on is not None:
        push_by = cal.add_working_days(current.decided_on, PUSH_WORKING_DAYS)
    push_overdue = listed and push_by is not None and current.pushed_on is None and today > push_by

    accept_by = decide_by = None
    accept_late = decide_late = False
    if current.repair_applied_on is not None:
        accept_by = cal.add_working_days(current.repair_applied_on, REPAIR_ACCEPT_WORKING_DAYS)
        if current.repair_accepted_on is not None:
            decide_by = cal.add_working_days(current.repair_accepted_on, REPAIR_DECIDE_WORKING_DAYS)
        if repair_pending(current):
            accept_late = current.repair_accepted_on is None and today > accept_by
            decide_late = decide_by is not None and today > decide_by

    stop_by = None
    if (
        current.status is Status.REMOVED
        and current.removed_on is not None
        and current.published_on is not None
    ):
        stop_by = cal.add_working_days(current.removed_on, STOP_PUBLICATION_WORKING_DAYS)

    return Due(
        push_by=push_by,
        push_overdue=push_overdue,
        repair_accept_by=accept_by,
        repair_acceptance_overdue=accept_late,
        repair_decide_by=decide_by,
        repair_decision_overdue=decide_late,
        stop_publication_by=stop_by,
    )
