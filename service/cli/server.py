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
    bind, at = host or settings.host, port or settings.port
    for line in urls(bind, at):
        console.print(line, highlight=False)
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=bind,
        port=at,
        workers=workers or settings.workers,
        log_level="warning",
        access_log=False,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1; the app believes only
        # QCREDIT_TRUSTED_PROXIES (service/http/proxies.py)
        proxy_headers=False,
    )


def urls(host: str, port: int) -> list[str]:
    """Where a person finds the server: the portal, the API docs, the regulator sign-in."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    base = f"http://{shown}:{port}"
    return [
        f"门户 Portal:             {base}/",
        f"接口文档 API docs:       {base}/docs  (ReDoc: {base}/redoc)",
        f"监管入口 Regulator sign-in: {base}/regulator",
    ]


BENCH_HELP = """Usage: qcredit bench run|generate [OPTIONS]

Benchmarks, from a checkout of the repository (see BENCHMARKS.md):

  qcredit bench run --quick        run the benchmark scenarios
  qcredit bench generate -n N      generate N enterprises of test data

`qcredit bench run --help` and `qcredit bench generate --help` list their options."""


def bench(ctx: typer.Context) -> None:
    """Benchmarks from a checkout: `bench run --quick`, `bench generate -n N` (BENCHMARKS.md)."""
    import subprocess
    import sys

    sub, *rest = ctx.args or ["--help"]
    if sub in ("--help", "-h", "help"):
        console.print(BENCH_HELP, highlight=False, markup=False)
        raise typer.Exit(0)
    if sub not in ("run", "generate"):
        raise typer.BadParameter("use `qcredit bench run ...` or `qcredit bench generate ...`")
    if not (migrations.ROOT / "bench" / f"{sub}.py").is_file():
        console.print("[red]the benchmark harness is in a checkout of the repository only[/red]")
        raise typer.Exit(2)
    cmd = [sys.executable, "-m", f"bench.{sub}", *rest]
    raise typer.Exit(subprocess.call(cmd, cwd=migrations.ROOT))
