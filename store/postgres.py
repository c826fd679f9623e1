"""The PostgreSQL recorder: keys kept beside events, and list locks as advisory locks."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from domain.idempotency import KeptAct, KeptRecord
from domain.notices import OutboxNotice
from store import outbox
from store.keeping import COLUMNS, TABLE, cutoff, ddl_lock_number, kept_of, lock_number, row_of

# Idle lock connections a process keeps open, one per recently contended list.
MAX_IDLE_LOCK_CONNECTIONS = 16


class KezekPostgresRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.kept_table = Identifier(datastore.schema, TABLE)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (scope text NOT NULL, key text NOT NULL,"
                " fingerprint text NOT NULL, receipt text NOT NULL, events text NOT NULL,"
                " recorded_at text NOT NULL, PRIMARY KEY (scope, key))"
            ).format(self.kept_table)
        )
        self._locks = AdvisoryLocks(datastore)
        table = f'"{datastore.schema}".{outbox.TABLE}' if datastore.schema else outbox.TABLE
        self.sql_create_statements.extend(
            SQL(statement).format() for statement in outbox.create_statements(table, postgres=True)
        )
        self.outbox = outbox.Outbox(
            table, "%s", lambda commit: self.datastore.transaction(commit=commit)
        )

    def create_table(self) -> None:
        # The library creates types in transactions of their own, so a session lock covers all.
        with self._locks.hold_number(ddl_lock_number(self.datastore.schema)):
            super().create_table()

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        # The events table's lock first (the library takes it again, later, for the events):
        # a writer then touches the kept and outbox tables only under it, so a process
        # creating its tables (CREATE INDEX IF NOT EXISTS locks those tables, after locking
        # the events table) never waits on a writer that holds them while queueing for the
        # events table (a deadlock seen with 6 threads registering while others started).
        if stored_events:
            self._lock_table(curs)
        record: KeptRecord | None = kwargs.get("idempotency")
        if record is not None:
            # In the events' transaction: a second request under the same key violates the
            # primary key, the whole transaction is refused as a conflict, and the use case,
            # retried, finds the kept act.
            curs.execute(
                SQL("INSERT INTO {0} (" + COLUMNS + ") VALUES (%s, %s, %s, %s, %s, %s)").format(
                    self.kept_table
                ),
                row_of(record),
            )
        self.outbox.write(curs, kwargs)  # the act's notices, or a delivery result's row change
        super()._insert_events(curs, stored_events, **kwargs)

    def outbox_notice(self, addressee: str, notice: UUID) -> dict[str, Any] | None:
        return self.outbox.notice(addressee, notice)

    def enqueue_one_off(self, notice: OutboxNotice) -> None:
        self.outbox.insert_one_off(notice)

    def kept_act(self, scope: str, key: str) -> KeptAct | None:
        with self.datastore.get_connection() as conn:
            row = conn.execute(
                SQL(
                    "SELECT fingerprint, receipt, events FROM {0} WHERE scope = %s AND key = %s"
                ).format(self.kept_table),
                (scope, key),
            ).fetchone()
        if row is None:
            return None
        return kept_of(row["fingerprint"], row["receipt"], row["events"])

    def notification_ids(self, events: tuple[tuple[UUID, int], ...]) -> list[int]:
        found = []
        table = Identifier(self.datastore.schema, self.events_table_name)
        with self.datastore.get_connection() as conn:
            for originator, version in events:
                row = conn.execute(
                    SQL(
                        "SELECT notification_id FROM {0}"
                        " WHERE originator_id = %s AND originator_version = %s"
                    ).format(table),
                    (originator, version),
                ).fetchone()
                if row is not None:
                    found.append(int(row["notification_id"]))
        return found

    def forget_keys_older_than(self, hours: float) -> int:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                SQL("DELETE FROM {0} WHERE recorded_at < %s").format(self.kept_table),
                (cutoff(hours),),
            )
            return int(curs.rowcount)

    def exclusive(self, name: str) -> Any:
        return self._locks.hold(self.datastore.schema, name)

    def release(self) -> None:
        """Close the idle lock sessions (the application is closing)."""
        self._locks.close_idle()


class AdvisoryLocks:
    """Session advisory locks, each on a connection of its own (never the library's pool: a
    thread waiting for a lock must not hold a connection that the lock's holder needs to save).
    A thread lock first, so that a process sends at most one waiter per list to the server,
    which then queues the processes' waiters in order."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        self._pool = datastore.pool
        self._guard = threading.Lock()
        self._thread_locks: dict[int, threading.Lock] = {}
        self._idle: dict[int, psycopg.Connection[Any]] = {}

    def hold(self, *name: str) -> Any:
        return self.hold_number(lock_number(*name))

    @contextmanager
    def hold_number(self, number: int) -> Iterator[None]:
        with self._guard:
            lock = self._thread_locks.setdefault(number, threading.Lock())
        with lock:
            conn = self._take(number)
            try:
                conn.execute("SELECT pg_advisory_lock(%s)", (number,))
            except BaseException:
                conn.close()
                raise
            try:
                yield
            finally:
                try:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (number,))
                except psycopg.Error:
                    conn.close()  # the session ended: the server released the lock with it
                else:
                    self._give_back(number, conn)

    def _take(self, number: int) -> psycopg.Connection[Any]:
        with self._guard:
            conn = self._idle.pop(number, None)
        if conn is not None and not conn.closed:
            return conn
        given = cast(dict[str, Any], self._pool.kwargs)
        kwargs = {k: v for k, v in given.items() if k != "row_factory"}
        return psycopg.connect(str(self._pool.conninfo), autocommit=True, **kwargs)

    def close_idle(self) -> None:
        with self._guard:
            idle, self._idle = list(self._idle.values()), {}
        for conn in idle:
            conn.close()

    def _give_back(self, number: int, conn: psycopg.Connection[Any]) -> None:
        with self._guard:
            self._idle[number] = conn
            while len(self._idle) > MAX_IDLE_LOCK_CONNECTIONS:
                oldest = next(iter(self._idle))
                self._idle.pop(oldest).close()
