"""Deterministic demo dossiers: a realistic mix of records per demo enterprise, loaded through
the batch ingest path (:class:`service.store.records.ingest.Ingest`).

Everything derives from the enterprise code and a fixed anchor day, never from the clock,
so the same ``source_ref`` always carries the same body: running the demo again stores
nothing new (every item is a duplicate). Records dated after today are left out until a
later run.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.http import ndjson
from service.models import Enterprise
from service.store.records import ingest

ANCHOR = date(2026, 11, 1)
LEVELS = ("national", "provincial", "municipal", "county")
FAILED_ITEMS = ("菌落总数", "标签标识", "蛋白质含量", "抗压强度", "导体电阻", "净含量")


def _day(rng: random.Random, span: int = 3 * 365, latest: int = 20) -> date:
    return ANCHOR - timedelta(days=rng.randint(latest, span))


def _iso(d: date) -> str:
    return d.isoformat()


def _inspection(rng: random.Random, code: str, n: int, products: Sequence[str]) -> dict[str, Any]:
    sampled = _day(rng)
    body: dict[str, Any] = {
        "kind": "inspection",
        "source_ref": f"DEMO-{code}-I{n}",
        "occurred_on": _iso(sampled),
        "product_category": rng.choice(products),
        "level": rng.choices(LEVELS, weights=(1, 4, 3, 2))[0],
        "notified_on": _iso(sampled + timedelta(days=rng.randint(7, 20))),
    }
    if rng.random() < 0.12:
        notified = sampled + timedelta(days=rng.randint(7, 20))
        body |= {
            "result": "fail",
            "failed_items": rng.sample(FAILED_ITEMS, rng.randint(1, 2)),
            "notified_on": _iso(notified),
        }
        if rng.random() < 0.6:  # Order 18 Art.45-47: rectified and re-checked in time
            body |= {
                "rectification_ordered_on": _iso(notified),
                "recheck_on": _iso(notified + timedelta(days=rng.randint(40, 70))),
                "recheck_result": "pass",
            }
    else:
        body["result"] = "pass"
    return body


def _full_chain(code: str, products: Sequence[str]) -> dict[str, Any]:
    """A failure taken through every Order 18 step: objection, re-test confirming it,
    rectification, failed re-check, provincial announcement, failed second re-check."""
    sampled = ANCHOR - timedelta(days=400)
    notified = sampled + timedelta(days=10)
    announced = notified + timedelta(days=100)
    return {
        "kind": "inspection",
        "source_ref": f"DEMO-{code}-CHAIN",
        "occurred_on": _iso(sampled),
        "product_category": products[0],
        "level": "provincial",
        "result": "fail",
        "failed_items": ["菌落总数"],
        "notified_on": _iso(notified),
        "objection_filed_on": _iso(notified + timedelta(days=9)),
        "retest_on": _iso(notified + timedelta(days=30)),
        "retest_result": "fail",
        "rectification_ordered_on": _iso(notified + timedelta(days=35)),
        "recheck_on": _iso(notified + timedelta(days=80)),
        "recheck_result": "fail",
        "announced_on": _iso(announced),
        "recheck2_on": _iso(announced + timedelta(days=75)),
        "recheck2_result": "fail",
    }


def _others(rng: random.Random, code: str, products: Sequence[str]) -> Iterator[dict[str, Any]]:
    if rng.random() < 0.10:
        heavier = rng.random() < 0.25
        on = _day(rng)
        yield {
            "kind": "penalty",
            "source_ref": f"DEMO-{code}-P1",
            "occurred_on": _iso(on),
            "decision_number": f"演示市监罚〔{on.year}〕{rng.randint(1, 999)}号",
            "legal_basis": "《中华人民共和国产品质量法》第四十九条",
            "penalty_types": ["fine", "business_restriction"] if heavier else ["warning"],
            "fine_amount": rng.randint(50, 500) * 1000 if heavier else None,
            "heavier": heavier,
            "police_referral": heavier and rng.random() < 0.3,
        }
    for n in range(rng.choices((0, 1, 2, 3), weights=(6, 3, 1, 0.5))[0]):
        yield {
            "kind": "complaint",
            "source_ref": f"DEMO-{code}-C{n}",
            "occurred_on": _iso(_day(rng, 365)),
            "substantiated": rng.random() < 0.4,
            "channel": "12365",
        }
    if rng.random() < 0.35:
        start = _day(rng, 4 * 365, 200)
        yield {
            "kind": "licence",
            "source_ref": f"DEMO-{code}-L1",
            "occurred_on": _iso(start),
            "licence_type": "production_licence",
            "licence_number": f"SC{rng.randint(10**12, 10**13 - 1)}",
            "valid_from": _iso(start),
            "valid_to": _iso(start + timedelta(days=5 * 365 - 1)),
        }
    if rng.random() < 0.10:
        yield {
            "kind": "commendation",
            "source_ref": f"DEMO-{code}-A1",
            "occurred_on": _iso(_day(rng, 2 * 365)),
            "title": rng.choice(["市长质量奖", "省名牌产品", "首席质量官示范企业"]),
            "award_type": "quality_award",
        }
    if rng.random() < 0.03:
        yield {
            "kind": "recall",
            "source_ref": f"DEMO-{code}-R1",
            "occurred_on": _iso(_day(rng, 2 * 365)),
            "mode": "voluntary",
            "product_category": products[0],
        }
    if rng.random() < 0.02:
        yield {
            "kind": "incident",
            "source_ref": f"DEMO-{code}-X1",
            "occurred_on": _iso(_day(rng, 2 * 365)),
            "severity": "minor",
        }


def demo_records(code: str, products: Sequence[str], *, chain: bool) -> list[dict[str, Any]]:
    products = list(products) or ["dairy"]
    rng = random.Random(f"demo-records-{code}")
    out = [_inspection(rng, code, n, products) for n in range(rng.randint(2, 5))]
    if chain:
        out.append(_full_chain(code, products))
    out.extend(_others(rng, code, products))
    for body in out:
        body["code"] = code
    return [{k: v for k, v in b.items() if v is not None} for b in out]


def _dates(body: dict[str, Any]) -> Iterator[date]:
    for key, value in body.items():
        if key.endswith("_on") and key != "valid_to" and isinstance(value, str):
            yield date.fromisoformat(value)


async def load_records_demo(
    session: AsyncSession,
    principal: Principal,
    codes: Sequence[str],
    *,
    today: date,
    now: datetime,
) -> str:
    """Add the demo records; the caller re-grades. Returns a summary line."""
    products = dict(
        (
            await session.execute(
                select(col(Enterprise.code), col(Enterprise.products)).where(
                    col(Enterprise.code).in_(codes)
                )
            )
        ).all()
    )
    items = []
    for i, code in enumerate(codes):
        for body in demo_records(code, products.get(code) or (), chain=i == 0):
            if max(_dates(body), default=today) <= today:
                items.append(body)
    job = await ingest.Ingest(session, principal, today, now).start()
    for start in range(0, len(items), ingest.CHUNK):
        part = items[start : start + ingest.CHUNK]
        await job.add([ndjson.RawItem(start + j, body) for j, body in enumerate(part)])
    out = await job.finish(regrade=False)
    return (
        f"{out.accepted} new records ({out.duplicates} already there, {len(out.rejected)} rejected)"
    )
