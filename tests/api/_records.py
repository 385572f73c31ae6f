"""Factories for dossier-record API tests (reusable by other areas' tests): enterprises
and records are created through the HTTP API only."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from service.credit.codes import make_uscc

PANJIN = make_uscc("00012345", region="211100")  # 盘锦市
PANJIN_2 = make_uscc("00012346", region="211100")
SHENYANG = make_uscc("00054321", region="210100")  # 沈阳市 (Liaoning, not Panjin)
HEBEI = make_uscc("10000001", region="130100")  # 石家庄市

_refs = itertools.count(1)

# A valid body per kind with every required field; tests override what they exercise.
DEFAULTS: dict[str, dict[str, Any]] = {
    "inspection": {
        "occurred_on": "2026-03-02",
        "product_category": "dairy",
        "level": "provincial",
        "result": "pass",
    },
    "penalty": {
        "occurred_on": "2026-02-10",
        "decision_number": "盘市监罚〔2026〕12号",
        "legal_basis": "《产品质量法》第四十九条",
        "penalty_types": ["warning"],
    },
    "complaint": {"occurred_on": "2026-04-01", "substantiated": True, "channel": "12365"},
    "incident": {"occurred_on": "2026-01-20", "severity": "minor"},
    "recall": {"occurred_on": "2026-03-15", "mode": "voluntary"},
    "commendation": {"occurred_on": "2025-12-01", "title": "辽宁省省长质量奖"},
    "licence": {
        "occurred_on": "2024-05-06",
        "licence_type": "production_licence",
        "licence_number": "SC10621110000123",
        "valid_from": "2024-05-06",
        "valid_to": "2029-05-05",
    },
    "key_case": {"occurred_on": "2026-02-01", "state": "open", "case_ref": "督办-2026-1"},
}


def new_ref(prefix: str = "ref") -> str:
    return f"{prefix}-{next(_refs)}"


def record_body(kind_: str, /, **fields: Any) -> dict[str, Any]:
    """A valid body of `kind_` (a fresh source_ref unless given); `fields` override (even
    `kind`)."""
    kind = kind_
    body: dict[str, Any] = {"kind": kind, "source_ref": new_ref(kind), **DEFAULTS[kind]}
    if kind == "inspection" and fields.get("result") == "fail":
        body["failed_items"] = ["菌落总数"]
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


async def ensure_enterprise(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    code: str = PANJIN,
    products: list[str] | tuple[str, ...] = ("dairy",),
    name: str | None = None,
    **over: Any,
) -> dict[str, Any]:
    """Register (or update) an enterprise through the API; `over` adds body fields."""
    body = {"name": name or f"示例企业{code[-6:]}有限公司", "products": list(products), **over}
    r = await client.put(f"/v1/enterprises/{code}", json=body, headers=headers)
    assert r.status_code in (200, 201), r.text
    data: dict[str, Any] = r.json()
    return data


async def post_record(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    code: str,
    kind: str,
    *,
    expect: int | None = 201,
    **fields: Any,
) -> httpx.Response:
    """POST a record of `kind` built by :func:`record_body`; asserts the status unless
    `expect` is None. Pass a field as ``...`` to leave it out."""
    r = await client.post(
        f"/v1/enterprises/{code}/records", json=record_body(kind, **fields), headers=headers
    )
    if expect is not None:
        assert r.status_code == expect, r.text
    return r


async def followup(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    record_id: int,
    step: str,
    on: str,
    result: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"step": step, "on": on}
    if result is not None:
        body["result"] = result
    return await client.post(f"/v1/records/{record_id}/followups", json=body, headers=headers)


def rules_of(r: httpx.Response) -> list[str]:
    return [e["rule"] for e in r.json().get("errors", [])]


def fields_of(r: httpx.Response) -> list[str]:
    return [e["field"] for e in r.json().get("errors", [])]
