"""`kezek witness key` and `kezek witness serve`: a C2SP tlog-witness for Kezek's log, run by a
complaint body, a prosecutor's office or a court (docs/transparency.md)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.groups import command_group
from replay.cosignatures import CosignerKey
from replay.signed_notes import Key, NoteError, read_key

witness_app = command_group("witness", "A witness: cosigns checkpoints consistent with the last.")

KeyFile = Annotated[
    Path, typer.Option("--key-file", help="The witness's private key (made by `witness key`).")
]


def load_or_make_key(path: Path, name: str | None) -> CosignerKey:
    """The key in `path`; a new one (mode 0600) when the file does not exist and a name is
    given. The name is kept in the file, so a witness cannot be restarted under another."""
    if path.exists():
        try:
            key = CosignerKey.parse_private(path.read_text(encoding="utf-8"))
        except (NoteError, UnicodeDecodeError) as error:
            raise typer.BadParameter(f"{path}: {error}") from None
        if name is not None and name != key.name:
            raise typer.BadParameter(f"{path} holds the key of {key.name}, not of {name}")
        return key
    if name is None:
        raise typer.BadParameter(f"{path} does not exist: make it with `kezek witness key`")
    key = CosignerKey(name, secrets.token_bytes(32))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(key.private_text() + "\n")
    print(f"kezek witness: generated a new witness key in {path} (mode 0600)", file=sys.stderr)
    return key


@witness_app.command("key")
def key_command(
    key_file: KeyFile = Path("var/witness.key"),
    name: Annotated[
        str | None,
        typer.Option(help="The witness's name when a key is made (e.g. witness.court.kz/almaty)."),
    ] = None,
) -> None:
    """Print the witness's verifier key (what courts pass to `kezek verify --witness-key`);
    make the key first if the file does not exist yet (then --name is needed)."""
    try:
        key = load_or_make_key(key_file, name)
    except typer.BadParameter as error:
        typer.echo(f"kezek witness key: {error.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(key.verifier_key)


@witness_app.command("serve")
def serve_command(
    log_key: Annotated[
        list[str],
        typer.Option(
            "--log-key",
            help="The operator's verifier key of a log to witness (or a file holding it); "
            "repeat for several logs or while a key is rotated.",
        ),
    ],
    key_file: KeyFile = Path("var/witness.key"),
    state: Annotated[
        Path | None,
        typer.Option(help="The witness's state (SQLite; default: beside the key, .db)."),
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8100,
) -> None:
    """Serve POST /add-checkpoint (C2SP tlog-witness) until SIGTERM or Ctrl-C."""
    import uvicorn

    from api.witness_app import create_witness_app
    from replay.witness import Witness

    try:
        key = load_or_make_key(key_file, None)
        logs = [Key.parse(read_key(given)) for given in log_key]
    except typer.BadParameter as error:
        typer.echo(f"kezek witness serve: {error.message}", err=True)
        raise typer.Exit(2) from None
    except NoteError as error:
        typer.echo(f"kezek witness serve: --log-key: {error}", err=True)
        raise typer.Exit(2) from None
    witness = Witness(key, logs, state or key_file.with_suffix(".db"))
    typer.echo(f"witness {key.verifier_key}", err=True)
    typer.echo(f"witnessing {', '.join(k.short for k in logs)}", err=True)
    uvicorn.run(create_witness_app(witness), host=host, port=port, log_level="warning")
