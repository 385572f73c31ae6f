"""Due dates of the Order 44 procedure as an entry reads on a day, with overdue flags.

Every deadline is counted in working days on the official calendar
(:class:`~service.credit.deadlines.WorkCalendar`); the start day never counts and the
deadline day itself is on time, so a step is overdue from the day after it.

- Art.14: published within 20 working days of the decision; across provinces pushed to
  the registration province within 10 working days, published there within 10 working
  days of receipt (``publish_by`` on the entry, replaced when the push is recorded);
- Art.17: a credit-repair application accepted within 2 working days, decided within 15
  working days of its acceptance;
- Art.18/19: once a published listing is removed, publication stops within 3 working
  days of the removal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.credit.blacklist import (
    PUSH_WORKING_DAYS,
    Entry,
    Status,
    cross_province,
    effective,
    repair_pending,
)
from service.credit.deadlines import WorkCalendar

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
