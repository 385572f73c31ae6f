"""`qcredit worker` and `qcredit audit verify` (registered in service/cli/__init__.py)."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Annotated

import typer

from service.clock import Clock
from service.db import Database
from service.jobs.runner import Runner
from service.jobs.runtime import Runtime
from service.security import checkpoints
from service.settings import Settings
from service.store import audit, ledger

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
def audit_verify(
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            "--checkpoint",
            help="A checkpoint saved earlier (JSON document, list, or change-feed event); "
            "repeatable. The chain must still agree with it.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Recompute the audit hash chain and check it against every signed checkpoint (those
    stored and those given); prints {"ok", "length", "head", "first_bad"?, "broken", ...}
    and exits with status 1 when anything is broken."""
    settings = Settings()
    try:
        extra = [cp for path in checkpoint or [] for cp in checkpoints.read_file(path)]
    except checkpoints.CheckpointFormatError as err:
        raise typer.BadParameter(str(err), param_hint="--checkpoint") from err

    async def main() -> audit.Verdict:
        db = Database(settings)
        try:
            async with db.session(write=False) as session:
                return await audit.verify(
                    session,
                    extra=extra,
                    trusted_key_id=checkpoints.configured_key_id(settings.audit_signing_key_file),
                )
        finally:
            await db.dispose()

    verdict = asyncio.run(main())
    typer.echo(json.dumps(verdict.as_json(), ensure_ascii=False))
    if not verdict.ok:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign a checkpoint of the audit head now (QCREDIT_AUDIT_SIGNING_KEY_FILE) and print it;
    it is also published in the change feed and at /public/v1/audit/checkpoint."""
    settings = Settings()
    key = checkpoints.configured_key(settings.audit_signing_key_file)
    if key is None:
        typer.echo("QCREDIT_AUDIT_SIGNING_KEY_FILE is not set", err=True)
        raise typer.Exit(2)

    async def main() -> checkpoints.Checkpoint:
        db = Database(settings)
        try:
            async with db.session(write=True) as session:
                cp, _ = await audit.make_checkpoint(session, key, Clock().now())
                await ledger.commit(session)
                return cp
        finally:
            await db.dispose()

    typer.echo(json.dumps(asyncio.run(main()).as_json()))


@audit_app.command("keygen")
def audit_keygen(
    path: Annotated[Path, typer.Argument(help="Where to write the new private key (PEM)")],
) -> None:
    """Make an Ed25519 signing key for audit checkpoints (mode 0600; refuses to overwrite).
    Keep it outside the database and its backups; give the printed public key to the
    agencies that keep checkpoint copies."""
    try:
        key = checkpoints.write_signing_key(path)
    except FileExistsError as err:
        raise typer.BadParameter(f"{path} exists", param_hint="PATH") from err
    public = key.public_key()
    typer.echo(
        json.dumps(
            {"key_id": checkpoints.key_id(public), "public_key": checkpoints.public_b64(public)}
        )
    )
