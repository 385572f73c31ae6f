"""Load the benchmark data set into the benchmark's own database.

    .venv/bin/python -m bench.generate --backend postgres --enterprises 1000000
    .venv/bin/python -m bench.generate --backend sqlite --enterprises 50000

Paths used, and why:

* the agency and its key: ``service.store.agencies.create`` (the CLI's path);
* enterprises: one bulk insert (PostgreSQL ``COPY``, SQLite ``executemany``) of exactly the
  columns ``service.store.enterprises.upsert`` writes, ``name_key`` from
  ``service.credit.names``. There is no enterprise batch endpoint, and a million single
  PUTs would measure nothing the scenarios do not. Their ``enterprise.created`` events and
  audit entries are not written (the feed and the audit chain start after the load);
* records: the project's bulk path, ``POST /v1/records/batch`` called in-process (the same
  router, store and regrade code the server runs). Only if that endpoint is missing are they
  inserted directly, and the state file and the report then say ``records_path=direct``;
* listings: the pure Order 44 state machine (``service.credit.blacklist``: propose, notify,
  list, publish) computes each entry's dates, the rows are inserted in bulk, and the listed
  enterprises are regraded through ``service.store.grading.regrade.regrade``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import httpx
import orjson
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bench import data
from bench.target import (
    DEFAULT_PG,
    DEFAULT_WORKDIR,
    Backend,
    State,
    Target,
    pg_connect,
    recreate,
    sqlite_connect,
    target_for,
)
from service import migrate
from service.app import create_app
from service.auth import ALL_SCOPES, Level
from service.clock import Clock
from service.credit import blacklist as bl
from service.credit.deadlines import WorkCalendar
from service.db import Database
from service.settings import Settings
from service.store import agencies, ledger
from service.store.grading import regrade as grading

T = TypeVar("T")
BENCH_AGENCY = "基准测试机构 (benchmark national agency)"
ENTERPRISE_COLUMNS = (
    "code",
    "org_code",
    "name",
    "name_key",
    "region_code",
    "industry",
    "address",
    "legal_representative",
    "established_on",
    "products",
    "created_by",
    "created_at",
    "updated_at",
    "version",
)
RECORD_COLUMNS = (
    "code",
    "kind",
    "agency_id",
    "source_ref",
    "version",
    "status",
    "occurred_on",
    "recorded_at",
    "region_code",
    "product_category",
    "final_result",
    "body_hash",
    "data",
)


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def bench_settings(target: Target, **overrides: Any) -> Settings:
    return Settings(
        database_url=target.url,
        log_level="WARNING",
        run_background=False,
        auto_migrate=False,
        **overrides,
    )


async def create_agency(target: Target) -> tuple[int, str]:
    db = Database(bench_settings(target))
    try:
        async with db.session(write=True) as session:
            agency, key = await agencies.create(
                session, name=BENCH_AGENCY, level=Level.NATIONAL, region="", scopes=ALL_SCOPES
            )
            await ledger.commit(session)
    finally:
        await db.dispose()
    assert agency.id is not None
    return agency.id, key


def enterprise_tuple(e: data.EnterpriseRow, agency_id: int, now: datetime) -> tuple[Any, ...]:
    return (
        e.code,
        e.org_code,
        e.name,
        e.name_key,
        e.region_code,
        e.industry,
        e.address,
        e.legal_representative,
        e.established_on,
        e.products,
        agency_id,
        now,
        now,
        1,
    )


async def load_enterprises(
    target: Target, count: int, seed: int, agency_id: int, bar: Progress, batch: int = 20_000
) -> None:
    task = bar.add_task("enterprises (bulk)", total=count, rate="")
    now = datetime.now(UTC)
    started = time.perf_counter()
    rows = (enterprise_tuple(e, agency_id, now) for e in data.enterprises(count, seed))
    if target.backend != "postgres":
        rows = (_sqlite_row(r) for r in rows)
    await bulk_insert(
        target,
        "enterprise",
        ENTERPRISE_COLUMNS,
        rows,
        batch,
        on_part=lambda n: _advance(bar, task, n, started),
    )


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


async def jsonb_binary(conn: Any) -> None:
    """COPY uses the binary protocol: jsonb travels as a version byte (1) and the text."""
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: b"\x01" + orjson.dumps(v),
        decoder=lambda b: orjson.loads(b[1:]),
        schema="pg_catalog",
        format="binary",
    )


def _sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        _json_text(v)
        if isinstance(v, list | dict)
        else v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(v, datetime)
        else v.isoformat()
        if isinstance(v, date)
        else v
        for v in row
    )


def _advance(bar: Progress, task: Any, n: int, started: float) -> None:
    before = bar.tasks[task].completed
    bar.advance(task, n)
    info = bar.tasks[task]
    rate = f"{info.completed / max(time.perf_counter() - started, 1e-9):,.0f}/s"
    bar.update(task, rate=rate)
    # under nohup there is no live bar: a plain line every 5 %
    step = max((info.total or 1) // 20, 1)
    if not bar.console.is_terminal and before // step != info.completed // step:
        bar.console.print(f"{info.description.strip()}: {info.completed:,.0f} {rate}")


def has_route(app: Any, method: str, path: str) -> bool:
    """From the OpenAPI document: routers may be mounted lazily, so app.routes can hide them."""
    return method.lower() in app.openapi().get("paths", {}).get(path, {})


class BatchClient:
    """POST /v1/records/batch, in-process (ASGI) or over HTTP; counts what came back."""

    def __init__(self, client: httpx.AsyncClient, key: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}
        self.accepted = self.duplicates = 0
        self.rejected: list[Any] = []

    async def send(self, items: list[dict[str, Any]]) -> None:
        body = orjson.dumps({"records": [data.jsonable(i) for i in items]})
        resp = await self.client.post(
            "/v1/records/batch",
            content=body,
            headers={**self.headers, "Content-Type": "application/json"},
            timeout=600,
        )
        if resp.status_code != 200:
            raise RuntimeError(f"records batch -> {resp.status_code}: {resp.text[:500]}")
        out = resp.json()
        self.accepted += int(out.get("accepted", 0))
        self.duplicates += int(out.get("duplicates", 0))
        self.rejected.extend(out.get("rejected", [])[:20])


def all_records(count: int, seed: int) -> Iterator[dict[str, Any]]:
    for ent in data.enterprises(count, seed):
        yield from data.records_for(ent, seed, count)


async def load_records_api(
    target: Target, state: State, bar: Progress, batch: int
) -> tuple[int, list[Any]]:
    app = create_app(bench_settings(target))
    transport = httpx.ASGITransport(app=app)
    expected = int(state.count * 5.05)
    task = bar.add_task("records (API batch)", total=expected, rate="")
    started = time.perf_counter()
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            sink = BatchClient(client, state.key)
            for part in chunks(all_records(state.count, state.seed), batch):
                await sink.send(part)
                _advance(bar, task, len(part), started)
    finally:
        await app.state.db.dispose()
    bar.update(task, total=bar.tasks[task].completed)
    return sink.accepted + sink.duplicates, sink.rejected


def record_tuple(item: dict[str, Any], agency_id: int, now: datetime) -> tuple[Any, ...]:
    fields = {
        k: v for k, v in data.jsonable(item).items() if k not in ("code", "kind", "source_ref")
    }
    occurred = date.fromisoformat(fields.pop("occurred_on"))
    result = item.get("retest_result") or item.get("result")
    return (
        item["code"],
        item["kind"],
        agency_id,
        item["source_ref"],
        1,
        "active",
        occurred,
        now,
        item["code"][2:8],
        item.get("product_category"),
        result if item["kind"] == "inspection" else None,
        hashlib.sha256(orjson.dumps(item, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest(),
        fields,
    )


def record_rows(
    target: Target, items: Iterable[dict[str, Any]], agency_id: int
) -> list[tuple[Any, ...]]:
    """credit_record rows for a direct insert (built before any timing starts)."""
    now = datetime.now(UTC)
    rows = [record_tuple(i, agency_id, now) for i in items]
    return rows if target.backend == "postgres" else [_sqlite_row(r) for r in rows]


async def copy_rows(target: Target, rows: list[tuple[Any, ...]], batch: int = 20_000) -> int:
    """COPY (PostgreSQL) / executemany in one transaction per batch (SQLite) straight into
    credit_record: the ingest floor, and the generator's records when asked to go direct."""
    return await bulk_insert(target, "credit_record", RECORD_COLUMNS, rows, batch)


async def bulk_insert(
    target: Target,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    batch: int,
    on_part: Callable[[int], None] | None = None,
) -> int:
    """Rows (already in the backend's form) into ``table``: binary COPY on PostgreSQL,
    executemany in one transaction per batch on SQLite. Returns how many."""
    done = 0
    if target.backend == "postgres":
        conn = await pg_connect(target)
        await jsonb_binary(conn)
        try:
            for part in chunks(rows, batch):
                await conn.copy_records_to_table(table, records=part, columns=list(columns))
                done += len(part)
                if on_part is not None:
                    on_part(len(part))
        finally:
            await conn.close()
        return done
    sconn = sqlite_connect(target)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    try:
        for part in chunks(rows, batch):
            sconn.execute("BEGIN")
            sconn.executemany(sql, part)
            sconn.execute("COMMIT")
            done += len(part)
            if on_part is not None:
                on_part(len(part))
    finally:
        sconn.close()
    return done


async def load_records_direct(target: Target, state: State, bar: Progress) -> int:
    task = bar.add_task("records (direct!)", total=int(state.count * 5.05), rate="")
    started = time.perf_counter()
    n = 0
    for part in chunks(all_records(state.count, state.seed), 50_000):
        n += await copy_rows(target, record_rows(target, part, state.agency_id))
        _advance(bar, task, len(part), started)
    bar.update(task, total=n)
    return n


def listing_entries(penalties: dict[str, tuple[int, date]], agency_id: int) -> list[dict[str, Any]]:
    """Blacklist rows in their final (listed, published) state, dated by the state machine."""
    cal = WorkCalendar()
    rows = []
    for code, (penalty_id, decided) in sorted(penalties.items()):
        entry = bl.propose(
            code=code,
            region_code=code[2:8],
            penalty=bl.PenaltyRef(penalty_id, True, "active", decided, code),
            proposer_level=bl.Level.NATIONAL,
            proposer_region="",
            proposed_on=decided + timedelta(days=10),
        )
        entry = bl.notify(entry, notified_on=decided + timedelta(days=12))
        entry = bl.list_entry(
            entry, decided_on=decided + timedelta(days=40), defence_waived=False, cal=cal
        )
        assert entry.decided_on is not None
        entry = bl.publish(entry, published_on=entry.decided_on + timedelta(days=3))
        rows.append(
            {
                "code": code,
                "region_code": entry.region_code,
                "category": "quality_safety",
                "reason": "产品经监督抽查不合格且复查仍不合格 (Order 44 Art.7(3))",
                "legal_basis": "《市场监督管理严重违法失信名单管理办法》第七条",
                "remedy": "可依法申请行政复议或提起行政诉讼",
                "fault_basis": "明知产品不合格仍继续生产销售 (Order 44 Art.12)",
                "undone_removals": [],
                "penalty_record_id": penalty_id,
                "proposer_agency_id": agency_id,
                "proposer_level": entry.proposer_level.value,
                "proposer_region": entry.proposer_region,
                "authority": "市场监督管理局",
                "status": entry.status.value,
                "proposed_on": entry.proposed_on,
                "notified_on": entry.notified_on,
                "decided_on": entry.decided_on,
                "defence_waived": entry.defence_waived,
                "expires_on": entry.expires_on,
                "publish_by": entry.publish_by,
                "published_on": entry.published_on,
            }
        )
    return rows


async def load_listings(target: Target, state: State) -> int:
    refs = [
        data.listing_ref(state.seed, i)
        for i in range(state.count)
        if data.is_listed(i, state.seed, state.count)
    ]
    from sqlalchemy import insert, select
    from sqlmodel import col

    from service.models import BlacklistEntry, CreditRecord

    db = Database(bench_settings(target))
    try:
        async with db.session(write=True) as session:
            penalties: dict[str, tuple[int, date]] = {}
            for refs_part in chunks(refs, 5_000):
                rows = await session.execute(
                    select(
                        col(CreditRecord.id), col(CreditRecord.code), col(CreditRecord.occurred_on)
                    ).where(
                        col(CreditRecord.agency_id) == state.agency_id,
                        col(CreditRecord.source_ref).in_(refs_part),
                    )
                )
                for rid, code, occurred in rows:
                    assert rid is not None
                    penalties[code] = (rid, occurred)
            entries = listing_entries(penalties, state.agency_id)
            for entries_part in chunks(entries, 2_000):
                await session.execute(insert(BlacklistEntry), entries_part)
            today = Clock().today()
            for codes_part in chunks(sorted(penalties), 1_000):
                await grading.regrade(session, codes_part, today=today, trigger="bench-load")
            await ledger.commit(session)
    finally:
        await db.dispose()
    return len(entries)


async def analyze(target: Target) -> None:
    """Planner statistics after a bulk load, as autovacuum would soon gather anyway."""
    if target.backend == "postgres":
        conn = await pg_connect(target)
        try:
            await conn.execute("VACUUM ANALYZE")
        finally:
            await conn.close()
    else:
        sconn = sqlite_connect(target)
        try:
            sconn.execute("ANALYZE")
        finally:
            sconn.close()


async def generate(
    target: Target,
    count: int,
    seed: int,
    *,
    workdir: Path,
    batch: int = 5_000,
    console: Console | None = None,
    records: str = "auto",
) -> State:
    console = console or Console(stderr=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    await recreate(target)
    await asyncio.to_thread(migrate.upgrade, target.url)
    agency_id, key = await create_agency(target)
    timings["schema"] = time.perf_counter() - t0
    state = State(target.backend, target.url, target.dsn, count, seed, key, agency_id)
    with progress(console) as bar:
        t = time.perf_counter()
        await load_enterprises(target, count, seed, agency_id, bar)
        timings["enterprises"] = time.perf_counter() - t
        t = time.perf_counter()
        probe = create_app(bench_settings(target))
        use_api = records == "api" or (
            records == "auto" and has_route(probe, "POST", "/v1/records/batch")
        )
        await probe.state.db.dispose()
        if use_api:
            state.records, rejected = await load_records_api(target, state, bar, batch)
            state.records_path = "api"
            if rejected:
                console.print(f"[yellow]{len(rejected)}+ rejected, first: {rejected[:3]}")
        else:
            why = "as asked" if records == "direct" else "POST /v1/records/batch is missing"
            console.print(f"[yellow]records inserted directly ({why})")
            state.records = await load_records_direct(target, state, bar)
            state.records_path = "direct"
        timings["records"] = time.perf_counter() - t
    t = time.perf_counter()
    state.listed = await load_listings(target, state)
    timings["listings"] = time.perf_counter() - t
    t = time.perf_counter()
    await analyze(target)
    timings["analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    state.timings = {k: round(v, 2) for k, v in timings.items()}
    state.save(workdir)
    console.print(
        f"[green]generated[/green] {count:,} enterprises, {state.records:,} records "
        f"({state.records_path}), {state.listed:,} listings on {target.backend} "
        f"in {timings['total']:.1f}s {state.timings}"
    )
    return state


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--enterprises", "-n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=5_000, help="records per batch request")
    parser.add_argument("--records", choices=["auto", "api", "direct"], default="auto")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL DSN (database qcredit_bench)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args(argv)
    backend: Backend = args.backend
    target = target_for(backend, args.workdir, args.pg)
    asyncio.run(
        generate(
            target,
            args.enterprises,
            args.seed,
            workdir=args.workdir,
            batch=args.batch,
            records=args.records,
        )
    )


if __name__ == "__main__":
    main()
