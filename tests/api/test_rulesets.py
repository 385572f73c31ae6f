"""Rule sets as data: list, publish (strictly validated, immutable versions), activate
(re-grades stored classes), on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import date
from importlib import resources
from typing import Any

import httpx
import pytest

from service.credit.classification import DEFAULT_RULESET_ID
from service.credit.ruleset_loader import builtin_rulesets
from service.store.recompute import run as recompute
from tests.api._grading import code, put_enterprise

DEFAULT_TOML = (
    resources.files("service.credit")
    .joinpath(f"rulesets/{DEFAULT_RULESET_ID}.toml")
    .read_text(encoding="utf-8")
)
# A stricter version: an enterprise never sampled in 36 months is C instead of B.
STRICT_ID = "strict-2026-v1"
STRICT_TOML = DEFAULT_TOML.replace(
    f'id = "{DEFAULT_RULESET_ID}"', f'id = "{STRICT_ID}"', 1
).replace('id = "B-no-inspection"\ngrade = "B"', 'id = "C-no-inspection"\ngrade = "C"')
TOML = {"Content-Type": "application/toml"}


def _h(agency: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**agency.headers, **(extra or {})}


async def test_list_names_builtin_active_with_etag(
    client: httpx.AsyncClient, national: Any
) -> None:
    r = await client.get("/v1/rulesets", headers=national.headers)
    assert r.status_code == 200
    data = r.json()
    assert data["active"] == DEFAULT_RULESET_ID
    [item] = [i for i in data["items"] if i["id"] == DEFAULT_RULESET_ID]
    assert item["builtin"] is True and item["active"] is True
    assert item["rule_count"] == len(builtin_rulesets()[DEFAULT_RULESET_ID].rules)
    again = await client.get(
        "/v1/rulesets", headers=_h(national, {"If-None-Match": r.headers["ETag"]})
    )
    assert again.status_code == 304

    r = await client.get(f"/v1/rulesets/{DEFAULT_RULESET_ID}", headers=national.headers)
    assert r.status_code == 200
    detail = r.json()
    assert detail["body"] == DEFAULT_TOML
    assert [x["id"] for x in detail["rules"]][:2] == ["C-active-blacklist", "C-heavier-penalty"]
    assert (await client.get("/v1/rulesets/nope-v9", headers=national.headers)).status_code == 404


async def test_publish_needs_admin(client: httpx.AsyncClient, make_agency: Any) -> None:
    writer = await make_agency(scopes=frozenset({"records:write"}))
    r = await client.post("/v1/rulesets", content=STRICT_TOML, headers=_h(writer, TOML))
    assert r.status_code == 403
    assert r.json()["rule"] == "scope"


async def test_invalid_rule_set_is_422_naming_the_problem(
    client: httpx.AsyncClient, national: Any
) -> None:
    bad = STRICT_TOML.replace('predicate = "penalty_heavier"', 'predicate = "penalty_heavy"')
    r = await client.post("/v1/rulesets", content=bad, headers=_h(national, TOML))
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    [err] = r.json()["errors"]
    assert err["field"] == "body" and err["rule"] == "ruleset"
    assert "C-heavier-penalty" in err["message"] and "penalty_heavy" in err["message"]

    r = await client.post("/v1/rulesets", content="id = [", headers=_h(national, TOML))
    assert r.status_code == 422
    assert "invalid TOML" in r.json()["errors"][0]["message"]

    long_id = STRICT_TOML.replace(f'id = "{STRICT_ID}"', f'id = "{"v" * 65}"', 1)
    r = await client.post("/v1/rulesets", content=long_id, headers=_h(national, TOML))
    assert r.status_code == 422
    assert "longer than 64" in r.json()["errors"][0]["message"]

    r = await client.post("/v1/rulesets", content=b"\xff\xfe", headers=_h(national, TOML))
    assert r.status_code == 422
    assert r.json()["errors"][0]["rule"] == "encoding"

    r = await client.post(
        "/v1/rulesets", content=STRICT_TOML, headers=_h(national, {"Content-Type": "image/png"})
    )
    assert r.status_code == 415
    assert (
        await client.get(f"/v1/rulesets/{STRICT_ID}", headers=national.headers)
    ).status_code == 404


async def test_publish_is_immutable_and_idempotent(
    client: httpx.AsyncClient, national: Any
) -> None:
    r = await client.post("/v1/rulesets", content=STRICT_TOML, headers=_h(national, TOML))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["id"] == STRICT_ID and body["active"] is False and body["builtin"] is False
    assert body["published_by"] == national.id
    assert "C-no-inspection" in [x["id"] for x in body["rules"]]

    # the same text again (here as JSON) is a no-op
    r = await client.post("/v1/rulesets", json={"body": STRICT_TOML}, headers=national.headers)
    assert r.status_code == 200
    # other text under a published id, or a built-in id, is a conflict
    changed = STRICT_TOML.replace("默认阈值 第1版", "默认阈值 第1版（修订）")
    r = await client.post("/v1/rulesets", content=changed, headers=_h(national, TOML))
    assert r.status_code == 409 and r.json()["rule"] == "ruleset-exists"
    r = await client.post("/v1/rulesets", content=DEFAULT_TOML, headers=_h(national, TOML))
    assert r.status_code == 409 and r.json()["rule"] == "ruleset-exists"

    listed = (await client.get("/v1/rulesets", headers=national.headers)).json()
    assert [i["id"] for i in listed["items"]][-1] == STRICT_ID
    assert listed["active"] == DEFAULT_RULESET_ID  # publishing does not activate


async def test_activate_regrades_and_results_name_the_version(
    client: httpx.AsyncClient, national: Any
) -> None:
    never_sampled = code(1)
    await put_enterprise(client, national.headers, never_sampled)
    r = await client.get(
        f"/v1/enterprises/{never_sampled}/classification", headers=national.headers
    )
    assert (r.json()["grade"], r.json()["ruleset"]) == ("B", DEFAULT_RULESET_ID)
    await client.post("/v1/rulesets", content=STRICT_TOML, headers=_h(national, TOML))

    r = await client.post(f"/v1/rulesets/{STRICT_ID}/activate", headers=national.headers)
    assert r.status_code == 202, r.text
    assert r.json() == {
        "id": STRICT_ID,
        "active": True,
        "previous": DEFAULT_RULESET_ID,
        "regrade": "scheduled",
        "enterprises": 1,
    }
    # the background re-grade has stored the new class (list filters use stored grades)
    r = await client.get("/v1/enterprises", params={"grade": "C"}, headers=national.headers)
    assert [e["code"] for e in r.json()["items"]] == [never_sampled]
    r = await client.get(
        f"/v1/enterprises/{never_sampled}/classification", headers=national.headers
    )
    data = r.json()
    assert (data["grade"], data["ruleset"]) == ("C", STRICT_ID)
    assert [x["rule"] for x in data["reasons"]] == ["C-no-inspection"]
    history = await client.get(
        f"/v1/enterprises/{never_sampled}/classification/history", headers=national.headers
    )
    latest = history.json()["items"][0]
    assert (latest["from"], latest["to"], latest["ruleset"], latest["trigger"]) == (
        "B",
        "C",
        STRICT_ID,
        "ruleset",
    )
    listed = (await client.get("/v1/rulesets", headers=national.headers)).json()
    assert listed["active"] == STRICT_ID

    r = await client.post(f"/v1/rulesets/{STRICT_ID}/activate", headers=national.headers)
    assert r.status_code == 200 and r.json()["regrade"] == "not-needed"
    # back to the built-in version
    r = await client.post(f"/v1/rulesets/{DEFAULT_RULESET_ID}/activate", headers=national.headers)
    assert r.status_code == 202
    r = await client.get("/v1/enterprises", params={"grade": "B"}, headers=national.headers)
    assert [e["code"] for e in r.json()["items"]] == [never_sampled]


async def test_activate_unknown_or_without_admin(
    client: httpx.AsyncClient, national: Any, make_agency: Any
) -> None:
    r = await client.post("/v1/rulesets/nope-v9/activate", headers=national.headers)
    assert r.status_code == 404
    reader = await make_agency(scopes=frozenset({"records:read"}))
    r = await client.post(f"/v1/rulesets/{DEFAULT_RULESET_ID}/activate", headers=reader.headers)
    assert r.status_code == 403
    r = await client.post("/v1/rulesets/bad id!/activate", headers=national.headers)
    assert r.status_code == 422


async def test_recompute_stops_when_another_rule_set_is_activated(
    client: httpx.AsyncClient, national: Any, app: Any, database_url: str
) -> None:
    """Results of the old rule set never land after a newer activation (SQLite: the
    activation is simulated between two chunks with a plain connection)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("needs a synchronous write between two chunks")
    codes = [code(n) for n in (1, 2, 3)]
    for uscc in codes:
        await put_enterprise(client, national.headers, uscc)
    await client.post("/v1/rulesets", content=STRICT_TOML, headers=_h(national, TOML))

    def activate_behind_its_back(done: int, total: int) -> None:
        if done == 1:
            with sqlite3.connect(database_url.split("///", 1)[1]) as conn:
                conn.execute(
                    "INSERT INTO registry_setting (key, value) VALUES ('active_ruleset', ?)",
                    (STRICT_ID,),
                )

    summary = await recompute.recompute(
        app.state.db, today=date(2027, 1, 11), chunk_size=1, progress=activate_behind_its_back
    )
    assert summary.superseded is True
    assert summary.chunks == 1  # the second chunk saw the new rule set and stopped
