"""Regulator pages: sign in with an agency key kept only in sessionStorage, then views over
the /v1 API (dossier with grade history, supervision plan, candidates, report)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser
LiveServer = Any  # the conftest's LiveServer


def _sign_in(server: LiveServer, page: Any) -> None:
    page.goto(server.url + "/regulator")
    page.get_by_label("API 密钥").fill(server.key)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#signed-in:not([hidden])")


def test_sign_in_keeps_the_key_in_session_storage_only(live_server: LiveServer, page: Any) -> None:
    _sign_in(live_server, page)
    assert "演示国家级机构" in page.locator("#signed-in").inner_text()
    assert page.evaluate("sessionStorage.getItem('qcredit.key')") == live_server.key
    assert page.evaluate("localStorage.length") == 0
    assert all(live_server.key not in c["value"] for c in page.context.cookies())


def test_a_wrong_key_is_refused(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/regulator")
    page.get_by_label("API 密钥").fill("qck_not-a-real-key")
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#reg-error:not([hidden])")
    assert page.locator("#reg-error").inner_text() == "密钥无效或已吊销。"
    assert page.evaluate("sessionStorage.getItem('qcredit.key')") is None


def test_signed_out_pages_ask_for_a_key(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/regulator/dossier")
    assert page.locator("#need-key").is_visible()
    assert page.locator("#lookup").is_hidden()


def test_dossier_shows_grade_reasons_and_history(live_server: LiveServer, page: Any) -> None:
    enterprise = live_server.api("/v1/enterprises?limit=1", auth=True)["items"][0]
    full = live_server.api(f"/v1/enterprises/{enterprise['code']}", auth=True)
    history = live_server.api(
        f"/v1/enterprises/{enterprise['code']}/classification/history", auth=True
    )
    _sign_in(live_server, page)
    page.get_by_role("link", name="企业信用档案").click()
    page.get_by_label("统一社会信用代码").fill(enterprise["code"])
    page.get_by_role("button", name="查看档案").click()
    card = page.locator("#dossier-card")
    card.wait_for()
    grade = full["classification"]["grade"]
    assert full["name"] in card.locator("h2").inner_text()
    assert card.locator("#dossier-grade").inner_text().startswith(grade + " ")
    assert page.locator("#reasons li").count() == len(full["classification"]["reasons"])
    assert page.locator("#grade-history li").count() == len(history["items"]) >= 1
    assert page.url.endswith(f"?code={enterprise['code']}")


def test_plan_and_candidates_list_from_the_api(live_server: LiveServer, page: Any) -> None:
    plan = live_server.api("/v1/supervision/plan?limit=200", auth=True)
    _sign_in(live_server, page)
    page.goto(live_server.url + "/regulator/plan")
    page.wait_for_selector("#plan table, #plan .notice")
    assert page.locator("#plan tbody tr").count() == len(plan["items"])
    page.goto(live_server.url + "/regulator/candidates")
    page.wait_for_selector("#candidates table, #candidates .notice")
    assert page.locator("#reg-error").is_hidden()
