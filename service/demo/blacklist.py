"""Demo listings: a few demo enterprises taken through the Order 44 procedure, so the public
list shows listed, removed (credit repair) and expired entries.

Every step goes through the same store functions as the API (penalty records through
:func:`service.store.records.write.create`, transitions through
:func:`service.store.blacklist.procedure.apply`), dated relative to the day of the first
run. Safe to run again on any later day: a plan whose penalty (its ``source_ref``) is
already stored is left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import Principal
from service.credit.codes import parse_code
from service.credit.deadlines import add_years
from service.schemas.records import RECORD_ADAPTER
from service.store import enterprises
from service.store.blacklist import procedure as blacklist
from service.store.grading import regrade as grading
from service.store.records import write as records


@dataclass(frozen=True)
class _Plan:
    ref: str
    category: str
    reason: str
    basis: str
    decided_ago: int  # days before today
    removal: tuple[str, int] | None = None  # (reason, days before today)


_PLANS = (
    _Plan(
        "DEMO-BL-1",
        "quality_safety",
        "产品经省级监督抽查不合格并公告后，复查仍不合格",
        "《市场监督管理严重违法失信名单管理办法》第七条第三项",
        decided_ago=120,
    ),
    _Plan(
        "DEMO-BL-2",
        "consumer_rights",
        "拒绝实施责令召回",
        "《市场监督管理严重违法失信名单管理办法》第八条",
        decided_ago=45,
    ),
    _Plan(
        "DEMO-BL-3",
        "quality_safety",
        "在产品中掺杂、掺假，以假充真",
        "《市场监督管理严重违法失信名单管理办法》第七条",
        decided_ago=420,
        removal=("repaired", 20),  # Art.16: early removal after at least a year
    ),
    _Plan(
        "DEMO-BL-4",
        "market_order",
        "以欺骗手段取得生产许可证",
        "《市场监督管理严重违法失信名单管理办法》第十条",
        decided_ago=3 * 366 + 30,  # past its 3 years (Art.21): reads as expired
    ),
)
# Order 44 Art.12: the finding that the party cannot show it acted without intent.
FAULT_BASIS = "当事人明知产品不符合强制性标准仍组织生产销售，未能证明其没有主观故意"
REMEDY = "可自收到决定书之日起六十日内申请行政复议，或者六个月内提起行政诉讼"


async def _penalty_id(
    session: AsyncSession,
    principal: Principal,
    code: str,
    plan: _Plan,
    occurred_on: date,
    today: date,
    now: datetime,
) -> int:
    enterprise = await enterprises.get(session, parse_code(code))
    item: Any = RECORD_ADAPTER.validate_python(
        {
            "kind": "penalty",
            "source_ref": plan.ref,
            "occurred_on": occurred_on.isoformat(),
            "decision_number": f"演示罚〔{occurred_on.year}〕{plan.ref[-1]}号",
            "penalty_types": ["fine", "suspension"],
            "fine_amount": 100000,
            "heavier": True,
        }
    )
    row, _, _ = await records.create(session, principal, enterprise, item, today=today, now=now)
    assert row.id is not None
    return row.id


async def load_blacklist_demo(
    session: AsyncSession, principal: Principal, codes: Sequence[str], *, today: date, now: datetime
) -> str:
    """Take the first demo enterprises through the procedure; returns a summary line."""
    made = 0
    for code, plan in zip(codes, _PLANS, strict=False):
        # Dated from the day of the first run: on a later day the same plan would date its
        # penalty differently and clash with the one stored under the same source_ref.
        if await records.original(session, principal.agency_id, plan.ref) is not None:
            continue
        decided_on = today - timedelta(days=plan.decided_ago)
        # 21 days hold the 5-working-day defence window even around a long holiday (Art.13).
        proposed_on = decided_on - timedelta(days=21)
        pid = await _penalty_id(
            session, principal, code, plan, proposed_on - timedelta(days=3), today, now
        )
        enterprise = await enterprises.get(session, parse_code(code))
        row = await blacklist.propose(
            session,
            principal,
            code=enterprise.code,
            region_code=enterprise.region_code,
            category=plan.category,
            reason=plan.reason,
            legal_basis=plan.basis,
            remedy=REMEDY,
            fault_basis=FAULT_BASIS,
            penalty_record_id=pid,
            today=proposed_on,
        )
        steps: list[tuple[str, date, dict[str, Any]]] = [
            ("notify", proposed_on, {"notified_on": proposed_on}),
            ("list", decided_on, {"decided_on": decided_on, "defence_waived": False}),
            ("publish", decided_on + timedelta(days=7), {}),
        ]
        if plan.removal is not None:
            reason, ago = plan.removal
            removed_on = today - timedelta(days=ago)
            assert removed_on >= add_years(decided_on, 1)
            steps.append(("remove", removed_on, {"removed_on": removed_on, "reason": reason}))
        for transition, on, params in steps:
            await blacklist.apply(
                session, row, transition, principal=principal, today=on, params=params
            )
        made += 1
    await blacklist.record_expiries(session, today)
    await grading.regrade(session, list(codes[: len(_PLANS)]), today=today, trigger="demo")
    return f"{made} blacklist entries"
