"""The committed contract must match the app (regenerate with `make openapi`)."""

from __future__ import annotations

import json
from pathlib import Path

from service.http.openapi import schema

COMMITTED = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def test_openapi_json_matches_the_app() -> None:
    committed = json.loads(COMMITTED.read_text())
    assert committed == schema(), "openapi/openapi.json is stale: run `make openapi`"


def test_contract_paths_are_present() -> None:
    paths = schema()["paths"]
    for path in ("/v1/enterprises/{code}", "/v1/enterprises", "/v1/catalog"):
        assert path in paths
