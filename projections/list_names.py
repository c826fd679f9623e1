"""Which provider and list each `QueueList` aggregate is: the list events name only the
aggregate."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

from domain.queue_list import QueueList
from projections.database import Tx
from projections.view_sql import fetch_in, insert_rows


class ListNames:
    """(provider, list_code) of each list aggregate, in a table and cached in memory (the
    mapping is a fact of the log, so the cache never needs invalidating)."""

    def __init__(self, table: str) -> None:
        self.table = table
        self._names: dict[UUID, tuple[str, str]] = {}

    def create(self, tx: Tx) -> None:
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} ("
            " queue_id TEXT PRIMARY KEY, provider TEXT NOT NULL, list_code TEXT NOT NULL)"
        )

    def record(self, tx: Tx, opened: Sequence[QueueList.Opened]) -> None:
        insert_rows(
            tx,
            self.table,
            (("queue_id", "text"), ("provider", "text"), ("list_code", "text")),
            [(str(e.originator_id), e.provider, e.list_code) for e in opened],
            "ON CONFLICT (queue_id) DO NOTHING",
        )
        for e in opened:
            self._names[e.originator_id] = (e.provider, e.list_code)

    def resolve(self, tx: Tx, queue_ids: Iterable[UUID]) -> None:
        """Make sure every one of `queue_ids` is known (reading the table for those not cached)."""
        missing = {str(q) for q in queue_ids if q not in self._names}
        if not missing:
            return
        sql = f"SELECT queue_id, provider, list_code FROM {self.table}"
        for queue_id, provider, list_code in fetch_in(tx, sql, "queue_id", sorted(missing)):
            self._names[UUID(queue_id)] = (provider, list_code)
        unknown = missing - {str(q) for q in self._names}
        if unknown:
            raise LookupError(f"list events of lists never opened: {sorted(unknown)}")

    def __getitem__(self, queue_id: UUID) -> tuple[str, str]:
        return self._names[queue_id]
