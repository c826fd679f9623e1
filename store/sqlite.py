"""The SQLite recorder: keys kept beside events, and list locks as files beside the store."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from domain.idempotency import KeptAct, KeptRecord
from domain.notices import OutboxNotice
from store import outbox
from store.keeping import COLUMNS, TABLE, cutoff, kept_of, lock_file_name, row_of


class KezekSQLiteRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self._thread_locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._files: dict[str, int] = {}
        self.outbox = outbox.Outbox(
            outbox.TABLE, "?", lambda commit: self.datastore.transaction(commit=commit)
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {TABLE} (scope TEXT NOT NULL, key TEXT NOT NULL,"
            " fingerprint TEXT NOT NULL, receipt TEXT NOT NULL, events TEXT NOT NULL,"
            " recorded_at TEXT NOT NULL, PRIMARY KEY (scope, key))",
            *outbox.create_statements(outbox.TABLE, postgres=False),
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        record: KeptRecord | None = kwargs.get("idempotency")
        if record is not None:
            # A second request under the same key violates the primary key: the library turns
            # that into a conflict, and the use case, retried, finds the kept act.
            c.execute(f"INSERT INTO {TABLE} ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", row_of(record))
        self.outbox.write(c, kwargs)  # the act's notices, or a delivery result's row change
        return super()._insert_events(c, stored_events, **kwargs)

    def outbox_notice(self, addressee: str, notice: UUID) -> dict[str, Any] | None:
        return self.outbox.notice(addressee, notice)

    def enqueue_one_off(self, notice: OutboxNotice) -> None:
        self.outbox.insert_one_off(notice)

    def kept_act(self, scope: str, key: str) -> KeptAct | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT fingerprint, receipt, events FROM {TABLE} WHERE scope = ? AND key = ?",
                (scope, key),
            )
            row = c.fetchone()
        return None if row is None else kept_of(row[0], row[1], row[2])

    def notification_ids(self, events: tuple[tuple[UUID, int], ...]) -> list[int]:
        found = []
        with self.datastore.transaction(commit=False) as c:
            for originator, version in events:
                c.execute(
                    f"SELECT rowid FROM {self.events_table_name}"
                    " WHERE originator_id = ? AND originator_version = ?",
                    (originator.hex, version),
                )
                row = c.fetchone()
                if row is not None:
                    found.append(int(row[0]))
        return found

    def forget_keys_older_than(self, hours: float) -> int:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {TABLE} WHERE recorded_at < ?", (cutoff(hours),))
            c.execute("SELECT changes()")
            row = c.fetchone()
        return 0 if row is None else int(row[0])

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold `name` against every thread and process on this store file. A thread lock
        first (a file lock does not exclude threads sharing its descriptor), then `flock`,
        which waits in the kernel's queue: no polling, no starvation."""
        with self._guard:
            lock = self._thread_locks.setdefault(name, threading.Lock())
        with lock:
            fd = self._lock_file(name)
            if fd is None:
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _lock_file(self, name: str) -> int | None:
        db_name = str(self.datastore.pool.db_name)
        if ":memory:" in db_name or "mode=memory" in db_name:
            return None  # one process only: the thread lock suffices
        with self._guard:
            fd = self._files.get(name)
            if fd is None:
                folder = Path(db_name + ".locks")
                folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(folder / lock_file_name(name), os.O_CREAT | os.O_RDWR, 0o600)
                self._files[name] = fd
            return fd
