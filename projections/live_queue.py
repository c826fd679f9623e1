"""A process's own queue index, following the queue view's table (one writer, many readers).

Exactly one process writes each persisted view (the holder of the writer's lease:
projections.lease). Every service process, the writer included, keeps its in-memory index by
following what the writer committed, with a position of its own: it reads the queue view's
tracked position T in a snapshot of the view tables, the list events up to T from the log, and
the holders and list names in the same snapshot, and applies them to the index, which then
stands exactly where the table stands at T. It never shares another process's position, so a
process that restarts, lags or runs beside others cannot miss or repeat an event: it warms
from the table (entries and position read in one snapshot) and follows from there.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from uuid import UUID

from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from projections.database import Tx, ViewDatabase
from projections.generations import GENERATIONS, create_generations_table
from projections.list_names import ListNames
from projections.projection import topics_of
from projections.queue import (
    INDEX_READS,
    PublicEntry,
    QueueProjection,
    index_changes,
    read_page,
)
from projections.queue_index import Placement, QueueIndex
from projections.runner import TRACKING, create_tracking_table, tracked_position
from projections.view_sql import fetch_in

log = logging.getLogger(__name__)
BATCH = 5_000


def _topics() -> list[str]:
    return sorted(topics_of(INDEX_READS))


class LiveQueue:
    """The order of every list in this process, at `position` of the log."""

    def __init__(
        self, waiting_list: WaitingList, database: ViewDatabase, *, poll_interval: float = 0.05
    ) -> None:
        self.waiting_list = waiting_list
        self.database = database
        self.poll_interval = poll_interval
        self.index = QueueIndex()
        self.view = QueueProjection(keeps_index=False)
        self.position = 0
        self.view_positions: dict[str, int] = {}
        self.live_generations: dict[str, int] = {}
        self._lists = ListNames(self.view.table("queue_lists"))
        self._topics = _topics()
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    # -- following ------------------------------------------------------------------------

    def warm(self) -> None:
        """Load the index from the live generation's table, at the position it was written to."""
        with self.database.creating() as tx:  # at start-up, before any read: no DDL later
            create_generations_table(tx)
            create_tracking_table(tx)
        with self.database.transaction(write=False, snapshot=True) as tx:
            self.live_generations = live_generations(tx)
            generation = self.live_generations.get(QueueProjection.name, 1)
            view = QueueProjection(generation, keeps_index=False)
            position = tracked_position(tx, view)
            index = QueueIndex.load(tx, view.entries, view.holders)
            self.view_positions = view_positions(tx)
        with self._changed:
            self.view = view
            self._lists = ListNames(view.table("queue_lists"))
            self.index.replace(index)
            self.position = position
            self._changed.notify_all()

    def advance(self) -> int:
        """Apply what the writer committed since `position`; how far it moved (0: none)."""
        with self.database.transaction(write=False, snapshot=True) as tx:
            generations = live_generations(tx)
            self.live_generations = generations
            self.view_positions = view_positions(tx)
            if generations.get(QueueProjection.name, 1) != self.view.generation:
                switched = True
            else:
                switched = False
                target = tracked_position(tx, self.view)
                moved = self._advance_to(tx, target) if target > self.position else 0
        if switched:  # a rebuild made another generation live: serve it from its table
            before = self.position
            self.warm()
            return max(0, self.position - before)
        return moved

    def _advance_to(self, tx: Tx, target: int) -> int:
        start = self.position
        recorder = self.waiting_list.recorder
        to_event = self.waiting_list.mapper.to_domain_event
        while self.position < target:
            notifications = recorder.select_notifications(
                start=self.position + 1, limit=BATCH, stop=target, topics=self._topics
            )
            last = notifications[-1].id if len(notifications) == BATCH else target
            events = [to_event(n) for n in notifications]
            self._lists.resolve(tx, {e.originator_id for e in events if _is_list_event(e)})
            holders = self._holders(tx, events)
            changes = index_changes(events, self._lists, holders)
            with self._changed:
                self.index.apply(changes)
                self.position = last
                self._changed.notify_all()
        return self.position - start

    def _holders(self, tx: Tx, events: Sequence[object]) -> dict[str, str]:
        joining = sorted({str(e.application_id) for e in events if isinstance(e, QueueList.Joined)})
        sql = f"SELECT application_id, applicant_ref FROM {self.view.holders}"
        return dict(fetch_in(tx, sql, "application_id", joining))

    def follow(self) -> None:
        while not self._stop.is_set():
            try:
                self.advance()
            except Exception as error:  # a broken connection: try again on the next tick
                self.error = error
                log.warning("queue index: %s", type(error).__name__)
            else:
                self.error = None
            self._wake.wait(self.poll_interval)
            self._wake.clear()

    def wake(self) -> None:
        """Look at the table now (the writer in this process has just committed)."""
        self._wake.set()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.follow, name="kezek-index", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wait_for(self, position: int, timeout: float) -> bool:
        """Wait, at most `timeout` seconds, until the index stands at `position` or later."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._wake.set()
                self._changed.wait(min(remaining, self.poll_interval))
        return True

    # -- reading (any thread, no I/O but the public page's rows) ----------------------------

    def placement(self, application_id: UUID) -> Placement | None:
        return self.index.placement(application_id)

    def position_of(self, application_id: UUID) -> tuple[int, int] | None:
        return self.index.position(application_id)

    def length(self, provider: str, list_code: str) -> int:
        return self.index.length(provider, list_code)

    def public_page(
        self, tx: Tx, provider: str, list_code: str, page: int, size: int = 50
    ) -> list[PublicEntry]:
        return read_page(self.index, self.view.entries, tx, provider, list_code, page, size)

    def digest(self) -> tuple[int, int, str]:
        """(position, entries, digest), read together."""
        with self._changed:
            return (self.position, *self.index.digest())


def _is_list_event(event: object) -> bool:
    return isinstance(event, QueueList.Change)


def live_generations(tx: Tx) -> dict[str, int]:
    """Live generations by name (absent: 1). The table exists: `live()` makes it at start."""
    rows = tx.fetchall(f"SELECT projection, live FROM {GENERATIONS}")
    return {str(name): int(generation) for name, generation in rows}


def view_positions(tx: Tx) -> dict[str, int]:
    live = live_generations(tx)
    rows = tx.fetchall(f"SELECT projection, generation, position FROM {TRACKING}")
    return {str(n): int(p) for n, g, p in rows if int(g) == live.get(str(n), 1)}
