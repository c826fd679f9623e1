"""`kezek monitor --url URL --state FILE`: is the log still the one it was? (replay.monitor)"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def monitor_command(
    url: Annotated[str, typer.Option(help="The Kezek service (its /v1/transparency/...).")],
    state: Annotated[
        Path, typer.Option(help="Where this monitor keeps the last checkpoint it accepted.")
    ],
    key: Annotated[
        str | None,
        typer.Option(
            help="The operator's verifier key, or a file holding it (needed the first time;"
            " then pinned in the state file)."
        ),
    ] = None,
    witness: Annotated[
        list[str] | None,
        typer.Option(
            "--witness", help="A witness's URL: its cosigned checkpoint must agree; repeat."
        ),
    ] = None,
    events: Annotated[
        str | None,
        typer.Option(
            "--events",
            help="A copy of the store the monitor may read (database URL): the signed root must"
            " be the root of its events.",
        ),
    ] = None,
) -> None:
    """Fetch the log's checkpoint and check it against the last one seen and the witnesses':
    exit 0 when consistent, 1 (loudly) on a fork, a shrinking log or a bad signature."""
    import httpx

    from replay.monitor import monitor
    from replay.signed_notes import NoteError, read_key

    def get(address: str) -> tuple[int, str]:
        answer = httpx.get(address, timeout=10.0)
        return answer.status_code, answer.text

    try:
        pinned = None if key is None else read_key(key)
        rederive = None
        if events is not None:
            from replay.rederive import root_from_copy

            copy = events

            def rederive(size: int) -> bytes:
                return root_from_copy(copy, size)

        verdict = monitor(url, state, get, key=pinned, witnesses=witness or [], rederive=rederive)
    except NoteError as error:
        typer.echo(f"kezek monitor: {error}", err=True)
        raise typer.Exit(2) from None
    except httpx.HTTPError as error:
        typer.echo(f"kezek monitor: cannot reach {url}: {type(error).__name__}", err=True)
        raise typer.Exit(2) from None
    for line in verdict.notes:
        typer.echo(line)
    for line in verdict.alarms:
        typer.echo(f"ALARM: {line}", err=True)
    if not verdict.ok:
        raise typer.Exit(1)
    typer.echo("OK: the log is consistent with what this monitor saw before")
