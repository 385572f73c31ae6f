"""`qcredit secrets keygen|rotate` — the key that encrypts secrets at rest."""

from __future__ import annotations

import asyncio

import typer

from service.db import Database
from service.security.secrets import SecretsKeyError, new_key
from service.settings import Settings
from service.store import ledger
from service.store.secrets import reseal_all

secrets_app = typer.Typer(
    help="Secrets at rest (webhook secrets, receipt key)", no_args_is_help=True
)


@secrets_app.command("keygen")
def keygen() -> None:
    """Print a new key for QCREDIT_SECRETS_KEY (or a line of QCREDIT_SECRETS_KEY_FILE)."""
    typer.echo(new_key())


@secrets_app.command("rotate")
def rotate() -> None:
    """Re-encrypt every stored secret with the first configured key (and encrypt rows
    still in plaintext). Rotation: put the new key first, the old one after it
    (QCREDIT_SECRETS_KEY=new,old), restart the servers, run this, then drop the old key."""
    settings = Settings()

    async def main() -> int:
        db = Database(settings)
        try:
            async with db.session(write=True) as session:
                changed = await reseal_all(session, db.secrets)
                await ledger.commit(session)
                return changed
        finally:
            await db.dispose()

    try:
        changed = asyncio.run(main())
    except SecretsKeyError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from err
    typer.echo(f"re-encrypted {changed} secret(s)")
