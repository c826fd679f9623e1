"""The one writer of the store: each batch in one transaction, in the order it is given.

On PostgreSQL a batch is COPied into the library's events table within the transaction the
library itself would open: its `SET LOCAL lock_timeout` and `LOCK TABLE ... IN EXCLUSIVE MODE`
(so that notification ids are handed out and committed in the same order, and a reader
following the log never passes a gap that is filled later), its `NOTIFY` to subscribers, and
the table's own `bigserial` for the notification ids, in the order of the rows. On SQLite the
library's own insert writes the batch.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

from bench.bulk.rows import COPY_COLUMNS, Batch
from domain.waiting_list import WaitingList


class StoreWriter:
    """Writes batches through a ledger of its own (its own connection)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.ledger = WaitingList(env)
        self.events = 0
        self.transactions = 0
        self.seconds = 0.0
        recorder = self.ledger.recorder
        self._postgres = recorder if isinstance(recorder, PostgresApplicationRecorder) else None
        if self._postgres is not None:
            table = self._table = SQL("{}.{}").format(
                Identifier(self._postgres.datastore.schema),
                Identifier(self._postgres.events_table_name),
            )
            columns = SQL(", ").join(Identifier(c) for c in COPY_COLUMNS)
            self._copy = SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(table, columns)

    @property
    def copies(self) -> bool:
        """Whether batches must carry a COPY payload (PostgreSQL) rather than the events."""
        return self._postgres is not None

    def write(self, batch: Batch) -> None:
        started = time.perf_counter()
        if self._postgres is not None:
            assert isinstance(batch.payload, bytes)
            recorder = self._postgres
            with (
                recorder.datastore.get_connection() as conn,
                conn.transaction(),
                conn.cursor() as cursor,
            ):
                recorder._lock_table(cursor)  # the library's own lock statements
                recorder._notify_channel(cursor)
                with cursor.copy(self._copy) as copy:
                    copy.write(batch.payload)
        else:
            assert isinstance(batch.payload, list)
            events: list[StoredEvent] = batch.payload
            self.ledger.recorder.insert_events(events)
        self.seconds += time.perf_counter() - started
        self.events += batch.count
        self.transactions += 1

    def analyze(self) -> None:
        """Refresh the planner's statistics, as after any bulk load: without them PostgreSQL
        guesses a quarter of a million events per aggregate and reads one with a parallel
        scan (70 ms instead of 0.1), until autovacuum gets to the table."""
        if self._postgres is not None:
            with self._postgres.datastore.get_connection() as conn:
                conn.execute(SQL("ANALYZE {}").format(self._table))

    def close(self) -> None:
        self.ledger.close()
