"""Request bodies for demo-like data, shared by the async tests (over ASGI) and the sync
tests (against a live server)."""

from __future__ import annotations

from datetime import date
from typing import Any

from qcredit_client import models as m
from service.credit.codes import make_uscc


def code(n: int, region: str = "211100") -> str:
    return make_uscc(f"{40000000 + n:08d}", region=region)


def penalty(ref: str, on: date) -> dict[str, Any]:
    return {
        "kind": "penalty",
        "source_ref": ref,
        "occurred_on": on.isoformat(),
        "decision_number": f"盘市监罚〔2026〕{ref}号",
        "penalty_types": ["fine", "suspension"],
        "fine_amount": 200000,
        "heavier": True,
        "police_referral": False,
    }


def inspection(ref: str, on: date, result: str = "pass") -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "inspection",
        "source_ref": ref,
        "occurred_on": on.isoformat(),
        "product_category": "dairy",
        "level": "provincial",
        "result": result,
    }
    if result == "fail":
        body["failed_items"] = ["菌落总数"]
    return body


def proposal(uscc: str, penalty_id: int) -> m.ProposeIn:
    return m.ProposeIn(
        code=uscc,
        category="quality_safety",
        reason="生产销售不符合保障人体健康和人身、财产安全的国家标准的产品",
        legal_basis="《市场监督管理严重违法失信名单管理办法》第七条",
        penalty_record_id=penalty_id,
        remedy="六十日内申请行政复议或者六个月内提起行政诉讼",
        fault_basis="当事人明知产品不合格仍继续生产销售，不能证明其没有主观故意",
    )
