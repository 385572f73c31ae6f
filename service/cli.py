"""`qcredit` — the command line: serve, migrate, agencies, demo data and maintenance."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from service import migrate as migrations
from service.auth import ALL_SCOPES, Level, Scope, parse_scopes
from service.cli_records import import_command
from service.cli_sharing import audit_app, worker_command
from service.db import Database
from service.reports.cli import report_app
from service.settings import Settings
from service.store import agencies, ledger

app = typer.Typer(
    help="Quality Credit Registry (企业质量信用档案与失信黑名单服务)", no_args_is_help=True
)
agency_app = typer.Typer(help="Agencies and their API keys", no_args_is_help=True)
app.add_typer(agency_app, name="agency")
app.add_typer(audit_app, name="audit")
app.add_typer(report_app, name="report")
app.command("worker")(worker_command)
app.command("import")(import_command)
console = Console(stderr=True)
T = TypeVar("T")
DEMO_KEY_FILE = Path(".qcredit-demo-key")
# Everything but admin (catalog and rule-set editing), which must be asked for.
DEFAULT_SCOPES = ",".join(sorted(ALL_SCOPES - {Scope.ADMIN.value}))


def run_in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed write transaction against the configured database."""

    async def _main() -> T:
        db = Database(settings)
        try:
            async with db.session(write=True) as session:
                result = await work(session)
                await ledger.commit(session)
                return result
        finally:
            await db.dispose()

    return asyncio.run(_main())


@app.command()
def migrate() -> None:
    """Apply all migrations to QCREDIT_DATABASE_URL."""
    settings = Settings()
    migrations.upgrade(settings.database_url)
    console.print(f"[green]migrated[/green] to {migrations.current_head()}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (QCREDIT_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (QCREDIT_PORT)")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (QCREDIT_WORKERS)")] = None,
) -> None:
    """Serve the API. The embedded SQLite default is migrated first automatically."""
    import uvicorn

    settings = Settings()
    if settings.is_sqlite and settings.auto_migrate:
        migrations.upgrade(settings.database_url)
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level="warning",
        access_log=False,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1; the app believes only
        # QCREDIT_TRUSTED_PROXIES (service/proxies.py)
        proxy_headers=False,
    )


@agency_app.command("create")
def agency_create(
    name: Annotated[str, typer.Option(help="Agency name")],
    level: Annotated[Level, typer.Option(help="national|province|prefecture|county")],
    region: Annotated[
        str, typer.Option(help="Division-code prefix, e.g. 21; empty = national")
    ] = "",
    scopes: Annotated[
        str, typer.Option(help="all (includes admin), or a comma-separated list")
    ] = DEFAULT_SCOPES,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"id", "key"}')] = False,
) -> None:
    """Create an agency and print its API key (shown once, stored hashed)."""
    if region and not (region.isdigit() and len(region) <= 6):
        raise typer.BadParameter("region must be 1-6 digits", param_hint="--region")
    if level is Level.NATIONAL and region:
        raise typer.BadParameter("a national agency has no region", param_hint="--region")
    if level is not Level.NATIONAL and not region:
        raise typer.BadParameter(f"a {level.value} agency needs --region", param_hint="--region")
    try:
        scope_set = parse_scopes(scopes)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--scopes") from err

    async def work(session: AsyncSession) -> tuple[int, str]:
        agency, key = await agencies.create(
            session, name=name, level=level, region=region, scopes=scope_set
        )
        assert agency.id is not None
        return agency.id, key

    agency_id, key = run_in_session(Settings(), work)
    if as_json:
        typer.echo(json.dumps({"id": agency_id, "key": key}))
    else:
        console.print(f"agency [bold]{agency_id}[/bold] created; its key (shown once):")
        typer.echo(key)


@agency_app.command("list")
def agency_list(
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List agencies (keys are never shown)."""
    rows = run_in_session(Settings(), agencies.list_all)
    data = [
        {
            "id": a.id,
            "name": a.name,
            "level": a.level,
            "region": a.region,
            "scopes": a.scopes,
            "revoked": a.revoked_at is not None,
        }
        for a in rows
    ]
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    table = Table("id", "name", "level", "region", "scopes", "revoked")
    for d in data:
        table.add_row(*(str(d[k]) for k in ("id", "name", "level", "region", "scopes", "revoked")))
    Console().print(table)


@agency_app.command("revoke")
def agency_revoke(agency_id: Annotated[int, typer.Argument(help="Agency id")]) -> None:
    """Revoke an agency: its keys stop working at once for new server processes and within
    QCREDIT_AUTH_CACHE_SECONDS for running ones."""

    async def work(session: AsyncSession) -> bool:
        return await agencies.revoke(session, agency_id)

    if not run_in_session(Settings(), work):
        console.print(f"[red]no agency {agency_id}[/red]")
        raise typer.Exit(1)
    console.print(
        f"agency {agency_id} revoked; running servers refuse its keys within "
        f"{Settings().auth_cache_seconds:g} s"
    )


@app.command()
def demo(
    enterprises: Annotated[int, typer.Option(help="How many demo enterprises")] = 300,
) -> None:
    """Load demo data (safe to run twice) and print a demo agency key."""
    from service.demo import load_demo

    settings = Settings()
    if settings.is_sqlite and settings.auto_migrate:
        migrations.upgrade(settings.database_url)
    key, summary = run_in_session(settings, lambda s: load_demo(s, enterprises))
    DEMO_KEY_FILE.write_text(key + "\n")
    DEMO_KEY_FILE.chmod(0o600)
    console.print(f"{summary}; demo agency key (national, all scopes) saved to {DEMO_KEY_FILE}:")
    typer.echo(key)


@app.command()
def recompute(
    all_: Annotated[bool, typer.Option("--all", help="Every enterprise in the registry")] = False,
    region: Annotated[
        str | None, typer.Option(help="Only divisions starting with this prefix, e.g. 2111")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Classifying processes (PostgreSQL; default: CPUs - 1, at most 8)"),
    ] = None,
) -> None:
    """Re-evaluate stored classes at today's date (grades also change with time alone)."""
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from service.clock import Clock
    from service.store.recompute import recompute as run

    if all_ == bool(region):
        raise typer.BadParameter("give exactly one of --all or --region PREFIX")
    if region and not (region.isdigit() and len(region) <= 6):
        raise typer.BadParameter("region must be 1-6 digits", param_hint="--region")

    async def _main() -> None:
        db = Database(Settings())
        bar = Progress(
            "{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        task = bar.add_task("re-grading", total=None)
        try:
            with bar:
                summary = await run(
                    db,
                    today=Clock().today(),
                    region=region,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                    workers=min(8, (os.cpu_count() or 1) - 1) if workers is None else workers,
                )
        finally:
            await db.dispose()
        console.print(
            f"{summary.enterprises} enterprises under {summary.ruleset} at {summary.today} in "
            f"{summary.seconds:.1f}s ({summary.per_second:,.0f}/s): {summary.changed} grade "
            f"changes, {summary.written} classifications written, {summary.skipped} skipped"
        )
        if summary.superseded:
            console.print("[yellow]stopped: another rule set was activated meanwhile[/yellow]")

    asyncio.run(_main())


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Benchmarks from a checkout: `bench run --quick`, `bench generate -n N` (BENCHMARKS.md)."""
    import subprocess
    import sys

    sub, *rest = ctx.args or ["run", "--help"]
    if sub not in ("run", "generate"):
        raise typer.BadParameter("use `qcredit bench run ...` or `qcredit bench generate ...`")
    cmd = [sys.executable, "-m", f"bench.{sub}", *rest]
    raise typer.Exit(subprocess.call(cmd, cwd=migrations.ROOT))
