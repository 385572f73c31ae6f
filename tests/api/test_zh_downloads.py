"""Every download and report a Chinese reader opens, scanned for English: no slug, enum
value or English message outside the allow-list (codes, grade letters, file formats).
The same scan runs over every portal page in tests/browser/test_every_page.py."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.api import _web_data as data
from tests.zh_scan import english_words


def _cells_of_csv(body: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return [cell for row in rows for cell in row]


def _cells_of_xlsx(body: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(body))
    out = list(book.sheetnames)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            out.extend(str(v) for v in row if v is not None)
    return out


def _english(cells: list[str], names: set[str]) -> list[str]:
    """`names` are proper names and identifiers in their own right: the test agency's name
    (the deciding authority) and catalog category codes (in the 分组代码 column, next to
    their Chinese name)."""
    return [w for c in cells if c not in names for w in english_words(c)]


@pytest.fixture
async def seeded(client: httpx.AsyncClient, national: Any) -> data.Seeded:
    return await data.seed(client, national.headers)


async def test_no_english_in_any_zh_download(
    client: httpx.AsyncClient, national: Any, seeded: data.Seeded
) -> None:
    h = national.headers
    typo = seeded.listed_code[:17] + ("0" if seeded.listed_code[17] != "0" else "1")
    codes = "\n".join([seeded.listed_code, seeded.codes[3], typo, "12345"])
    downloads: dict[str, list[str]] = {}
    for fmt in ("csv", "xlsx"):
        r = await client.get("/public/v1/blacklist/export", params={"format": fmt})
        downloads[f"public.{fmt}"] = (_cells_of_csv if fmt == "csv" else _cells_of_xlsx)(r.content)
        r = await client.get(
            f"/v1/enterprises/{seeded.listed_code}/dossier?format={fmt}", headers=h
        )
        assert r.status_code == 200, r.text
        downloads[f"dossier.{fmt}"] = (_cells_of_csv if fmt == "csv" else _cells_of_xlsx)(r.content)
    r = await client.post("/screen/download", data={"codes": codes, "format": "xlsx"})
    downloads["screening.xlsx"] = _cells_of_xlsx(r.content)
    r = await client.post(
        "/public/v1/screen?format=csv", content=codes.encode(), headers={"Content-Type": "text/csv"}
    )
    downloads["screening.csv"] = _cells_of_csv(r.content)
    r = await client.get(
        "/v1/stats/inspections", params={"format": "csv", "group_by": "level"}, headers=h
    )
    downloads["stats.csv"] = _cells_of_csv(r.content)
    r = await client.get("/v1/reports/quality", params={"year": 2026, "format": "xlsx"}, headers=h)
    assert r.status_code == 200, r.text
    downloads["report.xlsx"] = _cells_of_xlsx(r.content)

    me = (await client.get("/v1/me", headers=h)).json()
    catalog = (await client.get("/v1/catalog", headers=h)).json()["items"]
    names = {me["name"], *(c["code"] for c in catalog)}
    found = {name: words for name, cells in downloads.items() if (words := _english(cells, names))}
    assert found == {}, f"English in zh-CN downloads: {found}"
