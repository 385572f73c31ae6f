"""`qcredit migrate`, `qcredit serve` and `qcredit bench` (the harness in a checkout)."""

from __future__ import annotations

from typing import Annotated

import typer

from service import migrate as migrations
from service.cli.common import console
from service.settings import Settings


def migrate() -> None:
    """Apply all migrations to QCREDIT_DATABASE_URL."""
    settings = Settings()
    migrations.upgrade(settings.database_url)
    console.print(f"[green]migrated[/green] to {migrations.current_head()}")


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
        proxy_headers=True,
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
