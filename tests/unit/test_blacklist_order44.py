"""Order 44 rules added for legal fidelity: Art.19 in every state, what Art.20 keeps,
Art.22's next higher authority, Art.13's order of decisions and the Art.14/17/18 deadlines,
each pinned at its boundary and, where the rule is general, as a property."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.credit.blacklist import (
    NEXT_HIGHER,
    Entry,
    Level,
    PenaltyRef,
    RemovalReason,
    Status,
    TransitionRefused,
    allowed_transitions,
    approve,
    cross_province,
    effective,
    is_in_force,
    list_entry,
    notify,
    propose,
    publish,
    remove,
    restore,
    revoke,
)
from service.credit.deadlines import DEFAULT_CALENDAR, add_years
from service.credit.listing_steps import accept_repair, apply_repair, due, push, refuse_repair

CAL = DEFAULT_CALENDAR
CODE = "91210100000123457K"
REGION = "211122"  # a county of Panjin (2111), Liaoning (21)
PENALTY = PenaltyRef(id=10, heavier=True, status="active", decided_on=date(2024, 3, 1), code=CODE)
OWN_REGION = {Level.COUNTY: REGION, Level.PREFECTURE: "2111", Level.PROVINCE: "21"}


def entry(
    level: Level = Level.PROVINCE,
    proposer_region: str | None = None,
    region_code: str = REGION,
) -> Entry:
    return propose(
        code=CODE,
        region_code=region_code,
        penalty=PENALTY,
        proposer_level=level,
        proposer_region=OWN_REGION.get(level, "") if proposer_region is None else proposer_region,
        proposed_on=date(2024, 3, 1),
    )


def listed(decided_on: date = date(2024, 3, 15), **kw: object) -> Entry:
    e = notify(entry(**kw), notified_on=date(2024, 3, 1))  # type: ignore[arg-type]
    return list_entry(e, decided_on=decided_on, defence_waived=True, cal=CAL)


def rule_of(exc: pytest.ExceptionInfo[TransitionRefused]) -> str:
    return exc.value.rule


# -- item 3: Art.19 in every state ---------------------------------------------------------

REPAIR_DAY = date(2025, 3, 20)


def _states() -> dict[str, Entry]:
    base = listed()
    return {
        "proposed": entry(),
        "notified": notify(entry(), notified_on=date(2024, 3, 2)),
        "listed": base,
        "published": publish(base, published_on=date(2024, 3, 20)),
        "repaired": remove(
            base, removed_on=REPAIR_DAY, reason=RemovalReason.REPAIRED, today=REPAIR_DAY
        ),
        "expired": base,  # read after 2027-03-15
        "restored": restore(
            remove(base, removed_on=REPAIR_DAY, reason=RemovalReason.REPAIRED, today=REPAIR_DAY),
            restored_on=date(2025, 4, 1),
            cal=CAL,
        ),
    }


@pytest.mark.parametrize("state", list(_states()))
def test_revocation_in_every_state(state: str) -> None:
    e = _states()[state]
    on = date(2027, 6, 1) if state == "expired" else date(2025, 5, 6)
    revoked = revoke(e, on=on, today=on, authority="辽宁省市场监督管理局")
    assert revoked is not None
    current = effective(revoked, on)
    assert (current.status, current.removal_reason) == (Status.REMOVED, RemovalReason.OVERTURNED)
    assert current.removal_authority == "辽宁省市场监督管理局"
    if state == "repaired":
        assert current.removed_on == REPAIR_DAY  # the day it stopped being in force
    if state == "expired":
        assert current.removed_on == date(2027, 3, 15)
    assert allowed_transitions(revoked, on) == []
    with pytest.raises(TransitionRefused) as exc:
        restore(revoked, restored_on=on, cal=CAL)
    assert rule_of(exc) == "order44-art20-restore-not-repaired"


@pytest.mark.parametrize("reason", [RemovalReason.OVERTURNED, RemovalReason.ERROR])
def test_revocation_leaves_an_overturned_or_erroneous_removal(reason: RemovalReason) -> None:
    day = date(2024, 4, 1)
    gone = remove(listed(), removed_on=day, reason=reason, today=day)
    assert revoke(gone, on=date(2024, 5, 1), today=date(2024, 5, 1)) is None


@pytest.mark.parametrize("status", ["overturned", "withdrawn", "superseded"])
def test_restore_refused_when_the_penalty_is_not_in_force(status: str) -> None:
    e = _states()["repaired"]
    with pytest.raises(TransitionRefused) as exc:
        restore(e, restored_on=date(2025, 4, 1), cal=CAL, penalty=replace(PENALTY, status=status))
    assert rule_of(exc) == "order44-art19-penalty-not-in-force"
    ok = restore(e, restored_on=date(2025, 4, 1), cal=CAL, penalty=PENALTY)
    assert ok.status is Status.LISTED


# -- item 4: Art.20 restore keeps publication, the restriction and the past ----------------


def test_restore_keeps_publication() -> None:
    published = publish(listed(), published_on=date(2024, 3, 20))
    gone = remove(published, removed_on=REPAIR_DAY, reason=RemovalReason.REPAIRED, today=FAR)
    back = restore(gone, restored_on=date(2025, 4, 1), cal=CAL)
    assert (back.published_on, back.publish_by) == (published.published_on, published.publish_by)
    assert PUBLISH_ACTION not in allowed_transitions(back, date(2025, 4, 1))
    # Never published before the repair: due within 20 working days of the restoration.
    unpublished = remove(listed(), removed_on=REPAIR_DAY, reason=RemovalReason.REPAIRED, today=FAR)
    back = restore(unpublished, restored_on=date(2025, 4, 1), cal=CAL)
    assert back.published_on is None
    assert back.publish_by == CAL.add_working_days(date(2025, 4, 1), 20)


PUBLISH_ACTION = "publish"
FAR = date(2035, 1, 1)


@given(
    restored_after=st.integers(min_value=0, max_value=700),
    restriction_years=st.integers(min_value=0, max_value=10),
    extra_days=st.integers(min_value=0, max_value=400),
)
def test_restore_period_is_the_longer_of_three_years_and_the_restriction(
    restored_after: int, restriction_years: int, extra_days: int
) -> None:
    restricted_until = add_years(date(2024, 3, 15), restriction_years) + timedelta(extra_days)
    e = notify(entry(), notified_on=date(2024, 3, 1))
    e = list_entry(
        e,
        decided_on=date(2024, 3, 15),
        defence_waived=True,
        cal=CAL,
        restricted_until=restricted_until,
    )
    e = remove(e, removed_on=REPAIR_DAY, reason=RemovalReason.REPAIRED, today=FAR)
    restored_on = REPAIR_DAY + timedelta(restored_after)
    back = restore(e, restored_on=restored_on, cal=CAL)
    assert back.expires_on == max(add_years(restored_on, 3), restricted_until)


@given(day=st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31)))
def test_restored_entry_was_not_in_force_in_the_gap(day: date) -> None:
    restored_on = date(2025, 6, 3)
    e = remove(listed(), removed_on=REPAIR_DAY, reason=RemovalReason.REPAIRED, today=FAR)
    back = restore(e, restored_on=restored_on, cal=CAL)
    expected = date(2024, 3, 15) <= day < REPAIR_DAY or restored_on <= day < add_years(
        restored_on, 3
    )
    assert is_in_force(back, day) is expected


def test_restore_gap_boundaries() -> None:
    e = remove(listed(), removed_on=REPAIR_DAY, reason=RemovalReason.REPAIRED, today=FAR)
    back = restore(e, restored_on=date(2025, 6, 3), cal=CAL)
    assert is_in_force(back, REPAIR_DAY - timedelta(1))
    assert not is_in_force(back, REPAIR_DAY)
    assert not is_in_force(back, date(2025, 6, 2))
    assert is_in_force(back, date(2025, 6, 3))
    [undone] = back.undone_removals
    assert (undone.removed_on, undone.reason, undone.restored_on) == (
        REPAIR_DAY,
        RemovalReason.REPAIRED,
        date(2025, 6, 3),
    )


# -- item 5: Art.22 next higher authority --------------------------------------------------

LEVELS = [Level.COUNTY, Level.PREFECTURE, Level.PROVINCE, Level.NATIONAL]
REGIONS = ["", "13", "21", "2101", "2111", "211122", "211104"]


@given(
    proposer=st.sampled_from([Level.COUNTY, Level.PREFECTURE]),
    approver=st.sampled_from(LEVELS),
    approver_region=st.sampled_from(REGIONS),
)
def test_approval_only_by_the_next_higher_authority_containing_the_proposer(
    proposer: Level, approver: Level, approver_region: str
) -> None:
    e = entry(proposer)
    ok = approver == NEXT_HIGHER[proposer] and OWN_REGION[proposer].startswith(approver_region)
    try:
        approved = approve(
            e,
            approver_level=approver,
            approver_region=approver_region,
            approved_on=date(2024, 3, 2),
            approver_id=9,
        )
    except TransitionRefused as err:
        assert not ok
        assert err.rule == "order44-art22-approval"
    else:
        assert ok
        assert approved.approved_by == 9


# -- item 6: Art.13 the listing is decided with the penalty, never before ------------------


@pytest.mark.parametrize(
    ("decided_on", "ok"),
    [(date(2024, 3, 14), False), (date(2024, 3, 15), True), (date(2024, 3, 16), True)],
)
def test_listing_not_before_the_penalty_decision(decided_on: date, ok: bool) -> None:
    e = notify(entry(), notified_on=date(2024, 3, 1))
    penalty = replace(PENALTY, decided_on=date(2024, 3, 15))
    if ok:
        out = list_entry(e, decided_on=decided_on, defence_waived=True, cal=CAL, penalty=penalty)
        assert out.decided_on == decided_on
    else:
        with pytest.raises(TransitionRefused) as exc:
            list_entry(e, decided_on=decided_on, defence_waived=True, cal=CAL, penalty=penalty)
        assert rule_of(exc) == "order44-art13-decided-with-penalty"
        assert exc.value.field == "decided_on"


def test_removal_keeps_its_authority() -> None:
    day = date(2025, 3, 20)
    out = remove(listed(), removed_on=day, reason=RemovalReason.REPAIRED, today=day, authority="X")
    assert out.removal_authority == "X"


# -- item 8: Art.14 cross-province, Art.17 repair application, Art.18/19 stop --------------


@pytest.mark.parametrize(
    ("proposer_region", "region_code", "crossing"),
    [("2111", "211122", False), ("2111", "130100", True), ("", "130100", False)],
)
def test_cross_province(proposer_region: str, region_code: str, crossing: bool) -> None:
    e = entry(Level.PROVINCE, proposer_region=proposer_region, region_code=region_code)
    assert cross_province(e) is crossing


def _crossing() -> Entry:
    e = notify(
        entry(Level.PROVINCE, proposer_region="21", region_code="130100"),
        notified_on=date(2024, 3, 1),
    )
    return list_entry(e, decided_on=date(2024, 3, 15), defence_waived=True, cal=CAL)


@given(offset=st.integers(min_value=0, max_value=40))
def test_push_deadline_property(offset: int) -> None:
    e = _crossing()
    push_by = CAL.add_working_days(date(2024, 3, 15), 10)
    today = date(2024, 3, 15) + timedelta(offset)
    assert due(e, today, CAL).push_overdue is (today > push_by)
    assert due(e, today, CAL).push_by == push_by


def test_push_then_publish() -> None:
    e = _crossing()
    assert due(e, date(2024, 3, 29), CAL).push_by == date(2024, 3, 29)
    assert not due(e, date(2024, 3, 29), CAL).push_overdue
    assert due(e, date(2024, 4, 1), CAL).push_overdue
    with pytest.raises(TransitionRefused) as exc:
        publish(e, published_on=date(2024, 3, 20))
    assert rule_of(exc) == "order44-art14-cross-province"
    with pytest.raises(TransitionRefused) as exc:
        push(e, pushed_on=date(2024, 3, 20), received_on=date(2024, 3, 19), cal=CAL)
    assert rule_of(exc) == "date-order"
    pushed = push(e, pushed_on=date(2024, 3, 20), received_on=date(2024, 3, 21), cal=CAL)
    assert pushed.publish_by == CAL.add_working_days(date(2024, 3, 21), 10)
    assert not due(pushed, date(2024, 4, 10), CAL).push_overdue
    with pytest.raises(TransitionRefused) as exc:
        push(pushed, pushed_on=date(2024, 3, 22), received_on=date(2024, 3, 22), cal=CAL)
    assert rule_of(exc) == "order44-art14-cross-province"
    with pytest.raises(TransitionRefused) as exc:
        publish(pushed, published_on=date(2024, 3, 20))  # before receipt
    assert rule_of(exc) == "date-order"
    assert publish(pushed, published_on=date(2024, 3, 21)).published_on == date(2024, 3, 21)
    with pytest.raises(TransitionRefused) as exc:
        push(listed(), pushed_on=date(2024, 3, 20), received_on=date(2024, 3, 20), cal=CAL)
    assert rule_of(exc) == "order44-art14-cross-province"


@given(
    applied=st.dates(min_value=date(2024, 3, 15), max_value=date(2026, 12, 31)),
    after=st.integers(min_value=0, max_value=10),
)
def test_repair_acceptance_deadline_property(applied: date, after: int) -> None:
    e = apply_repair(listed(), applied_on=applied)
    accept_by = CAL.add_working_days(applied, 2)
    today = applied + timedelta(after)
    d = due(e, today, CAL)
    assert d.repair_accept_by == accept_by
    assert d.repair_acceptance_overdue is (today > accept_by)
    assert d.repair_decide_by is None


def test_repair_application_boundaries() -> None:
    e = apply_repair(listed(), applied_on=date(2024, 7, 1))  # Monday
    assert due(e, date(2024, 7, 3), CAL).repair_accept_by == date(2024, 7, 3)
    assert not due(e, date(2024, 7, 3), CAL).repair_acceptance_overdue
    assert due(e, date(2024, 7, 4), CAL).repair_acceptance_overdue
    with pytest.raises(TransitionRefused) as exc:
        accept_repair(e, accepted_on=date(2024, 6, 30))
    assert rule_of(exc) == "date-order"
    with pytest.raises(TransitionRefused) as exc:
        apply_repair(e, applied_on=date(2024, 7, 2))
    assert rule_of(exc) == "order44-art17-repair-application"
    a = accept_repair(e, accepted_on=date(2024, 7, 3))
    decide_by = CAL.add_working_days(date(2024, 7, 3), 15)
    assert decide_by == date(2024, 7, 24)
    assert not due(a, decide_by, CAL).repair_decision_overdue
    assert due(a, decide_by + timedelta(1), CAL).repair_decision_overdue
    with pytest.raises(TransitionRefused) as exc:
        accept_repair(a, accepted_on=date(2024, 7, 4))
    assert rule_of(exc) == "order44-art17-repair-application"
    r = refuse_repair(a, refused_on=date(2024, 7, 25))
    assert not due(r, date(2024, 8, 1), CAL).repair_decision_overdue
    with pytest.raises(TransitionRefused) as exc:
        refuse_repair(r, refused_on=date(2024, 7, 26))
    assert rule_of(exc) == "order44-art17-repair-application"
    # Granted: the removal decides it, nothing stays overdue.
    day = date(2025, 3, 20)
    granted = remove(a, removed_on=day, reason=RemovalReason.REPAIRED, today=day)
    assert not due(granted, day + timedelta(60), CAL).repair_decision_overdue


@given(removed_after=st.integers(min_value=0, max_value=300))
def test_stop_publication_due_property(removed_after: int) -> None:
    published = publish(listed(), published_on=date(2024, 3, 20))
    removed_on = date(2024, 3, 20) + timedelta(removed_after)
    gone = remove(published, removed_on=removed_on, reason=RemovalReason.ERROR, today=FAR)
    assert due(gone, FAR, CAL).stop_publication_by == CAL.add_working_days(removed_on, 3)
    assert due(published, removed_on, CAL).stop_publication_by is None


def test_stop_publication_after_expiry() -> None:
    published = publish(listed(), published_on=date(2024, 3, 20))
    assert due(published, date(2027, 3, 14), CAL).stop_publication_by is None
    assert due(published, date(2027, 3, 15), CAL).stop_publication_by == (
        CAL.add_working_days(date(2027, 3, 15), 3)
    )


@pytest.mark.parametrize("state", ["repaired", "expired"])
def test_requested_overturn_after_repair_or_expiry(state: str) -> None:
    e = _states()[state]
    on = date(2027, 6, 1) if state == "expired" else date(2025, 5, 6)
    out = remove(e, removed_on=on, reason=RemovalReason.OVERTURNED, today=on, authority="A")
    assert (out.status, out.removal_reason, out.removal_authority) == (
        Status.REMOVED,
        RemovalReason.OVERTURNED,
        "A",
    )
    assert out.removed_on == effective(e, on).removed_on
    with pytest.raises(TransitionRefused) as exc:  # a second time: already overturned
        remove(out, removed_on=on, reason=RemovalReason.OVERTURNED, today=on)
    assert rule_of(exc) == "state-machine-illegal-transition"
    with pytest.raises(TransitionRefused) as exc:  # repaired or expired cannot be repeated
        remove(e, removed_on=on, reason=RemovalReason.ERROR, today=on)
    assert rule_of(exc) == "state-machine-illegal-transition"


@given(
    state=st.sampled_from(["proposed", "notified", "listed", "published", "repaired", "restored"]),
    after=st.integers(min_value=0, max_value=1500),
    probe=st.integers(min_value=-800, max_value=1500),
)
def test_revocation_ends_force_and_keeps_the_past(state: str, after: int, probe: int) -> None:
    """Art.19 property: from the revocation on, the listing is never in force and can never
    be restored; before it, it reads as it did."""
    e = _states()[state]
    on = date(2025, 4, 1) + timedelta(after)
    revoked = revoke(e, on=on, today=on)
    if revoked is None:
        return
    day = on + timedelta(probe)
    if day >= on:
        assert not is_in_force(revoked, day)
        assert effective(revoked, day).removal_reason is RemovalReason.OVERTURNED
    else:
        assert is_in_force(revoked, day) is is_in_force(e, day)
    assert "restore" not in allowed_transitions(revoked, max(day, on))
