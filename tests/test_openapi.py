"""The committed contract must match the app (regenerate with `make openapi`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from service.app import create_app
from service.http.openapi import schema
from service.schemas import events
from service.settings import Settings

COMMITTED = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def test_openapi_json_matches_the_app() -> None:
    committed = json.loads(COMMITTED.read_text())
    assert committed == schema(), "openapi/openapi.json is stale: run `make openapi`"


def test_contract_paths_are_present() -> None:
    paths = schema()["paths"]
    for path in ("/v1/enterprises/{code}", "/v1/enterprises", "/v1/catalog"):
        assert path in paths


ROOT = COMMITTED.parent.parent
FILE_REF = re.compile(r"[\w./-]+\.(?:md|json|toml|ya?ml|py|html|csv)\b")


def test_the_spec_points_to_no_file_missing_from_the_repo() -> None:
    text = json.dumps(schema(), ensure_ascii=False)
    for ref in set(FILE_REF.findall(text)):
        if ref.endswith("openapi.json"):  # the spec's own URL
            continue
        assert (ROOT / ref).exists() or list(ROOT.rglob(ref)), f"the spec cites {ref!r}"


def test_every_emitted_event_type_is_documented_with_its_data_shape() -> None:
    """Scans the writers for the event types they emit: a new type must be added to the
    catalogue (spec + README) before it can ship."""
    emitted: set[str] = set()
    for path in (ROOT / "service").rglob("*.py"):
        source = path.read_text()
        for call in re.finditer(
            r"(?:ledger\.emit|emit_record)\(\s*\w+,\s*(f?)\"([^\"]+)\"", source
        ):
            if call.group(1):  # f"blacklist.{...}": the blacklist transitions
                continue
            emitted.add(call.group(2))
        emitted.update(re.findall(r'"((?:enterprise)\.(?:created|updated))"', source))
    from service.store.blacklist.procedure import EVENT_NAMES

    emitted.update(f"blacklist.{name}" for name in EVENT_NAMES.values())
    assert emitted, "the scan found no emitter"
    assert emitted <= set(events.EVENT_TYPES), emitted - set(events.EVENT_TYPES)
    spec = schema()
    for event_type in events.EVENT_TYPES:
        assert events.schema_name(event_type) in spec["components"]["schemas"]
        assert f"`{event_type}`" in (ROOT / "README.md").read_text(), event_type


def test_docs_pages_load_nothing_from_an_outside_host() -> None:
    from fastapi.testclient import TestClient

    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", log_level="ERROR"))
    with TestClient(app) as client:
        for page in ("/docs", "/redoc"):
            html = client.get(page).text
            refs = re.findall(r'(?:src|href)="([^"]+)"', html)
            assert refs, page
            for ref in refs:
                assert ref.startswith("/"), f"{page} loads {ref}"
                assert client.get(ref).status_code == 200, ref
            assert "fonts.googleapis" not in html and "cdn." not in html
        assert b"cdn.redoc.ly" not in client.get(refs[-1]).content
