"""The `kezek` console script (pyproject: `kezek = "cli.main:app"`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.groups import command_group
from cli.store import opened_store, settings_for
from cli.tokens import token_app
from config.settings import BadIdentityKey, MissingIdentityKey, identity_key
from demo import DemoBrokeARule, run_demo
from domain.store_url import BadDatabaseURL

app = command_group(
    "kezek", "Kezek: the event-sourced ledger of Kazakhstan's housing waiting list."
)


@app.callback()
def main() -> None:
    """Kezek: the event-sourced ledger of Kazakhstan's housing waiting list."""
    # A callback keeps every command a subcommand (`kezek demo`), however few there are.


def progress(text: str) -> None:
    """A long command's progress, on one line rewritten in place (rebuild, rebuild --check)."""
    typer.echo(text, nl=False)


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
    walk_seed: Annotated[
        int | None,
        typer.Option(
            help="Resume an interrupted walk (its start prints it): acts already recorded are"
            " answered from their Idempotency-Keys, the rest recorded."
        ),
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh/--no-fresh",
            help="Delete an earlier SQLite demo file first (PostgreSQL is never dropped).",
        ),
    ] = True,
) -> None:
    """Walk a synthetic district through every path of the procedure and print the lists."""
    settings = settings_for(database_url)
    try:
        key = identity_key(settings)
        run_demo(
            database_url=settings.database_url,
            key=key,
            applications=applications,
            seed=seed,
            fresh=fresh,
            echo=typer.echo,
            walk_seed=walk_seed,
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
    from cli.worker import run_worker

    with opened_store(database_url) as (waiting_list, database):
        run_worker(waiting_list, database, follow=follow, batch_size=batch_size, echo=typer.echo)


DatabaseURL = Annotated[
    str | None,
    typer.Option("--database-url", help="Store to serve (default: KEZEK_DATABASE_URL)."),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    database_url: DatabaseURL = None,
    demo_data: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Seed an empty store with the demo district, print a token for each role, "
            "then serve (what `make run` does).",
        ),
    ] = False,
    applications: Annotated[
        int, typer.Option("--applications", "-n", min=1, help="With --demo: how many.")
    ] = 3000,
    notify: Annotated[
        bool, typer.Option("--notify/--no-notify", help="Deliver SMS notices in this process.")
    ] = True,
) -> None:
    """Serve the HTTP API (docs at /docs) until SIGTERM or Ctrl-C."""
    from cli.serve import serve as run_server
    from cli.serve import serve_demo, warn_of_estimated_days_off

    settings = settings_for(database_url)
    warn_of_estimated_days_off(lambda line: typer.echo(line, err=True))
    try:
        if demo_data:
            serve_demo(settings, host, port, applications, typer.echo, notify=notify)
        else:
            identity_key(settings)  # fail here, with a message, not inside uvicorn's startup
            run_server(settings, host, port, notify=notify)
    except (MissingIdentityKey, BadIdentityKey, BadDatabaseURL) as error:
        typer.echo(f"kezek serve: {error}", err=True)
        raise typer.Exit(2) from None


# `kezek token [--role ...]`, and its verbs revoke, retire, keys (cli/tokens.py).
app.add_typer(token_app, name="token")


@app.command()
def rebuild(
    projections: Annotated[
        list[str] | None, typer.Argument(help="Projections to rebuild (default: all).")
    ] = None,
    database_url: DatabaseURL = None,
    jobs: Annotated[
        int, typer.Option(min=1, help="Worker processes filling the fresh tables (one per core).")
    ] = 1,
    force: Annotated[
        bool,
        typer.Option(help="Switch even if the rebuilt view differs (its definition changed)."),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Switch nothing: compare fresh tables with the live ones, and every serving"
            " process's in-memory index with a fresh fold of the log; exit 1 on any drift.",
        ),
    ] = False,
) -> None:
    """Rebuild projections into fresh tables, compare with the live ones, switch, drop the old."""
    from cli.maintenance import check_projections, exit_with, rebuild_projections

    with opened_store(database_url) as (waiting_list, database):
        asked = (waiting_list, database, projections or [], progress)
        if check:
            status = check_projections(*asked, jobs=jobs)
        else:
            status = rebuild_projections(*asked, jobs=jobs, force=force)
    exit_with(status)


@app.command(name="check")
def check_command(
    projections: Annotated[
        list[str] | None, typer.Argument(help="Projections to check (default: all).")
    ] = None,
    database_url: DatabaseURL = None,
) -> None:
    """Find drift without switching anything (the same as `kezek rebuild --check`)."""
    rebuild(projections, database_url, 1, False, True)


from cli.checkpoint import checkpoint_command  # noqa: E402 (registered in its place)

app.command(name="checkpoint")(checkpoint_command)


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="The bundle to write (.zip).")],
    application: Annotated[
        str | None, typer.Option("--application", help="The application id to export.")
    ] = None,
    provider: Annotated[str | None, typer.Option(help="With --list: the provider.")] = None,
    list_code: Annotated[str | None, typer.Option("--list", help="A whole list instead.")] = None,
    at: Annotated[
        str | None, typer.Option(help="With --list: the moment (ISO 8601 with an offset).")
    ] = None,
    for_role: Annotated[
        str,
        typer.Option(
            "--for",
            help="Whom the bundle is for: court, officer, head (whole), complaint_body, auditor "
            "(without personal data: docs/security.md).",
        ),
    ] = "court",
    database_url: DatabaseURL = None,
) -> None:
    """Write a court export bundle of one case, or of a whole list as of a moment."""
    from uuid import UUID

    from api.services import Services
    from cli.export import write_bundle
    from replay.asof_moment import AsOf
    from replay.export import ExportError, export_application, export_list
    from replay.redaction import EXPORT_ROLES

    settings = settings_for(database_url)
    if (application is None) == (list_code is None):
        typer.echo("kezek export: give --application ID, or --provider P --list L --at T", err=True)
        raise typer.Exit(2)
    role = next((r for r in EXPORT_ROLES if r.value == for_role), None)
    if role is None:
        names = ", ".join(r.value for r in EXPORT_ROLES)
        typer.echo(f"kezek export: --for is one of {names}", err=True)
        raise typer.Exit(2)
    services = Services.open(settings, follow=False)
    try:
        if application is not None:
            exported = export_application(services, UUID(application), role=role)
        else:
            if provider is None or at is None:
                typer.echo("kezek export: --list needs --provider and --at", err=True)
                raise typer.Exit(2)
            moment = AsOf(datetime.fromisoformat(at.replace("Z", "+00:00")))
            exported = export_list(services, provider, list_code or "", moment, role=role)
        write_bundle(exported, out, echo=typer.echo)
    except (ExportError, ValueError) as error:
        typer.echo(f"kezek export: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        services.close()


from cli.verify import verify_command  # noqa: E402 (registered in its place, cli/verify.py)

app.command(name="verify")(verify_command)

from cli.asof import asof_app  # noqa: E402 (registered after the commands above)

app.add_typer(asof_app, name="asof")

from cli.bench import bench_app  # noqa: E402 (registered after the commands above)

app.add_typer(bench_app, name="bench")

from cli.acts import acts_command  # noqa: E402 (registered after the commands above)

app.command(name="acts")(acts_command)

from cli.audit import audit_app  # noqa: E402 (registered after the commands above)

app.add_typer(audit_app, name="audit")

from cli.witness import witness_app  # noqa: E402 (registered after the commands above)

app.add_typer(witness_app, name="witness")

from cli.monitor import monitor_command  # noqa: E402 (registered in its place)

app.command(name="monitor")(monitor_command)

from cli.notify import notify_command  # noqa: E402 (registered in its place)

app.command(name="notify")(notify_command)

if __name__ == "__main__":
    app()
