"""`qcredit import-listings FILE` — load a legacy serious-dishonesty list (NDJSON or CSV, one
listing per line) through the Order 44 procedure, one transaction per listing: a line that
breaks a rule is reported and skipped, the others are kept, and a re-run loads nothing twice.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import select
from sqlmodel import col

from service.auth import Principal, Scope, principal_of
from service.clock import Clock
from service.db import Database
from service.errors import AppError
from service.models import Agency
from service.schemas.blacklist import LegacyListingIn
from service.settings import Settings
from service.store import ledger
from service.store.blacklist.legacy import load_listing

console = Console(stderr=True)
_TRUE = frozenset({"true", "1", "yes", "y", "是"})
_FALSE = frozenset({"false", "0", "no", "n", "否"})


@dataclass
class LineError:
    line: int
    field: str | None
    rule: str
    message: str


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def _lines(path: Path, fmt: str) -> Iterator[tuple[int, dict[str, Any] | LineError]]:
    """``(line number, raw item)``; a line that is not an object is an error item."""
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            for row in reader:
                item: dict[str, Any] = {}
                for k, v in row.items():
                    if not k or not isinstance(v, str) or not v.strip():
                        continue
                    value: Any = v.strip()
                    if k.strip() == "defence_waived":
                        low = value.lower()
                        value = True if low in _TRUE else False if low in _FALSE else value
                    item[k.strip()] = value
                yield reader.line_num, item
        return
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                parsed = orjson.loads(raw)
            except orjson.JSONDecodeError as err:
                yield number, LineError(number, None, "json", str(err))
                continue
            if not isinstance(parsed, dict):
                yield number, LineError(number, None, "json", "a line must be a JSON object")
                continue
            yield number, parsed


async def _agency(db: Database, agency_id: int, scope: Scope, option: str) -> Principal:
    async with db.session(write=False) as session:
        agency = (
            await session.execute(
                select(Agency).where(col(Agency.id) == agency_id, col(Agency.revoked_at).is_(None))
            )
        ).scalar_one_or_none()
    if agency is None:
        raise typer.BadParameter(f"no active agency {agency_id}", param_hint=option)
    principal = principal_of(agency)
    if not principal.has(scope):
        raise typer.BadParameter(f"agency {agency_id} lacks {scope.value}", param_hint=option)
    return principal


def _errors_of(line: int, err: Exception) -> list[LineError]:
    if isinstance(err, ValidationError):
        return [
            LineError(line, ".".join(str(p) for p in e["loc"]) or None, e["type"], e["msg"])
            for e in err.errors()
        ]
    if isinstance(err, AppError):
        if err.errors:
            return [LineError(line, e.field, e.rule, e.message) for e in err.errors]
        return [LineError(line, None, err.rule or type(err).__name__, str(err.detail))]
    raise err


async def run_import_listings(
    settings: Settings,
    path: Path,
    *,
    fmt: str,
    agency_id: int,
    approver_id: int | None,
    clock: Clock | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> ImportResult:
    db = Database(settings)
    clock = clock or Clock()
    today = clock.today()
    result = ImportResult()
    try:
        principal = await _agency(db, agency_id, Scope.BLACKLIST_WRITE, "--agency-id")
        approvers: dict[int, Principal] = {}

        async def approver(approver_agency: int) -> Principal:
            if approver_agency not in approvers:
                approvers[approver_agency] = await _agency(
                    db, approver_agency, Scope.BLACKLIST_APPROVE, "approver_agency_id"
                )
            return approvers[approver_agency]

        done = 0
        for line, raw in _lines(path, fmt):
            done += 1
            if isinstance(raw, LineError):
                result.errors.append(raw)
                progress(done)
                continue
            try:
                item = LegacyListingIn.model_validate(raw)
                async with db.session(write=True) as session:
                    ledger.set_context(
                        session,
                        ledger.WriteContext(
                            agency_id=principal.agency_id,
                            request_id=f"cli-import-listings:{path.name}:{line}",
                        ),
                    )
                    outcome, entry_id = await load_listing(
                        session,
                        principal,
                        item,
                        today=today,
                        approver=approver,
                        default_approver=approver_id,
                    )
                    if outcome == "created":
                        await ledger.commit(session)
                (result.created if outcome == "created" else result.existing).append(entry_id)
            except (ValidationError, AppError) as err:
                result.errors.extend(_errors_of(line, err))
            except typer.BadParameter as err:
                result.errors.append(LineError(line, "approver_agency_id", "agency", err.message))
            progress(done)
        return result
    finally:
        await db.dispose()


def import_listings_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="NDJSON or CSV")
    ],
    agency_id: Annotated[
        int, typer.Option(help="The deciding agency; the penalties are its own source_refs")
    ],
    approver: Annotated[
        int | None,
        typer.Option(help="Agency that approved county/prefecture listings (Art.22), by default"),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="ndjson or csv (default: from the file extension)"),
    ] = None,
) -> None:
    """Load a legacy blacklist, one listing per line with its penalty's `penalty_source_ref`
    and the dates it happened on (`proposed_on`, `notified_on`, `approved_on`,
    `decided_on`, `published_on`, `removed_on` with `removal_reason`, …). Each listing is
    replayed through the Order 44 procedure in its own transaction. Re-running the file
    loads nothing twice. Exit status 1 when any line was rejected."""
    kind = (fmt or ("csv" if file.suffix.lower() == ".csv" else "ndjson")).lower()
    if kind not in ("ndjson", "csv"):
        raise typer.BadParameter("ndjson or csv", param_hint="--format")
    with file.open("rb") as f:
        total = sum(1 for raw in f if raw.strip()) - (1 if kind == "csv" else 0)
    bar = Progress(
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )
    task = bar.add_task(f"importing {file.name}", total=max(total, 0))
    with bar:
        out = asyncio.run(
            run_import_listings(
                Settings(),
                file,
                fmt=kind,
                agency_id=agency_id,
                approver_id=approver,
                progress=lambda done: bar.update(task, completed=done),
            )
        )
    table = Table("created", "already loaded", "rejected lines")
    table.add_row(
        f"{len(out.created):,}",
        f"{len(out.existing):,}",
        f"{len({e.line for e in out.errors}):,}",
    )
    console.print(table)
    if out.errors:
        shown = Table("line", "field", "rule", "message", title="rejected")
        for e in out.errors[:50]:
            shown.add_row(str(e.line), e.field or "", e.rule, e.message)
        console.print(shown)
        if len(out.errors) > 50:
            console.print(f"… and {len(out.errors) - 50:,} more")
        raise typer.Exit(1)
