"""`qcredit demo` — deterministic demo data and a demo agency key."""

from __future__ import annotations

from typing import Annotated

import typer

from service import migrate as migrations
from service.cli.common import DEMO_KEY_FILE, console, run_in_session
from service.settings import Settings


def demo(
    enterprises: Annotated[int, typer.Option(help="How many demo enterprises")] = 300,
) -> None:
    """Load demo data (safe to run twice) and print a demo agency key."""
    from service.demo.enterprises import load_demo

    settings = Settings()
    if settings.is_sqlite and settings.auto_migrate:
        migrations.upgrade(settings.database_url)
    key, summary = run_in_session(settings, lambda s: load_demo(s, enterprises))
    DEMO_KEY_FILE.write_text(key + "\n")
    DEMO_KEY_FILE.chmod(0o600)
    console.print(f"{summary}; demo agency key (national, all scopes) saved to {DEMO_KEY_FILE}:")
    typer.echo(key)
