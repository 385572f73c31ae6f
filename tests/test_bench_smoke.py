"""The benchmark harness stays working: generate a toy data set on SQLite and run the lookup
scenario in-process (service app and raw floor, both through ASGI). Asserts the shape of
the result table, never a timing."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from rich.console import Console

from bench import data
from bench.context import Ctx
from bench.floor import make_app
from bench.generate import bench_settings, generate
from bench.load import python_load
from bench.results import Report
from bench.scenario_lookup import add_rows
from bench.target import sqlite
from service.app import create_app
from service.credit.codes import parse_code

ENTERPRISES = 200


def test_generator_is_deterministic_and_valid() -> None:
    first = [data.enterprise(i, 7) for i in range(50)]
    assert first == [data.enterprise(i, 7) for i in range(50)]
    assert len({e.code for e in first}) == 50
    for ent in first:
        parsed = parse_code(ent.code)  # raises on a wrong check character
        assert parsed.uscc == ent.code and parsed.region_code == ent.region_code
    records = data.records_for(first[0], 7, 1_000_000)
    assert 3 <= len(records) <= 8
    assert len({r["source_ref"] for r in records}) == len(records)


async def test_generate_and_lookup_give_a_well_formed_table(tmp_path: Path) -> None:
    target = sqlite(tmp_path / "bench.db")
    quiet = Console(file=io.StringIO())
    state = await generate(target, ENTERPRISES, 7, workdir=tmp_path, batch=300, console=quiet)
    assert state.count == ENTERPRISES
    assert state.records >= 3 * ENTERPRISES
    assert state.listed >= 1
    assert (tmp_path / "state-sqlite.json").exists()

    paths = [f"/v1/enterprises/{data.code_of(i)}" for i in range(0, ENTERPRISES, 7)]
    headers = {"Authorization": f"Bearer {state.key}"}
    service = create_app(bench_settings(target))
    floor = make_app(f"sqlite:///{target.dsn}")
    results = {}
    try:
        async with floor.router.lifespan_context(floor):
            for name, app, prefix in (
                ("service", service, "/v1/enterprises/"),
                ("floor", floor, "/floor/enterprises/"),
            ):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                    results[name] = await python_load(
                        client,
                        [p.replace("/v1/enterprises/", prefix) for p in paths],
                        headers,
                        connections=4,
                        seconds=2,
                        max_requests=60,
                    )
    finally:
        await service.state.db.dispose()
    for result in results.values():
        assert result.requests >= 4
        assert result.errors == 0

    report = Report(meta={"size": "smoke"})
    ctx = Ctx(state, report, tmp_path, quiet, quick=True, seconds=1)
    add_rows(ctx, results["service"], results["floor"], 1, {1: (80.0, 90.0)})
    assert [(r.scenario, r.metric) for r in report.rows] == [
        ("lookup", "RPS"),
        ("lookup", "p50 ms"),
        ("lookup", "p99 ms"),
        ("RSS per worker (after lookup)", "MB peak"),
    ]
    for row in report.rows[:3]:
        assert row.service is not None and row.service > 0
        assert row.floor is not None and row.floor > 0
        assert row.ratio is not None and row.ratio > 0
    lines = report.markdown().splitlines()
    assert lines[0].startswith("| scenario | backend | metric | service | floor | ratio |")
    assert len(lines) == 2 + len(report.rows)
    assert all(line.count("|") == lines[0].count("|") for line in lines)
    saved = report.save(tmp_path / "results")
    assert saved.read_text().count('"scenario"') == len(report.rows)
