"""The public portal as a new user meets it, in headless Chromium against `qcredit demo` data."""

from __future__ import annotations

import io
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

# the conftest's LiveServer: url, key, api(path, auth=False)
LiveServer = Any

pytestmark = pytest.mark.browser


def _listed(server: LiveServer) -> dict[str, Any]:
    page = server.api("/public/v1/blacklist?status=listed&limit=1")
    assert page["items"], "the demo data has no published listing to search for"
    item: dict[str, Any] = page["items"][0]
    return item


def test_search_finds_a_listed_enterprise(live_server: LiveServer, page: Any) -> None:
    listed = _listed(live_server)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_label("企业名称或统一社会信用代码").fill(listed["name"])
    page.get_by_label("企业名称或统一社会信用代码").press("Enter")
    page.wait_for_url("**/blacklist?*")
    row = page.locator("tr.result", has_text=listed["code"]).first
    assert row.locator(".badge.listed").inner_text() == "在列"
    assert listed["authority"] in row.inner_text()
    row.get_by_role("link", name=listed["name"]).click()
    page.wait_for_url(f"**/blacklist/{listed['code']}")
    assert "该企业目前在严重违法失信名单中" in page.get_by_role("status").inner_text()
    assert listed["reason"] in page.locator("main").inner_text()


def test_search_filters_by_status_and_finds_by_code(live_server: LiveServer, page: Any) -> None:
    listed = _listed(live_server)
    page.goto(live_server.url + "/blacklist")
    page.get_by_label("企业名称或统一社会信用代码").fill(listed["code"].lower())
    page.get_by_label("状态").select_option("listed")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**status=listed*")
    rows = page.locator("tr.result")
    assert rows.count() >= 1
    assert all(listed["code"] in rows.nth(i).inner_text() for i in range(rows.count()))


def test_screening_upload_shows_the_hit_and_downloads_a_signed_result(
    live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    listed = _listed(live_server)
    clean = next(
        e["code"]
        for e in live_server.api("/v1/enterprises?limit=200", auth=True)["items"]
        if not live_server.api(f"/public/v1/blacklist/{e['code']}")["listed"]
    )
    upload = tmp_path / "suppliers.csv"
    upload.write_text(
        f"统一社会信用代码\n{clean}\n{listed['code']}\nNOT-A-CODE\n", encoding="utf-8"
    )
    page.goto(live_server.url + "/screen")
    page.get_by_label("或上传文件（CSV/XLSX，取第一列）").set_input_files(str(upload))
    page.get_by_role("button", name="开始筛查").click()
    page.wait_for_selector("#screen-summary")
    assert page.locator("#screen-summary").inner_text() == "共 3 个代码：1 个在列，1 个无效。"
    hit = page.locator("tr.hit")
    assert hit.count() == 1
    assert listed["code"] in hit.inner_text() and listed["name"] in hit.inner_text()
    assert page.locator("tr.invalid").count() == 1

    with page.expect_download() as info:
        page.locator("#download-xlsx").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    results = [r for r in book["筛查结果"].iter_rows(values_only=True)]
    assert results[0][:5] == ("输入", "统一社会信用代码", "代码有效", "已登记", "在列")
    assert [r[4] for r in results[1:]] == ["否", "是", "否"]
    receipt = {k: v for k, v in book["回执"].iter_rows(min_row=2, values_only=True)}
    assert receipt["在列企业代码"] == listed["code"]
    token = urllib.parse.quote(str(receipt["回执令牌"]))
    assert live_server.api(f"/public/v1/screen/verify?receipt={token}")["authentic"] is True


def test_statistics_page_renders_charts_with_the_api_figures(
    live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/stats")
    year = page.get_by_label("年度").input_value()
    api = live_server.api(
        f"/v1/stats/inspections?group_by=product&from={year}-01-01&to={year}-12-31", auth=True
    )
    assert api["total"]["inspections"] > 0, "the demo data has no inspections this year"
    assert page.locator("#total-rate").inner_text() == f"{api['total']['rate'] * 100:.1f}%"
    product = page.locator("#sec-product svg.chart")
    assert product.get_attribute("role") == "img"
    assert product.locator("rect.bar, rect.bar-low").count() == len(api["groups"])
    assert product.locator("line.target").count() == 1
    assert page.locator("#sec-month svg.chart circle").count() >= 1
    assert page.locator("#sec-region .tiles li").count() >= 1
    # the English switch, remembered by a cookie
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Product sampling pass rates"
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.mobile
def test_pages_fit_a_phone_screen(live_server: LiveServer, page: Any) -> None:
    for path in ("/", "/blacklist?status=listed", "/screen", "/stats", "/regulator"):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"


def test_keyboard_reaches_the_skip_link_and_the_search(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"


def test_penalty_publication_page_lists_and_finds_a_penalty(
    live_server: LiveServer, page: Any
) -> None:
    found = live_server.api("/public/v1/penalties?limit=1")["items"]
    assert found, "the demo data has no penalty public today"
    penalty = found[0]
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="行政处罚公示").click()
    page.wait_for_url("**/penalties")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "市场监管总局令第45号" in page.locator("main").inner_text()
    assert page.locator("#penalties tr.result").count() >= 1
    page.get_by_label("企业名称或统一社会信用代码").fill(penalty["name"])
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/penalties?*")
    row = page.locator("tr.result", has_text=penalty["decision_number"]).first
    assert penalty["code"] in row.inner_text()
    assert penalty["public_until"] in row.inner_text()
    assert "分类等级" not in page.locator("main").inner_text()


def test_announcement_page_shows_results_with_final_conclusions(
    live_server: LiveServer, page: Any
) -> None:
    found = live_server.api("/public/v1/announcements?limit=1")["items"]
    assert found, "the demo data has no published announcement"
    ann = found[0]
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="抽查结果公示").click()
    page.wait_for_url("**/announcements")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_role("link", name=ann["title"]).click()
    page.wait_for_url(f"**/announcements/{ann['id']}")
    assert page.get_by_role("heading", name=ann["title"]).is_visible()
    rows = page.locator("#results tr.result")
    assert rows.count() == ann["count"]
    assert "最终结论" in page.locator("#results thead").inner_text()
    finals = page.locator('#results td[data-label="最终结论"]').all_inner_texts()
    assert sum(f.strip() == "不合格" for f in finals) == ann["failed"]
    assert "分类等级" not in page.locator("main").inner_text()


def test_warnings_page_shows_the_warnings_in_force(live_server: LiveServer, page: Any) -> None:
    found = live_server.api("/public/v1/warnings")["items"]
    assert found, "the demo data has no warning in force"
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="质量安全预警").click()
    page.wait_for_url("**/warnings")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    items = page.locator("#warnings li")
    assert items.count() == len(found)
    assert found[0]["title"] in items.first.inner_text()
    assert found[0]["advice"] in items.first.inner_text()


def test_honour_list_page_matches_the_public_api(live_server: LiveServer, page: Any) -> None:
    found = live_server.api("/public/v1/honours")["items"]
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="守信激励名单").click()
    page.wait_for_url("**/honours")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    main = page.locator("main").inner_text()
    if found:
        assert page.locator("#honours tr.result").count() == len(found)
        assert found[0]["name"] in main
    else:
        assert "暂无守信激励名单" in main
    assert "优秀自律" not in main and "分类等级" not in main


@pytest.mark.mobile
def test_a_screening_receipt_fits_a_phone_and_reads_in_words(
    live_server: LiveServer, page: Any
) -> None:
    listed = _listed(live_server)
    page.goto(live_server.url + "/screen")
    page.get_by_label("代码（每行一个）").fill(f"{listed['code']}\n12345")
    page.get_by_role("button", name="开始筛查").click()
    page.wait_for_selector("#screen-summary")
    page.locator("details summary").click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the receipt widens the page to {width}px"
    page.locator("#receipt-link").click()
    page.wait_for_selector("#receipt-verdict")
    assert "签名有效" in page.locator("#receipt-verdict").inner_text()
    facts = page.locator("#receipt-facts").inner_text()
    assert "2 个" in facts and listed["code"] in facts
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
