"""Who serves: each service and worker process says, every second, where it stands.

One row per process in `kezek_processes`: whether it writes the views (holds the lease), the
position and digest of its in-memory queue index, and when it was last seen. `/health` lists
them with their lag, and `kezek rebuild --check` compares each index's digest with a fresh
fold of the log at the same position, so that an index that drifted is found.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass

from projections.database import Tx

TABLE = "kezek_processes"
# A process not seen for this long is taken to have stopped (a kill -9 leaves its row).
GONE_AFTER_SECONDS = 10.0


@dataclass(frozen=True)
class ProcessRow:
    process_id: str
    kind: str
    host: str
    pid: int
    started_at: float
    seen_at: float
    writer: bool
    index_position: int
    index_entries: int
    index_digest: str


def create_table(tx: Tx) -> None:
    real = "REAL" if tx.dialect == "sqlite" else "DOUBLE PRECISION"
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (process_id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
        f" host TEXT NOT NULL, pid INTEGER NOT NULL, started_at {real} NOT NULL,"
        f" seen_at {real} NOT NULL, writer INTEGER NOT NULL, index_position BIGINT NOT NULL,"
        " index_entries BIGINT NOT NULL, index_digest TEXT NOT NULL)"
    )


def new_process_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def report(tx: Tx, row: ProcessRow) -> None:
    """Say where this process stands (and drop the rows of processes long gone)."""
    tx.execute(f"DELETE FROM {TABLE} WHERE seen_at < ?", (row.seen_at - 60 * GONE_AFTER_SECONDS,))
    tx.execute(
        f"INSERT INTO {TABLE} (process_id, kind, host, pid, started_at, seen_at, writer,"
        " index_position, index_entries, index_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (process_id) DO UPDATE SET seen_at = excluded.seen_at,"
        " writer = excluded.writer, index_position = excluded.index_position,"
        " index_entries = excluded.index_entries, index_digest = excluded.index_digest",
        (
            row.process_id,
            row.kind,
            row.host,
            row.pid,
            row.started_at,
            row.seen_at,
            int(row.writer),
            row.index_position,
            row.index_entries,
            row.index_digest,
        ),
    )


def forget(tx: Tx, process_id: str) -> None:
    tx.execute(f"DELETE FROM {TABLE} WHERE process_id = ?", (process_id,))


def live_processes(tx: Tx, now: float | None = None) -> list[ProcessRow]:
    """The processes seen lately, oldest first."""
    now = time.time() if now is None else now
    rows = tx.fetchall(
        f"SELECT process_id, kind, host, pid, started_at, seen_at, writer, index_position,"
        f" index_entries, index_digest FROM {TABLE} WHERE seen_at >= ? ORDER BY started_at",
        (now - GONE_AFTER_SECONDS,),
    )
    return [
        ProcessRow(
            str(r[0]),
            str(r[1]),
            str(r[2]),
            int(r[3]),
            float(r[4]),
            float(r[5]),
            bool(r[6]),
            int(r[7]),
            int(r[8]),
            str(r[9]),
        )
        for r in rows
    ]
