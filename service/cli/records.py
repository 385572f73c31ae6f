"""`qcredit import FILE` — bulk-load dossier records from NDJSON or CSV through the same
ingest path as POST /v1/records/batch, one transaction per chunk (a re-run after an
interruption stores nothing twice: every item is idempotent on its source_ref)."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import select
from sqlmodel import col

from service.auth import Principal, Scope, principal_of
from service.clock import Clock
from service.db import Database
from service.http import ndjson
from service.models import Agency
from service.schemas.records import BOOL_FIELDS, LIST_FIELDS, NUMBER_FIELDS, BatchOut
from service.settings import Settings
from service.store import gcpause, ledger
from service.store.records import ingest

console = Console(stderr=True)
_BLOCK = 1 << 20
_TRUE = frozenset({"true", "1", "yes", "y", "是"})
_FALSE = frozenset({"false", "0", "no", "n", "否"})


def csv_value(name: str, raw: str) -> Any:
    """A CSV cell as the JSON value the record schema expects; unparseable values are
    passed through so validation names the field."""
    value = raw.strip()
    if name in BOOL_FIELDS:
        low = value.lower()
        return True if low in _TRUE else False if low in _FALSE else value
    if name in LIST_FIELDS:
        return [v.strip() for v in value.replace(";", "|").split("|") if v.strip()]
    if name in NUMBER_FIELDS:
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def csv_items(path: Path) -> Iterator[ndjson.RawItem]:
    """One item per data row; empty cells are left out (unset)."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        for index, row in enumerate(reader):
            item = {
                k.strip(): csv_value(k.strip(), v)
                for k, v in row.items()
                if k and isinstance(v, str) and v.strip()
            }
            yield ndjson.RawItem(index, item, reader.line_num)


async def _blocks(path: Path, digest: Any) -> AsyncIterator[bytes]:
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            digest.update(block)
            yield block


def count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(_BLOCK), b""))


async def _principal(db: Database, agency_id: int | None) -> Principal:
    async with db.session(write=False) as session:
        stmt = select(Agency).where(col(Agency.revoked_at).is_(None))
        if agency_id is not None:
            stmt = stmt.where(col(Agency.id) == agency_id)
        agencies = list((await session.execute(stmt)).scalars())
    if agency_id is None and len(agencies) != 1:
        raise typer.BadParameter(
            "several agencies exist: say which one submits the records", param_hint="--agency-id"
        )
    if not agencies:
        raise typer.BadParameter(f"no active agency {agency_id}", param_hint="--agency-id")
    principal = principal_of(agencies[0])
    if not principal.has(Scope.RECORDS_WRITE):
        raise typer.BadParameter("the agency lacks records:write", param_hint="--agency-id")
    return principal


async def run_import(
    settings: Settings,
    path: Path,
    *,
    fmt: Literal["ndjson", "csv"],
    agency_id: int | None,
    chunk: int,
    progress: Callable[[int, int], None] = lambda done, accepted: None,
) -> BatchOut:
    """Import `path`; one committed transaction per `chunk` items."""
    db = Database(settings)
    clock = Clock()
    try:
        principal = await _principal(db, agency_id)
        digest = hashlib.sha256()
        job: ingest.Ingest | None = None
        pending: list[ndjson.RawItem] = []

        async def flush() -> None:
            nonlocal job
            with gcpause.paused():
                async with db.session(write=True) as session:
                    ledger.set_context(
                        session,
                        ledger.WriteContext(
                            agency_id=principal.agency_id,
                            request_id=f"cli-import:{path.name}",
                            body_sha256=digest.hexdigest(),
                        ),
                    )
                    if job is None:
                        job = await ingest.Ingest(
                            session, principal, clock.today(), clock.now()
                        ).start()
                    job.session = session
                    before = job.accepted
                    await job.add(pending)
                    await job.settle()
                    await job.sampling_warnings()
                    await job.regrade(job.codes)
                    job.codes.clear()
                    if job.accepted > before:
                        ledger.audit(session, "record.import", "batch")
                    await ledger.commit(session)
            progress(job.received, job.accepted)
            pending.clear()

        if fmt == "csv":
            for item in csv_items(path):
                pending.append(item)
                if len(pending) == chunk:
                    await flush()
        else:
            async for item in ndjson.ndjson_items(_blocks(path, digest)):
                pending.append(item)
                if len(pending) == chunk:
                    await flush()
        if pending or job is None:
            await flush()
        assert job is not None
        return await job.finish(regrade=False, audit=False)
    finally:
        await db.dispose()


def import_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="NDJSON or CSV")
    ],
    agency_id: Annotated[
        int | None,
        typer.Option(help="Submitting agency (source_refs are unique per agency)"),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="ndjson or csv (default: from the file extension)"),
    ] = None,
    chunk: Annotated[
        int, typer.Option(min=1, max=ingest.MAX_ITEMS, help="Items per commit")
    ] = 5000,
    rejects: Annotated[
        Path | None, typer.Option(help="Write every rejected item (NDJSON) to this file")
    ] = None,
) -> None:
    """Import dossier records (one JSON object per line, or CSV with one column per field and
    lists joined by `|`); each item needs `code`. Exit status 1 when any item was rejected."""
    kind = (fmt or ("csv" if file.suffix.lower() == ".csv" else "ndjson")).lower()
    if kind not in ("ndjson", "csv"):
        raise typer.BadParameter("ndjson or csv", param_hint="--format")
    total = max(count_lines(file) - (1 if kind == "csv" else 0), 0)
    bar = Progress(
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )
    task = bar.add_task(f"importing {file.name}", total=total)
    started = time.perf_counter()
    with bar:
        out = asyncio.run(
            run_import(
                Settings(),
                file,
                fmt=kind,  # type: ignore[arg-type]
                agency_id=agency_id,
                chunk=chunk,
                progress=lambda done, _: bar.update(task, completed=done),
            )
        )
    seconds = time.perf_counter() - started
    table = Table("received", "accepted", "duplicates", "rejected", "seconds", "records/s")
    table.add_row(
        f"{out.received:,}",
        f"{out.accepted:,}",
        f"{out.duplicates:,}",
        f"{len(out.rejected):,}",
        f"{seconds:.1f}",
        f"{out.received / seconds:,.0f}" if seconds else "-",
    )
    console.print(table)
    if out.rejected:
        shown = Table("index", "line", "source_ref", "field", "rule", "message", title="rejected")
        for r in out.rejected[:20]:
            e = r.errors[0]
            shown.add_row(
                str(r.index),
                str(r.line or ""),
                r.source_ref or "",
                e["field"],
                e["rule"],
                e["message"],
            )
        console.print(shown)
        if len(out.rejected) > 20:
            console.print(f"… and {len(out.rejected) - 20:,} more")
        if rejects is not None:
            rejects.write_bytes(
                b"".join(orjson.dumps(r.model_dump()) + b"\n" for r in out.rejected)
            )
        raise typer.Exit(1)
