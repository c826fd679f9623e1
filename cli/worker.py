"""The projection worker: `kezek project [--follow]` writes the persisted views on its own.

`--follow` waits for the writer's lease (projections.lease), then follows the log until SIGTERM
or SIGINT (after the batch in hand: each batch is one transaction, so even SIGKILL loses
nothing and applies nothing twice); another process waiting for the lease then takes over.
Without `--follow`, one catch-up to the head (safe beside a writer: each batch re-reads its
tracked position under the table's lock).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType

from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.runner import CatchUpRunner
from projections.serving import ServingProcess
from replay.catalog import live_projections


def run_worker(
    waiting_list: WaitingList,
    database: ViewDatabase,
    *,
    follow: bool,
    batch_size: int = 1000,
    echo: Callable[[str], None] = print,
) -> int:
    runner = CatchUpRunner(
        waiting_list, live_projections(database, index=False), database, batch_size=batch_size
    )
    runner.setup()
    if not follow:
        done = runner.catch_up()
        echo(f"kezek project: applied {done} notifications; lag {runner.lag()}")
        return 0
    serving = ServingProcess(runner, database, queue=None, kind="worker")
    stopping = False

    def stop(signum: int, _: FrameType | None) -> None:
        nonlocal stopping
        echo(f"kezek project: stopping on signal {signum}")
        stopping = True
        serving.stop_soon()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    serving.start()
    if not serving.writing:
        echo("kezek project: another process writes the views; waiting for its lease")
    if serving.wait_until_writing():
        echo(f"kezek project: following the log ({database.dialect}); lag {runner.lag()}")
    serving.join()
    serving.stop()
    return 0
