"""No 500 from client input: ids beyond their column's range, control characters in any
string (bodies, queries, paths, CSV cells) and oversized CSV fields are 4xx problems that name
the field, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import orjson
import pytest

from service.credit.codes import make_uscc
from tests.api._records import ensure_enterprise, record_body

PANJIN = make_uscc("00088001", region="211100")
INT32_OVER = 2**31
INT64_OVER = 2**63


def _field_errors(r: httpx.Response) -> list[tuple[str, str]]:
    return [(e["field"], e["rule"]) for e in r.json().get("errors", [])]


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("GET", f"/v1/blacklist/{INT32_OVER}", "entry_id"),
        ("GET", f"/v1/blacklist/{INT64_OVER}", "entry_id"),
        ("POST", f"/v1/blacklist/{INT32_OVER}/publish", "entry_id"),
        ("GET", f"/v1/records/{INT64_OVER}", "record_id"),
        ("GET", f"/v1/records/{INT64_OVER}/history", "record_id"),
        ("GET", f"/v1/webhooks/{INT32_OVER}", "webhook_id"),
        ("DELETE", f"/v1/webhooks/{INT32_OVER}", "webhook_id"),
        ("GET", f"/v1/watchlists/{INT32_OVER}", "watchlist_id"),
        ("GET", f"/v1/changes?after={INT64_OVER}", "after"),
    ],
)
async def test_ids_beyond_their_type_are_422(
    client: httpx.AsyncClient, national: Any, method: str, path: str, field: str
) -> None:
    r = await client.request(method, path, headers=national.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert [f for f, _ in _field_errors(r)] == [field]


async def test_ids_in_bodies_and_cursors_are_range_checked(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    await ensure_enterprise(client, h, PANJIN)
    r = await client.post(
        "/v1/blacklist",
        json={
            "code": PANJIN,
            "category": "quality_safety",
            "reason": "r",
            "legal_basis": "b",
            "penalty_record_id": INT64_OVER,
        },
        headers=h,
    )
    assert r.status_code == 422 and ("penalty_record_id", "less_than_equal") in _field_errors(r)
    r = await client.post(
        "/v1/webhooks",
        json={"url": "https://example.org/h", "secret": "s" * 20, "watchlist_id": INT32_OVER},
        headers=h,
    )
    assert r.status_code == 422 and ("watchlist_id", "less_than_equal") in _field_errors(r)
    forged = base64.urlsafe_b64encode(orjson.dumps(INT64_OVER)).decode().rstrip("=")
    for path in ("/v1/blacklist", f"/v1/enterprises/{PANJIN}/records", "/v1/watchlists"):
        r = await client.get(path, params={"cursor": forged}, headers=h)
        assert r.status_code == 422 and _field_errors(r) == [("cursor", "cursor")], (path, r.text)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
async def test_control_characters_in_bodies_name_the_field(
    client: httpx.AsyncClient, national: Any, char: str
) -> None:
    h = national.headers
    r = await client.put(f"/v1/enterprises/{PANJIN}", json={"name": f"盘锦{char}乳业"}, headers=h)
    assert r.status_code == 422, r.text
    assert _field_errors(r) == [("name", "control-character")]
    assert f"U+{ord(char):04X}" in r.json()["errors"][0]["message"]
    # nothing was written
    assert (await client.get(f"/v1/enterprises/{PANJIN}", headers=h)).status_code == 404

    await ensure_enterprise(client, h, PANJIN)
    body = record_body("inspection", failed_items=["菌落总数", f"大肠{char}菌群"], result="fail")
    r = await client.post(f"/v1/enterprises/{PANJIN}/records", json=body, headers=h)
    assert r.status_code == 422 and _field_errors(r) == [("failed_items.1", "control-character")]
    # the batch path reports the item, and stores the others
    items = [
        {"code": PANJIN, **record_body("complaint", source_ref=f"bad{char}ref")},
        {"code": PANJIN, **record_body("complaint")},
    ]
    r = await client.post("/v1/records/batch", json={"records": items}, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["accepted"] == 1
    assert [(e["field"], e["rule"]) for e in out["rejected"][0]["errors"]] == [
        ("source_ref", "control-character")
    ]


async def test_multiline_fields_keep_line_breaks_but_not_nul(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    await ensure_enterprise(client, h, PANJIN)
    r = await client.post(
        f"/v1/enterprises/{PANJIN}/records", json=record_body("complaint"), headers=h
    )
    record_id = r.json()["id"]
    r = await client.post(
        f"/v1/records/{record_id}/status",
        json={"status": "withdrawn", "reason": "录入错误\x00"},
        headers=h,
    )
    assert r.status_code == 422 and _field_errors(r) == [("reason", "control-character")]
    r = await client.post(
        f"/v1/records/{record_id}/status",
        json={"status": "withdrawn", "reason": "录入错误：\n\t重复登记"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    # single-line fields take no line break
    r = await client.put(f"/v1/enterprises/{PANJIN}", json={"name": "盘锦\n乳业"}, headers=h)
    assert r.status_code == 422 and _field_errors(r) == [("name", "control-character")]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v1/enterprises", {"q": "盘锦\x00"}, "q"),
        ("/v1/changes", {"types": "blacklist.\x00"}, "types"),
        ("/v1/audit", {"target": "webhook:\x00"}, "target"),
        ("/public/v1/blacklist", {"q": "永安\x00食品"}, "q"),
        ("/public/v1/blacklist", {"unknown": "\x1b[31m"}, "unknown"),
        ("/blacklist", {"q": "\x00"}, "q"),  # the portal page
    ],
)
async def test_control_characters_in_queries_name_the_parameter(
    client: httpx.AsyncClient, national: Any, path: str, params: dict[str, str], field: str
) -> None:
    r = await client.get(path, params=params, headers=national.headers)
    assert r.status_code == 422, r.text
    assert _field_errors(r) == [(field, "control-character")]


async def test_control_characters_in_paths_are_refused(
    client: httpx.AsyncClient, national: Any
) -> None:
    r = await client.put(
        "/v1/catalog/dairy%00x",
        json={"name": "乳制品", "risk_level": "I"},
        headers=national.headers,
    )
    assert r.status_code == 422 and _field_errors(r) == [("path", "control-character")]


async def test_a_control_character_cannot_reach_an_xlsx_export(
    client: httpx.AsyncClient, national: Any
) -> None:
    """Stored control characters broke the XLSX export for every reader (openpyxl refuses
    them); they are refused where they come in."""
    h = national.headers
    r = await client.put(f"/v1/enterprises/{PANJIN}", json={"name": "盘锦\x07乳业"}, headers=h)
    assert r.status_code == 422
    await ensure_enterprise(client, h, PANJIN, name="盘锦乳业有限公司")
    r = await client.get(f"/v1/enterprises/{PANJIN}/dossier", params={"format": "xlsx"}, headers=h)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("path", ["/public/v1/screen", "/v1/screen"])
async def test_csv_bodies_have_explicit_limits(
    client: httpx.AsyncClient, national: Any, path: str
) -> None:
    h = {"Content-Type": "text/csv", **national.headers}
    huge = "code\n" + "9" * (128 * 1024 + 10) + "\n"
    r = await client.post(path, content=huge.encode(), headers=h)
    assert r.status_code == 422, r.text
    assert _field_errors(r) == [("body", "csv-field-too-long")]
    r = await client.post(path, content="code\n" + "9" * 5000 + "\n", headers=h)
    assert r.status_code == 422 and _field_errors(r) == [("body", "csv-field-too-long")]
    r = await client.post(path, content=f"code\n{PANJIN}\x00\n".encode(), headers=h)
    assert r.status_code == 422 and _field_errors(r) == [("body", "control-character")]
    r = await client.post(path, content=("x," * 300 + "\n").encode(), headers=h)
    assert r.status_code == 422 and _field_errors(r) == [("body", "csv-max-columns")]
    if path == "/public/v1/screen":
        rows = "code\n" + "\n".join([PANJIN] * 1001) + "\n"
        r = await client.post(path, content=rows.encode(), headers=h)
        assert r.status_code == 413, r.text
    r = await client.post(path, content=f"code\n{PANJIN}\n".encode(), headers=h)
    assert r.status_code == 200, r.text
