"""Catalogue completeness (issue 16 item 8): every key product the seed documents name has
a catalogue entry with a risk level, added by migration 20261201_catalog_seed."""

from __future__ import annotations

from typing import Any

import httpx

# Named in the seeds (000 Liaoning 2012, 001 Hebei 2015, 003 county key products), by name.
SEED_KEY_PRODUCTS = {
    "乳制品",
    "肉制品",
    "酒类",
    "白酒",
    "食品添加剂",
    "食用植物油",
    "瓶(桶)装饮用水",
    "冷冻饮品",
    "调味品",
    "儿童用品",
    "妇女用品",
    "化肥",
    "复混肥料",
    "水泥",
    "钢筋",
    "砖",
    "电线电缆",
    "特种设备",
    "厨房用具",
    "纺织服装",
    "装饰装修材料",
    "节水产品",
    "建筑防水卷材",
    "车用汽柴油",
    "学生用品",
    "纸巾纸",
    "儿童服装",
    "药品",
    "电梯",
    "食品相关产品",
    "汽车及其配件",
    "农机具",
}


async def test_every_seed_key_product_has_a_risk_level(
    client: httpx.AsyncClient, national: Any
) -> None:
    r = await client.get("/v1/catalog", headers=national.headers)
    assert r.status_code == 200
    by_name = {c["name"]: c for c in r.json()["items"]}
    missing = SEED_KEY_PRODUCTS - set(by_name)
    assert not missing, missing
    assert all(by_name[n]["risk_level"] in ("I", "II", "III") for n in SEED_KEY_PRODUCTS)
    assert by_name["车用汽柴油"]["risk_level"] == "I"
    # a new category is usable at once: an enterprise may name it as its product
    body = {"name": "盘锦防水材料有限公司", "products": [by_name["建筑防水卷材"]["code"]]}
    put = await client.put(
        "/v1/enterprises/91211100MA0000007F", json=body, headers=national.headers
    )
    assert put.status_code == 201, put.text
