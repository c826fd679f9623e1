"""`kezek bench ...`: the benchmarks (bench.runner, `python -m bench`) from the console script.

    kezek bench --applications 2000 [--cases append,rebuild,...] [--database-url URL]
        [--lookup-entries 45000,1000000] [--memory-entries N] [--json out.json]
    kezek bench generate --applications N [--database-url URL]

Each command forwards its options to bench.runner.main, so both entry points take the same
options and print the same table. Wired into the console script as
`app.add_typer(bench_app, name="bench")`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Annotated

import typer

from cli.groups import command_group

bench_app = command_group(
    "bench",
    "Benchmarks at national scale: every figure against a baseline of the same run.",
    no_args_is_help=False,
)

DatabaseURL = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="Store to benchmark: PostgreSQL (throwaway schemas unless ?schema= names one); "
        "default: a SQLite file in a temporary folder (`generate`: sqlite:///var/bench.db).",
    ),
]
Applications = Annotated[
    int, typer.Option("--applications", "-n", min=1, help="Applications in the data set.")
]

Workers = Annotated[
    int | None,
    typer.Option(min=1, help="Generator processes (default: 1 below 10,000 applications, else 2)."),
]


def _forward(argv: list[str]) -> None:
    # Imported by name, at call time: the benchmarks are not part of the strictly typed
    # service (mypy leaves bench/ out) and `kezek` starts without them.
    try:
        runner = importlib.import_module("bench.runner")
    except ModuleNotFoundError as error:
        if error.name not in {"bench", "bench.runner"}:
            raise
        typer.echo(
            "kezek bench: the benchmarks are not installed with this kezek; reinstall it "
            "(`make venv`) or run `python -m bench` from the source tree",
            err=True,
        )
        raise typer.Exit(2) from None
    runner.main(argv)


def _options(given: Mapping[str, object]) -> list[str]:
    """The options given (not None) as command-line arguments."""
    return [
        text for name, value in given.items() if value is not None for text in (name, str(value))
    ]


@bench_app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    applications: Applications = 2000,
    cases: Annotated[
        str | None,
        typer.Option(help="Comma-separated: append,rebuild,lookup,memory,http,asof (all)."),
    ] = None,
    database_url: DatabaseURL = None,
    lookup_entries: Annotated[
        str | None,
        typer.Option(help="Comma-separated list sizes of the lookup case (default: the data)."),
    ] = None,
    memory_entries: Annotated[
        int | None, typer.Option(min=1, help="Queue entries of the memory case.")
    ] = None,
    library_events: Annotated[
        int | None,
        typer.Option(min=1, help="Prefix of the log the library's ProjectionRunner rebuilds."),
    ] = None,
    workers: Workers = None,
    reuse: Annotated[
        bool, typer.Option(help="Run the cases on the data set already at --database-url.")
    ] = False,
    json_path: Annotated[
        str | None, typer.Option("--json", help="Write the results as JSON to this file.")
    ] = None,
) -> None:
    """Generate the data set, run the cases, print a table (and write JSON)."""
    if ctx.invoked_subcommand is not None:
        return
    options = {
        "--cases": cases,
        "--database-url": database_url,
        "--lookup-entries": lookup_entries,
        "--memory-entries": memory_entries,
        "--library-events": library_events,
        "--workers": workers,
        "--json": json_path,
    }
    flags = ["--reuse"] if reuse else []
    _forward(["--applications", str(applications), *flags, *_options(options)])


@bench_app.command()
def generate(
    applications: Applications = 2000, database_url: DatabaseURL = None, workers: Workers = None
) -> None:
    """Only generate the national data set into a store (default sqlite:///var/bench.db)."""
    _forward(
        [
            "generate",
            "--applications",
            str(applications),
            *_options({"--database-url": database_url, "--workers": workers}),
        ]
    )
