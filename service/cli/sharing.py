"""`qcredit worker` and `qcredit audit verify` (registered in service/cli/__init__.py)."""

from __future__ import annotations

import asyncio
import json
import signal

import typer

from service.clock import Clock
from service.db import Database
from service.jobs.runner import Runner
from service.jobs.runtime import Runtime
from service.settings import Settings
from service.store import audit

audit_app = typer.Typer(help="The audit hash chain", no_args_is_help=True)


def worker_command() -> None:
    """Run the background jobs (webhook delivery, expiry recording, pruning) until stopped.
    Any number of workers and servers may run against one database."""

    async def main() -> None:
        settings = Settings()
        db = Database(settings)
        runner = Runner(Runtime(db, Clock(), settings))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, runner.request_stop)
        try:
            await runner.run_forever()
        finally:
            await db.dispose()

    asyncio.run(main())


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; prints {"ok", "length", "head", "first_bad"?} and
    exits with status 1 when the chain is broken."""

    async def main() -> audit.Verdict:
        db = Database(Settings())
        try:
            async with db.session(write=False) as session:
                return await audit.verify(session)
        finally:
            await db.dispose()

    verdict = asyncio.run(main())
    typer.echo(json.dumps(verdict.as_json()))
    if not verdict.ok:
        raise typer.Exit(1)
