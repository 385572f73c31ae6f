"""A small, fully known data set for the web and report tests, built through the API.

Today in tests is 2026-06-15. Inspections fall in 2025 (the previous year) and
January-May 2026; today one enterprise is listed and published, and another listing is
listed, published and removed (listed in error).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from service.credit.codes import make_uscc

# (region, org-code body, name, products)
ENTERPRISES = (
    ("211100", "20000011", "盘锦红海滩乳业有限公司", ["dairy"]),
    ("211102", "20000022", "盘锦辽河水泥有限公司", ["cement"]),
    ("210100", "20000033", "沈阳北方酒业有限公司", ["liquor"]),
    ("130100", "20000044", "石家庄燕赵乳业有限公司", ["dairy", "cement"]),
)
# (enterprise index, product, level, sampled on, result)
INSPECTIONS = (
    # 2025: dairy 4/4, cement 3/4, liquor 2/2
    (0, "dairy", "provincial", "2025-03-10", "pass"),
    (0, "dairy", "municipal", "2025-07-10", "pass"),
    (3, "dairy", "national", "2025-05-02", "pass"),
    (3, "dairy", "provincial", "2025-10-20", "pass"),
    (1, "cement", "provincial", "2025-04-01", "pass"),
    (1, "cement", "county", "2025-08-01", "pass"),
    (3, "cement", "municipal", "2025-06-11", "pass"),
    (3, "cement", "municipal", "2025-11-11", "fail"),
    (2, "liquor", "provincial", "2025-02-14", "pass"),
    (2, "liquor", "national", "2025-09-14", "pass"),
    # 2026: dairy 2/4 (a decline), cement 2/2, liquor 1/1
    (0, "dairy", "provincial", "2026-01-12", "fail"),
    (0, "dairy", "national", "2026-03-05", "pass"),
    (3, "dairy", "provincial", "2026-02-20", "fail"),
    (3, "dairy", "municipal", "2026-05-08", "pass"),
    (1, "cement", "provincial", "2026-01-25", "pass"),
    (1, "cement", "county", "2026-04-18", "pass"),
    (2, "liquor", "provincial", "2026-03-30", "pass"),
)


@dataclass
class Seeded:
    codes: list[str]
    names: list[str]
    listed_code: str
    removed_code: str
    record_ids: dict[str, list[int]] = field(default_factory=dict)


def codes() -> list[str]:
    return [make_uscc(body, region=region) for region, body, _, _ in ENTERPRISES]


async def _ok(response: httpx.Response, *status: int) -> dict[str, Any]:
    assert response.status_code in status, (response.status_code, response.text)
    data: dict[str, Any] = response.json()
    return data


async def _listing(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, ref: str, decided_on: str
) -> int:
    """Penalty, proposal, notice, listing and publication, all on ``decided_on`` (today:
    a proposal is dated today and nothing can precede it)."""
    penalty = await _ok(
        await client.post(
            f"/v1/enterprises/{code}/records",
            headers=headers,
            json={
                "kind": "penalty",
                "source_ref": ref,
                "occurred_on": decided_on,
                "decision_number": f"盘市监罚〔2026〕{ref}号",
                "penalty_types": ["fine", "business_restriction"],
                "fine_amount": 200000,
                "heavier": True,
            },
        ),
        201,
    )
    entry = await _ok(
        await client.post(
            "/v1/blacklist",
            headers=headers,
            json={
                "code": code,
                "category": "quality_safety",
                "reason": "产品经省级监督抽查不合格,公告后复查仍不合格",
                "legal_basis": "《市场监督管理严重违法失信名单管理办法》第七条第三项",
                "penalty_record_id": penalty["id"],
                "remedy": "可自收到决定书之日起六十日内申请行政复议",
                "fault_basis": "明知复查仍不合格仍继续生产销售，未能证明没有主观故意",
            },
        ),
        201,
    )
    entry_id = entry["id"]
    await _ok(
        await client.post(
            f"/v1/blacklist/{entry_id}/notify", headers=headers, json={"notified_on": decided_on}
        ),
        200,
    )
    await _ok(
        await client.post(
            f"/v1/blacklist/{entry_id}/list",
            headers=headers,
            json={"decided_on": decided_on, "defence_waived": True},
        ),
        200,
    )
    await _ok(
        await client.post(
            f"/v1/blacklist/{entry_id}/publish",
            headers=headers,
            json={"published_on": decided_on},
        ),
        200,
    )
    return int(entry_id)


async def seed(
    client: httpx.AsyncClient, headers: dict[str, str], today: str = "2026-06-15"
) -> Seeded:
    all_codes = codes()
    for code, (_, _, name, products) in zip(all_codes, ENTERPRISES, strict=True):
        await _ok(
            await client.put(
                f"/v1/enterprises/{code}",
                headers=headers,
                json={"name": name, "products": products},
            ),
            200,
            201,
        )
    ids: dict[str, list[int]] = {}
    for n, (index, product, level, sampled_on, result) in enumerate(INSPECTIONS):
        record = await _ok(
            await client.post(
                f"/v1/enterprises/{all_codes[index]}/records",
                headers=headers,
                json={
                    "kind": "inspection",
                    "source_ref": f"web-insp-{n}",
                    "occurred_on": sampled_on,
                    "product_category": product,
                    "level": level,
                    "result": result,
                    "failed_items": ["蛋白质"] if result == "fail" else [],
                },
            ),
            201,
        )
        ids.setdefault(all_codes[index], []).append(int(record["id"]))
    listed, removed = all_codes[1], all_codes[2]
    await _listing(client, headers, listed, "web-pen-1", today)
    removed_id = await _listing(client, headers, removed, "web-pen-2", today)
    await _ok(
        await client.post(
            f"/v1/blacklist/{removed_id}/remove",
            headers=headers,
            json={"removed_on": today, "reason": "error"},
        ),
        200,
    )
    return Seeded(
        codes=all_codes,
        names=[e[2] for e in ENTERPRISES],
        listed_code=listed,
        removed_code=removed,
        record_ids=ids,
    )
