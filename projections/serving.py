"""The process model: one writer of the persisted views, and every process its own reader.

A `ServingProcess` is what a `kezek serve` process (or `kezek project --follow`) runs beside
its work:
- the writer's lease (projections.lease), tried at start and every second; while held, the
  catch-up runner writes every persisted view; when lost (a broken session), it stops;
- its own queue index (projections.live_queue), following the queue view's table from its
  own position, woken by the writer in the same process and polling otherwise;
- a report of where it stands, every second (projections.processes), which `/health` lists
  and `kezek rebuild --check` compares.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from projections.database import ViewDatabase
from projections.lease import WriterLease
from projections.live_queue import LiveQueue
from projections.processes import ProcessRow, create_table, forget, new_process_id, report
from projections.runner import CatchUpRunner

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0


class ServingProcess:
    def __init__(
        self,
        runner: CatchUpRunner,
        database: ViewDatabase,
        *,
        queue: LiveQueue | None,
        writes: bool = True,
        kind: str = "serve",
        tick: float = TICK_SECONDS,
    ) -> None:
        self.runner = runner
        self.database = database
        self.queue = queue
        self.writes = writes
        self.kind = kind
        self.tick = tick
        self.lease = WriterLease(database)
        self.process_id = new_process_id()
        self.started_at = time.time()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._writing = False
        self.on_tick: list[Callable[[], None]] = []
        with database.creating() as tx:
            create_table(tx)
        if queue is not None:
            runner.listeners.append(queue.wake)

    @property
    def writing(self) -> bool:
        return self._writing

    def start(self) -> None:
        """Take the lease if free, start following, report; then keep at it in a thread."""
        self._stop.clear()
        if self.queue is not None:
            self.queue.start()
        self._step()
        self._thread = threading.Thread(target=self._loop, name="kezek-serving", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.tick):
            try:
                self._step()
            except Exception as error:  # the store is unreachable: try again next tick
                log.warning("serving process: %s", type(error).__name__)

    def _step(self) -> None:
        if self.writes:
            if self._writing and not self.lease.still_held():
                log.warning("lost the writer's lease: no longer writing the views")
                self.runner.stop()
                self._writing = False
            if not self._writing and self.lease.try_acquire():
                self.runner.setup()  # positions as the previous writer left them
                self.runner.start()
                self._writing = True
        for hook in self.on_tick:
            hook()
        self.report()

    def report(self) -> None:
        if self.queue is not None:
            position, entries, digest = self.queue.digest()
        else:
            position, entries, digest = 0, 0, ""
        row = ProcessRow(
            process_id=self.process_id,
            kind=self.kind,
            host=socket.gethostname(),
            pid=os.getpid(),
            started_at=self.started_at,
            seen_at=time.time(),
            writer=self._writing,
            index_position=position,
            index_entries=entries,
            index_digest=digest,
        )
        with self.database.transaction() as tx:
            report(tx, row)

    def wait_until_writing(self, timeout: float | None = None) -> bool:
        """Block until this process holds the lease (a worker waiting for its turn)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._writing:
            if self._stop.is_set() or (deadline is not None and time.monotonic() > deadline):
                return False
            time.sleep(0.1)
        return True

    def stop_soon(self) -> None:
        """Ask to stop (safe from a signal handler); `join` then returns."""
        self._stop.set()
        self.runner.stop_soon()

    def join(self) -> None:
        """Wait until asked to stop."""
        while not self._stop.wait(0.5):
            pass

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        self.runner.stop()
        self._writing = False
        self.lease.release()
        if self.queue is not None:
            self.queue.stop()
        try:
            with self.database.transaction() as tx:
                forget(tx, self.process_id)
        except Exception:  # the store is gone: the row ages out
            log.warning("could not remove this process's row")
