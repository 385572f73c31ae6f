"""Shared helpers for the classification, rule-set, supervision and statistics API tests:
enterprises and records are created through the public API only."""

from __future__ import annotations

from typing import Any

import httpx

from service.credit.codes import make_uscc
from tests.api._records import ensure_enterprise

# one enterprise helper for every API test module
put_enterprise = ensure_enterprise

# Panjin (盘锦市, 211100), its county Dawa (211104), Shenyang (210100), Hebei Shijiazhuang.
PANJIN = "211100"
DAWA = "211104"
SHENYANG = "210100"
SHIJIAZHUANG = "130100"


def code(n: int, region: str = PANJIN) -> str:
    return make_uscc(f"{20000000 + n:08d}", region=region)


async def add_record(
    client: httpx.AsyncClient, headers: dict[str, str], uscc: str, body: dict[str, Any]
) -> dict[str, Any]:
    r = await client.post(f"/v1/enterprises/{uscc}/records", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def inspection(
    ref: str,
    on: str,
    result: str = "pass",
    *,
    level: str = "provincial",
    product: str = "dairy",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "inspection",
        "source_ref": ref,
        "occurred_on": on,
        "product_category": product,
        "level": level,
        "result": result,
        **extra,
    }
    if result == "fail":
        body.setdefault("failed_items", ["菌落总数"])
    return body


def refused(ref: str, on: str, *, product: str = "dairy") -> dict[str, Any]:
    return {
        "kind": "inspection",
        "source_ref": ref,
        "occurred_on": on,
        "product_category": product,
        "level": "municipal",
        "refused": True,
    }


def penalty(ref: str, on: str, *, heavier: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "penalty",
        "source_ref": ref,
        "occurred_on": on,
        "decision_number": f"盘市监罚〔2026〕{ref}号",
        "penalty_types": ["warning"],
        "heavier": heavier,
    }
    if heavier:
        body |= {"penalty_types": ["fine", "business_restriction"], "fine_amount": 200000}
    return body


async def set_status(
    client: httpx.AsyncClient, headers: dict[str, str], record_id: int, status: str
) -> None:
    r = await client.post(
        f"/v1/records/{record_id}/status",
        json={"status": status, "reason": "行政复议撤销"},
        headers=headers,
    )
    assert r.status_code == 200, r.text


async def grade_of(client: httpx.AsyncClient, headers: dict[str, str], uscc: str, **q: str) -> str:
    r = await client.get(f"/v1/enterprises/{uscc}/classification", params=q, headers=headers)
    assert r.status_code == 200, r.text
    grade: str = r.json()["grade"]
    return grade
