"""Every operation of the contract, fed one malformed value at a time in each of its
parameters and top-level body fields (ids past their column, NUL and other control
characters, numbers where text goes), answers a 4xx problem, never a 5xx — on SQLite and
PostgreSQL, through the HTTP API with an admin key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx

from service.credit.codes import make_uscc
from service.http.openapi import schema
from tests.api._records import ensure_enterprise

SPEC = schema()
CODE = make_uscc("00099001", region="211100")
BAD_TEXT = ["\x00", "a\x00b", "\x1b[0m", "\x85", "\ud7ff\x07"]
BAD_INT = [2**31, 2**63, -(2**63) - 1, 10**30]
DEFAULTS = {"code": CODE, "gtin": "6901234567892", "category": "dairy"}


def _sample(param_schema: dict[str, Any], name: str) -> Any:
    if name in DEFAULTS:
        return DEFAULTS[name]
    for alternative in param_schema.get("anyOf", [param_schema]):
        if "examples" in param_schema:
            return param_schema["examples"][0]
        if "enum" in alternative:
            return alternative["enum"][0]
        if alternative.get("type") == "integer":
            return alternative.get("minimum", 1)
        if alternative.get("type") == "string":
            return "1" if "pattern" in alternative and "0-9" in alternative["pattern"] else "x"
    return "1"


def _cases() -> Iterator[tuple[str, str, str, Any]]:
    """(method, path, where, malformed value) for every parameter and body field."""
    components = SPEC["components"]["schemas"]
    for path, ops in SPEC["paths"].items():
        for method, op in ops.items():
            params = op.get("parameters", [])
            for param in params:
                kind = "integer" if "integer" in str(param["schema"]) else "string"
                bad = BAD_INT + BAD_TEXT[:2] if kind == "integer" else BAD_TEXT
                for value in bad:
                    yield method, path, f"{param['in']}:{param['name']}", value
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            refs = re.findall(r"#/components/schemas/([\w-]+)", str(body or ""))
            for ref in refs[:1]:
                for field in components[ref].get("properties", {}):
                    for value in [*BAD_INT[:2], *BAD_TEXT[:3]]:
                        yield method, path, f"body:{field}", value


CASES = list(_cases())


def _request(method: str, path: str, where: str, value: Any) -> dict[str, Any]:
    op = SPEC["paths"][path][method]
    url = path
    query: dict[str, Any] = {}
    for param in op.get("parameters", []):
        name = param["name"]
        chosen = value if where == f"{param['in']}:{name}" else None
        if param["in"] == "path":
            filled = chosen if chosen is not None else _sample(param["schema"], name)
            url = url.replace("{" + name + "}", quote(str(filled), safe=""))
        elif param["in"] == "query" and (chosen is not None or param.get("required")):
            query[name] = chosen if chosen is not None else _sample(param["schema"], name)
    out: dict[str, Any] = {"params": query}
    if where.startswith("body:"):
        out["json"] = {where[5:]: value}
    elif "requestBody" in op:
        out["json"] = {}
    return {"method": method.upper(), "url": url, **out}


async def test_malformed_values_never_cause_a_server_error(
    client: httpx.AsyncClient, make_agency: Any
) -> None:
    admin = await make_agency(scopes=frozenset({"admin"}))
    await ensure_enterprise(client, admin.headers, CODE)
    assert len(CASES) > 800
    errors = []
    for method, path, where, value in CASES:
        request = _request(method, path, where, value)
        r = await client.request(**request, headers=admin.headers)
        if r.status_code >= 500:
            errors.append((method, path, where, repr(value), r.status_code))
    assert errors == []
