"""Deterministic benchmark data: enterprises, dossier records and blacklist listings.

Pure (no I/O): the same ``seed`` and ``count`` always give the same codes, names, records and
listings, so a run on SQLite and one on PostgreSQL load identical data, and a scenario can
re-derive a code list without reading the database.

Mix per enterprise (about 5 records each), chosen to look like a provincial registry:
most records are passed sampling inspections; failures, complaints, licences and
commendations are common; penalties, recalls and incidents are rare; about 0.3 % of
enterprises carry a serious-dishonesty listing (严重违法失信名单) resting on a heavier penalty.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from service.credit.codes import make_uscc
from service.credit.names import name_key
from service.credit.regions import known_regions
from service.demo.enterprises import PRODUCTS as DEMO_PRODUCTS

# Records are dated up to this day; the listing dates too. Fixed so that data never depends on
# the day the generator runs.
REFERENCE_DAY = date(2026, 6, 1)
HISTORY_DAYS = 4 * 365
# Org-code bodies are spread over the 8-digit space by a stride coprime to 10**8 (injective).
_ORG_BASE = 31_000_000
_ORG_STRIDE = 7_919
LISTED_SHARE = 0.003

PLACES = ["华北", "东方", "辽河", "北方", "兴盛", "金源", "恒泰", "宏达", "鑫海", "瑞丰"]
WORDS = ["永安", "长城", "燕赵", "红海滩", "万通", "正大", "新星", "德邦", "汇丰", "远航"]
WORDS2 = ["科技", "实业", "制造", "工贸", "发展", "集团", "商贸", "精工", "生物", "新材料"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "厂"]
# The demo's trade -> catalog products, plus two general-risk trades the benchmark spreads over.
TRADES: dict[str, list[str]] = {**DEMO_PRODUCTS, "家具": ["furniture"], "纸业": ["paper"]}
_TRADE_NAMES = sorted(TRADES)
# (kind, weight) of the ~5 records each enterprise gets; a penalty is rare.
KIND_WEIGHTS: list[tuple[str, float]] = [
    ("inspection_pass", 62.0),
    ("inspection_fail", 6.0),
    ("complaint", 10.0),
    ("licence", 9.0),
    ("commendation", 5.0),
    ("recall", 1.5),
    ("penalty", 1.5),
    ("incident", 1.0),
    ("key_case", 0.5),
]
_KINDS = [k for k, _ in KIND_WEIGHTS]
_CUM = [sum(w for _, w in KIND_WEIGHTS[: i + 1]) for i in range(len(KIND_WEIGHTS))]
_LEVELS = ["national", "provincial", "municipal", "county"]


@dataclass(frozen=True, slots=True)
class EnterpriseRow:
    index: int
    code: str
    org_code: str
    name: str
    name_key: str
    region_code: str
    industry: str
    address: str
    legal_representative: str
    established_on: date
    products: list[str]


@cache
def regions() -> tuple[str, ...]:
    """County- and prefecture-level divisions in use (a province code registers nobody)."""
    return tuple(code for code, _ in known_regions() if not code.endswith("0000"))


@cache
def region_names() -> dict[str, str]:
    return dict(known_regions())


def org_body(index: int) -> str:
    return f"{(_ORG_BASE + index * _ORG_STRIDE) % 100_000_000:08d}"


def code_of(index: int) -> str:
    """The USCC of enterprise ``index`` (its region is a pure function of the index too)."""
    return make_uscc(org_body(index), region=region_of(index))


def region_of(index: int) -> str:
    table = regions()
    # multiplicative hash: neighbouring indexes land in different regions
    return table[(index * 2_654_435_761) % len(table)]


def enterprise(index: int, seed: int) -> EnterpriseRow:
    rng = random.Random(seed * 1_000_003 + index)
    region = region_of(index)
    code = make_uscc(org_body(index), region=region)
    trade = rng.choice(_TRADE_NAMES)
    name = (
        f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(WORDS2)}{trade}"
        f"{index % 9973}{rng.choice(FORMS)}"
    )
    return EnterpriseRow(
        index=index,
        code=code,
        org_code=code[8:17],
        name=name,
        name_key=name_key(name),
        region_code=region,
        industry=trade,
        address=f"{region_names().get(region, '')}示范路{rng.randint(1, 999)}号",
        legal_representative=rng.choice("张王李赵刘陈杨黄") + rng.choice("伟芳强静磊敏军丽"),
        established_on=date(rng.randint(1990, 2022), rng.randint(1, 12), rng.randint(1, 28)),
        products=list(TRADES[trade]),
    )


def enterprises(count: int, seed: int, start: int = 0) -> Iterator[EnterpriseRow]:
    for index in range(start, count):
        yield enterprise(index, seed)


def is_listed(index: int, seed: int, count: int) -> bool:
    """About LISTED_SHARE of enterprises are on the blacklist (at least 2 for tiny runs)."""
    if count < 1000:
        return index % max(count // 2, 1) == 1
    return random.Random(seed * 7 + index).random() < LISTED_SHARE


def _kind(rng: random.Random) -> str:
    x = rng.random() * _CUM[-1]
    for kind, edge in zip(_KINDS, _CUM, strict=True):
        if x < edge:
            return kind
    return _KINDS[-1]


def _day(rng: random.Random, latest: date = REFERENCE_DAY, span: int = HISTORY_DAYS) -> date:
    return latest - timedelta(days=rng.randrange(span))


def record(ent: EnterpriseRow, kind: str, rng: random.Random, ref: str) -> dict[str, Any]:
    """One record in the POST /v1/records/batch item shape (design.md, Records)."""
    occurred = _day(rng)
    base: dict[str, Any] = {"code": ent.code, "source_ref": ref, "occurred_on": occurred}
    category = rng.choice(ent.products)
    if kind == "inspection_pass":
        return base | {
            "kind": "inspection",
            "product_category": category,
            "level": rng.choice(_LEVELS),
            "result": "pass",
            "failed_items": [],
            "refused": False,
        }
    if kind == "inspection_fail":
        # Order 18 Art.45-47: notice, rectification order, re-check within 75 days; dated so
        # the whole chain lies before REFERENCE_DAY.
        occurred = _day(rng, REFERENCE_DAY - timedelta(days=120))
        notified = occurred + timedelta(days=rng.randint(3, 20))
        return base | {
            "occurred_on": occurred,
            "kind": "inspection",
            "product_category": category,
            "level": rng.choice(_LEVELS),
            "result": "fail",
            "failed_items": ["标签", "微生物"][: rng.randint(1, 2)],
            "notified_on": notified,
            "rectification_ordered_on": notified,
            "recheck_on": notified + timedelta(days=rng.randint(30, 70)),
            "recheck_result": rng.choice(["pass", "pass", "pass", "fail"]),
            "refused": False,
        }
    if kind == "penalty":
        heavier = rng.random() < 0.1
        return base | {
            "kind": "penalty",
            "decision_number": f"市监罚〔{occurred.year}〕{rng.randint(1, 9999)}号",
            "penalty_types": ["fine", "confiscation"] if heavier else ["warning"],
            "fine_amount": float(rng.randint(5, 500) * 1000) if heavier else 0.0,
            "heavier": heavier,
            "police_referral": False,
        }
    if kind == "complaint":
        return base | {"kind": "complaint", "substantiated": rng.random() < 0.3}
    if kind == "licence":
        return base | {
            "kind": "licence",
            "licence_type": rng.choice(["production", "CCC"]),
            "valid_from": occurred,
            "valid_to": occurred + timedelta(days=5 * 365),
            "revoked": False,
        }
    if kind == "commendation":
        return base | {"kind": "commendation", "title": rng.choice(["质量奖", "首席质量官"])}
    if kind == "recall":
        return base | {
            "kind": "recall",
            "mode": rng.choice(["voluntary", "voluntary", "ordered"]),
            "refused_or_delayed": False,
        }
    if kind == "incident":
        return base | {"kind": "incident", "severity": rng.choice(["minor", "minor", "major"])}
    return base | {"kind": "key_case", "state": rng.choice(["open", "closed"])}


def listing_penalty(ent: EnterpriseRow, seed: int) -> dict[str, Any]:
    """The heavier penalty (较重行政处罚, Order 44 Art.2) a listing rests on."""
    rng = random.Random(seed * 13 + ent.index)
    occurred = REFERENCE_DAY - timedelta(days=60 + rng.randrange(900))
    return {
        "code": ent.code,
        "kind": "penalty",
        "source_ref": listing_ref(seed, ent.index),
        "occurred_on": occurred,
        "decision_number": f"市监罚〔{occurred.year}〕重{ent.index}号",
        "penalty_types": ["fine", "business_restriction"],
        "fine_amount": float(rng.randint(100, 2000) * 1000),
        "heavier": True,
        "police_referral": rng.random() < 0.2,
    }


def listing_ref(seed: int, index: int) -> str:
    return f"bench{seed}-{index}-listing"


def records_for(ent: EnterpriseRow, seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed * 31 + ent.index)
    n = rng.choice((3, 4, 5, 5, 6, 7))
    out = [record(ent, _kind(rng), rng, f"bench{seed}-{ent.index}-{j}") for j in range(n)]
    if is_listed(ent.index, seed, count):
        out.append(listing_penalty(ent, seed))
    return out


def jsonable(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in item.items()}


def extra_records(seed: int, count: int, n: int, tag: str) -> Iterator[dict[str, Any]]:
    """``n`` fresh records (new source_refs) over existing enterprises, for the ingest run."""
    rng = random.Random(f"{seed}-{tag}")
    for j in range(n):
        ent = enterprise(rng.randrange(count), seed)
        yield record(ent, _kind(rng), rng, f"bench{seed}-{tag}-{j}")
