"""The checkpoint's root derived again from a copy of the events (an auditor's replica of the
store): the monitor compares it with the root the operator signed (replay.monitor). Leaves are
made as the log makes them (replay.leaf_formats), folded as they come: memory stays flat."""

from __future__ import annotations

from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from replay.leaf_formats import LeafFormats, leaf_bytes
from replay.merkle import CompactRange, hash_leaf

BATCH = 5000


class CopyTooShort(ValueError):
    """The copy holds fewer events than the checkpoint covers."""


def root_from_copy(database_url: str, size: int) -> bytes:
    """The Merkle root of the first `size` events of the store at `database_url`."""
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": database_url})
    database = ViewDatabase(database_url)
    try:
        with database.transaction(write=False) as tx:
            formats = LeafFormats.load(tx)
        tree, start = CompactRange(), 1
        while tree.size < size:
            batch = waiting_list.recorder.select_notifications(start=start, limit=BATCH)
            if not batch:
                raise CopyTooShort(f"the copy holds {tree.size} events; the checkpoint {size}")
            for notification in batch[: size - tree.size]:
                tree.append(hash_leaf(leaf_bytes(notification, formats)))
            start = batch[-1].id + 1
        return tree.root()
    finally:
        database.close()
        waiting_list.close()
