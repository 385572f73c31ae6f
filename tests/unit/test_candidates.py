"""Order 44 listing triggers found in a dossier."""

from __future__ import annotations

from datetime import date, datetime

from service.credit.candidates import listing_triggers
from service.credit.dossier import Fact, RecordKind, RecordStatus

TODAY = date(2025, 1, 1)
RECORDED = datetime(2024, 1, 1, 12, 0)

STILL_FAILING: dict[str, object] = {
    "product_category": "cement",
    "level": "county",
    "result": "fail",
    "notified_on": date(2024, 1, 10),
    "recheck_on": date(2024, 3, 20),
    "recheck_result": "fail",
    "announced_on": date(2024, 4, 15),
    "recheck2_on": date(2024, 6, 20),
    "recheck2_result": "fail",
}


def fact(
    id: int,
    kind: RecordKind,
    attrs: dict[str, object],
    occurred_on: date = date(2024, 1, 5),
    status: RecordStatus = RecordStatus.ACTIVE,
) -> Fact:
    return Fact(
        id=id,
        kind=kind,
        occurred_on=occurred_on,
        recorded_at=RECORDED,
        status=status,
        attrs=attrs,
    )


def inspection(attrs: dict[str, object], **kw: object) -> Fact:
    return fact(1, RecordKind.INSPECTION, attrs, **kw)  # type: ignore[arg-type]


def rules(facts: list[Fact], today: date = TODAY) -> list[tuple[str, tuple[int, ...]]]:
    return [(t.rule, t.record_ids) for t in listing_triggers(facts, today)]


ART7_3 = "order44-art7-3-sampling-failed-after-announcement"


# -- Art.7(3): failed, announced, still failed on re-check ----------------------------


def test_still_failing_after_announcement() -> None:
    [trigger] = listing_triggers([inspection(STILL_FAILING)], TODAY)
    assert trigger.rule == ART7_3
    assert trigger.article == "Order 44 Art.7(3)"
    assert trigger.record_ids == (1,)
    assert "公告" in trigger.text_zh
    assert "re-check" in trigger.text_en


def test_passing_second_recheck_is_no_trigger() -> None:
    assert rules([inspection({**STILL_FAILING, "recheck2_result": "pass"})]) == []


def test_not_announced_is_no_trigger() -> None:
    attrs = {**STILL_FAILING, "announced_on": None}
    assert rules([inspection(attrs)]) == []
    # A failed first re-check alone is what leads to the announcement, not a trigger.
    attrs = {**STILL_FAILING, "recheck2_on": None, "recheck2_result": None}
    assert rules([inspection(attrs)]) == []


def test_first_recheck_after_announcement_counts() -> None:
    attrs = {
        **STILL_FAILING,
        "recheck2_on": None,
        "recheck2_result": None,
        "recheck_on": date(2024, 4, 16),
    }
    assert rules([inspection(attrs)]) == [(ART7_3, (1,))]
    assert rules([inspection({**attrs, "recheck_on": date(2024, 4, 15)})]) == []


def test_failure_overturned_on_retest_is_no_trigger() -> None:
    # Order 18 Art.42: the re-test result is final.
    attrs = {**STILL_FAILING, "objection_filed_on": date(2024, 1, 20), "retest_result": "pass"}
    assert rules([inspection(attrs)]) == []


def test_inactive_inspection_is_no_trigger() -> None:
    for status in (RecordStatus.OVERTURNED, RecordStatus.WITHDRAWN, RecordStatus.SUPERSEDED):
        assert rules([inspection(STILL_FAILING, status=status)]) == []


def test_as_of_today() -> None:
    assert rules([inspection(STILL_FAILING)], date(2024, 6, 20)) == [(ART7_3, (1,))]
    assert rules([inspection(STILL_FAILING)], date(2024, 6, 19)) == []  # re-check not yet
    assert rules([inspection(STILL_FAILING, occurred_on=date(2025, 2, 1))]) == []


# -- Art.8: ordered recall refused or delayed -------------------------------------------


def test_ordered_recall_refused() -> None:
    recall = fact(5, RecordKind.RECALL, {"mode": "ordered", "refused_or_delayed": True})
    [trigger] = listing_triggers([recall], TODAY)
    assert (trigger.rule, trigger.article, trigger.record_ids) == (
        "order44-art8-recall-refused",
        "Order 44 Art.8",
        (5,),
    )


def test_recall_not_a_trigger() -> None:
    facts = [
        fact(5, RecordKind.RECALL, {"mode": "voluntary", "refused_or_delayed": True}),
        fact(6, RecordKind.RECALL, {"mode": "ordered", "refused_or_delayed": False}),
        fact(7, RecordKind.RECALL, {"mode": "ordered"}),
        fact(
            8,
            RecordKind.RECALL,
            {"mode": "ordered", "refused_or_delayed": True},
            status=RecordStatus.WITHDRAWN,
        ),
    ]
    assert rules(facts) == []


# -- Art.7: licence revoked with a heavier penalty ------------------------------------

LICENCE = fact(20, RecordKind.LICENCE, {"licence_type": "production", "revoked": True})


def penalty(id: int, types: list[str], heavier: bool = True, **kw: object) -> Fact:
    attrs = {"penalty_types": types, "heavier": heavier}
    return fact(id, RecordKind.PENALTY, attrs, **kw)  # type: ignore[arg-type]


def test_licence_revoked_with_heavier_penalty() -> None:
    facts = [LICENCE, penalty(31, ["fine"]), penalty(30, ["fine", "suspension"])]
    assert rules(facts) == [("order44-art2-licence-revoked", (20, 30, 31))]


def test_prefers_the_revoking_penalty() -> None:
    facts = [LICENCE, penalty(30, ["fine"]), penalty(31, ["licence_revocation"])]
    assert rules(facts) == [("order44-art2-licence-revoked", (20, 31))]


def test_licence_revoked_without_heavier_penalty() -> None:
    assert rules([LICENCE]) == []
    assert rules([LICENCE, penalty(30, ["warning"], heavier=False)]) == []
    assert rules([LICENCE, penalty(30, ["closure"], status=RecordStatus.OVERTURNED)]) == []
    valid = fact(20, RecordKind.LICENCE, {"licence_type": "production", "revoked": False})
    assert rules([valid, penalty(30, ["closure"])]) == []


def test_triggers_sorted_by_rule_then_records() -> None:
    facts = [
        fact(9, RecordKind.RECALL, {"mode": "ordered", "refused_or_delayed": True}),
        LICENCE,
        penalty(30, ["licence_revocation"]),
        inspection(STILL_FAILING),
        fact(4, RecordKind.RECALL, {"mode": "ordered", "refused_or_delayed": True}),
    ]
    assert rules(facts) == [
        ("order44-art2-licence-revoked", (20, 30)),
        (ART7_3, (1,)),
        ("order44-art8-recall-refused", (4,)),
        ("order44-art8-recall-refused", (9,)),
    ]


def test_empty_dossier() -> None:
    assert listing_triggers([], TODAY) == []


# -- Art.10(3): refused or obstructed sampling; each trigger cites its article -------------


def test_refused_sampling_is_a_trigger() -> None:
    refused = inspection({"product_category": "cement", "level": "county", "refused": True})
    [trigger] = listing_triggers([refused], TODAY)
    assert (trigger.rule, trigger.article, trigger.record_ids) == (
        "order44-art10-sampling-refused",
        "Order 44 Art.10(3)",
        (1,),
    )
    assert trigger.on == date(2024, 1, 5)
    # Not known yet, or no longer in force: no trigger.
    assert rules([refused], today=date(2024, 1, 4)) == []
    assert rules([inspection({"refused": True}, status=RecordStatus.OVERTURNED)]) == []
    assert rules([inspection({"refused": False, "result": "pass"})]) == []


def test_every_trigger_cites_its_article() -> None:
    facts = [
        fact(9, RecordKind.RECALL, {"mode": "ordered", "refused_or_delayed": True}),
        LICENCE,
        penalty(30, ["licence_revocation"]),
        inspection(STILL_FAILING),
        fact(5, RecordKind.INSPECTION, {"refused": True}),
    ]
    cited = {t.rule: t.article for t in listing_triggers(facts, TODAY)}
    assert cited == {
        "order44-art2-licence-revoked": "Order 44 Art.2(2)",
        ART7_3: "Order 44 Art.7(3)",
        "order44-art8-recall-refused": "Order 44 Art.8",
        "order44-art10-sampling-refused": "Order 44 Art.10(3)",
    }
    # Each rule id names the article it cites.
    for rule, article in cited.items():
        number = article.removeprefix("Order 44 Art.").split("(")[0]
        assert rule.startswith(f"order44-art{number}-")
