"""Serious-dishonesty list (严重违法失信名单) state machine, SAMR Order 44 (2021).

::

    proposed ──notify──> notified ──list──> listed ──remove──> removed
        │                    │                 │ └─(3 years: expired, read-time)
        └──remove────────────┴─────────────────┘      removed(repaired) ──restore──> listed

Approval by the next higher authority (Art.22), the cross-province push (Art.14) and a
credit-repair application (Art.17) are dated facts on the entry, not states; their
deadlines are in :mod:`service.credit.listing_steps`.
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


# Order 44 Art.13 notice + SAMR penalty-procedure rules Art.57: 5 working days for a defence.
DEFENCE_WORKING_DAYS = 5
# Order 44 Art.14: published within 20 working days of the decision; across provinces
# pushed to the registration province within 10 working days, which publishes within 10
# working days of receiving it.
PUBLISH_WORKING_DAYS = 20
PUSH_WORKING_DAYS = 10
PUBLISH_AFTER_RECEIPT_WORKING_DAYS = 10
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
PUSH, APPLY_REPAIR, ACCEPT_REPAIR, REFUSE_REPAIR = (
    "push",
    "apply_repair",
    "accept_repair",
    "refuse_repair",
)
# Art.22 上一级: the level whose consent a county or prefecture decision needs.
NEXT_HIGHER: dict[str, str] = {Level.COUNTY: Level.PREFECTURE, Level.PREFECTURE: Level.PROVINCE}


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

    @property
    def in_force(self) -> bool:
        """Not overturned, withdrawn or superseded (Art.19 reads the current version)."""
        return self.status == "active"


@dataclass(frozen=True)
class UndoneRemoval:
    """A repair removal undone by an Art.20 restoration: the listing was not in force from
    ``removed_on`` until ``restored_on``, and the published removal record stays history."""

    removed_on: date
    reason: RemovalReason
    restored_on: date
    authority: str | None = None


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
    removal_authority: str | None = None  # who decided the removal (public, Art.18)
    restored_on: date | None = None
    restricted_until: date | None = None  # statutory restriction end (Art.21 extension)
    undone_removals: tuple[UndoneRemoval, ...] = ()
    pushed_on: date | None = None  # cross-province push to the registration province (Art.14)
    push_received_on: date | None = None
    repair_applied_on: date | None = None  # credit-repair application (Art.17)
    repair_accepted_on: date | None = None
    repair_refused_on: date | None = None
    penalty_id: int


class TransitionRefused(Exception):
    """A transition the law or the state machine does not allow (HTTP 409)."""

    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message
        self.field = field


def illegal(entry: Entry, transition: str) -> TransitionRefused:
    return TransitionRefused(
        "state-machine-illegal-transition",
        f"cannot {transition} an entry that is {entry.status}",
    )


def not_before(value: date, earlier: date | None, field: str, earlier_name: str) -> None:
    if earlier is not None and value < earlier:
        raise TransitionRefused(
            "date-order", f"{field} {value} is before {earlier_name} {earlier}", field
        )


def period_start(entry: Entry) -> date | None:
    # Art.20: a restored listing's period restarts on the restoration date.
    return entry.restored_on or entry.decided_on


def needs_approval(entry: Entry) -> bool:
    """Art.22: county and prefecture decisions need the next higher authority's consent."""
    return entry.proposer_level in (Level.COUNTY, Level.PREFECTURE)


def cross_province(entry: Entry) -> bool:
    """Art.14: the enterprise is registered outside the deciding authority's province.

    A national authority has no province of its own and publishes directly.
    """
    return entry.proposer_region != "" and entry.region_code[:2] != entry.proposer_region[:2]


def _first_publish_by(entry: Entry, start: date, cal: WorkCalendar) -> date:
    """Art.14 deadline for a listing decided (or restored) on ``start``. Across provinces it
    is the latest the receiving province can publish if the push comes on its last day;
    recording the push replaces it with receipt + 10 working days."""
    if cross_province(entry):
        pushed_by = cal.add_working_days(start, PUSH_WORKING_DAYS)
        return cal.add_working_days(pushed_by, PUBLISH_AFTER_RECEIPT_WORKING_DAYS)
    return cal.add_working_days(start, PUBLISH_WORKING_DAYS)


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
        raise illegal(entry, NOTIFY)
    not_before(notified_on, entry.proposed_on, "notified_on", "proposed_on")
    return replace(entry, status=Status.NOTIFIED, notified_on=notified_on)


def approve(
    entry: Entry,
    *,
    approver_level: Level,
    approver_region: str,
    approved_on: date,
    approver_id: int,
) -> Entry:
    """Art.22 consent (报经上一级同意) of the next higher authority.

    上一级 is read literally: a county decision is approved by the prefecture containing the
    county, a prefecture decision by the province containing the prefecture. The approver's
    level must be exactly the next one up and its region must contain the proposing
    authority's (which, across provinces, need not contain the enterprise's); a national
    authority, a province approving a county, the same level or another region's authority
    is refused.
    """
    rule = "order44-art22-approval"
    approver_level = Level(approver_level)
    if entry.status not in (Status.PROPOSED, Status.NOTIFIED):
        raise illegal(entry, APPROVE)
    if not needs_approval(entry):
        raise TransitionRefused(rule, f"a {entry.proposer_level}-level decision needs no approval")
    if entry.approved_on is not None:
        raise TransitionRefused(rule, f"already approved on {entry.approved_on}")
    expected = NEXT_HIGHER[entry.proposer_level]
    if approver_level != expected:
        raise TransitionRefused(
            rule,
            f"a {entry.proposer_level} decision is approved by the {expected} authority "
            f"containing it (上一级), not by a {approver_level} authority",
            "approver_level",
        )
    if not entry.proposer_region.startswith(approver_region):
        raise TransitionRefused(
            rule,
            f"region {approver_region!r} does not contain the proposing authority's region "
            f"{entry.proposer_region!r}",
            "approver_region",
        )
    not_before(approved_on, entry.proposed_on, "approved_on", "proposed_on")
    return replace(entry, approved_on=approved_on, approved_by=approver_id)


def list_entry(
    entry: Entry,
    *,
    decided_on: date,
    defence_waived: bool,
    cal: WorkCalendar,
    restricted_until: date | None = None,
    penalty: PenaltyRef | None = None,
) -> Entry:
    """Decide the listing (列入决定) after the notice and, where needed, the approval.

    ``restricted_until``: the end of a statutory restriction (限制从业 etc.) running
    longer than 3 years, which extends the listing (Art.21).
    ``penalty``: the penalty the listing rests on; Art.13 has the listing decided together
    with (so never before) the penalty decision.
    """
    if entry.status is not Status.NOTIFIED or entry.notified_on is None:
        raise illegal(entry, LIST)
    not_before(decided_on, entry.notified_on, "decided_on", "notified_on")
    if penalty is not None and decided_on < penalty.decided_on:
        raise TransitionRefused(
            "order44-art13-decided-with-penalty",
            f"the listing decision of {decided_on} predates the penalty decision of "
            f"{penalty.decided_on}; a listing is decided together with the penalty",
            "decided_on",
        )
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
        restricted_until=restricted_until,
        publish_by=_first_publish_by(entry, decided_on, cal),
    )


def publish(entry: Entry, *, published_on: date) -> Entry:
    """Record publication in the national enterprise credit publicity system (Art.14)."""
    current = effective(entry, published_on)
    if current.status is not Status.LISTED:
        raise illegal(current, PUBLISH)
    if current.published_on is not None:
        raise TransitionRefused(
            "state-machine-illegal-transition", f"already published on {current.published_on}"
        )
    not_before(published_on, period_start(current), "published_on", "the listing date")
    if cross_province(current):
        if current.push_received_on is None:
            raise TransitionRefused(
                "order44-art14-cross-province",
                f"the enterprise is registered in province {current.region_code[:2]}, outside "
                f"the deciding authority's {current.proposer_region[:2]}: record the push to "
                "the registration province first (push)",
            )
        not_before(published_on, current.push_received_on, "published_on", "push_received_on")
    return replace(entry, published_on=published_on)


def repair_pending(entry: Entry) -> bool:
    """A credit-repair application (Art.17) received and not yet decided."""
    return (
        entry.status is Status.LISTED
        and entry.repair_applied_on is not None
        and entry.repair_refused_on is None
    )


def remove(
    entry: Entry,
    *,
    removed_on: date,
    reason: RemovalReason,
    heavier_penalties_since: Iterable[PenaltyRef] = (),
    today: date,
    authority: str | None = None,
) -> Entry:
    """Remove a listing (移出), or end a procedure before listing.

    ``authority`` is the deciding authority of the removal, public with it (Art.18).

    - ``repaired`` (Art.16-17): only a listed entry, at least 1 year after the listing date
      (after the restoration date for a restored entry, Art.20), and only if the
      enterprise got no new heavier penalty since. Performance of the penalty and removal
      of the harm are the deciding authority's findings and are not checked here.
    - ``overturned`` (Art.19) and ``error``: from any state not yet removed; ``overturned``
      also after a removal by repair or expiry, which keeps its day but changes its ground.
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
    if (
        current.status is Status.REMOVED
        and reason is RemovalReason.OVERTURNED
        and current.removal_reason in (RemovalReason.REPAIRED, RemovalReason.EXPIRED)
    ):
        # Art.19 in every state: the listing stopped being in force on its removal day,
        # but its removal now rests on the revocation and can no longer be restored.
        not_before(removed_on, current.removed_on, "removed_on", "the earlier removal")
        return replace(
            current,
            removal_reason=RemovalReason.OVERTURNED,
            removal_authority=authority or current.removal_authority,
        )
    if current.status is Status.REMOVED:
        raise TransitionRefused(
            "state-machine-illegal-transition",
            f"already removed ({current.removal_reason}) on {current.removed_on}",
        )
    for name in ("proposed_on", "notified_on", "approved_on", "decided_on", "restored_on"):
        not_before(removed_on, getattr(entry, name), "removed_on", name)
    if reason is RemovalReason.REPAIRED:
        start = period_start(entry)
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
    return replace(
        entry,
        status=Status.REMOVED,
        removed_on=removed_on,
        removal_reason=reason,
        removal_authority=authority,
    )


def revoke(entry: Entry, *, on: date, today: date, authority: str | None = None) -> Entry | None:
    """Art.19 in every state: the penalty was revoked or found unlawful, so the listing is
    revoked whatever its state. An open or listed entry is removed on ``on`` (reason
    ``overturned``); an entry already removed by repair or expiry keeps the day it stopped
    being in force but its removal now rests on the revocation (reason ``overturned``), so
    it can no longer be restored (Art.20). ``None``: already removed as overturned or in
    error, nothing changes.
    """
    current = effective(entry, on)
    if current.status is Status.REMOVED and current.removal_reason in (
        RemovalReason.OVERTURNED,
        RemovalReason.ERROR,
    ):
        return None
    return remove(
        entry, removed_on=on, reason=RemovalReason.OVERTURNED, today=today, authority=authority
    )


def restore(
    entry: Entry,
    *,
    restored_on: date,
    cal: WorkCalendar,
    penalty: PenaltyRef | None = None,
) -> Entry:
    """Art.20: a removal obtained by fraud is undone and the listing period restarts.

    The restored listing runs 3 years from ``restored_on``, or to the end of a longer
    statutory restriction (Art.21). It stays published: the public never sees a gap, and
    the earlier removal record stays as history (``undone_removals``). Never published
    before, it is due within the Art.14 deadline counted from ``restored_on``. Refused when
    the penalty it rests on is no longer in force (Art.19 wins over Art.20).
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
    if penalty is not None and not penalty.in_force:
        raise TransitionRefused(
            "order44-art19-penalty-not-in-force",
            f"penalty {penalty.id} is {penalty.status}; a listing whose penalty is no longer "
            "in force cannot be restored",
        )
    assert current.removed_on is not None and current.removal_reason is not None
    not_before(restored_on, current.removed_on, "restored_on", "removed_on")
    expires_on = add_years(restored_on, LISTING_YEARS)
    if entry.restricted_until is not None and entry.restricted_until > expires_on:
        expires_on = entry.restricted_until
    undone = UndoneRemoval(
        removed_on=current.removed_on,
        reason=current.removal_reason,
        restored_on=restored_on,
        authority=current.removal_authority,
    )
    return replace(
        entry,
        status=Status.LISTED,
        restored_on=restored_on,
        expires_on=expires_on,
        removed_on=None,
        removal_reason=None,
        removal_authority=None,
        undone_removals=(*entry.undone_removals, undone),
        publish_by=(
            entry.publish_by
            if entry.published_on is not None
            else _first_publish_by(entry, restored_on, cal)
        ),
        repair_applied_on=None,
        repair_accepted_on=None,
        repair_refused_on=None,
    )


def effective(entry: Entry, today: date) -> Entry:
    """The entry as it reads on ``today``: Art.21 expiry needs no call.

    A listed entry reads as removed (reason ``expired``, ``removed_on = expires_on``) from
    ``expires_on`` on; the day before it is still listed. Nobody decides an expiry: its
    removal authority is the authority that decided the listing, filled in by the caller.
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

    A restored entry was not in force between the undone removal and its restoration
    (Art.20 restarts the period; it does not reach back).
    """
    if entry.decided_on is None or on < entry.decided_on:
        return False
    if any(u.removed_on <= on < u.restored_on for u in entry.undone_removals):
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
        crossing = cross_province(current)
        pending = repair_pending(current)
        return [
            *([PUSH] if crossing and current.pushed_on is None else []),
            *(
                [PUBLISH]
                if current.published_on is None and (not crossing or current.pushed_on)
                else []
            ),
            *([] if pending else [APPLY_REPAIR]),
            *([ACCEPT_REPAIR] if pending and current.repair_accepted_on is None else []),
            *([REFUSE_REPAIR] if pending else []),
            REMOVE,
        ]
    if current.removal_reason is RemovalReason.REPAIRED:
        return [RESTORE]
    return []
