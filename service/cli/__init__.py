"""`qcredit` — the command line: one module per command group, assembled here."""

from __future__ import annotations

from importlib import metadata
from typing import Annotated

import typer

from service.cli.agency import agency_app
from service.cli.demo import demo
from service.cli.listings import import_listings_command
from service.cli.recompute import recompute
from service.cli.records import import_command
from service.cli.report import report_app
from service.cli.secrets import secrets_app
from service.cli.server import bench, migrate, serve
from service.cli.sharing import audit_app, worker_command

app = typer.Typer(
    help="Quality Credit Registry (企业质量信用档案与失信黑名单服务)", no_args_is_help=True
)


def _version(value: bool) -> None:
    if value:
        try:
            number = metadata.version("qcredit")
        except metadata.PackageNotFoundError:  # run from a source tree without installing
            number = "unknown"
        typer.echo(f"qcredit {number}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version"),
    ] = False,
) -> None:
    """Quality Credit Registry (企业质量信用档案与失信黑名单服务)"""


app.command()(migrate)
app.command()(serve)
app.add_typer(agency_app, name="agency")
app.command()(demo)
app.command()(recompute)
app.command("import")(import_command)
app.command("import-listings")(import_listings_command)
app.command("worker")(worker_command)
app.add_typer(audit_app, name="audit")
app.add_typer(secrets_app, name="secrets")
app.add_typer(report_app, name="report")
app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)(bench)
