"""Watchlists and watchlist-narrowed webhooks: a procurement platform hears when one of its
suppliers is listed or changes grade, and nothing about anyone else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from service.credit.codes import make_uscc
from tests.api._blacklist import listed
from tests.api._sharing import (
    HEBEI,
    PANJIN,
    SHENYANG,
    Receiver,
    dispatcher_for,
    put_enterprise,
    receiver_fixture,
)

SECRET = "supplier-watch-secret-0123456789"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from receiver_fixture()


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], codes: list[str], name: str = "供应商"
) -> dict[str, Any]:
    r = await client.post("/v1/watchlists", json={"name": name, "codes": codes}, headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_invalid_codes_are_reported_per_item_and_the_rest_kept(
    client: httpx.AsyncClient, national: Any
) -> None:
    await put_enterprise(client, national.headers, SHENYANG)
    wrong_check = PANJIN[:17] + ("0" if PANJIN[17] != "0" else "1")
    codes = [
        PANJIN.lower(),  # any spelling is normalized
        wrong_check,
        "12345",
        f"{SHENYANG[8:16]}-{SHENYANG[16]}",  # org code of a registered enterprise
        "00000000-0",  # org code nobody registered (valid check digit)
        PANJIN,  # duplicate
        HEBEI,
    ]
    out = await create(client, national.headers, codes)
    assert out["accepted"] == out["count"] == 3
    rejected = {r["index"]: r for r in out["rejected"]}
    assert set(rejected) == {1, 2, 4}
    assert rejected[1]["rule"] == "uscc_check"
    assert rejected[1]["expected"] == PANJIN[17]
    assert rejected[1]["code"] == wrong_check
    assert rejected[2]["rule"] == "length"
    assert rejected[4]["rule"] == "org-code-unknown"

    r = await client.get(f"/v1/watchlists/{out['id']}", headers=national.headers)
    assert r.status_code == 200
    detail = r.json()
    assert detail["codes"] == sorted([PANJIN, SHENYANG, HEBEI])
    assert detail["count"] == 3
    assert detail["next_cursor"] is None
    # paging through codes
    r = await client.get(
        f"/v1/watchlists/{out['id']}", params={"limit": 2}, headers=national.headers
    )
    page = r.json()
    assert len(page["codes"]) == 2
    r = await client.get(
        f"/v1/watchlists/{out['id']}",
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=national.headers,
    )
    assert page["codes"] + r.json()["codes"] == detail["codes"]


async def test_replace_list_delete_and_ownership(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    out = await create(client, national.headers, [PANJIN, HEBEI])
    wid = out["id"]
    r = await client.put(
        f"/v1/watchlists/{wid}/codes", json={"codes": [SHENYANG, "bad"]}, headers=national.headers
    )
    assert r.status_code == 200
    assert r.json()["count"] == 1
    assert [x["index"] for x in r.json()["rejected"]] == [1]
    detail = (await client.get(f"/v1/watchlists/{wid}", headers=national.headers)).json()
    assert detail["codes"] == [SHENYANG]

    listing = (await client.get("/v1/watchlists", headers=national.headers)).json()
    assert [(w["id"], w["count"]) for w in listing["items"]] == [(wid, 1)]

    other = await make_agency("province", "21")
    for method, path in [("GET", f"/v1/watchlists/{wid}"), ("DELETE", f"/v1/watchlists/{wid}")]:
        r = await client.request(method, path, headers=other.headers)
        assert r.status_code == 404
    r = await client.put(f"/v1/watchlists/{wid}/codes", json={"codes": []}, headers=other.headers)
    assert r.status_code == 404
    assert (await client.get("/v1/watchlists", headers=other.headers)).json()["items"] == []

    r = await client.delete(f"/v1/watchlists/{wid}", headers=national.headers)
    assert r.status_code == 204
    assert (await client.get(f"/v1/watchlists/{wid}", headers=national.headers)).status_code == 404


async def test_in_use_watchlist_cannot_be_deleted(
    client: httpx.AsyncClient, national: Any, receiver: Receiver
) -> None:
    wid = (await create(client, national.headers, [PANJIN]))["id"]
    r = await client.post(
        "/v1/webhooks",
        json={"url": receiver.url, "secret": SECRET, "watchlist_id": wid},
        headers=national.headers,
    )
    assert r.status_code == 201, r.text
    r = await client.delete(f"/v1/watchlists/{wid}", headers=national.headers)
    assert r.status_code == 409
    assert r.json()["rule"] == "watchlist-in-use"


async def test_size_limit(client: httpx.AsyncClient, national: Any) -> None:
    r = await client.post(
        "/v1/watchlists", json={"name": "x", "codes": [PANJIN] * 100_001}, headers=national.headers
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "codes"


async def test_a_hundred_thousand_codes(client: httpx.AsyncClient, national: Any) -> None:
    codes = [make_uscc(f"{n:08d}", region="211100") for n in range(100_000)]
    out = await create(client, national.headers, codes)
    assert out["accepted"] == 100_000
    assert out["rejected"] == []
    detail = (await client.get(f"/v1/watchlists/{out['id']}", headers=national.headers)).json()
    assert detail["count"] == 100_000
    assert len(detail["codes"]) == 1000


async def test_watchlist_webhook_hears_listing_and_grade_change_of_suppliers_only(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver
) -> None:
    supplier = make_uscc("30000001", region="211100")
    stranger = make_uscc("30000002", region="211100")
    wid = (await create(client, national.headers, [supplier]))["id"]
    r = await client.post(
        "/v1/webhooks",
        json={
            "url": receiver.url,
            "secret": SECRET,
            "events": ["blacklist.", "grade.changed"],
            "watchlist_id": wid,
        },
        headers=national.headers,
    )
    assert r.status_code == 201, r.text
    # both are penalised and listed; only the supplier is on the watchlist
    await listed(client, national.headers, supplier, "W1")
    await listed(client, national.headers, stranger, "W2")
    await dispatcher_for(app).run_once()

    payloads = [orjson.loads(x.body) for x in receiver.delivered()]
    assert payloads, "nothing delivered"
    assert {p["code"] for p in payloads} == {supplier}
    types = [p["type"] for p in sorted(payloads, key=lambda p: p["seq"])]
    assert {"blacklist.proposed", "blacklist.listed", "blacklist.published"} <= set(types)
    assert all(t.startswith("blacklist.") or t == "grade.changed" for t in types)
    # deliveries are sent concurrently, so order by seq, not by arrival
    grades = [
        p["data"] for p in sorted(payloads, key=lambda p: p["seq"]) if p["type"] == "grade.changed"
    ]
    assert grades and grades[-1]["to"] == "C"  # a listed enterprise is class C
    # the feed has the stranger's events too: the filter is the watchlist, not the feed
    feed = await client.get("/v1/changes", params={"limit": 1000}, headers=national.headers)
    assert stranger in {e["code"] for e in feed.json()["events"]}
