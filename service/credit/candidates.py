"""Listing triggers (列入情形) found in a dossier, SAMR Order 44 (2021).

- Art.7(3): sampling failed, announced by a provincial-or-higher authority, still failed
  on re-check;
- Art.8: an ordered recall refused or delayed;
- Art.10(3): sampling refused or obstructed (拒绝、阻碍监督检查; Order 18 Art.21 records it);
- Art.2(2): a licence revoked together with a heavier penalty.

A trigger is a reason to open a listing procedure, for an officer to review; it is not a
listing. Whether the behaviour is serious enough, whether the party lacked intent
(Art.12) and whether a heavier penalty backs it (Art.2, checked by
:func:`service.credit.blacklist.propose`) are decided in the procedure.

Only active facts count; facts and chain dates after ``today`` are not known yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from service.credit.dossier import Fact, RecordKind
from service.credit.followup import attr_date, final_result


@dataclass(frozen=True)
class Trigger:
    rule: str
    article: str
    text_zh: str
    text_en: str
    record_ids: tuple[int, ...]
    on: date | None = None  # the latest occurred_on of its records: when the chain qualified


def _on_or_before(attrs: Mapping[str, object], name: str, today: date) -> date | None:
    value = attr_date(attrs, name)
    return value if value is not None and value <= today else None


def _failed_after_announcement(fact: Fact, today: date) -> bool:
    """Order 44 Art.7(3): failed, announced, and still failed on a re-check after that.

    Under Order 18 Art.48 the announcement of a failed re-check is made by the provincial
    authority, so a recorded ``announced_on`` is a provincial-or-higher announcement
    whatever level did the sampling. The re-check after it is normally the second
    re-check; a first re-check dated after the announcement also counts.
    """
    attrs = fact.attrs
    if final_result(attrs) != "fail":
        return False  # Order 18 Art.42: a failure overturned on re-test is no failure.
    announced_on = _on_or_before(attrs, "announced_on", today)
    if announced_on is None:
        return False
    if attrs.get("recheck2_result") == "fail":
        recheck2_on = attr_date(attrs, "recheck2_on")
        return recheck2_on is None or recheck2_on <= today
    recheck_on = _on_or_before(attrs, "recheck_on", today)
    return (
        attrs.get("recheck_result") == "fail"
        and recheck_on is not None
        and recheck_on > announced_on
    )


def _penalty_types(fact: Fact) -> tuple[str, ...]:
    value = fact.get("penalty_types")
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return ()


def listing_triggers(facts: Iterable[Fact], today: date) -> list[Trigger]:
    """Listing triggers in ``facts`` as known on ``today``, sorted by rule and record ids."""
    known = [f for f in facts if f.counts and f.occurred_on <= today]
    triggers: list[Trigger] = []

    for fact in known:
        if fact.kind is RecordKind.INSPECTION and fact.get("refused") is True:
            triggers.append(
                Trigger(
                    rule="order44-art10-sampling-refused",
                    article="Order 44 Art.10(3)",
                    text_zh="拒绝、阻碍、干扰市场监督管理部门依法开展的监督抽查",
                    text_en="Refused or obstructed a sampling inspection",
                    record_ids=(fact.id,),
                    on=fact.occurred_on,
                )
            )
        elif fact.kind is RecordKind.INSPECTION and _failed_after_announcement(fact, today):
            triggers.append(
                Trigger(
                    rule="order44-art7-3-sampling-failed-after-announcement",
                    article="Order 44 Art.7(3)",
                    text_zh="监督抽查不合格，经省级以上市场监督管理部门公告后复查仍不合格",
                    text_en=(
                        "Failed a sampling inspection, was announced by a provincial-or-higher "
                        "authority, and still failed the re-check"
                    ),
                    record_ids=(fact.id,),
                    on=fact.occurred_on,
                )
            )
        elif (
            fact.kind is RecordKind.RECALL
            and fact.get("mode") == "ordered"
            and fact.get("refused_or_delayed") is True
        ):
            triggers.append(
                Trigger(
                    rule="order44-art8-recall-refused",
                    article="Order 44 Art.8",
                    text_zh="拒绝或者拖延实施责令召回",
                    text_en="Refused or delayed an ordered recall",
                    record_ids=(fact.id,),
                    on=fact.occurred_on,
                )
            )

    # A revoked licence alongside a heavier penalty: revocation of a licence is itself one
    # of Art.2(2)'s heavier penalties, not a category of Art.5-11, so the trigger cites
    # Art.2; the officer picks the category. Prefer the penalties that revoked a licence;
    # without one, name every heavier penalty in force.
    revoked = [f for f in known if f.kind is RecordKind.LICENCE and f.get("revoked") is True]
    heavier = [f for f in known if f.kind is RecordKind.PENALTY and f.get("heavier") is True]
    if revoked and heavier:
        revoking = [f for f in heavier if "licence_revocation" in _penalty_types(f)]
        backing = revoking or heavier
        penalty_ids = tuple(f.id for f in backing)
        for licence in revoked:
            triggers.append(
                Trigger(
                    rule="order44-art2-licence-revoked",
                    article="Order 44 Art.2(2)",
                    text_zh="许可证件被吊销，并受到较重行政处罚",
                    text_en="Licence revoked together with a heavier administrative penalty",
                    record_ids=(licence.id, *sorted(penalty_ids)),
                    on=max(licence.occurred_on, *(f.occurred_on for f in backing)),
                )
            )

    return sorted(triggers, key=lambda t: (t.rule, t.record_ids))
