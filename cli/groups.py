"""How every group of `kezek` commands is made (the console script, `asof`, `bench`)."""

from __future__ import annotations

import typer


def command_group(name: str, help: str, *, no_args_is_help: bool = True) -> typer.Typer:
    return typer.Typer(
        name=name,
        help=help,
        no_args_is_help=no_args_is_help,
        add_completion=False,
        # A traceback must never print local variables: they may hold IINs and names.
        pretty_exceptions_show_locals=False,
    )
