"""`kezek notify [--follow]`: deliver the outbox's SMS through the gateway (docs/notices.md).

Without `--follow`, one pass over the SMS due now. With it, deliver until SIGTERM or Ctrl-C
(after the message in hand); a second worker waits for the first's lock, and takes over when
its process ends, however it ends. `kezek serve` runs one in a thread unless `--no-notify`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Annotated

import typer

from api.notice_delivery import Backoff, Deliverer, start_in_thread
from api.sms_gateway import gateway_for
from cli.store import settings_for
from config.settings import Settings
from domain.waiting_list import WaitingList


def where_sms_go(settings: Settings) -> str:
    if settings.sms_gateway_url:
        return f"SMS notices go to the gateway at {settings.sms_gateway_url}"
    return f"SMS notices are written to {settings.sms_sink.resolve()} (no KEZEK_SMS_GATEWAY_URL)"


def run_notify(settings: Settings, *, follow: bool, echo: Callable[[str], None] = print) -> None:
    ledger = WaitingList(env={"KEZEK_DATABASE_URL": settings.database_url})
    gateway = gateway_for(settings)
    try:
        worker = Deliverer(ledger, gateway, Backoff.of(settings))
        if not follow:
            tally = worker.run_once(limit=10_000)
            echo(
                f"kezek notify: {tally.delivered} delivered, {tally.failed} not delivered,"
                f" {tally.retried} to retry"
            )
            return
        stop = threading.Event()

        def stopping(signum: int, _: FrameType | None) -> None:
            echo(f"kezek notify: stopping on signal {signum}")
            stop.set()

        signal.signal(signal.SIGTERM, stopping)
        signal.signal(signal.SIGINT, stopping)
        echo(f"kezek notify: {where_sms_go(settings)}")
        worker.follow(stop)
    finally:
        gateway.close()
        ledger.close()


def start_notifier(settings: Settings) -> threading.Event:
    """A delivery worker inside this process (`kezek serve`): set the event to stop it."""
    ledger = WaitingList(env={"KEZEK_DATABASE_URL": settings.database_url})
    return start_in_thread(ledger, gateway_for(settings), Backoff.of(settings))


def notify_command(
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep delivering until SIGTERM or Ctrl-C.")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Store to read (default: KEZEK_DATABASE_URL)."),
    ] = None,
) -> None:
    """Send the outbox's SMS notices through the gateway (KEZEK_SMS_GATEWAY_URL, else a file)."""
    run_notify(settings_for(database_url), follow=follow, echo=typer.echo)
