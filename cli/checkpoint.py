"""`kezek checkpoint [--witness URL ...] [--quorum N]`: sign the log, have witnesses cosign it."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.store import opened_store


def checkpoint_command(
    witness: Annotated[
        list[str] | None,
        typer.Option(
            "--witness",
            help="A witness's URL (C2SP tlog-witness; `kezek witness serve`); repeat for more.",
        ),
    ] = None,
    quorum: Annotated[
        int | None,
        typer.Option(min=0, help="Cosignatures needed (default: every witness named)."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Store to sign (default: KEZEK_DATABASE_URL)."),
    ] = None,
) -> None:
    """Bring the transparency log up to date, sign a new checkpoint, and ask the witnesses to
    cosign it: exit 1 (each refusal on its own line) when fewer than the quorum cosign."""
    from cli.maintenance import exit_with, sign

    urls = witness or []
    needed = len(urls) if quorum is None else quorum
    if needed > len(urls):
        typer.echo(f"kezek checkpoint: --quorum {needed} with {len(urls)} witness(es)", err=True)
        raise typer.Exit(2)
    with opened_store(database_url) as (waiting_list, database):
        status = sign(
            waiting_list, database, lambda s: typer.echo(s, nl=False), witnesses=urls,
            quorum=needed,
        )  # fmt: skip
    exit_with(status)
