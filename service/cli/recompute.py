"""`qcredit recompute` — re-grade stored classes at today's date."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from service.cli.common import console
from service.db import Database
from service.settings import Settings


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
    from service.store.recompute.run import recompute as run

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
