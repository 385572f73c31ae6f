"""What the OpenAPI contract promises, through the HTTP API on both databases: an anonymous
caller gets 401 before anything about its request is looked at, and a 405 lists every method
the path serves."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/v1/enterprises/not-a-code", {}),  # the code is not even parsed
        ("GET", f"/v1/blacklist/{2**63}", {}),
        ("GET", "/v1/enterprises", {"params": {"q": "x\x00"}}),
        ("POST", "/v1/blacklist", {"json": {"code": 1}}),
        ("POST", "/v1/blacklist", {"content": b"{not json", "headers": {"X": "1"}}),
        ("PUT", "/v1/enterprises/91211100000123457K", {"json": {"name": ""}}),
        ("POST", "/v1/records/batch", {"content": b"x" * 100_000}),
        ("POST", "/v1/screen", {"content": b"code\n" + b"9" * 200_000}),
    ],
)
async def test_anonymous_requests_get_401_before_validation(
    client: httpx.AsyncClient, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    for headers in ({}, {"Authorization": "Basic dXNlcjpwdw=="}, {"Authorization": "Bearer "}):
        sent = {**kwargs, "headers": {**kwargs.get("headers", {}), **headers}}
        r = await client.request(method, path, **sent)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["www-authenticate"] == "Bearer"


async def test_an_unknown_key_is_401_before_validation(client: httpx.AsyncClient) -> None:
    h = {"Authorization": "Bearer qck_not-a-key"}
    r = await client.post("/v1/blacklist", json={"code": 1}, headers=h)
    assert r.status_code == 401, r.text


async def test_405_lists_every_method_of_the_path(client: httpx.AsyncClient, national: Any) -> None:
    r = await client.request("DELETE", "/public/v1/screen/verify")
    assert r.status_code == 405
    assert set(r.headers["allow"].split(", ")) >= {"GET", "POST"}
    r = await client.request(
        "PATCH", "/v1/enterprises/912111000001234570", headers=national.headers
    )
    assert r.status_code == 405
    assert set(r.headers["allow"].split(", ")) >= {"GET", "PUT"}
    r = await client.get("/v1/records/batch", headers=national.headers)
    assert r.status_code == 405, r.text  # a literal path is not a record id
    assert r.headers["allow"] == "POST"
