"""GTIN traceability (物品编码) through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest

from tests.api._records import PANJIN, PANJIN_2, ensure_enterprise, post_record
from tests.conftest import AgencyKey, MakeAgency

EAN13 = "6901234567892"


async def register(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, gtin: str, **extra: str
) -> httpx.Response:
    return await client.post(
        f"/v1/enterprises/{code}/gtins", json={"gtin": gtin, **extra}, headers=headers
    )


async def test_register_and_look_up(client: httpx.AsyncClient, national: AgencyKey) -> None:
    await ensure_enterprise(client, national.headers, PANJIN, name="盘锦示例乳业有限公司")
    r = await register(
        client,
        national.headers,
        PANJIN,
        EAN13,
        product_name="纯牛奶 250ml",
        product_category="dairy",
    )
    assert r.status_code == 201, r.text
    assert r.json()["gtin"] == "0" + EAN13  # canonical GTIN-14
    assert r.json()["code"] == PANJIN
    again = await register(
        client,
        national.headers,
        PANJIN,
        EAN13,
        product_name="纯牛奶 250ml",
        product_category="dairy",
    )
    assert again.status_code == 200
    for spelling in (EAN13, "0" + EAN13, "690-1234 567892"):
        got = await client.get(f"/v1/gtin/{spelling}", headers=national.headers)
        assert got.status_code == 200, (spelling, got.text)
        out = got.json()
        assert out["product_name"] == "纯牛奶 250ml"
        assert out["producer"]["code"] == PANJIN
        assert out["producer"]["name"] == "盘锦示例乳业有限公司"
        assert out["producer"]["grade"] == "B"  # no inspection yet
        assert out["producer"]["blacklisted"] is False
    # the grade shown is the producer's current one
    await post_record(
        client,
        national.headers,
        PANJIN,
        "penalty",
        penalty_types=["fine"],
        fine_amount=1,
        heavier=True,
    )
    got = (await client.get(f"/v1/gtin/{EAN13}", headers=national.headers)).json()
    assert got["producer"]["grade"] == "C"
    listed = (await client.get(f"/v1/enterprises/{PANJIN}/gtins", headers=national.headers)).json()
    assert [g["gtin"] for g in listed["items"]] == ["0" + EAN13]
    dossier = (
        await client.get(f"/v1/enterprises/{PANJIN}/dossier", headers=national.headers)
    ).json()
    assert dossier["gtins"][0]["gtin"] == "0" + EAN13


@pytest.mark.parametrize("gtin", ["96385074", "123456789012", EAN13, "10690123456784"])
async def test_every_gtin_length(client: httpx.AsyncClient, national: AgencyKey, gtin: str) -> None:
    await ensure_enterprise(client, national.headers)
    r = await register(client, national.headers, PANJIN, gtin)
    assert r.status_code == 201, r.text
    assert r.json()["gtin"] == gtin.zfill(14)


@pytest.mark.parametrize(
    ("gtin", "rule", "expected"),
    [
        ("6901234567893", "gtin_check", "2"),
        ("6901234567", "length", None),
        ("69012345678A2", "charset", None),
    ],
)
async def test_invalid_gtins_name_the_rule(
    client: httpx.AsyncClient, national: AgencyKey, gtin: str, rule: str, expected: str | None
) -> None:
    await ensure_enterprise(client, national.headers)
    r = await register(client, national.headers, PANJIN, gtin)
    assert r.status_code == 422
    [err] = r.json()["errors"]
    assert (err["field"], err["rule"], err.get("expected")) == ("gtin", rule, expected)
    r = await client.get(f"/v1/gtin/{gtin}", headers=national.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == rule


async def test_ownership_jurisdiction_and_unknowns(
    client: httpx.AsyncClient, national: AgencyKey, make_agency: MakeAgency
) -> None:
    await ensure_enterprise(client, national.headers, PANJIN)
    await ensure_enterprise(client, national.headers, PANJIN_2)
    assert (await register(client, national.headers, PANJIN, EAN13)).status_code == 201
    r = await register(client, national.headers, PANJIN_2, EAN13)
    assert r.status_code == 409 and r.json()["rule"] == "gtin-registered-elsewhere"
    hebei = await make_agency("province", "13")
    r = await register(client, hebei.headers, PANJIN, "96385074")
    assert r.status_code == 403 and r.json()["rule"] == "jurisdiction"
    r = await register(client, national.headers, PANJIN, "96385074", product_category="caviar")
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "catalog"
    r = await client.get("/v1/gtin/96385074", headers=national.headers)
    assert r.status_code == 404
    r = await client.get(f"/v1/gtin/{EAN13}")
    assert r.status_code == 401
