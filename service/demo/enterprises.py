"""Deterministic demo data: enterprises across Liaoning, Panjin and Hebei with valid codes.

Everything goes through the same store functions the API uses, so the demo exercises the
real paths; codes and refs are derived from a fixed seed, so a second run updates instead of
duplicating.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import ALL_SCOPES, Level, principal_of
from service.clock import CHINA
from service.credit.codes import make_uscc, parse_code
from service.demo.blacklist import load_blacklist_demo
from service.demo.publication import load_publication_demo
from service.demo.records import load_records_demo
from service.models import utcnow
from service.schemas import EnterpriseIn
from service.store import agencies, enterprises
from service.store.grading import regrade as grading

DEMO_AGENCY = "演示国家级机构（演示数据）"

REGIONS = [
    ("211100", "盘锦"),
    ("211102", "盘锦双台子"),
    ("211103", "盘锦兴隆台"),
    ("211122", "盘山"),
    ("210100", "沈阳"),
    ("210200", "大连"),
    ("210300", "鞍山"),
    ("210800", "营口"),
    ("130100", "石家庄"),
    ("130200", "唐山"),
    ("130600", "保定"),
    ("131000", "廊坊"),
]
TRADES = [
    "乳业",
    "食品",
    "酒业",
    "油脂",
    "水泥",
    "钢铁",
    "线缆",
    "化肥",
    "玩具",
    "家电",
    "纺织",
    "建材",
    "调味品",
    "饮品",
    "机械",
]
PRODUCTS = {
    "乳业": ["dairy"],
    "食品": ["meat", "food-additive"],
    "酒业": ["liquor"],
    "油脂": ["edible-oil"],
    "水泥": ["cement"],
    "钢铁": ["steel-bar"],
    "线缆": ["wire-cable"],
    "化肥": ["fertilizer"],
    "玩具": ["toy", "children-product"],
    "家电": ["household-appliance"],
    "纺织": ["textile"],
    "建材": ["brick", "cement"],
    "调味品": ["condiment"],
    "饮品": ["bottled-water", "frozen-drink"],
    "机械": ["special-equipment"],
}
WORDS = [
    "华润",
    "东方",
    "辽河",
    "北方",
    "兴盛",
    "金源",
    "恒泰",
    "宏达",
    "鑫海",
    "瑞丰",
    "永安",
    "长城",
    "燕赵",
    "红海滩",
    "万通",
    "正大",
    "新星",
    "德邦",
    "汇丰",
    "远航",
]
FORMS = ["有限公司", "有限责任公司", "股份有限公司"]


def demo_enterprises(count: int, seed: int = 2026) -> list[tuple[str, EnterpriseIn]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        region, place = REGIONS[i % len(REGIONS)]
        trade = rng.choice(TRADES)
        code = make_uscc(f"{(7_000_000 + i * 7919) % 100_000_000:08d}", region=region)
        name = f"{place}{rng.choice(WORDS)}{trade}{rng.choice(FORMS)}"
        body = EnterpriseIn(
            name=name,
            industry=trade,
            address=f"{place}市示范路{rng.randint(1, 999)}号",
            legal_representative=rng.choice(["张", "王", "李", "赵", "刘"])
            + rng.choice(["伟", "芳", "强", "静", "磊"]),
            established_on=date(rng.randint(1990, 2020), rng.randint(1, 12), rng.randint(1, 28)),
            products=PRODUCTS[trade],
        )
        out.append((code, body))
    return out


async def load_demo(session: AsyncSession, count: int) -> tuple[str, str]:
    agency = await agencies.find_by_name(session, DEMO_AGENCY)
    if agency is None:
        agency, key = await agencies.create(
            session, name=DEMO_AGENCY, level=Level.NATIONAL, region="", scopes=ALL_SCOPES
        )
    else:
        assert agency.id is not None
        key = await agencies.add_key(session, agency.id)
    assert agency.id is not None
    now = utcnow()
    today = now.astimezone(CHINA).date()  # legal days are China days, as the Clock's
    codes = []
    for code, body in demo_enterprises(count):
        parsed = parse_code(code)
        await enterprises.upsert(session, parsed, body, agency_id=agency.id, now=now)
        codes.append(code)
    records = await load_records_demo(session, principal_of(agency), codes, today=today, now=now)
    await grading.regrade(session, codes, today=today, trigger="demo")
    listings = await load_blacklist_demo(session, principal_of(agency), codes, today=today, now=now)
    published = await load_publication_demo(session, principal_of(agency), codes, today=today)
    return key, f"demo: {len(codes)} enterprises, {records}, {listings}, {published}"
