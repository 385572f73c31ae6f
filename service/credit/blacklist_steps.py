"""Dated steps beside the Order 44 listing states: the cross-province push (Art.14) and the
credit-repair application (Art.17). Each returns a new :class:`Entry` or raises
:class:`TransitionRefused`; their deadlines are in :mod:`service.credit.blacklist_deadlines`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from service.credit.blacklist import (
    APPLY_REPAIR,
    PUBLISH_AFTER_RECEIPT_WORKING_DAYS,
    PUSH,
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
