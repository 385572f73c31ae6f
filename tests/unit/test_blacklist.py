"""Order 44 listing state machine, every rule pinned at its boundary."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.credit.blacklist import (
    Entry,
    Level,
    PenaltyRef,
    RemovalReason,
    Status,
    TransitionRefused,
    allowed_transitions,
    approve,
    effective,
    is_in_force,
    list_entry,
    needs_approval,
    notify,
    propose,
    publication_overdue,
    publish,
    remove,
    restore,
)
from service.credit.deadlines import DEFAULT_CALENDAR, add_years

CAL = DEFAULT_CALENDAR
CODE = "91210100000123457K"
REGION = "211122"  # a county in Panjin (2111), Liaoning (21)
PENALTY = PenaltyRef(id=10, heavier=True, status="active", decided_on=date(2024, 3, 1), code=CODE)
FAR = date(2035, 1, 1)


# Each level's own division-code prefix around the enterprise's county.
OWN_REGION = {Level.COUNTY: REGION, Level.PREFECTURE: REGION[:4], Level.PROVINCE: "21"}


def proposed(
    level: Level = Level.PROVINCE, region: str | None = None, on: date = date(2024, 3, 1)
) -> Entry:
    region = OWN_REGION.get(level, "") if region is None else region
    return propose(
        code=CODE,
        region_code=REGION,
        penalty=PENALTY,
        proposer_level=level,
        proposer_region=region,
        proposed_on=on,
    )


def notified(level: Level = Level.PROVINCE, on: date = date(2024, 3, 7)) -> Entry:
    return notify(proposed(level, on=min(on, date(2024, 3, 1))), notified_on=on)


def listed(decided_on: date = date(2024, 3, 15)) -> Entry:
    # Noticed two weeks before: the defence window is over, nothing waived.
    e = notified(on=decided_on - timedelta(days=14))
    return list_entry(e, decided_on=decided_on, defence_waived=False, cal=CAL)


def refused(rule: str, exc: pytest.ExceptionInfo[TransitionRefused]) -> None:
    assert exc.value.rule == rule, exc.value


# -- propose (Art.2) ----------------------------------------------------------------


def test_propose() -> None:
    e = proposed()
    assert e.status is Status.PROPOSED
    assert e.penalty_id == 10
    assert e.proposed_on == date(2024, 3, 1)


@pytest.mark.parametrize(
    "penalty",
    [
        replace(PENALTY, heavier=False),
        replace(PENALTY, status="overturned"),
        replace(PENALTY, status="withdrawn"),
        replace(PENALTY, code="91110000000000000X"),  # another enterprise's penalty
    ],
)
def test_propose_needs_heavier_penalty_in_force(penalty: PenaltyRef) -> None:
    with pytest.raises(TransitionRefused) as exc:
        propose(
            code=CODE,
            region_code=REGION,
            penalty=penalty,
            proposer_level=Level.PROVINCE,
            proposer_region="21",
            proposed_on=date(2024, 3, 1),
        )
    refused("order44-art2-heavier-penalty", exc)
    assert exc.value.field == "penalty_record_id"


# -- notify (Art.13) ----------------------------------------------------------------


def test_notify_only_from_proposed() -> None:
    e = notified()
    assert e.status is Status.NOTIFIED
    with pytest.raises(TransitionRefused) as exc:
        notify(e, notified_on=date(2024, 3, 8))
    refused("state-machine-illegal-transition", exc)


def test_notify_not_before_proposal() -> None:
    with pytest.raises(TransitionRefused) as exc:
        notify(proposed(), notified_on=date(2024, 2, 29))
    refused("date-order", exc)


# -- defence window (Art.13 + penalty-procedure rules Art.57) -------------------------


@pytest.mark.parametrize(
    ("notified_on", "decided_on", "ok"),
    [
        # Thu 03-07: working days Fri 08, Mon 11, Tue 12, Wed 13, Thu 14 (5th), Fri 15.
        (date(2024, 3, 7), date(2024, 3, 13), False),  # day 4
        (date(2024, 3, 7), date(2024, 3, 14), False),  # day 5: still in the window
        (date(2024, 3, 7), date(2024, 3, 15), True),  # day 6
        # Fri 09-27: Sun 09-29 (make-up), Mon 09-30, then Oct 8, 9, 10 (5th).
        (date(2024, 9, 27), date(2024, 10, 10), False),
        (date(2024, 9, 27), date(2024, 10, 11), True),
    ],
)
def test_defence_window(notified_on: date, decided_on: date, ok: bool) -> None:
    e = notified(on=notified_on)
    if ok:
        assert (
            list_entry(e, decided_on=decided_on, defence_waived=False, cal=CAL).status == "listed"
        )
    else:
        with pytest.raises(TransitionRefused) as exc:
            list_entry(e, decided_on=decided_on, defence_waived=False, cal=CAL)
        refused("order44-art13-defence-window", exc)
        assert exc.value.field == "decided_on"


def test_answered_defence_allows_early_decision() -> None:
    e = list_entry(notified(), decided_on=date(2024, 3, 8), defence_waived=True, cal=CAL)
    assert e.status is Status.LISTED
    assert e.defence_waived is True


def test_list_not_before_notice_and_only_from_notified() -> None:
    with pytest.raises(TransitionRefused) as exc:
        list_entry(notified(), decided_on=date(2024, 3, 6), defence_waived=True, cal=CAL)
    refused("date-order", exc)
    with pytest.raises(TransitionRefused) as exc:
        list_entry(proposed(), decided_on=date(2024, 4, 1), defence_waived=True, cal=CAL)
    refused("state-machine-illegal-transition", exc)


def test_listing_sets_expiry_and_publication_deadline() -> None:
    e = listed(date(2024, 3, 15))
    assert e.expires_on == date(2027, 3, 15)
    assert e.publish_by == date(2024, 4, 15)  # 20th working day (Qingming Apr 4-6 off)
    e = list_entry(notified(), decided_on=date(2024, 9, 20), defence_waived=False, cal=CAL)
    assert e.publish_by == date(2024, 10, 23)  # across Golden Week and two make-up days


def test_longer_statutory_restriction_extends_listing() -> None:
    e = list_entry(
        notified(),
        decided_on=date(2024, 3, 15),
        defence_waived=False,
        cal=CAL,
        restricted_until=date(2029, 3, 15),
    )
    assert e.expires_on == date(2029, 3, 15)
    shorter = list_entry(
        notified(),
        decided_on=date(2024, 3, 15),
        defence_waived=False,
        cal=CAL,
        restricted_until=date(2025, 3, 15),
    )
    assert shorter.expires_on == date(2027, 3, 15)


# -- approval (Art.22) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("proposer", "approver", "region", "rule_field"),
    [
        (Level.COUNTY, Level.PREFECTURE, "2111", None),  # next higher, containing region
        (Level.PREFECTURE, Level.PROVINCE, "21", None),
        # Art.22 上一级: only the next level up, not any higher one
        (Level.COUNTY, Level.PROVINCE, "21", "approver_level"),
        (Level.COUNTY, Level.NATIONAL, "", "approver_level"),
        (Level.PREFECTURE, Level.NATIONAL, "", "approver_level"),
        (Level.COUNTY, Level.COUNTY, "211122", "approver_level"),  # same level
        (Level.PREFECTURE, Level.PREFECTURE, "2111", "approver_level"),
        (Level.PREFECTURE, Level.COUNTY, "211122", "approver_level"),  # lower level
        (Level.COUNTY, Level.PREFECTURE, "2102", "approver_region"),  # Dalian, not Panjin
        (Level.PREFECTURE, Level.PROVINCE, "13", "approver_region"),  # Hebei
    ],
)
def test_approval(proposer: Level, approver: Level, region: str, rule_field: str | None) -> None:
    e = proposed(proposer, region=REGION[:4] if proposer is Level.PREFECTURE else REGION)
    kwargs = {
        "approver_level": approver,
        "approver_region": region,
        "approved_on": date(2024, 3, 5),
        "approver_id": 7,
    }
    if rule_field is None:
        approved = approve(e, **kwargs)  # type: ignore[arg-type]
        assert (approved.approved_on, approved.approved_by) == (date(2024, 3, 5), 7)
        assert approved.status is Status.PROPOSED  # approval is a fact, not a state
    else:
        with pytest.raises(TransitionRefused) as exc:
            approve(e, **kwargs)  # type: ignore[arg-type]
        refused("order44-art22-approval", exc)
        assert exc.value.field == rule_field


def test_needs_approval() -> None:
    assert needs_approval(proposed(Level.COUNTY))
    assert needs_approval(proposed(Level.PREFECTURE))
    assert not needs_approval(proposed(Level.PROVINCE))
    assert not needs_approval(proposed(Level.NATIONAL, ""))


def test_approval_not_needed_is_refused_and_not_twice() -> None:
    with pytest.raises(TransitionRefused) as exc:
        approve(
            proposed(),
            approver_level=Level.NATIONAL,
            approver_region="",
            approved_on=date(2024, 3, 5),
            approver_id=1,
        )
    refused("order44-art22-approval", exc)
    once = approve(
        proposed(Level.COUNTY),
        approver_level=Level.PREFECTURE,
        approver_region="2111",
        approved_on=date(2024, 3, 5),
        approver_id=1,
    )
    with pytest.raises(TransitionRefused) as exc:
        approve(
            once,
            approver_level=Level.PREFECTURE,
            approver_region="2111",
            approved_on=date(2024, 3, 6),
            approver_id=2,
        )
    refused("order44-art22-approval", exc)


def test_county_listing_needs_approval_before_decision() -> None:
    e = notified(Level.COUNTY)
    with pytest.raises(TransitionRefused) as exc:
        list_entry(e, decided_on=date(2024, 3, 15), defence_waived=False, cal=CAL)
    refused("order44-art22-approval", exc)
    late = approve(
        e,
        approver_level=Level.PREFECTURE,
        approver_region="2111",
        approved_on=date(2024, 3, 16),
        approver_id=3,
    )
    with pytest.raises(TransitionRefused) as exc:
        list_entry(late, decided_on=date(2024, 3, 15), defence_waived=False, cal=CAL)
    refused("order44-art22-approval", exc)
    listed_ = list_entry(late, decided_on=date(2024, 3, 16), defence_waived=False, cal=CAL)
    assert listed_.status is Status.LISTED


def test_approval_after_listing_is_illegal() -> None:
    with pytest.raises(TransitionRefused) as exc:
        approve(
            listed(),
            approver_level=Level.NATIONAL,
            approver_region="",
            approved_on=date(2024, 4, 1),
            approver_id=1,
        )
    refused("state-machine-illegal-transition", exc)


# -- publication (Art.14) -----------------------------------------------------------


def test_publication_deadline_boundary() -> None:
    e = listed(date(2024, 3, 15))  # publish_by 2024-04-15
    assert not publication_overdue(e, date(2024, 4, 15))
    assert publication_overdue(e, date(2024, 4, 16))
    done = publish(e, published_on=date(2024, 4, 16))
    assert done.published_on == date(2024, 4, 16)
    assert not publication_overdue(done, date(2024, 5, 1))
    with pytest.raises(TransitionRefused) as exc:
        publish(done, published_on=date(2024, 4, 17))
    refused("state-machine-illegal-transition", exc)


def test_publish_only_listed() -> None:
    with pytest.raises(TransitionRefused) as exc:
        publish(notified(), published_on=date(2024, 3, 20))
    refused("state-machine-illegal-transition", exc)
    with pytest.raises(TransitionRefused) as exc:
        publish(listed(), published_on=date(2027, 3, 15))  # expired that day
    refused("state-machine-illegal-transition", exc)
    assert not publication_overdue(listed(), date(2027, 3, 15))


# -- removal (Art.16-19) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided_on", "removed_on", "ok"),
    [
        (date(2024, 3, 15), date(2025, 3, 14), False),  # 1 year minus 1 day
        (date(2024, 3, 15), date(2025, 3, 15), True),  # exactly 1 year
        (date(2024, 2, 29), date(2025, 2, 27), False),
        (date(2024, 2, 29), date(2025, 2, 28), True),  # Feb 29 + 1 year = Feb 28
    ],
)
def test_repair_needs_one_year(decided_on: date, removed_on: date, ok: bool) -> None:
    e = listed(decided_on)
    if ok:
        out = remove(e, removed_on=removed_on, reason=RemovalReason.REPAIRED, today=removed_on)
        assert (out.status, out.removal_reason, out.removed_on) == (
            Status.REMOVED,
            RemovalReason.REPAIRED,
            removed_on,
        )
    else:
        with pytest.raises(TransitionRefused) as exc:
            remove(e, removed_on=removed_on, reason=RemovalReason.REPAIRED, today=removed_on)
        refused("order44-art16-repair-one-year", exc)


def test_repair_refused_after_new_heavier_penalty() -> None:
    e = listed(date(2024, 3, 15))
    day = date(2025, 6, 1)
    newer = PenaltyRef(
        id=11, heavier=True, status="active", decided_on=date(2024, 3, 16), code=CODE
    )
    with pytest.raises(TransitionRefused) as exc:
        remove(e, removed_on=day, reason="repaired", heavier_penalties_since=[newer], today=day)  # type: ignore[arg-type]
    refused("order44-art16-new-heavier-penalty", exc)
    assert "11" in exc.value.message
    ignored = [
        PENALTY,  # the listing's own penalty
        replace(newer, decided_on=date(2024, 3, 15)),  # decided with the listing, not after
        replace(newer, heavier=False),
        replace(newer, status="overturned"),
        replace(newer, code="91110000000000000X"),
    ]
    out = remove(
        e,
        removed_on=day,
        reason=RemovalReason.REPAIRED,
        heavier_penalties_since=ignored,
        today=day,
    )
    assert out.status is Status.REMOVED


def test_repair_only_listed() -> None:
    with pytest.raises(TransitionRefused) as exc:
        remove(notified(), removed_on=FAR, reason=RemovalReason.REPAIRED, today=FAR)
    refused("state-machine-illegal-transition", exc)


@pytest.mark.parametrize("reason", [RemovalReason.OVERTURNED, RemovalReason.ERROR])
@pytest.mark.parametrize("state", ["proposed", "notified", "listed"])
def test_overturned_and_error_from_any_open_state(reason: RemovalReason, state: str) -> None:
    e = {"proposed": proposed(), "notified": notified(), "listed": listed()}[state]
    day = date(2024, 3, 20)  # days after listing: no waiting period
    out = remove(e, removed_on=day, reason=reason, today=day)
    assert (out.status, out.removal_reason) == (Status.REMOVED, reason)
    with pytest.raises(TransitionRefused) as exc:
        remove(out, removed_on=day, reason=reason, today=day)
    refused("state-machine-illegal-transition", exc)


def test_expired_is_never_requested() -> None:
    with pytest.raises(TransitionRefused) as exc:
        remove(listed(), removed_on=FAR, reason=RemovalReason.EXPIRED, today=FAR)
    refused("order44-art21-expiry-automatic", exc)


def test_removal_dates() -> None:
    with pytest.raises(TransitionRefused) as exc:
        remove(listed(), removed_on=date(2024, 4, 2), reason="error", today=date(2024, 4, 1))  # type: ignore[arg-type]
    refused("date-in-future", exc)
    with pytest.raises(TransitionRefused) as exc:
        remove(listed(), removed_on=date(2024, 3, 14), reason="error", today=FAR)  # type: ignore[arg-type]
    refused("date-order", exc)


def test_late_recorded_overturn_before_expiry_still_applies() -> None:
    # Overturned the day before expiry, recorded after it: the reason stays "overturned".
    out = remove(listed(), removed_on=date(2027, 3, 14), reason=RemovalReason.OVERTURNED, today=FAR)
    assert out.removal_reason is RemovalReason.OVERTURNED
    assert out.removed_on == date(2027, 3, 14)
    # Overturned on the expiry day or later: Art.19 still revokes it (every state), but it
    # stopped being in force on expiry, which stays its removal day.
    late = remove(
        listed(), removed_on=date(2027, 3, 15), reason=RemovalReason.OVERTURNED, today=FAR
    )
    assert (late.removal_reason, late.removed_on) == (RemovalReason.OVERTURNED, date(2027, 3, 15))


# -- expiry (Art.21) ----------------------------------------------------------------


def test_expiry_boundary() -> None:
    e = listed(date(2024, 3, 15))
    assert effective(e, date(2027, 3, 14)).status is Status.LISTED  # 3 years minus 1 day
    gone = effective(e, date(2027, 3, 15))  # exactly 3 years
    assert (gone.status, gone.removal_reason, gone.removed_on) == (
        Status.REMOVED,
        RemovalReason.EXPIRED,
        date(2027, 3, 15),
    )
    assert e.status is Status.LISTED  # the stored entry is untouched


def test_is_in_force() -> None:
    e = listed(date(2024, 3, 15))
    assert not is_in_force(e, date(2024, 3, 14))
    assert is_in_force(e, date(2024, 3, 15))
    assert is_in_force(e, date(2027, 3, 14))
    assert not is_in_force(e, date(2027, 3, 15))
    assert not is_in_force(notified(), date(2024, 3, 15))
    out = remove(e, removed_on=date(2024, 6, 1), reason=RemovalReason.OVERTURNED, today=FAR)
    assert is_in_force(out, date(2024, 5, 31))
    assert not is_in_force(out, date(2024, 6, 1))


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2040, 12, 31)))
def test_expiry_property(decided_on: date) -> None:
    e = list_entry(notified(on=decided_on), decided_on=decided_on, defence_waived=True, cal=CAL)
    end = add_years(decided_on, 3)
    assert e.expires_on == end
    assert is_in_force(e, end - timedelta(days=1))
    assert not is_in_force(e, end)
    assert effective(e, end).removal_reason is RemovalReason.EXPIRED


# -- restoration (Art.20) -----------------------------------------------------------


def repaired() -> Entry:
    day = date(2025, 3, 20)
    return remove(
        listed(date(2024, 3, 15)), removed_on=day, reason=RemovalReason.REPAIRED, today=day
    )


def test_restore_restarts_the_period() -> None:
    e = restore(repaired(), restored_on=date(2025, 6, 3), cal=CAL)
    assert e.status is Status.LISTED
    assert e.restored_on == date(2025, 6, 3)
    assert (e.removed_on, e.removal_reason, e.published_on) == (None, None, None)
    assert e.decided_on == date(2024, 3, 15)  # the original listing date is kept
    assert e.expires_on == date(2028, 6, 3)
    assert e.publish_by == date(2025, 7, 1)  # 20 working days from the restoration
    assert effective(e, date(2027, 3, 15)).status is Status.LISTED  # old expiry gone
    assert effective(e, date(2028, 6, 2)).status is Status.LISTED
    assert effective(e, date(2028, 6, 3)).removal_reason is RemovalReason.EXPIRED


def test_repair_after_restore_counts_from_restoration() -> None:
    e = restore(repaired(), restored_on=date(2025, 6, 3), cal=CAL)
    with pytest.raises(TransitionRefused) as exc:
        remove(e, removed_on=date(2026, 6, 2), reason=RemovalReason.REPAIRED, today=FAR)
    refused("order44-art16-repair-one-year", exc)
    out = remove(e, removed_on=date(2026, 6, 3), reason=RemovalReason.REPAIRED, today=FAR)
    assert out.status is Status.REMOVED


@pytest.mark.parametrize("reason", [RemovalReason.OVERTURNED, RemovalReason.ERROR])
def test_restore_only_after_repair(reason: RemovalReason) -> None:
    day = date(2024, 6, 1)
    out = remove(listed(), removed_on=day, reason=reason, today=day)
    with pytest.raises(TransitionRefused) as exc:
        restore(out, restored_on=date(2024, 7, 1), cal=CAL)
    refused("order44-art20-restore-not-repaired", exc)


def test_restore_refused_for_listed_and_expired() -> None:
    for e in (listed(), notified()):
        with pytest.raises(TransitionRefused) as exc:
            restore(e, restored_on=date(2024, 7, 1), cal=CAL)
        refused("order44-art20-restore-not-repaired", exc)
    with pytest.raises(TransitionRefused) as exc:
        restore(listed(), restored_on=date(2027, 3, 15), cal=CAL)  # expired that day
    refused("order44-art20-restore-not-repaired", exc)


def test_restore_not_before_removal() -> None:
    with pytest.raises(TransitionRefused) as exc:
        restore(repaired(), restored_on=date(2025, 3, 19), cal=CAL)
    refused("date-order", exc)


# -- allowed transitions ------------------------------------------------------------


def test_allowed_transitions() -> None:
    today = date(2024, 3, 20)
    assert allowed_transitions(proposed(), today) == ["notify", "remove"]
    assert allowed_transitions(proposed(Level.COUNTY), today) == ["notify", "approve", "remove"]
    assert allowed_transitions(notified(), today) == ["list", "remove"]
    assert allowed_transitions(notified(Level.COUNTY), today) == ["approve", "remove"]
    e = listed()
    assert allowed_transitions(e, today) == ["publish", "apply_repair", "remove"]
    assert allowed_transitions(publish(e, published_on=today), today) == [
        "apply_repair",
        "remove",
    ]
    assert allowed_transitions(e, date(2027, 3, 15)) == []  # expired
    assert allowed_transitions(repaired(), FAR) == ["restore"]
    gone = remove(e, removed_on=today, reason=RemovalReason.ERROR, today=today)
    assert allowed_transitions(gone, today) == []


def test_refusal_carries_rule_message_and_field() -> None:
    err = TransitionRefused("order44-art13-defence-window", "too early", "decided_on")
    assert (err.rule, err.message, err.field) == (
        "order44-art13-defence-window",
        "too early",
        "decided_on",
    )
    assert "order44-art13-defence-window" in str(err)
