"""Stored events as the store takes them: a PostgreSQL binary COPY payload, or the events
themselves for SQLite (whose writer hands them to the library's own insert)."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import StoredEvent

# PostgreSQL's binary COPY format: signature, flags, header extension length; then per row the
# field count and each field as (length, bytes); -1 as field count ends the data.
_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_TRAILER = struct.pack("!h", -1)
# 4 fields: originator_id (uuid, 16 bytes), originator_version (bigint), then topic's length.
_ROW_START = struct.Struct("!hi16siqi")
_LENGTH = struct.Struct("!i")
COPY_COLUMNS = ("originator_id", "originator_version", "topic", "state")


@dataclass(frozen=True)
class Batch:
    """The events of whole acts of one shard, in the order of the acts; `seq` counts the
    shard's batches from 1, so the writer can say how far it has committed."""

    shard: int
    seq: int
    count: int
    payload: bytes | list[StoredEvent]


_topic_bytes: dict[str, bytes] = {}


def copy_payload(events: Sequence[StoredEvent]) -> bytes:
    """The rows of `events` in PostgreSQL's binary COPY format, for the library's table
    (originator_id uuid, originator_version bigint, topic text, state bytea)."""
    parts = [_HEADER]
    append = parts.append
    row_start = _ROW_START.pack
    length = _LENGTH.pack
    for event in events:
        topic = _topic_bytes.get(event.topic)
        if topic is None:
            topic = _topic_bytes[event.topic] = event.topic.encode()
        originator = event.originator_id
        assert isinstance(originator, UUID)
        append(row_start(4, 16, originator.bytes, 8, event.originator_version, len(topic)))
        append(topic)
        append(length(len(event.state)))
        append(event.state)
    append(_TRAILER)
    return b"".join(parts)


def make_batch(shard: int, seq: int, events: list[StoredEvent], *, copy: bool) -> Batch:
    payload: bytes | list[StoredEvent] = copy_payload(events) if copy else events
    return Batch(shard=shard, seq=seq, count=len(events), payload=payload)
