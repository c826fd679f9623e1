"""The `kezek` console script (pyproject: `kezek = "api.cli:app"`)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.demo import DemoBrokeARule, run_demo
from api.settings import BadIdentityKey, MissingIdentityKey, Settings, identity_key
from domain.store_url import BadDatabaseURL

app = typer.Typer(
    name="kezek",
    help="Kezek: the event-sourced ledger of Kazakhstan's housing waiting list.",
    no_args_is_help=True,
    add_completion=False,
    # A traceback must never print local variables: they may hold IINs and names.
    pretty_exceptions_show_locals=False,
)


@app.callback()
def main() -> None:
    """Kezek: the event-sourced ledger of Kazakhstan's housing waiting list."""
    # A callback keeps every command a subcommand (`kezek demo`), however few there are.


@app.command()
def demo(
    applications: Annotated[
        int, typer.Option("--applications", "-n", min=1, help="How many applications to walk.")
    ] = 1200,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Store to write to (default: KEZEK_DATABASE_URL, else sqlite:///var/kezek.db).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic district.")] = 7,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh/--no-fresh",
            help="Delete an earlier SQLite demo file first (PostgreSQL is never dropped).",
        ),
    ] = True,
) -> None:
    """Walk a synthetic district through every path of the procedure and print the lists."""
    settings = Settings()
    if database_url is not None:
        settings = settings.model_copy(update={"database_url": database_url})
    try:
        key = identity_key(settings)
        run_demo(
            database_url=settings.database_url,
            key=key,
            applications=applications,
            seed=seed,
            fresh=fresh,
            echo=typer.echo,
        )
    except (MissingIdentityKey, BadIdentityKey, BadDatabaseURL) as error:
        typer.echo(f"kezek demo: {error}", err=True)
        raise typer.Exit(2) from None
    except DemoBrokeARule as error:
        typer.echo(f"kezek demo: the demo broke a rule of the procedure: {error}", err=True)
        raise typer.Exit(1) from None


@app.command()
def project(
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep up with new events until SIGTERM or Ctrl-C.")
    ] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Notifications per transaction.")] = 1000,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Store to read (default: KEZEK_DATABASE_URL)."),
    ] = None,
) -> None:
    """Bring every projection up to date with the event log (a worker process)."""
    from domain.waiting_list import WaitingList
    from projections.database import ViewDatabase
    from projections.worker import run_worker

    url = database_url or Settings().database_url
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": url})
    database = ViewDatabase(url)
    try:
        run_worker(waiting_list, database, follow=follow, batch_size=batch_size, echo=typer.echo)
    finally:
        database.close()
        waiting_list.close()


if __name__ == "__main__":
    app()
