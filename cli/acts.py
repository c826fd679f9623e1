"""`kezek acts`: the acts of the procedure as declared (domain.acts), as a table for people."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from domain.acts import ALL
from domain.acts.table import markdown, replace_in


def acts_command(
    write: Annotated[
        Path | None,
        typer.Option(
            "--write", help="Replace the table between its markers in this file (docs/domain.md)."
        ),
    ] = None,
) -> None:
    """Print every act of the procedure as declared: who, from which stage, terms, rule."""
    table = markdown(ALL)
    if write is None:
        typer.echo(table)
        return
    write.write_text(replace_in(write.read_text(encoding="utf-8"), table), encoding="utf-8")
    typer.echo(f"wrote the table of {len(ALL)} acts into {write}")
