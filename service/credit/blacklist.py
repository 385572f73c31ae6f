"""Serious-dishonesty list (严重违法失信名单) state machine, SAMR Order 44 (2021).

::

    proposed ──notify──> notified ──list──> listed ──remove──> removed
        │                    │                 │ └─(3 years: expired, read-time)
        └──remove────────────┴─────────────────┘      removed(repaired) ──restore──> listed

Approval by the next higher authority (Art.22) is a dated fact on the entry, not a state.
Every function returns a new :class:`Entry` or raises :class:`TransitionRefused` naming
the rule; nothing here reads the clock or stores anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from service.credit.deadlines import WorkCalendar, add_years


class Status(StrEnum):
    PROPOSED = "proposed"
    NOTIFIED = "notified"
    LISTED = "listed"
    REMOVED = "removed"


class RemovalReason(StrEnum):
    REPAIRED = "repaired"  # 信用修复提前移出, Art.16-17
    OVERTURNED = "overturned"  # 处罚被撤销/确认违法, Art.19
    ERROR = "error"  # 错误列入
    EXPIRED = "expired"  # 期满自动移出, Art.21 — never requested, derived by effective()


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


_RANK: dict[str, int] = {Level.NATIONAL: 4, Level.PROVINCE: 3, Level.PREFECTURE: 2, Level.COUNTY: 1}

# Order 44 Art.13 notice + SAMR penalty-procedure rules Art.57: 5 working days for a defence.
DEFENCE_WORKING_DAYS = 5
# Order 44 Art.14: published within 20 working days of the decision.
PUBLISH_WORKING_DAYS = 20
# Order 44 Art.16: early removal after at least 1 year listed.
REPAIR_MIN_YEARS = 1
# Order 44 Art.21: removed automatically 3 years after the listing date.
LISTING_YEARS = 3

NOTIFY, APPROVE, LIST, PUBLISH, REMOVE, RESTORE = (
    "notify",
    "approve",
    "list",
    "publish",
    "remove",
    "restore",
)


@dataclass(frozen=True)
class PenaltyRef:
    """The administrative penalty (行政处罚) a listing rests on, or one received since."""

    id: int
    heavier: bool  # 较重行政处罚, Art.2
    status: str  # the record status: "active", "overturned", "withdrawn", "superseded"
    decided_on: date
    code: str  # the penalized enterprise's USCC

    @property
    def counts(self) -> bool:
        return self.heavier and self.status == "active"


@dataclass(frozen=True, kw_only=True)
class Entry:
    code: str
    region_code: str  # the enterprise's GB/T 2260 division code
    proposer_level: Level
    proposer_region: str  # prefix of division codes; "" = national
    status: Status = Status.PROPOSED
    proposed_on: date
    notified_on: date | None = None
    approved_on: date | None = None
    approved_by: int | None = None  # the approving agency's id
    decided_on: date | None = None  # the listing date (列入日期)
    defence_waived: bool = False
    expires_on: date | None = None
    publish_by: date | None = None
    published_on: date | None = None
    removed_on: date | None = None
    removal_reason: RemovalReason | None = None
    restored_on: date | None = None
    penalty_id: int


class TransitionRefused(Exception):
    """A transition the law or the state machine does not allow (HTTP 409)."""

    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message
        self.field = field


def _illegal(entry: Entry, transition: str) -> TransitionRefused:
    return TransitionRefused(
        "state-machine-illegal-transition",
        f"cannot {transition} an entry that is {entry.status}",
    )


def _not_before(value: date, earlier: date | None, field: str, earlier_name: str) -> None:
    if earlier is not None and value < earlier:
        raise TransitionRefused(
            "date-order", f"{field} {value} is before {earlier_name} {earlier}", field
        )


def _period_start(entry: Entry) -> date | None:
    # Art.20: a restored listing's period restarts on the restoration date.
    return entry.restored_on or entry.decided_on


def needs_approval(entry: Entry) -> bool:
    """Art.22: county and prefecture decisions need the next higher authority's consent."""
    return entry.proposer_level in (Level.COUNTY, Level.PREFECTURE)


def propose(
    *,
    code: str,
    region_code: str,
    penalty: PenaltyRef,
    proposer_level: Level,
    proposer_region: str,
    proposed_on: date,
) -> Entry:
    """Open a listing procedure; Art.2 requires a heavier penalty of the same enterprise."""
    if penalty.code != code:
        raise TransitionRefused(
            "order44-art2-heavier-penalty",
            f"penalty {penalty.id} was imposed on {penalty.code}, not on {code}",
            "penalty_record_id",
        )
    if not penalty.heavier:
        raise TransitionRefused(
            "order44-art2-heavier-penalty",
            f"penalty {penalty.id} is not a heavier administrative penalty (较重行政处罚)",
            "penalty_record_id",
        )
    if penalty.status != "active":
        raise TransitionRefused(
            "order44-art2-heavier-penalty",
            f"penalty {penalty.id} is {penalty.status}; a listing needs a penalty in force",
            "penalty_record_id",
        )
    return Entry(
        code=code,
        region_code=region_code,
        proposer_level=Level(proposer_level),
        proposer_region=proposer_region,
        status=Status.PROPOSED,
        proposed_on=proposed_on,
        penalty_id=penalty.id,
    )


def notify(entry: Entry, *, notified_on: date) -> Entry:
    """Art.13 prior notice (告知) of reasons, basis and the right to a defence and hearing."""
    if entry.status is not Status.PROPOSED:
        raise _illegal(entry, NOTIFY)
    _not_before(notified_on, entry.proposed_on, "notified_on", "proposed_on")
    return replace(entry, status=Status.NOTIFIED, notified_on=notified_on)


def approve(
    entry: Entry,
    *,
    approver_level: Level,
    approver_region: str,
    approved_on: date,
    approver_id: int,
) -> Entry:
    """Art.22 consent (报经上一级同意) of a higher authority whose region holds the enterprise.

    Any strictly higher level whose region prefix contains the enterprise's division code
    may approve (the contract's reading of 上一级); the same level, a lower one, or an
    authority of another region may not.
    """
    rule = "order44-art22-approval"
    approver_level = Level(approver_level)
    if entry.status not in (Status.PROPOSED, Status.NOTIFIED):
        raise _illegal(entry, APPROVE)
    if not needs_approval(entry):
        raise TransitionRefused(rule, f"a {entry.proposer_level}-level decision needs no approval")
    if entry.approved_on is not None:
        raise TransitionRefused(rule, f"already approved on {entry.approved_on}")
    if _RANK[approver_level] <= _RANK[entry.proposer_level]:
        raise TransitionRefused(
            rule,
            f"a {approver_level} authority cannot approve a {entry.proposer_level} decision; "
            "approval must come from a higher level",
            "approver_level",
        )
    if not entry.region_code.startswith(approver_region):
        raise TransitionRefused(
            rule,
            f"region {approver_region!r} does not contain the enterprise's region "
            f"{entry.region_code!r}",
            "approver_region",
        )
    _not_before(approved_on, entry.proposed_on, "approved_on", "proposed_on")
    return replace(entry, approved_on=approved_on, approved_by=approver_id)


def list_entry(
    entry: Entry,
    *,
    decided_on: date,
    defence_waived: bool,
    cal: WorkCalendar,
    restricted_until: date | None = None,
) -> Entry:
    """Decide the listing (列入决定) after the notice and, where needed, the approval.

    ``restricted_until``: the end of a statutory restriction (限制从业 etc.) running
    longer than 3 years, which extends the listing (Art.21).
    """
    if entry.status is not Status.NOTIFIED or entry.notified_on is None:
        raise _illegal(entry, LIST)
    _not_before(decided_on, entry.notified_on, "decided_on", "notified_on")
    # Art.13 + penalty-procedure rules Art.57: silence for 5 working days after the notice
    # waives the defence; before that only an explicit answer (defence_waived) allows it.
    window_end = cal.add_working_days(entry.notified_on, DEFENCE_WORKING_DAYS)
    if decided_on <= window_end and not defence_waived:
        raise TransitionRefused(
            "order44-art13-defence-window",
            f"the defence window after the notice of {entry.notified_on} runs to {window_end} "
            f"({DEFENCE_WORKING_DAYS} working days); decide after it or record that the "
            "party answered (defence_waived)",
            "decided_on",
        )
    if needs_approval(entry):
        if entry.approved_on is None:
            raise TransitionRefused(
                "order44-art22-approval",
                f"a {entry.proposer_level}-level listing needs the approval of a higher "
                "authority first",
            )
        if entry.approved_on > decided_on:
            raise TransitionRefused(
                "order44-art22-approval",
                f"approved on {entry.approved_on}, after the decision of {decided_on}",
                "decided_on",
            )
    expires_on = add_years(decided_on, LISTING_YEARS)
    if restricted_until is not None and restricted_until > expires_on:
        expires_on = restricted_until
    return replace(
        entry,
        status=Status.LISTED,
        decided_on=decided_on,
        defence_waived=defence_waived,
        expires_on=expires_on,
        publish_by=cal.add_working_days(decided_on, PUBLISH_WORKING_DAYS),
    )


def publish(entry: Entry, *, published_on: date) -> Entry:
    """Record publication in the national enterprise credit publicity system (Art.14)."""
    current = effective(entry, published_on)
    if current.status is not Status.LISTED:
        raise _illegal(current, PUBLISH)
    if current.published_on is not None:
        raise TransitionRefused(
            "state-machine-illegal-transition", f"already published on {current.published_on}"
        )
    _not_before(published_on, _period_start(current), "published_on", "the listing date")
    return replace(entry, published_on=published_on)


def remove(
    entry: Entry,
    *,
    removed_on: date,
    reason: RemovalReason,
    heavier_penalties_since: Iterable[PenaltyRef] = (),
    today: date,
) -> Entry:
    """Remove a listing (移出), or end a procedure before listing.

    - ``repaired`` (Art.16-17): only a listed entry, at least 1 year after the listing date
      (after the restoration date for a restored entry, Art.20), and only if the
      enterprise got no new heavier penalty since. Performance of the penalty and removal
      of the harm are the deciding authority's findings and are not checked here.
    - ``overturned`` (Art.19) and ``error``: from any state not yet removed.
    - ``expired`` is never requested: :func:`effective` derives it (Art.21).

    The state is judged at ``removed_on``, so a removal recorded late still applies if
    it took effect before the 3 years ran out. ``removed_on`` cannot be after ``today``.
    """
    reason = RemovalReason(reason)
    if reason is RemovalReason.EXPIRED:
        raise TransitionRefused(
            "order44-art21-expiry-automatic",
            "expiry after 3 years is automatic and cannot be requested",
            "reason",
        )
    if removed_on > today:
        raise TransitionRefused(
            "date-in-future", f"removed_on {removed_on} is after today {today}", "removed_on"
        )
    current = effective(entry, removed_on)
    if current.status is Status.REMOVED:
        raise TransitionRefused(
            "state-machine-illegal-transition",
            f"already removed ({current.removal_reason}) on {current.removed_on}",
        )
    for name in ("proposed_on", "notified_on", "approved_on", "decided_on", "restored_on"):
        _not_before(removed_on, getattr(entry, name), "removed_on", name)
    if reason is RemovalReason.REPAIRED:
        start = _period_start(entry)
        if current.status is not Status.LISTED or start is None:
            raise TransitionRefused(
                "state-machine-illegal-transition",
                f"credit repair removes a listed entry; this one is {current.status}",
                "reason",
            )
        earliest = add_years(start, REPAIR_MIN_YEARS)
        if removed_on < earliest:
            raise TransitionRefused(
                "order44-art16-repair-one-year",
                f"early removal needs at least 1 year listed: not before {earliest} "
                f"(listed {start})",
                "removed_on",
            )
        newer = sorted(
            p.id
            for p in heavier_penalties_since
            if p.counts
            and p.code == entry.code
            and p.id != entry.penalty_id
            and start < p.decided_on <= removed_on
        )
        if newer:
            raise TransitionRefused(
                "order44-art16-new-heavier-penalty",
                f"heavier penalties received since the listing of {start}: "
                + ", ".join(map(str, newer)),
                "reason",
            )
    return replace(entry, status=Status.REMOVED, removed_on=removed_on, removal_reason=reason)


def restore(entry: Entry, *, restored_on: date, cal: WorkCalendar) -> Entry:
    """Art.20: a removal obtained by fraud is undone and the listing period restarts.

    The restored listing runs 3 years from ``restored_on`` and, like a new decision, is to
    be published within 20 working days (Art.14 applied again).
    """
    current = effective(entry, restored_on)
    if current.status is not Status.REMOVED or current.removal_reason is not RemovalReason.REPAIRED:
        raise TransitionRefused(
            "order44-art20-restore-not-repaired",
            "only a removal by credit repair can be undone; this entry is "
            + (
                f"removed ({current.removal_reason})"
                if current.status is Status.REMOVED
                else str(current.status)
            ),
        )
    _not_before(restored_on, current.removed_on, "restored_on", "removed_on")
    return replace(
        entry,
        status=Status.LISTED,
        restored_on=restored_on,
        expires_on=add_years(restored_on, LISTING_YEARS),
        removed_on=None,
        removal_reason=None,
        published_on=None,
        publish_by=cal.add_working_days(restored_on, PUBLISH_WORKING_DAYS),
    )


def effective(entry: Entry, today: date) -> Entry:
    """The entry as it reads on ``today``: Art.21 expiry needs no call.

    A listed entry reads as removed (reason ``expired``, ``removed_on = expires_on``) from
    ``expires_on`` on; the day before it is still listed.
    """
    if entry.status is Status.LISTED and entry.expires_on is not None and today >= entry.expires_on:
        return replace(
            entry,
            status=Status.REMOVED,
            removed_on=entry.expires_on,
            removal_reason=RemovalReason.EXPIRED,
        )
    return entry


def is_in_force(entry: Entry, on: date) -> bool:
    """Whether the listing was in force on ``on`` (from the listing date until removal).

    Answered from the entry's current state: a restored entry keeps its first listing
    date and does not remember the gap before restoration.
    """
    if entry.decided_on is None or on < entry.decided_on:
        return False
    current = effective(entry, on)
    if current.status is Status.LISTED:
        return True
    return (
        current.status is Status.REMOVED
        and current.removed_on is not None
        and on < current.removed_on
    )


def publication_overdue(entry: Entry, today: date) -> bool:
    """Listed, not yet published, and past the Art.14 deadline (the deadline day is on time)."""
    current = effective(entry, today)
    return (
        current.status is Status.LISTED
        and current.published_on is None
        and current.publish_by is not None
        and today > current.publish_by
    )


def allowed_transitions(entry: Entry, today: date) -> list[str]:
    """Transitions the state allows on ``today`` (date rules are checked when applied)."""
    current = effective(entry, today)
    approvable = needs_approval(current) and current.approved_on is None
    if current.status is Status.PROPOSED:
        return [NOTIFY, *([APPROVE] if approvable else []), REMOVE]
    if current.status is Status.NOTIFIED:
        return [*([APPROVE] if approvable else []), *([] if approvable else [LIST]), REMOVE]
    if current.status is Status.LISTED:
        return [*([PUBLISH] if current.published_on is None else []), REMOVE]
    if current.removal_reason is RemovalReason.REPAIRED:
        return [RESTORE]
    return []
