"""The projection worker: `kezek project [--follow]` runs the catch-up runner on its own.

It stops cleanly on SIGTERM or SIGINT (after the batch in hand: each batch is one
transaction, so even SIGKILL loses nothing and applies nothing twice).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType

from domain.waiting_list import WaitingList
from projections.catalog import live_projections
from projections.database import ViewDatabase
from projections.runner import CatchUpRunner


def run_worker(
    waiting_list: WaitingList,
    database: ViewDatabase,
    *,
    follow: bool,
    batch_size: int = 1000,
    echo: Callable[[str], None] = print,
) -> int:
    runner = CatchUpRunner(
        waiting_list, live_projections(database), database, batch_size=batch_size
    )
    runner.setup()

    def stop(signum: int, _: FrameType | None) -> None:
        echo(f"kezek project: stopping on signal {signum}")
        runner.stop_soon()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if follow:
        echo(f"kezek project: following the log ({database.dialect}); lag {runner.lag()}")
        runner.follow()
        return 0
    done = runner.catch_up()
    echo(f"kezek project: applied {done} notifications; lag {runner.lag()}")
    return 0
