"""HTML pages: public ones answer without a key with the right content, the screening form
highlights hits and signs its download, regulator pages carry no private data, assets are
local and every page stays within its weight budget."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import httpx
import orjson
import pytest
from openpyxl import Workbook

from service.credit.codes import make_uscc
from tests.api import _web_data as data

PUBLIC_PAGES = ("/", "/blacklist", "/screen", "/downloads", "/stats?year=2026")
REGULATOR_PAGES = (
    "/regulator",
    "/regulator/dossier",
    "/regulator/plan",
    "/regulator/candidates",
    "/regulator/report",
)
JS_BUDGET = 300 * 1024  # the ceiling per page
HTML_BUDGET = 100 * 1024


@pytest.fixture
async def seeded(client: httpx.AsyncClient, national: Any) -> data.Seeded:
    return await data.seed(client, national.headers)


def _count(html: str, pattern: str) -> int:
    return len(re.findall(pattern, html))


async def _page(client: httpx.AsyncClient, path: str, **kw: Any) -> str:
    r = await client.get(path, **kw)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    return r.text


async def test_public_pages_answer_in_chinese_without_a_key(
    client: httpx.AsyncClient, seeded: data.Seeded
) -> None:
    for path in PUBLIC_PAGES:
        html = await _page(client, path)
        assert '<html lang="zh-CN">' in html, path
        assert "企业质量信用与失信名单公示" in html
    home = await _page(client, "/")
    assert re.search(r'id="count-listed">1<', home)  # one published listing in force


async def test_search_by_name_code_region_and_status(
    client: httpx.AsyncClient, seeded: data.Seeded
) -> None:
    html = await _page(client, "/blacklist", params={"q": "辽河水泥"})
    assert _count(html, r'<tr class="result">') == 1
    assert seeded.listed_code in html and '<span class="badge listed">在列</span>' in html
    assert "《市场监督管理严重违法失信名单管理办法》第七条第三项" in html  # the legal basis
    assert "可自收到决定书之日起六十日内申请行政复议" in html  # the remedy path

    spaced = " ".join([seeded.listed_code[:6].lower(), seeded.listed_code[6:]])
    by_code = await _page(client, "/blacklist", params={"q": spaced})
    assert _count(by_code, r'<tr class="result">') == 1 and seeded.listed_code in by_code

    removed = await _page(client, "/blacklist", params={"status": "removed"})
    assert _count(removed, r'<tr class="result">') == 1
    assert seeded.removed_code in removed and "错误列入更正" in removed  # removal record shown

    hebei = await _page(client, "/blacklist", params={"region": "13"})
    assert _count(hebei, r'<tr class="result">') == 0 and "没有找到符合条件的名单记录" in hebei

    both = await _page(client, "/blacklist", params={"region": "21"})
    assert _count(both, r'<tr class="result">') == 2


async def test_entry_page_per_enterprise(client: httpx.AsyncClient, seeded: data.Seeded) -> None:
    html = await _page(client, f"/blacklist/{seeded.listed_code}")
    assert "盘锦辽河水泥有限公司" in html and "该企业目前在严重违法失信名单中" in html
    removed = await _page(client, f"/blacklist/{seeded.removed_code}")
    assert "该企业目前不在严重违法失信名单中" in removed and "移出记录" in removed
    assert "<h2>名单公示信息</h2>" not in removed  # no empty heading over nothing
    clean = await _page(client, f"/blacklist/{seeded.codes[0]}")
    assert "该企业已登记，目前不在严重违法失信名单中" in clean


async def test_a_mistyped_code_is_never_not_found(
    client: httpx.AsyncClient, seeded: data.Seeded
) -> None:
    """Entry page, search and screening all name the expected check character and link the
    corrected code; a valid code nobody registered says 未登记."""
    good = seeded.listed_code
    typo = good[:17] + ("0" if good[17] != "0" else "1")
    expected = f"统一社会信用代码校验位错误：应为 {good[17]}，实为 {typo[17]}"
    link = f'<a class="code" href="/blacklist/{good}">{good}</a>'
    bad = await client.get(f"/blacklist/{typo}")
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert expected in bad.text and link in bad.text
    found = await _page(client, "/blacklist", params={"q": typo})
    assert expected in found and link in found and "没有找到" not in found
    screened = await client.post("/screen", data={"codes": typo})
    assert expected in screened.text and f'href="/blacklist/{good}"' in screened.text

    unknown = make_uscc("MA0UNKN1", region="211100")
    for text in (
        await _page(client, f"/blacklist/{unknown}"),
        await _page(client, "/blacklist", params={"q": unknown}),
    ):
        assert "未登记" in text and "没有找到" not in text
    screened = await client.post("/screen", data={"codes": f"{unknown}\n{seeded.codes[0]}"})
    assert "未登记" in screened.text and "已登记，未在列" in screened.text


async def test_english_switch_is_remembered(client: httpx.AsyncClient) -> None:
    r = await client.get("/stats", params={"lang": "en"})
    assert r.status_code == 200
    assert '<html lang="en">' in r.text and "Product sampling pass rates" in r.text
    assert "lang=en" in r.headers["set-cookie"]
    client.cookies.set("lang", "en")
    assert "Search the list" in await _page(client, "/")
    assert "名单查询" in await _page(client, "/", params={"lang": "zh"})


async def test_screening_paste_highlights_hits(
    client: httpx.AsyncClient, seeded: data.Seeded
) -> None:
    codes = [seeded.codes[0], seeded.listed_code.lower(), seeded.removed_code, "12345"]
    r = await client.post("/screen", data={"codes": "\n".join(codes)})
    assert r.status_code == 200
    assert "共 4 个代码：1 个在列，1 个无效。" in r.text
    assert _count(r.text, r'<tr class="hit">') == 1
    assert _count(r.text, r'<tr class="invalid">') == 1
    hit_row = r.text.split('<tr class="hit">')[1].split("</tr>")[0]
    assert seeded.listed_code in hit_row and "盘锦辽河水泥有限公司" in hit_row


async def test_screening_upload_xlsx_and_signed_download(
    client: httpx.AsyncClient, seeded: data.Seeded
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for value in ("统一社会信用代码", seeded.listed_code, seeded.codes[3]):
        sheet.append([value])
    buf = io.BytesIO()
    book.save(buf)
    files = {"file": ("suppliers.xlsx", buf.getvalue(), "application/octet-stream")}
    r = await client.post("/screen", data={"codes": ""}, files=files)
    assert r.status_code == 200, r.text
    assert "共 2 个代码：1 个在列，0 个无效。" in r.text

    download = await client.post(
        "/screen/download",
        data={"codes": f"{seeded.listed_code}\n{seeded.codes[3]}", "format": "json"},
    )
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    body = orjson.loads(download.content)
    assert [x["listed"] for x in body["results"]] == [True, False]
    assert body["receipt"]["hits"] == [seeded.listed_code]
    verify = await client.post("/public/v1/screen/verify", json={"receipt": body["receipt"]})
    assert verify.json()["authentic"] is True


@pytest.mark.parametrize(
    ("codes", "message"),
    [("", "请至少输入一个代码。"), ("\n".join(["x"] * 1001), "1001 &gt; 1000")],
)
async def test_screening_rejects_empty_and_oversized_input(
    client: httpx.AsyncClient, codes: str, message: str
) -> None:
    r = await client.post("/screen", data={"codes": codes})
    assert r.status_code == 422
    assert message in r.text


async def test_screening_rejects_an_unreadable_upload(client: httpx.AsyncClient) -> None:
    files = {"file": ("list.xlsx", b"PK\x03\x04not really a zip", "application/octet-stream")}
    r = await client.post("/screen", data={"codes": ""}, files=files)
    assert r.status_code == 422
    assert "not a readable XLSX workbook" in r.text


async def test_stats_page_shows_the_api_figures(
    client: httpx.AsyncClient, national: Any, seeded: data.Seeded
) -> None:
    html = await _page(client, "/stats", params={"year": 2026})
    api = (
        await client.get(
            "/v1/stats/inspections",
            params={"group_by": "product", "from": "2026-01-01", "to": "2026-12-31"},
            headers=national.headers,
        )
    ).json()
    assert f'id="total-rate">{api["total"]["rate"] * 100:.1f}%<' in html
    assert _count(html, r'<svg class="chart"') == 4  # product, region, month, level
    assert _count(html, r'class="target"') == 4  # the target line on each
    assert "乳制品: 50.0% (2/4)" in html  # each bar's own tooltip
    assert _count(html, r'<li class="heat-') == 2  # Liaoning and Hebei tiles
    other = await _page(client, "/stats", params={"year": 2026, "region": "13", "target": "90"})
    assert "目标值 90%" in other and 'id="total-rate">50.0%<' in other


async def test_regulator_pages_are_public_shells_without_data(
    client: httpx.AsyncClient, seeded: data.Seeded
) -> None:
    for path in REGULATOR_PAGES:
        html = await _page(client, path)
        assert '<script type="application/json" id="api">' in html
        assert seeded.listed_code not in html and "盘锦" not in html  # nothing private inlined


async def test_whoami(client: httpx.AsyncClient, make_agency: Any) -> None:
    panjin = await make_agency("prefecture", "2111", name="盘锦市市场监管局")
    r = await client.get("/v1/me", headers=panjin.headers)
    assert r.status_code == 200
    assert r.json()["name"] == "盘锦市市场监管局" and r.json()["region"] == "2111"
    assert "key" not in r.json()
    assert (await client.get("/v1/me")).status_code == 401


async def test_static_assets_are_local_cached_and_confined(client: httpx.AsyncClient) -> None:
    js = await client.get("/static/app.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    again = await client.get("/static/app.js", headers={"If-None-Match": js.headers["etag"]})
    assert again.status_code == 304
    for bad in ("/static/../app.py", "/static/__init__.py", "/static/nope.css", "/static/.x.js"):
        assert (await client.get(bad)).status_code == 404, bad


async def _weight(client: httpx.AsyncClient, urls: list[str]) -> int:
    total = 0
    for url in urls:
        r = await client.get(url)
        assert r.status_code == 200, url
        total += len(r.content)
    return total


async def test_page_weights_stay_within_budget(
    client: httpx.AsyncClient, seeded: data.Seeded
) -> None:
    for path in PUBLIC_PAGES + REGULATOR_PAGES:
        html = await _page(client, path)
        assert not re.search(r'(src|href)="(https?:)?//', html), f"{path} loads a remote asset"
        scripts = re.findall(r'<script src="([^"]+)"', html)
        styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        js = await _weight(client, scripts)
        css = await _weight(client, styles)
        assert js <= JS_BUDGET, (path, js)
        assert len(html.encode()) <= HTML_BUDGET, (path, len(html.encode()))
        assert css <= 20 * 1024


async def test_html_pages_stay_out_of_the_openapi_schema(app: Any) -> None:
    paths = set(app.openapi()["paths"])
    assert not {"/", "/stats", "/screen", "/blacklist", "/regulator", "/static/{name}"} & paths
    assert {"/v1/reports/quality", "/v1/me"} <= paths


async def test_pages_carry_a_strict_csp_and_hold_no_inline_code(
    client: httpx.AsyncClient, national: Any, seeded: data.Seeded
) -> None:
    """Every page: a CSP allowing only this origin's own scripts and styles, and nothing in
    the markup that such a policy would block (inline script, event handler attributes,
    javascript: URLs, style attributes). Pages that hold a key cannot be framed."""
    entry = f"/blacklist/{seeded.listed_code}"
    for path in (*PUBLIC_PAGES, entry, *REGULATOR_PAGES):
        r = await client.get(path)
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["style-src"] == "'self'", path
        assert "unsafe" not in csp and "http" not in csp, path
        key_page = path.startswith("/regulator")
        assert directives["frame-ancestors"] == ("'none'" if key_page else "'self'"), path
        assert (r.headers.get("x-frame-options") == "DENY") is key_page, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        html = r.text
        for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
            attrs, body = script
            executable = 'type="application/json"' not in attrs
            assert not (executable and body.strip()), f"{path}: inline script {body[:80]!r}"
        assert not re.search(r"\son[a-z]+\s*=", html), f"{path}: inline event handler"
        assert "javascript:" not in html.lower(), path
        assert not re.search(r"\sstyle\s*=", html), f"{path}: inline style attribute"
        assert "<style" not in html, path
    # API answers are never sniffed into something else either
    for r in (
        await client.get("/v1/me", headers=national.headers),
        await client.get("/public/v1/blacklist"),
        await client.get("/v1/me"),  # 401
    ):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "content-security-policy" not in r.headers  # JSON: nothing to run


async def test_the_html_report_gets_a_document_policy(
    client: httpx.AsyncClient, national: Any, seeded: data.Seeded
) -> None:
    r = await client.get(
        "/v1/reports/quality",
        params={"region": "21", "year": 2026, "format": "html"},
        headers=national.headers,
    )
    assert r.status_code == 200, r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert "frame-ancestors 'none'" in csp


async def test_receipts_page_reads_and_verifies_a_receipt(
    client: httpx.AsyncClient, seeded: data.Seeded
) -> None:
    codes = f"{seeded.listed_code}\n{seeded.codes[3]}"
    screened = await client.post("/screen", data={"codes": codes})
    link = re.search(r'href="(/receipts\?receipt=[^"]+)"', screened.text)
    assert link is not None, "the screening page links its receipt"
    page = await _page(client, html.unescape(link.group(1)))
    assert "签名有效" in page and "2 个" in page and "北京时间" in page
    assert f'href="/blacklist/{seeded.listed_code}"' in page

    for fmt, name in (("xlsx", "screening.xlsx"), ("json", "screening.json")):
        download = await client.post("/screen/download", data={"codes": codes, "format": fmt})
        files = {"file": (name, download.content, "application/octet-stream")}
        r = await client.post("/receipts", data={"receipt": ""}, files=files)
        assert r.status_code == 200 and "签名有效" in r.text, fmt

    token = orjson.loads(download.content)["receipt"]["token"]
    body, _, signature = token.partition(".")
    forged = body + "." + ("0" * len(signature))
    r = await client.post("/receipts", data={"receipt": forged})
    assert r.status_code == 200 and "签名无效" in r.text
    r = await client.post("/receipts", data={"receipt": "不是回执"})
    assert r.status_code == 422 and "无法识别回执" in r.text
    r = await client.post("/receipts", data={"receipt": ""})
    assert r.status_code == 422 and "请粘贴回执令牌或上传文件" in r.text


async def test_browser_routes_get_html_error_pages_and_the_api_problems(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "页面不存在" in page.text
    bad = await client.get("/stats", params={"year": "1900"}, headers={"Accept": "text/html"})
    assert bad.status_code == 422 and "请求有误" in bad.text
    api = await client.get("/public/v1/no-such-thing", headers={"Accept": "text/html"})
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")
    favicon = await client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon.headers["content-type"] == "image/svg+xml"
