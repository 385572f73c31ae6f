"""Helpers for the blacklist, public and screening API tests: everything is built through
the HTTP API (enterprises, penalty records, the Order 44 procedure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from service.clock import FixedClock
from service.credit.codes import make_uscc
from tests.api._records import ensure_enterprise

PANJIN = "211100"  # 盘锦市 (prefecture)
DAWA = "211104"  # 大洼区, a county-level district of Panjin
SHENYANG = "210100"  # 沈阳市
SHIJIAZHUANG = "130100"  # 石家庄市 (Hebei)

# The test clock starts on Monday 2026-06-15. Dragon Boat Festival (端午) is Friday
# 2026-06-19, so the 5th working day after a notice on 06-15 is Tuesday 06-23.
T0 = date(2026, 6, 15)
DEFENCE_END = date(2026, 6, 23)
FIRST_DECISION_DAY = date(2026, 6, 24)

# The public fields (design.md "Blacklist"), in export column order; written out here, not
# imported from the service, so the tests pin the contract rather than echo the code.
ENTRY_KEYS_ORDER = (
    "code",
    "name",
    "region_code",
    "category",
    "reason",
    "legal_basis",
    "authority",
    "remedy",
    "decided_on",
    "expires_on",
    "removed_on",
    "removal_reason",
    "status",
)
ENTRY_KEYS = set(ENTRY_KEYS_ORDER)
# Once removed only the removal record stays public (Order 44 Art.18).
REMOVAL_KEYS = {
    "code",
    "name",
    "category",
    "decided_on",
    "removed_on",
    "removal_reason",
    "removal_authority",
    "status",
}
# Export columns: every public field of either shape.
EXPORT_KEYS_ORDER = (*ENTRY_KEYS_ORDER, "removal_authority")


def code(n: int, region: str = PANJIN) -> str:
    return make_uscc(f"{30000000 + n:08d}", region=region)


def set_day(clock: FixedClock, day: date) -> None:
    """Move the test clock to 10:00 China time on ``day``."""
    clock.at = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


async def enterprise(
    client: httpx.AsyncClient, headers: dict[str, str], uscc: str, name: str | None = None
) -> dict[str, Any]:
    return await ensure_enterprise(
        client, headers, uscc, name=name or f"盘锦示例{uscc[-4:]}乳业有限公司"
    )


async def penalty(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    uscc: str,
    ref: str,
    *,
    occurred_on: date = date(2026, 6, 1),
    heavier: bool = True,
) -> int:
    body = {
        "kind": "penalty",
        "source_ref": ref,
        "occurred_on": occurred_on.isoformat(),
        "decision_number": f"盘市监罚〔2026〕{ref}号",
        "penalty_types": ["fine", "suspension"] if heavier else ["warning"],
        "fine_amount": 200000 if heavier else None,
        "heavier": heavier,
        "police_referral": False,
    }
    r = await client.post(f"/v1/enterprises/{uscc}/records", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def proposal(uscc: str, penalty_id: int, **over: Any) -> dict[str, Any]:
    return {
        "code": uscc,
        "category": "quality_safety",
        "reason": "生产销售不符合保障人体健康和人身、财产安全的国家标准的产品",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第七条",
        "penalty_record_id": penalty_id,
        "remedy": "六十日内申请行政复议或者六个月内提起行政诉讼",
        "fault_basis": "明知产品不合格仍继续销售，未能证明没有主观故意",
        **over,
    }


async def propose(
    client: httpx.AsyncClient, headers: dict[str, str], uscc: str, penalty_id: int, **over: Any
) -> dict[str, Any]:
    r = await client.post("/v1/blacklist", json=proposal(uscc, penalty_id, **over), headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def step(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    entry_id: int,
    transition: str,
    body: dict[str, Any] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    r = await client.post(
        f"/v1/blacklist/{entry_id}/{transition}", json=body or {}, headers=headers
    )
    assert r.status_code == status, r.text
    return dict(r.json())


async def listed(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    uscc: str,
    ref: str,
    *,
    publish: bool = True,
    name: str | None = None,
) -> dict[str, Any]:
    """A registered enterprise with a heavier penalty, listed on T0 (defence waived) and,
    unless told otherwise, published on T0 — whatever day the clock reads."""
    await enterprise(client, headers, uscc, name)
    pid = await penalty(client, headers, uscc, ref)
    today = T0.isoformat()
    entry = await propose(client, headers, uscc, pid, proposed_on=today)
    await step(client, headers, entry["id"], "notify", {"notified_on": today})
    out = await step(
        client, headers, entry["id"], "list", {"decided_on": today, "defence_waived": True}
    )
    if publish:
        out = await step(client, headers, entry["id"], "publish", {"published_on": today})
    return out
