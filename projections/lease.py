"""The writer's lease: at most one process on a store writes the persisted views.

PostgreSQL: a session advisory lock, held on a connection of its own for as long as the
process writes; the server frees it when the session ends (a crash included). SQLite: `flock`
on a file beside the store, freed by the kernel when the process ends. Another process that
wants to write (`kezek project --follow`, or a `kezek serve` whose writer died) tries again
every second and takes over where the tracked positions stand.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from pathlib import Path
from typing import Any

import psycopg

from projections.database import ViewDatabase

LEASE = "kezek/view-writer"


def lease_number(schema: str) -> int:
    digest = hashlib.blake2b(f"{schema}\x1f{LEASE}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class WriterLease:
    def __init__(self, database: ViewDatabase) -> None:
        self.database = database
        self._conn: Any = None
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lease if no other process holds it; True if this process now holds it."""
        if self.held:
            return True
        if self.database.dialect == "postgres":
            conn = self.database.connect_postgres(autocommit=True)
            number = lease_number(self.database.schema)
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (number,)).fetchone()
            if row is None or not row[0]:
                conn.close()
                return False
            self._conn = conn
            return True
        path = Path(self.database.env["SQLITE_DBNAME"] + ".locks") / "view-writer.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def still_held(self) -> bool:
        """False once the lease was lost (the server ended the lease's session)."""
        if self._conn is None:
            return self._fd is not None
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            self.release()
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):  # the session is gone already
                self._conn.close()
            self._conn = None
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor frees the flock
            self._fd = None
