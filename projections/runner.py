"""Our catch-up runner: batches of notifications, one transaction per batch per projection.

The library's ProjectionRunner cannot read a SQLite store and commits one transaction per
event. This runner reads the notifications after each projection's tracked position in
batches, decodes them once with the application's mapper, and for each projection writes the
view rows and its new position in one transaction: exactly once, also after a crash between
batches. On PostgreSQL it wakes on LISTEN/NOTIFY (the library notifies on every insert); on
SQLite it polls.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from domain.waiting_list import WaitingList
from projections.database import Tx, ViewDatabase
from projections.generations import GENERATIONS
from projections.projection import Projection, Recorded

log = logging.getLogger(__name__)

TRACKING = "kezek_projection_position"
# The `version` of the code that filled each generation from position 0, so that a rebuild
# after a change of definition knows a difference is expected (absent: filled before this).
BUILT = "kezek_projection_built"
_GENERATIONS_EXIST = {
    "sqlite": f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{GENERATIONS}'",
    "postgres": f"SELECT 1 FROM pg_tables WHERE tablename = '{GENERATIONS}'"
    " AND schemaname = current_schema()",
}


def create_tracking_table(tx: Tx) -> None:
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {TRACKING} ("
        " projection TEXT NOT NULL, generation INTEGER NOT NULL, position BIGINT NOT NULL,"
        " PRIMARY KEY (projection, generation))"
    )
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {BUILT} ("
        " projection TEXT NOT NULL, generation INTEGER NOT NULL, version INTEGER NOT NULL,"
        " PRIMARY KEY (projection, generation))"
    )


def built_version(tx: Tx, projection: Projection) -> int | None:
    """The version of the code that filled this generation (None: not recorded)."""
    row = tx.fetchone(
        f"SELECT version FROM {BUILT} WHERE projection = ? AND generation = ?",
        (projection.name, projection.generation),
    )
    return None if row is None else int(row[0])


def tracked_position(tx: Tx, projection: Projection, *, lock: bool = False) -> int:
    position = tracking_row(tx, projection, lock=lock)
    return 0 if position is None else position


def tracking_row(tx: Tx, projection: Projection, *, lock: bool = False) -> int | None:
    """The generation's position, or None once a rebuild has retired it. With `lock`, the row
    is locked first: runners and rebuilds take it before any view table, so they never
    deadlock."""
    lock_clause = " FOR UPDATE" if lock and tx.dialect == "postgres" else ""
    row = tx.fetchone(
        f"SELECT position FROM {TRACKING} WHERE projection = ? AND generation = ?{lock_clause}",
        (projection.name, projection.generation),
    )
    return None if row is None else int(row[0])


def record_position(tx: Tx, projection: Projection, position: int) -> None:
    tx.execute(
        f"INSERT INTO {TRACKING} (projection, generation, position) VALUES (?, ?, ?)"
        " ON CONFLICT (projection, generation) DO UPDATE SET position = excluded.position",
        (projection.name, projection.generation, position),
    )


@contextmanager
def collection_deferred() -> Iterator[None]:
    """The cyclic garbage collector paused for one batch: a batch allocates tens of thousands
    of objects (decoded events, rows) that reference counting frees, and the collector's passes
    over them were a quarter of a rebuild's CPU. Resumed (and a young pass run) after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


class CatchUpRunner:
    def __init__(
        self,
        waiting_list: WaitingList,
        projections: Sequence[Projection],
        database: ViewDatabase,
        *,
        batch_size: int = 1000,
        poll_interval: float = 0.2,
    ) -> None:
        self.waiting_list = waiting_list
        self.projections = list(projections)
        self.database = database
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self._positions: dict[str, int] = {}
        self._topic_cache: dict[str, frozenset[str] | None] = {}
        self._progress = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None
        # Called after each committed batch (a service process wakes its index follower).
        self.listeners: list[Callable[[], None]] = []

    # -- setting up ----------------------------------------------------------------------

    def setup(self) -> None:
        # Tracking rows first, tables after, in separate transactions: a transaction that held
        # a table lock (CREATE INDEX IF NOT EXISTS) while waiting for a tracking row would
        # deadlock with a runner that holds the row and writes the table.
        with self.database.creating() as tx:
            create_tracking_table(tx)
            for projection in self.projections:
                tx.execute(
                    f"INSERT INTO {TRACKING} (projection, generation, position) VALUES (?, ?, 0)"
                    " ON CONFLICT (projection, generation) DO NOTHING",
                    (projection.name, projection.generation),
                )
                if tracked_position(tx, projection) == 0:  # nothing applied: this code fills it
                    tx.execute(
                        f"INSERT INTO {BUILT} (projection, generation, version) VALUES (?, ?, ?)"
                        " ON CONFLICT (projection, generation) DO UPDATE"
                        " SET version = excluded.version",
                        (projection.name, projection.generation, projection.version),
                    )
        for projection in self.projections:
            self.database.create(projection.create_tables)
        with self.database.transaction(write=False) as tx:
            for projection in self.projections:
                self._positions[self._key(projection)] = tracked_position(tx, projection)

    def adopt_live_generations(self) -> list[str]:
        """Serve the generation a rebuild made live (`kezek rebuild` in another process)."""
        with self.database.transaction(write=False) as tx:
            if tx.fetchone(_GENERATIONS_EXIST[tx.dialect]) is None:
                return []
            live = {
                name: int(gen)
                for name, gen in tx.fetchall(f"SELECT projection, live FROM {GENERATIONS}")
            }
        switched = []
        for index, projection in enumerate(self.projections):
            generation = live.get(projection.name, projection.generation)
            if generation != projection.generation:
                fresh = projection.at_generation(generation)
                self.database.create(fresh.create_tables)
                with self.database.transaction(write=False) as tx:
                    position = tracked_position(tx, fresh)
                with self._progress:
                    self._positions.pop(self._key(projection), None)
                    self._positions[self._key(fresh)] = position
                    self.projections[index] = fresh
                switched.append(projection.name)
        return switched

    @staticmethod
    def _key(projection: Projection) -> str:
        return f"{projection.name}/g{projection.generation}"

    def position(self, projection: Projection) -> int:
        return self._positions[self._key(projection)]

    def head(self) -> int:
        return self.waiting_list.recorder.max_notification_id() or 0

    def lag(self) -> dict[str, int]:
        head = self.head()
        return {p.name: head - self.position(p) for p in self.projections}

    # -- catching up ---------------------------------------------------------------------

    def run_once(self, until: int | None = None) -> int:
        """Process one batch; returns how many positions of the log it advanced (0: caught
        up)."""
        with collection_deferred():
            return self._run_once(until)

    def _run_once(self, until: int | None) -> int:
        start = min(self.position(p) for p in self.projections)
        if until is not None and start >= until:
            return 0
        selected = self._selected_topics()
        if selected is None:
            notifications = self.waiting_list.recorder.select_notifications(
                start=start + 1, limit=self.batch_size, stop=until
            )
            if not notifications:
                return 0
            last = notifications[-1].id
        else:
            # The store filters by topic. A short batch covers everything up to `stop`, the
            # head read before it: ids up to the head are committed, since the store inserts
            # under a table lock.
            stop = self.head() if until is None else min(until, self.head())
            if stop <= start:
                return 0
            notifications = self.waiting_list.recorder.select_notifications(
                start=start + 1, limit=self.batch_size, stop=stop, topics=sorted(selected)
            )
            full = len(notifications) == self.batch_size
            last = notifications[-1].id if full else stop
        to_event = self.waiting_list.mapper.to_domain_event
        decoded = self._decoded_topics()
        batch = [
            Recorded(n.id, to_event(n) if decoded is None or n.topic in decoded else None, n)
            for n in notifications
        ]
        retired = [p for p in self.projections if not self._apply(p, batch, last)]
        if retired:
            # A rebuild switched generations under us: serve the live ones, then go on from
            # their positions (re-reading this batch would loop on the retired tables).
            self.adopt_live_generations()
        return last - start

    def _topics(self, projection: Projection) -> frozenset[str] | None:
        key = self._key(projection)
        if key not in self._topic_cache:
            self._topic_cache[key] = projection.topics()
        return self._topic_cache[key]

    def _selected_topics(self) -> frozenset[str] | None:
        """The topics any projection reads (None: every topic: the store does not filter)."""
        selected: set[str] = set()
        for projection in self.projections:
            topics = self._topics(projection)
            if topics is None:
                return None
            selected |= topics
        return frozenset(selected)

    def _decoded_topics(self) -> frozenset[str] | None:
        decoded: set[str] = set()
        for projection in self.projections:
            if projection.decodes:
                topics = self._topics(projection)
                if topics is None:
                    return None
                decoded |= topics
        return frozenset(decoded)

    def _apply(self, projection: Projection, batch: list[Recorded], last: int) -> bool:
        """Apply the batch to one projection; False when a rebuild has retired it."""
        if self.position(projection) >= last:
            return True
        topics = self._topics(projection)
        with self.database.transaction() as tx:
            # Read the position again inside the transaction (locked on PostgreSQL; SQLite's
            # write transaction excludes every other writer): another writer of these tables
            # (a second worker during a hand-over of the writer's lease) may have committed
            # this batch meanwhile, and then the tables hold it already.
            done = tracking_row(tx, projection, lock=True)
            if done is None:
                return False  # retired by a rebuild
            mine = [
                r
                for r in batch
                if r.notification_id > done and (topics is None or r.stored.topic in topics)
            ]
            if mine:
                projection.apply(mine, tx)
            if last > done:
                record_position(tx, projection, last)
        if mine:
            projection.committed(mine)
        with self._progress:
            self._positions[self._key(projection)] = max(done, last)
            self._progress.notify_all()
        for listener in self.listeners:
            listener()
        return True

    def catch_up(self, until: int | None = None) -> int:
        total = 0
        while not self._stop.is_set():
            done = self.run_once(until)
            if not done:
                break
            total += done
        return total

    # -- following -----------------------------------------------------------------------

    def follow(self) -> None:
        """Catch up, then keep up until stopped."""
        listener = self._listener()
        try:
            while not self._stop.is_set():
                self.adopt_live_generations()
                self.catch_up()
                self._wait_for_news(listener)
        finally:
            if listener is not None:
                listener.close()

    def _listener(self) -> Any:
        if self.database.dialect != "postgres":
            return None
        channel = self.waiting_list.recorder.channel_name  # type: ignore[attr-defined]
        conn = self.database.connect_postgres(autocommit=True)
        conn.execute(f'LISTEN "{channel}"')
        return conn

    def _wait_for_news(self, listener: Any) -> None:
        if listener is None:
            self._stop.wait(self.poll_interval)
            return
        # A notification wakes us at once; the timeout bounds how long a stop request waits.
        for _ in listener.notifies(timeout=self.poll_interval, stop_after=1):
            pass

    def start(self) -> None:
        """Follow in a background thread (inside the service process)."""
        self._stop.clear()

        def run() -> None:
            try:
                self.follow()
            except BaseException as error:  # reported by /health and stop()
                self.error = error
                log.exception("projection runner stopped")

        self._thread = threading.Thread(target=run, name="kezek-projections", daemon=True)
        self._thread.start()

    def stop_soon(self) -> None:
        """Ask a following runner to stop after the batch in hand (safe from a signal handler)."""
        self._stop.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # -- read your writes ----------------------------------------------------------------

    def wait_for(self, notification_id: int, timeout: float) -> bool:
        """Wait, at most `timeout` seconds, until every projection has processed the
        notification; True if they have."""
        deadline = time.monotonic() + timeout
        with self._progress:
            while min(self._positions.values()) < notification_id:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._progress.wait(remaining)
        return True
