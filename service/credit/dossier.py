"""The dossier snapshot the pure rules read: facts nothing changes, no I/O.

The store layer builds these from database rows; everything in ``service.credit``
takes them as input together with an explicit evaluation date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class RecordKind(StrEnum):
    INSPECTION = "inspection"  # 监督抽查
    PENALTY = "penalty"  # 行政处罚
    COMPLAINT = "complaint"  # 投诉举报 (12365)
    INCIDENT = "incident"  # 质量安全事故
    RECALL = "recall"  # 缺陷产品召回
    COMMENDATION = "commendation"  # 表彰奖励
    LICENCE = "licence"  # 许可/认证
    KEY_CASE = "key_case"  # 挂牌督办
    MONITORING = "monitoring"  # 风险监测 (not counted for the class)
    INJURY = "injury"  # 产品伤害监测 (not counted for the class)


class RecordStatus(StrEnum):
    ACTIVE = "active"
    OVERTURNED = "overturned"  # 复议/诉讼撤销
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"  # replaced by a correction


class RiskLevel(StrEnum):
    """Product risk level in the key supervision catalog (重点监管产品目录)."""

    I = "I"  # noqa: E741 — Ⅰ high
    II = "II"  # Ⅱ relatively high
    III = "III"  # Ⅲ general


@dataclass(slots=True)
class Fact:
    """One dossier record as the rules see it. Treat it as immutable: nothing assigns to a
    fact after construction. It is not declared frozen because a frozen dataclass sets
    every field through ``object.__setattr__``, which made building the five million facts
    of a full recompute cost three times as much (1.2 against 0.4 µs a fact).

    ``attrs`` holds the kind-specific fields exactly as the API contract names them
    (e.g. ``result``, ``retest_result``, ``recheck_result``, ``heavier``,
    ``police_referral``, ``substantiated``, ``severity``, ``mode``,
    ``refused_or_delayed``, ``licence_type``, ``valid_from``, ``valid_to``,
    ``revoked``, ``state``, ``level``, ``product_category``, ``refused``,
    ``announced_on``, ``recheck_on``, ``recheck2_result``). Date values are ``date``.

    ``counted_on`` is the day the fact counts from in every window and in the cut-off at
    the evaluation date (docs/legal.md, rule ``counted-from-decision``): a penalty from
    its decision (``decided_on``), a complaint from its receipt (``received_on``), any
    other record from ``occurred_on``. Both default to ``occurred_on`` when absent.
    """

    id: int
    kind: RecordKind
    occurred_on: date
    recorded_at: datetime
    status: RecordStatus = RecordStatus.ACTIVE
    attrs: Mapping[str, object] = field(default_factory=dict)
    counted_on: date = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Computed once per fact: every window test of every rule reads it.
        self.counted_on = _counted_on(self.kind, self.occurred_on, self.attrs)

    @property
    def counts(self) -> bool:
        """Overturned, withdrawn and superseded records never count (aqsiq-2012-v1)."""
        return self.status is RecordStatus.ACTIVE

    def get(self, name: str, default: object = None) -> object:
        return self.attrs.get(name, default)


# The field a kind counts from, when it is not occurred_on.
_COUNTED_FROM = {
    RecordKind.PENALTY: "decided_on",  # the penalty exists from its decision
    RecordKind.COMPLAINT: "received_on",  # the registry's 12365 channel received it
}


def _counted_on(kind: RecordKind, occurred_on: date, attrs: Mapping[str, object]) -> date:
    name = _COUNTED_FROM.get(kind)
    if name is None:
        return occurred_on
    value = attrs.get(name)
    return value if isinstance(value, date) else occurred_on


@dataclass(frozen=True, slots=True)
class Dossier:
    """What is known about one enterprise, as input to classification."""

    code: str
    facts: tuple[Fact, ...] = ()
    # category code -> risk level, for the enterprise's products
    product_risks: Mapping[str, RiskLevel] = field(default_factory=dict)
    # ids of blacklist entries in force (listed and not expired/removed) at the date
    active_listing_ids: tuple[int, ...] = ()
