"""Every portal page in zh-CN and English, at desktop (1280) and phone (390) width, as an
offline intranet user meets it: no request leaves the host (docs included), no page scrolls
sideways on a phone, and a zh-CN page shows no English words outside a short allow-list.
Each page leaves a screenshot in test-output/pages/ for a person to look at."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import OUTPUT
from tests.zh_scan import english_words

pytestmark = pytest.mark.browser
LiveServer = Any  # the conftest's LiveServer
SHOTS = OUTPUT / "pages"


def _codes(server: LiveServer) -> tuple[str, str]:
    listed = server.api("/public/v1/blacklist?status=listed&limit=1")["items"][0]["code"]
    removed = server.api("/public/v1/blacklist?status=removed&limit=1")["items"]
    return listed, (removed[0]["code"] if removed else listed)


def _pages(server: LiveServer) -> list[tuple[str, str, bool]]:
    """(slug, path, needs the regulator key)."""
    listed, removed = _codes(server)
    enterprise = server.api("/v1/enterprises?limit=1", auth=True)["items"][0]["code"]
    wrong = listed[:-1] + ("0" if listed[-1] != "0" else "1")
    token = _receipt_token(server, [listed, enterprise])
    return [
        ("home", "/", False),
        ("search", "/blacklist", False),
        ("search-listed", "/blacklist?status=listed", False),
        ("search-removed", "/blacklist?status=removed", False),
        ("search-none", "/blacklist?q=" + urllib.parse.quote("没有这家企业"), False),
        ("search-wrong-check", "/blacklist?q=" + wrong, False),
        ("entry-listed", f"/blacklist/{listed}", False),
        ("entry-removed", f"/blacklist/{removed}", False),
        ("entry-wrong-check", f"/blacklist/{wrong}", False),
        ("screen", "/screen", False),
        ("downloads", "/downloads", False),
        ("stats", "/stats", False),
        ("receipts", "/receipts", False),
        ("receipt-shown", "/receipts?receipt=" + urllib.parse.quote(token), False),
        ("not-found", "/no-such-page", False),
        ("reg-signin", "/regulator", False),
        ("reg-dossier", f"/regulator/dossier?code={enterprise}", True),
        ("reg-plan", "/regulator/plan", True),
        ("reg-candidates", "/regulator/candidates", True),
        ("reg-report", "/regulator/report", True),
        ("docs", "/docs", False),
        ("redoc", "/redoc", False),
    ]


def _receipt_token(server: LiveServer, codes: list[str]) -> str:
    request = urllib.request.Request(
        server.url + "/public/v1/screen",
        data=json.dumps({"codes": codes}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return str(json.loads(response.read())["receipt"]["token"])


def _sign_in(server: LiveServer, page: Any) -> None:
    page.goto(server.url + "/regulator")
    page.evaluate("k => sessionStorage.setItem('qcredit.key', k)", server.key)


def _settle(page: Any, slug: str) -> None:
    page.wait_for_load_state("networkidle")
    if slug == "docs":
        page.wait_for_selector(".swagger-ui .info")
    elif slug == "redoc":
        page.wait_for_selector("redoc h1, .api-content h1", timeout=20_000)
    elif slug == "reg-dossier":
        page.wait_for_selector("#dossier-card, #reg-error:not([hidden])")
    elif slug in ("reg-plan", "reg-candidates"):
        page.wait_for_selector(f"#{slug[4:]} table, #{slug[4:]} .notice")


def _visible_text(page: Any) -> str:
    """What a reader sees or hears: text, titles, placeholders, labels and alt texts."""
    return str(
        page.evaluate(
            """() => {
            const parts = [document.title, document.body.innerText];
            const sel = '[placeholder],[aria-label],[title],[alt]';
            for (const el of document.querySelectorAll(sel)) {
              for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
                if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
              }
            }
            for (const el of document.querySelectorAll('svg title, svg text, option')) {
              parts.push(el.textContent);
            }
            return parts.join('\\n');
          }"""
        )
    )


def _visit_all(server: LiveServer, page: Any, lang: str, width: int) -> dict[str, list[str]]:
    host = urllib.parse.urlsplit(server.url).netloc
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urllib.parse.urlsplit(r.url).netloc != host
            and not r.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    english: dict[str, list[str]] = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    signed_in = False
    for slug, path, needs_key in _pages(server):
        if needs_key and not signed_in:
            _sign_in(server, page)
            signed_in = True
        sep = "&" if "?" in path else "?"
        page.goto(f"{server.url}{path}{sep}lang={lang}")
        _settle(page, slug)
        # the API docs are pages long: their first screen is what shows they render
        full = slug not in ("docs", "redoc")
        page.screenshot(path=str(SHOTS / f"{lang}-{width}-{slug}.png"), full_page=full)
        if width < 500 and slug not in ("docs", "redoc"):
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path} scrolls sideways on a phone ({scroll}px)"
        if lang == "zh" and slug not in ("docs", "redoc"):  # the API docs are in English
            found = english_words(_visible_text(page))
            if found:
                english[path] = found
    assert outside == [], f"requests left the host: {outside}"
    return english


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_on_a_desktop(live_server: LiveServer, page: Any, lang: str) -> None:
    english = _visit_all(live_server, page, lang, 1280)
    assert english == {}, f"English words on zh-CN pages: {english}"


@pytest.mark.mobile
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_on_a_phone(live_server: LiveServer, page: Any, lang: str) -> None:
    english = _visit_all(live_server, page, lang, 390)
    assert english == {}, f"English words on zh-CN pages: {english}"


def test_the_scan_finds_english(tmp_path: Path) -> None:
    """The scanner itself: it must catch a slug and let codes, grades and units through."""
    assert english_words("状态:listed") == ["listed"]
    assert english_words("91211100MA0XXXXX7Q 等级 AA,B 级;下载 CSV、XLSX;5 km") == []
    assert re.fullmatch(r"\w+", "x")
