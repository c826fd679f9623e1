"""`kezek verify`: a court bundle checked offline, with the operator's key pinned (replay.trust)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def verify_command(
    bundle: Annotated[Path, typer.Argument(help="The bundle (.zip) to check, offline.")],
    key: Annotated[
        str | None,
        typer.Option(
            help="The operator's verifier key, or a file holding it (GET "
            "/v1/transparency/checkpoint answers it; kezek checkpoint prints it)."
        ),
    ] = None,
    trust: Annotated[
        Path | None,
        typer.Option(help="A file of the operator's verifier keys, one a line, # comments."),
    ] = None,
    trust_embedded_key: Annotated[
        bool,
        typer.Option(
            "--trust-embedded-key",
            help="Explore: check with the key the bundle carries. NOT pinned: anyone can make"
            " a bundle that verifies with a key of their own.",
        ),
    ] = False,
    witness_key: Annotated[
        list[str] | None,
        typer.Option(
            "--witness-key",
            help="A witness's verifier key (or a file holding it) whose cosignature the "
            "checkpoint must carry (`kezek witness key` prints it); repeat for more.",
        ),
    ] = None,
    quorum: Annotated[
        int | None,
        typer.Option(min=0, help="With --witness-key: how many must have cosigned (all)."),
    ] = None,
) -> None:
    """Check a court export bundle offline with the operator's key: exit 0 when everything
    holds, 1 when a check fails, 2 when no key is pinned or the bundle cannot be read."""
    from cli.export import verify_bundle

    if quorum is not None and not witness_key:
        typer.echo("kezek verify: --quorum needs --witness-key", err=True)
        raise typer.Exit(2)
    status = verify_bundle(
        bundle, key, trust_file=trust, trust_embedded=trust_embedded_key, echo=typer.echo,
        witness_keys=witness_key or (), quorum=quorum,
    )  # fmt: skip
    if status:
        raise typer.Exit(status)
