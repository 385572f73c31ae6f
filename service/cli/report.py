"""`qcredit report quality` — the quality status report written to a file."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from service.clock import Clock
from service.db import Database
from service.reports import quality
from service.reports.figures import QualityReport
from service.settings import Settings

report_app = typer.Typer(help="Reports (质量状况报告)", no_args_is_help=True)


@report_app.command("quality")
def quality_command(
    out: Annotated[Path, typer.Option("--out", help="File to write: .xlsx or .html")],
    region: Annotated[
        str | None, typer.Option(help="Division-code prefix, e.g. 2111; omit for national")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Calendar year; default this year")] = None,
    period: Annotated[
        str | None,
        typer.Option(help="A year (2026) or a quarter (2026Q3); overrides --year"),
    ] = None,
    target: Annotated[
        float, typer.Option(help="Target pass rate, 0-1 (e.g. 0.96)")
    ] = quality.DEFAULT_TARGET,
) -> None:
    """Pass rates by product/region/level/month vs target and the same period a year
    earlier, classes, blacklist movements, the monitoring rate, announcements and penalties
    of the period and a short narrative, as an XLSX workbook or an HTML document; yearly or
    quarterly (`--period 2026Q3`)."""
    if region is not None and not (region.isdigit() and 1 <= len(region) <= 6):
        raise typer.BadParameter("region must be 1-6 digits", param_hint="--region")
    if not 0 < target <= 1:
        raise typer.BadParameter("target is a fraction in (0, 1]", param_hint="--target")
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".html", ".htm"):
        raise typer.BadParameter("the file must end in .xlsx or .html", param_hint="--out")
    today = Clock().today()
    try:
        chosen = quality.parse_period(period or str(year or today.year))
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--period") from err

    async def _gather() -> QualityReport:
        db = Database(Settings())
        try:
            async with db.session(write=False) as session:
                return await quality.gather(
                    session, region=region, period=chosen, today=today, target=target
                )
        finally:
            await db.dispose()

    report = asyncio.run(_gather())
    # Imported here: matplotlib and openpyxl cost ~0.5 s, paid by every `qcredit` command
    # (and every `recompute --workers` process, which imports the CLI) if imported above.
    if suffix == ".xlsx":
        from service.reports import xlsx

        out.write_bytes(xlsx.build(report))
    else:
        from service.reports import html

        out.write_text(html.render(report), encoding="utf-8")
    typer.echo(
        f"{out}: {report.period} {report.region_label}, {report.total.inspections} inspections"
    )
