"""`kezek asof ...`: an application, its position, or a whole list as they stood at a moment.

    kezek asof application APPLICATION_ID --at 2025-03-01T12:00+05:00 [--by recorded]
    kezek asof position APPLICATION_ID --at 2025-03-01T12:00Z
    kezek asof list almaty socially_vulnerable --at 2025-03-01T12:00Z [--limit 50 --offset 0]

`--by effective` (the default) is business time, `--by recorded` recording time; `--known-at`
answers by business time as the ledger knew it then. A moment must carry its UTC offset (or
`Z`); `now` is now. Wired into the console script as `app.add_typer(asof_app, name="asof")`;
the `asof_*` functions print the same answers for any ledger and `echo`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

import typer

from cli.groups import command_group
from config.settings import Settings
from domain.ledger_base import LedgerBase
from domain.store_url import BadDatabaseURL
from replay.asof import (
    ApplicationNotFound,
    AsOf,
    ChronologyBroken,
    Position,
    application_as_of,
    application_summary,
    position_as_of,
    state_as_of,
)

Echo = Callable[[str], None]


class By(StrEnum):
    effective = "effective"
    recorded = "recorded"


asof_app = command_group(
    "asof", "An application, its position or a whole list as they stood at a past moment."
)


def parse_moment(text: str) -> datetime:
    """ISO 8601 with a UTC offset or `Z` (2025-03-01T12:00+05:00), or `now`."""
    if text.strip().lower() == "now":
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"not an ISO 8601 moment: {text!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        local = moment.isoformat(timespec="minutes")  # a date alone is its midnight
        raise typer.BadParameter(
            f"{text.strip()!r} has no UTC offset; a moment is accepted as, for example,"
            f" {local}+05:00 (Almaty, Astana) or {local}Z (UTC)"
        )
    return moment.astimezone(UTC)


# -- the answers, printed --------------------------------------------------------------------


def asof_application(
    ledger: LedgerBase,
    application_id: UUID,
    at: AsOf,
    *,
    position_only: bool = False,
    as_json: bool = False,
    echo: Echo = typer.echo,
) -> None:
    """The application's state and its position at the moment (`position_only`: the position
    alone, as `kezek asof position` prints it)."""
    summary = None
    if not position_only:
        app = application_as_of(ledger, application_id, at)
        summary = None if app is None else application_summary(app)
    position = position_as_of(ledger, application_id, at)
    if as_json:
        answer: dict[str, Any] = {"as_of": at.as_dict()}
        if not position_only:
            answer["application"] = summary
        answer["position"] = None if position is None else position.as_dict()
        echo(_json(answer))
        return
    echo(f"Application {application_id} {at.describe()}:")
    if summary is not None:
        echo(f"  status: {summary['status']} (version {summary['version']})")
        echo(f"  list: {summary['provider']} / {summary['list_code']}")
        echo(f"  filed at: {summary['filed_at']}; priority moment: {summary['priority_moment']}")
        echo(f"  last act took effect at: {summary['last_effective_at']}")
        if summary["queue_number"] is not None:
            echo(f"  queue number stated: {summary['queue_number']}")
        for complaint, status in summary["complaints"].items():
            echo(f"  complaint {complaint}: {status}")
    elif not position_only:
        echo("  not filed yet")
        return
    echo(f"  position: {_position_text(position)}")


def asof_list(
    ledger: LedgerBase,
    provider: str,
    list_code: str,
    at: AsOf,
    *,
    offset: int = 0,
    limit: int | None = 50,
    as_json: bool = False,
    echo: Echo = typer.echo,
) -> None:
    """The order of the list at the moment, from position `offset + 1` (`limit` None: all)."""
    state = state_as_of(ledger, provider, list_code, at)
    entries = state.entries(offset, limit)
    if as_json:
        echo(
            _json(
                {
                    "as_of": at.as_dict(),
                    "provider": provider,
                    "list_code": list_code,
                    "length": len(state),
                    "list_version": state.version,
                    "entries": [e.as_dict() for e in entries],
                }
            )
        )
        return
    echo(
        f"{provider} / {list_code} {at.describe()}: "
        f"{len(state):,} on the list (list version {state.version})"
    )
    for entry in entries:
        offer = "  offer open" if entry.offer_open else ""
        echo(
            f"{entry.position:>7}  {entry.application_id}  "
            f"{entry.priority_moment:%Y-%m-%d %H:%M:%S.%f} UTC{offer}"
        )
    shown_to = offset + len(entries)
    if shown_to < len(state):
        echo(f"  ... {len(state) - shown_to:,} more (--offset {shown_to}, --limit 0 for all)")


def _position_text(position: Position | None) -> str:
    if position is None:
        return "not on the list"
    offer = ", offer open" if position.entry.offer_open else ""
    return f"{position.position} of {position.length}{offer}"


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


# -- the commands -----------------------------------------------------------------------------

AtOption = Annotated[
    str,
    typer.Option("--at", help="The moment: ISO 8601 with its offset (…T12:00+05:00, …Z) or now."),
]
ByOption = Annotated[
    By, typer.Option("--by", help="effective: business time; recorded: recording time.")
]
KnownAtOption = Annotated[
    str | None,
    typer.Option("--known-at", help="Business time as the ledger knew it at this moment."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
UrlOption = Annotated[
    str | None,
    typer.Option("--database-url", help="Store to read (default: KEZEK_DATABASE_URL)."),
]


@contextmanager
def _ledger(database_url: str | None) -> Iterator[LedgerBase]:
    from domain.waiting_list import WaitingList

    url = database_url or Settings().database_url
    try:
        ledger = WaitingList(env={"KEZEK_DATABASE_URL": url})
    except BadDatabaseURL as error:
        typer.echo(f"kezek asof: {error}", err=True)
        raise typer.Exit(2) from None
    try:
        yield ledger
    except ApplicationNotFound as error:
        typer.echo(f"kezek asof: no application {error}", err=True)
        raise typer.Exit(1) from None
    except ChronologyBroken as error:
        typer.echo(f"kezek asof: the log breaks the chronology rule: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        ledger.close()


def _as_of(at: str, by: By, known_at: str | None) -> AsOf:
    if known_at is not None and by is By.recorded:
        raise typer.BadParameter("--known-at goes with --by effective")
    moment = parse_moment(at)
    known = None if known_at is None else parse_moment(known_at)
    return AsOf(moment, "recorded" if by is By.recorded else "effective", known)


def _application_command(name: str, summary: str, *, position_only: bool) -> None:
    """`kezek asof application` and `kezek asof position`: one answer, the second without the
    application's state."""

    @asof_app.command(name, help=summary)
    def command(
        application_id: Annotated[UUID, typer.Argument(help="The application's id.")],
        at: AtOption,
        by: ByOption = By.effective,
        known_at: KnownAtOption = None,
        as_json: JsonOption = False,
        database_url: UrlOption = None,
    ) -> None:
        as_of = _as_of(at, by, known_at)
        with _ledger(database_url) as ledger:
            asof_application(
                ledger, application_id, as_of, position_only=position_only, as_json=as_json
            )


_application_command(
    "application",
    "An application's state and position as they stood at a moment.",
    position_only=False,
)
_application_command(
    "position", "An application's position on its list at a moment.", position_only=True
)


@asof_app.command("list")
def list_command(
    provider: Annotated[str, typer.Argument(help="Provider code, e.g. almaty.")],
    list_code: Annotated[str, typer.Argument(help="List code, e.g. socially_vulnerable.")],
    at: AtOption,
    by: ByOption = By.effective,
    known_at: KnownAtOption = None,
    offset: Annotated[int, typer.Option(min=0, help="Entries to skip.")] = 0,
    limit: Annotated[int, typer.Option(min=0, help="Entries to print (0: all).")] = 50,
    as_json: JsonOption = False,
    database_url: UrlOption = None,
) -> None:
    """The whole order of a (provider, list) at a moment."""
    as_of = _as_of(at, by, known_at)
    with _ledger(database_url) as ledger:
        asof_list(
            ledger, provider, list_code, as_of, offset=offset, limit=limit or None, as_json=as_json
        )
