"""The contract says what the service does: auth, every error status it can answer, the
text rule, and example codes that are real codes. (tests/fuzz checks it against a live
server; these are the static half, fast enough for every run.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from service.credit.codes import CodeError, try_parse
from service.http.openapi import schema

SPEC = schema()
OPERATIONS = [
    (path, method, op)
    for path, ops in SPEC["paths"].items()
    for method, op in ops.items()
    if method in ("get", "put", "post", "delete", "patch")
]
# a USCC (18 characters of its alphabet) or an org code written NNNNNNNN-C, as a whole word
CODE_LIKE = re.compile(
    r"(?<![0-9A-Z])[0-9A-HJ-NP-RT-UW-Y]{18}(?![0-9A-Z])|(?<![0-9A-Z-])[0-9A-Z]{8}-[0-9X](?![0-9A-Z])"
)


def _strings(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _strings(value, f"{where}/{n}")
    elif isinstance(node, str):
        yield where, node


def _examples(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside an `example`/`examples` value (and the CSV example bodies)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("example", "examples"):
                yield from _strings(value, f"{where}/{key}")
            else:
                yield from _examples(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _examples(value, f"{where}/{n}")


def test_example_codes_have_valid_check_characters() -> None:
    codes = [(where, code) for where, text in _examples(SPEC) for code in CODE_LIKE.findall(text)]
    assert len(codes) >= 5, codes  # the walk finds the examples it is meant to check
    bad = [
        (where, code, parsed.message)
        for where, code in codes
        if isinstance(parsed := try_parse(code), CodeError)
    ]
    assert bad == []


def test_the_bearer_scheme_is_declared_and_required_on_every_agency_operation() -> None:
    scheme = SPEC["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, method, op in OPERATIONS:
        agency = path.startswith("/v1/")
        assert (op.get("security") == [{"bearer": []}]) == agency, (method, path)
        assert ("401" in op["responses"]) == agency, (method, path)
        headers = [p["name"].lower() for p in op.get("parameters", []) if p["in"] == "header"]
        assert "authorization" not in headers, (method, path)


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=lambda v: str(v)[:40])
def test_every_error_an_operation_can_answer_is_documented_as_a_problem(
    path: str, method: str, op: dict[str, Any]
) -> None:
    responses = op["responses"]
    expected = {"422"}
    if path not in ("/healthz", "/metrics"):
        expected.add("503")
    if "{" in path:
        expected.add("404")
    if "requestBody" in op:
        expected |= {"400", "413"}
    if path.startswith("/public/v1/"):
        expected.add("429")
    if path.startswith("/v1/") and method == "post":
        expected.add("409")  # Idempotency-Key still in flight
    assert expected <= set(responses), sorted(expected - set(responses))
    for status, response in responses.items():
        if int(status) >= 400:
            assert response["content"] == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }, (status, response)


def _plain_strings(node: Any, where: str) -> Iterator[str]:
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(node):
            yield where
        for key, value in node.items():
            yield from _plain_strings(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _plain_strings(value, f"{where}/{n}")


def test_every_input_string_carries_the_text_rule() -> None:
    """Request schemas and query/path parameters: no string without a pattern, enum or
    format (the shared text rule, or something stricter)."""
    schemas = SPEC["components"]["schemas"]
    refs: set[str] = set()
    plain: list[str] = []
    for path, method, op in OPERATIONS:
        for param in op.get("parameters", []):
            if param["in"] in ("query", "path"):
                plain += _plain_strings(param["schema"], f"{method} {path} {param['name']}")
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        refs |= set(re.findall(r"#/components/schemas/([\w-]+)", str(body)))
    seen: set[str] = set()
    while refs - seen:
        name = (refs - seen).pop()
        seen.add(name)
        plain += _plain_strings(schemas[name].get("properties", {}), name)
        refs |= set(re.findall(r"#/components/schemas/([\w-]+)", str(schemas[name])))
    assert len(seen) > 10
    # the public screen and receipt bodies answer per item / verify a signature: any
    # string is a valid question there, so they carry no text rule on purpose
    allowed = {"ScreenIn/codes/items"}
    assert [p for p in plain if p not in allowed] == []
