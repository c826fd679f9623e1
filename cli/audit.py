"""`kezek audit recorded-apart`: the auditors' report of acts recorded more than an hour apart
from when they took effect, with who dated them and why (the same as the API's
GET /v1/audit/recorded-apart)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.groups import command_group
from cli.store import opened_store
from projections.audit_trail import AuditTrail
from projections.rebuild import live
from projections.runner import CatchUpRunner

audit_app = command_group("audit", "Reports for auditors over the whole ledger.")


@audit_app.command("recorded-apart")
def recorded_apart(
    provider: Annotated[
        str | None, typer.Option(help="Only acts by this provider's staff.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="At most this many.")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="The store (default: the configured).")
    ] = None,
) -> None:
    """Acts whose effective and recorded times differ by more than an hour: who and why."""
    with opened_store(database_url) as (waiting_list, database):
        trail = live(AuditTrail, database)
        assert isinstance(trail, AuditTrail)
        runner = CatchUpRunner(waiting_list, [trail], database)
        runner.setup()
        runner.catch_up()  # the report covers the log to its end
        with database.transaction(write=False) as tx:
            entries = trail.recorded_apart(tx, provider=provider, limit=limit)
    for e in entries:
        if as_json:
            row = {
                "application_id": str(e.application_id), "version": e.version, "act": e.event,
                "by": {"role": e.actor_role, "id": e.actor_id, "provider": e.actor_provider},
                "effective_at": e.effective_at.isoformat(),
                "recorded_at": e.recorded_at.isoformat(), "apart_seconds": e.lag_seconds,
                "backdated_because": e.backdated_because,
            }  # fmt: skip
            typer.echo(json.dumps(row, ensure_ascii=False))
            continue
        who = " ".join(p for p in (e.actor_role, e.actor_provider, e.actor_id) if p)
        why = e.backdated_because or "(no reason recorded)"
        typer.echo(
            f"{e.application_id} v{e.version} {e.event}: took effect {e.effective_at.isoformat()},"
            f" recorded {e.recorded_at.isoformat()} ({e.lag_seconds // 3600} h apart) by {who}:"
            f" {why}"
        )
    if not as_json:
        typer.echo(f"{len(entries)} act(s) recorded more than an hour apart from their effect.")
