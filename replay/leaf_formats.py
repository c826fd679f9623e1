"""Which format each leaf of the transparency log has, and the seal key of format 2.

    kezek_leaf_formats (format PRIMARY KEY, from_position, seal_key)

A row (2, P, K) says: the events at positions P and later are format-2 leaves (replay.sealing),
their personal values sealed with K. Before P, and in a store without a row (every store
written before this version), leaves are format 1 (replay.canonical): old leaves, and the
checkpoints signed over them, never change.

The row is written once, when a runner first sets up the log's tables with this version
(`ensure`, from TransparencyLog.create_tables; every runner sets up before it appends), with P
one past the highest position any generation of the log has processed: what is logged keeps
its format, what is logged from then on is sealed, and a rebuild reads the same row. A store
whose checkpoints outlived its log's tracking (tables dropped by hand) gets no row until its
log is filled again, so no leaf a checkpoint covers can change format. Old processes still
appending while a new one starts would log format 1 past P: stop them first, as for any change
of a view's definition.

The seal key is 32 random bytes kept here, beside the checkpoints and like them never dropped
by a rebuild. It shields personal values from whoever holds a bundle, not the database: the
events in that database hold the same values in plain. Without it, format-2 leaves can be
neither recomputed (a rebuild of the log) nor opened for a court: back it up with the store.
It is never replaced; a new key would be a new format, from a later position.
"""

from __future__ import annotations

import secrets
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from projections.database import Tx
from projections.runner import TRACKING
from replay import sealing
from replay.canonical import (
    NotCanonicalizable,
    StoredEventLike,
    canonical_event,
    canonical_json,
    event_document,
    parse_state,
)

TABLE = "kezek_leaf_formats"
SEALED_FORMAT = 2


def create_table(tx: Tx) -> None:
    blob = "BYTEA" if tx.dialect == "postgres" else "BLOB"
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (format INTEGER PRIMARY KEY,"
        f" from_position BIGINT NOT NULL, seal_key {blob} NOT NULL)"
    )


def ensure(tx: Tx, log_name: str, checkpoints: str) -> None:
    """Write the format-2 row if there is none yet (see the module docstring)."""
    if tx.fetchone(f"SELECT 1 FROM {TABLE} WHERE format = ?", (SEALED_FORMAT,)) is not None:
        return
    row = tx.fetchone(f"SELECT MAX(position) FROM {TRACKING} WHERE projection = ?", (log_name,))
    logged = 0 if row is None or row[0] is None else int(row[0])
    if logged == 0 and tx.fetchone(f"SELECT 1 FROM {checkpoints}") is not None:
        return
    tx.execute(
        f"INSERT INTO {TABLE} (format, from_position, seal_key) VALUES (?, ?, ?)"
        " ON CONFLICT (format) DO NOTHING",
        (SEALED_FORMAT, logged + 1, secrets.token_bytes(32)),
    )


@dataclass(frozen=True)
class LeafFormats:
    """The formats' rows, read once for a batch or an export."""

    starts: tuple[int, ...] = ()  # from_position, ascending
    formats: tuple[tuple[int, bytes], ...] = ()  # (format, seal key), same order

    @classmethod
    def load(cls, tx: Tx) -> LeafFormats:
        rows = tx.fetchall(f"SELECT from_position, format, seal_key FROM {TABLE}")
        ordered = sorted((int(r[0]), int(r[1]), bytes(r[2])) for r in rows)
        return cls(tuple(r[0] for r in ordered), tuple((r[1], r[2]) for r in ordered))

    def at(self, position: int) -> tuple[int, bytes]:
        """The format of the leaf of the event at `position`, and its seal key (b"": none)."""
        index = bisect_right(self.starts, position)
        return (1, b"") if index == 0 else self.formats[index - 1]


@dataclass(frozen=True)
class Leaf:
    """An event as the log hashes it: its leaf bytes, its document (format 2: sealed in place,
    so that `seals` open or redact it) and the format."""

    data: bytes
    document: dict[str, Any]
    seals: list[sealing.Seal]
    format: int


def leaf_of(stored: StoredEventLike, formats: LeafFormats) -> Leaf:
    form, key = formats.at(stored.id)
    try:
        document = event_document(
            position=stored.id,
            originator_id=stored.originator_id,
            originator_version=stored.originator_version,
            topic=stored.topic,
            state=parse_state(stored.state),
        )
        seals = sealing.seal(document, key) if form == SEALED_FORMAT else []
        return Leaf(canonical_json(document), document, seals, form)
    except NotCanonicalizable as error:
        raise NotCanonicalizable(f"event at position {stored.id}: {error}") from None


def leaf_bytes(stored: StoredEventLike, formats: LeafFormats) -> bytes:
    """What the log hashes for this event (the log's hot path: no document kept)."""
    if formats.at(stored.id)[0] == 1:
        return canonical_event(stored)
    return leaf_of(stored, formats).data
