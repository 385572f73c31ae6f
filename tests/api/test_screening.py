"""Bulk screening (agency and public): order, per-item errors, limits, CSV, receipts."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from service.credit.codes import make_uscc
from tests.api._blacklist import code, enterprise, listed

UNKNOWN = make_uscc("55555555", region="130100")


async def setup(client: httpx.AsyncClient, h: dict[str, str]) -> tuple[str, str, str]:
    """A listed and published; B listed, unpublished; C registered, not listed."""
    a, b, c = code(201), code(202), code(203)
    await listed(client, h, a, "SA")
    await listed(client, h, b, "SB", publish=False)
    await enterprise(client, h, c)
    return a, b, c


async def screen(
    client: httpx.AsyncClient, codes: list[Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    path = "/v1/screen" if headers else "/public/v1/screen"
    r = await client.post(path, json={"codes": codes}, headers=headers or {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return dict(r.json())


async def test_results_in_request_order_with_per_item_errors(
    client: httpx.AsyncClient, national: Any
) -> None:
    h = national.headers
    a, b, c = await setup(client, h)
    spaced = f"{a[:6].lower()} {a[6:12]}-{a[12:]}"
    org_b = f"{b[8:16]}-{b[16]}"
    wrong = c[:17] + ("0" if c[17] != "0" else "1")
    codes: list[Any] = [spaced, UNKNOWN, "garbage", org_b, 12345, wrong, c, a]
    out = await screen(client, codes, h)
    results = out["results"]
    assert len(results) == len(codes)
    assert results[0] == {
        "code": a,
        "input": spaced,
        "valid": True,
        "known": True,
        "listed": True,
        "grade": "C",
    }
    assert results[1] == {
        "code": UNKNOWN,
        "valid": True,
        "known": False,
        "listed": False,
        "grade": None,
    }
    assert results[2]["valid"] is False
    assert results[2]["error"]["rule"] == "length"
    assert results[3]["code"] == b and results[3]["input"] == org_b
    assert results[3]["listed"] is True  # agencies see unpublished listings too
    assert results[4]["error"]["rule"] == "type"
    assert results[5]["error"] == {
        "rule": "uscc_check",
        "message": results[5]["error"]["message"],
        "expected": c[17],
    }
    assert (results[6]["listed"], results[6]["grade"]) == (False, "B")
    assert results[7]["code"] == a and "input" not in results[7]
    assert isinstance(out["dataset_version"], int) and out["dataset_version"] > 0
    assert out["receipt"]["hits"] == sorted([a, b])
    assert out["receipt"]["count"] == len(codes)
    assert out["receipt"]["dataset_version"] == out["dataset_version"]

    public = await screen(client, [a, org_b, c])
    assert [r["listed"] for r in public["results"]] == [True, False, False]
    assert public["receipt"]["hits"] == [a]


async def test_dataset_version_follows_the_feed(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    before = (await screen(client, [UNKNOWN]))["dataset_version"]
    await enterprise(client, h, code(204))
    after = (await screen(client, [UNKNOWN]))["dataset_version"]
    assert after > before
    feed = (await client.get("/v1/changes", params={"after": 0, "limit": 1000}, headers=h)).json()
    assert after == max(e["seq"] for e in feed["events"])


async def test_limits(client: httpx.AsyncClient, national: Any) -> None:
    r = await client.post("/public/v1/screen", json={"codes": [UNKNOWN] * 1001})
    assert r.status_code == 413
    body = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert body["errors"][0]["field"] == "codes"
    assert body["errors"][0]["expected"] == "<= 1000"
    assert "1000" in body["detail"]
    assert len((await screen(client, [UNKNOWN] * 1000))["results"]) == 1000

    r = await client.post(
        "/v1/screen", json={"codes": [UNKNOWN] * 100_001}, headers=national.headers
    )
    assert r.status_code == 413
    assert r.json()["errors"][0]["expected"] == "<= 100000"

    assert (await client.post("/v1/screen", json={"codes": [UNKNOWN]})).status_code == 401
    bad_bodies: list[Any] = [{"codes": "x"}, [UNKNOWN], {"nope": []}]
    for bad in bad_bodies:
        r = await client.post("/public/v1/screen", json=bad)
        assert r.status_code == 422, bad
        assert r.json()["errors"][0]["field"] == "codes"
    r = await client.post(
        "/public/v1/screen", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422
    r = await client.post(
        "/public/v1/screen", content=b"x", headers={"Content-Type": "application/xml"}
    )
    assert r.status_code == 415


async def test_csv_in_and_out(client: httpx.AsyncClient, national: Any) -> None:
    h = national.headers
    a, _, c = await setup(client, h)
    with_header = f"name,code\n甲,{a}\n乙,bad\n丙,{c}\n"
    r = await client.post(
        "/v1/screen?lang=en&bom=false",
        content=with_header.encode(),
        headers={**h, "Content-Type": "text/csv", "Accept": "text/csv"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["code"], x["valid"], x["listed"], x["grade"]) for x in rows] == [
        (a, "true", "true", "C"),
        ("bad", "false", "false", ""),
        (c, "true", "false", "B"),
    ]
    assert rows[1]["error_rule"] == "length"
    token = r.headers["x-screen-receipt"]
    check = (await client.get("/public/v1/screen/verify", params={"receipt": token})).json()
    assert check["authentic"] is True
    assert check["receipt"]["hits"] == [a]

    plain = f"\ufeff{a}\n\n{c.lower()}\n".encode()  # one per line, BOM, blank line
    r = await client.post(
        "/public/v1/screen?format=csv&lang=en", content=plain, headers={"Content-Type": "text/csv"}
    )
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [(x["input"], x["code"], x["listed"]) for x in rows] == [
        (a, a, "true"),
        (c.lower(), c, "false"),
    ]


async def test_receipts_verify(client: httpx.AsyncClient, national: Any) -> None:
    a, _, _ = await setup(client, national.headers)
    receipt = (await screen(client, [a, UNKNOWN]))["receipt"]
    assert receipt["alg"] == "HMAC-SHA256"
    ok = await client.get("/public/v1/screen/verify", params={"receipt": receipt["token"]})
    assert ok.json()["authentic"] is True
    assert (await client.post("/public/v1/screen/verify", json=receipt)).json()["authentic"]
    forged = {**receipt, "hits": []}
    r = await client.post("/public/v1/screen/verify", json={"receipt": forged})
    assert r.status_code == 200
    assert r.json()["authentic"] is False
    r = await client.get("/public/v1/screen/verify", params={"receipt": "not-a-receipt"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "receipt"
    # The same secret signs on the agency endpoint (one key per registry).
    agency = await screen(client, [a], national.headers)
    check = await client.get(
        "/public/v1/screen/verify", params={"receipt": agency["receipt"]["token"]}
    )
    assert check.json()["authentic"] is True


async def test_csv_for_people_is_chinese_with_yes_no_and_the_expected_check_character(
    client: httpx.AsyncClient, national: Any
) -> None:
    a, _, _ = await setup(client, national.headers)
    typo = a[:17] + ("0" if a[17] != "0" else "1")
    r = await client.post(
        "/public/v1/screen?format=csv",
        content=f"{a}\n{typo}\n=1+1\n".encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert list(rows[0])[:5] == ["输入", "统一社会信用代码", "代码有效", "已登记", "在列"]
    assert (rows[0]["代码有效"], rows[0]["在列"]) == ("是", "是")
    assert rows[1]["代码有效"] == "否"
    assert rows[1]["错误说明"] == f"统一社会信用代码校验位错误：应为 {a[17]}，实为 {typo[17]}"
    assert rows[2]["输入"] == "'=1+1"  # a formula typed into the list stays text
