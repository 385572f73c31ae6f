"""Grades are never public (issue 16 item 6): classes are a supervision reference, not a
public credit rating. This test walks EVERY route that needs no key — each public API route
and each portal page, found from the app itself — and fails on any grade in any answer.

A new public route with a path parameter or a POST body this test does not know fails
here until a sample is added, so no public route escapes the walk.
"""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import openpyxl
import orjson

from service.web.i18n import MESSAGES
from tests.api._blacklist import code, enterprise, listed

# Keys that carry a class, or what it is made of, in a JSON answer.
GRADE_KEYS = {"grade", "grades", "computed_grade", "classification", "reasons", "supervision"}
# Grade labels in both languages (zh-CN 分类等级 and the class names), and the CSS class the
# regulator pages draw a grade with.
GRADE_WORDS = [v for k, v in MESSAGES.items() if k.startswith("grade.") or k == "field.grade"]
GRADE_TEXT = re.compile(
    "|".join(re.escape(w) for pair in GRADE_WORDS for w in pair) + r"|grade-(AA|A|B|C)\b"
)
# Routes that need no key but are not public data.
NOT_DATA = ("/docs", "/redoc", "/openapi.json", "/metrics", "/healthz", "/readyz")
# Regulator pages are shells (the agency key lives in the browser): they may carry the
# grade *labels* for their script, never an enterprise's data.
SHELL = "/regulator"


def _routes(app: Any) -> list[Any]:
    """Every route; FastAPI ≥ 0.165 keeps included routers whole (their paths already carry
    the router's prefix: the app includes them without one)."""
    out = []
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        out.extend(inner.routes if inner is not None else [route])
    return out


def _public_routes(app: Any) -> list[tuple[str, str]]:
    out = []
    for route in _routes(app):
        path = getattr(route, "path", "")
        if path.startswith("/v1") or path in NOT_DATA or path.startswith("/docs"):
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method in ("GET", "POST"):
                out.append((method, path))
    return out


def _keys(doc: Any) -> set[str]:
    if isinstance(doc, dict):
        return set(doc) | {k for v in doc.values() for k in _keys(v)}
    if isinstance(doc, list):
        return {k for v in doc for k in _keys(v)}
    return set()


def _check(label: str, r: httpx.Response, name: str, *, shell: bool) -> None:
    assert r.status_code < 500, (label, r.status_code, r.text[:300])
    media = r.headers.get("content-type", "")
    if media.startswith("application/json"):
        keys = _keys(orjson.loads(r.content))
        assert not keys & GRADE_KEYS, (label, keys & GRADE_KEYS)
    elif "spreadsheetml" in media:
        book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
        cells = {
            str(c)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c is not None
        }
        assert not cells & GRADE_KEYS, (label, cells & GRADE_KEYS)
    else:
        text = r.text
        if media.startswith("text/csv"):
            header = set(text.splitlines()[0].split(",")) if text else set()
            assert not header & GRADE_KEYS, (label, header)
        if shell:
            assert name not in text, label  # a shell renders no enterprise data
        elif "/static/" not in label:
            found = GRADE_TEXT.search(text)
            assert found is None, (label, found and found.group(0))


async def test_no_public_route_or_page_shows_a_grade(
    client: httpx.AsyncClient, app: Any, national: Any
) -> None:
    h = national.headers
    a, c = code(901), code(902)
    await listed(client, h, a, "NG1", name="盘锦无等级乳业有限公司")  # grade C, listed
    await enterprise(client, h, c, "盘锦常态乳业有限公司")  # grade B (no inspection)
    for uscc, grade in ((a, "C"), (c, "B")):
        got = await client.get(f"/v1/enterprises/{uscc}/classification", headers=h)
        assert got.json()["grade"] == grade  # the agency sees it...

    rec = await client.post(
        f"/v1/enterprises/{a}/records",
        json={
            "kind": "inspection",
            "source_ref": "NG-I1",
            "occurred_on": "2026-05-01",
            "product_category": "dairy",
            "level": "provincial",
            "result": "pass",
        },
        headers=h,
    )
    ann = await client.post(
        "/v1/announcements",
        json={
            "title": "抽查结果",
            "announced_on": "2026-06-01",
            "product_category": "dairy",
            "level": "provincial",
            "record_ids": [rec.json()["id"]],
        },
        headers=h,
    )
    ann_id = ann.json()["id"]
    await client.post(f"/v1/announcements/{ann_id}/publish", json={}, headers=h)

    override = {"action": "override", "grade": "AA", "reason": "x", "expires_on": "2027-01-01"}
    await client.post(f"/v1/enterprises/{c}/classification/review", json=override, headers=h)
    honour = await client.post("/v1/honours", json={"code": c, "reason": "守信"}, headers=h)
    assert honour.status_code == 201, honour.text  # the honour list names it, never its class

    samples = {"code": a, "name": "app.css", "announcement_id": ann_id}
    bodies: dict[str, dict[str, Any]] = {
        "/public/v1/screen": {"json": {"codes": [a, c, "bad"]}},
        "/public/v1/screen/verify": {"json": {"receipt": "x.y"}},
        "/screen": {"data": {"codes": f"{a}\n{c}\nbad"}},
        "/screen/download": {"data": {"codes": f"{a}\n{c}", "format": "xlsx"}},
        "/receipts": {"data": {"receipt": "x.y"}},
    }
    extra_gets = [
        "/public/v1/blacklist/export?format=csv",
        "/public/v1/blacklist/export?format=xlsx",
        "/public/v1/blacklist/export?format=json",
        f"/blacklist?q={a}",
        f"/regulator/dossier?code={a}",
        "/?lang=en",
        f"/public/v1/announcements?code={a}",
        "/public/v1/warnings?region=2111",
        "/public/v1/honours?region=2111",
    ]
    walked = 0
    for method, path in _public_routes(app):
        params = re.findall(r"{(\w+)(?::\w+)?}", path)
        unknown = [p for p in params if p not in samples]
        assert not unknown, f"add a sample for {unknown} of {method} {path}"
        url = re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(samples[m.group(1)]), path)
        shell = url.startswith(SHELL)
        if method == "GET":
            for lang in ("", "?lang=en" if "?" not in url else "&lang=en"):
                _check(f"GET {url}{lang}", await client.get(url + lang), "盘锦", shell=shell)
        else:
            assert path in bodies, f"add a sample body for POST {path}"
            kwargs = bodies[path]
            _check(f"POST {url}", await client.post(url, **kwargs), "盘锦", shell=shell)
            if path == "/screen/download":
                json_dl = {"data": {**kwargs["data"], "format": "json"}}
                _check(f"POST {url} json", await client.post(url, **json_dl), "", shell=False)
            if path == "/public/v1/screen":
                csv_kw = {
                    "content": f"{a}\n{c}\n".encode(),
                    "headers": {"Content-Type": "text/csv"},
                }
                r = await client.post(url + "?format=csv", **csv_kw)
                _check(f"POST {url} csv", r, "", shell=False)
        walked += 1
    for url in extra_gets:
        _check(f"GET {url}", await client.get(url), "盘锦", shell=url.startswith(SHELL))
    assert walked >= 15  # the walk found the routes (a broken filter cannot pass silently)
