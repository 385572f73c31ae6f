"""`qcredit agency create|list|revoke` — agencies and their API keys."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import ALL_SCOPES, Level, Scope, parse_scopes
from service.cli.common import console, run_in_session
from service.settings import Settings
from service.store import agencies

agency_app = typer.Typer(help="Agencies and their API keys", no_args_is_help=True)
# Everything but admin (catalog and rule-set editing), which must be asked for.
DEFAULT_SCOPES = ",".join(sorted(ALL_SCOPES - {Scope.ADMIN.value}))


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
