"""AA "commendation or valid certification" counts certifications only, not a production
licence (issue 14 item 10); licence_type is an enumeration. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api._grading import add_record, code, grade_of, inspection, put_enterprise

E = code(501)


async def _passes(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    await put_enterprise(client, headers, E)
    for ref, on in (("P1", "2025-09-01"), ("P2", "2026-01-05"), ("P3", "2026-04-01")):
        await add_record(client, headers, E, inspection(ref, on))


def _licence(ref: str, licence_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "licence",
        "source_ref": ref,
        "occurred_on": "2024-05-06",
        "licence_type": licence_type,
        "valid_from": "2024-05-06",
        "valid_to": "2029-05-05",
        **extra,
    }


async def test_a_production_licence_is_not_a_certification(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    await _passes(client, h)
    await add_record(client, h, E, _licence("L1", "production_licence"))
    assert await grade_of(client, h, E) == "A"
    r = await client.get(f"/v1/enterprises/{E}/classification", headers=h)
    assert [x["rule"] for x in r.json()["reasons"]] == ["A-recent-pass"]
    cert = await add_record(
        client, h, E, _licence("L2", "iso9001", licence_name="质量管理体系认证证书")
    )
    r = await client.get(f"/v1/enterprises/{E}/classification", headers=h)
    doc = r.json()
    assert doc["grade"] == "AA"
    [reason] = [x for x in doc["reasons"] if x["rule"] == "AA-commendation-or-certification"]
    assert reason["record_ids"] == [cert["id"]]
    assert reason["text"] == "36个月内获得表彰奖励，或持有有效认证（CCC、ISO 9001等）"
    # valid through valid_to, not after it
    assert await grade_of(client, h, E, as_of="2026-06-15") == "AA"


@pytest.mark.parametrize("value", ["CCC", "ISO 9001", "production", "生产许可证", ""])
async def test_unknown_licence_type_is_refused(
    client: httpx.AsyncClient, national: Any, value: str
) -> None:
    h = national.headers
    await put_enterprise(client, h, E)
    r = await client.post(f"/v1/enterprises/{E}/records", json=_licence("X", value), headers=h)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["licence_type"]


async def test_unknown_licence_type_in_a_batch_names_the_field(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    await put_enterprise(client, h, E)
    body = {"records": [{"code": E, **_licence("B1", "ccc")}, {"code": E, **_licence("B2", "3C")}]}
    r = await client.post("/v1/records/batch", json=body, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["accepted"] == 1
    [rejected] = out["rejected"]
    assert rejected["index"] == 1
    assert [e["field"] for e in rejected["errors"]] == ["licence_type"]
