"""Positions in O(log n): an order-statistic index of every list, held in memory.

One `SortedList` per (provider, list) holds its entries in priority order; a dict from the
application id to its entry finds an entry's list and rank. The index is warmed from the
queue view's table and advanced by the runner after each committed batch (one writer), while
API threads read it (many readers): every operation takes one lock, held for a few
microseconds by a reader and for one batch of changes by the writer, so readers always see
the index between two batches, never half way through one.

Memory: an entry is one 27-byte `bytes` (list number, moment, application id, consent; 60
bytes as an object) shared by the sorted list and the dict, keyed by the application id as an
int: about 170 bytes an entry in all, against about 220 with the priority key strings. The
encoding sorts exactly as the keys do (see `encode_key`), and is decoded only for pages.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from uuid import UUID

from sortedcontainers import SortedList

from projections.database import Tx

# "YYYY-MM-DDTHH:MM:SS.ffffffZ|<32 hex digits>|<0 or 1>" (domain.priority)
_KEY = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\|[0-9a-f]{32}\|[01]")
_MAX_LISTS = 1 << 16
LOAD_CHUNK = 50_000


class IndexChange(NamedTuple):
    """One change of a list: a join (old_key None), a leave (new_key None) or a move."""

    provider: str
    list_code: str
    old_key: str | None
    new_key: str | None


def encode_key(list_number: int, key: str) -> bytes:
    """27 bytes that sort like the key: the moment's 20 digits as a 9-byte number (fixed width
    digits sort as numbers), the application id's 16 bytes (hex digits sort as the bytes), the
    consent flag; after two bytes of list number, which only says which list holds the entry."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a priority key: {key!r}")
    digits = key[0:4] + key[5:7] + key[8:10] + key[11:13] + key[14:16] + key[17:19] + key[20:26]
    return (
        list_number.to_bytes(2, "big")
        + int(digits).to_bytes(9, "big")
        + bytes.fromhex(key[28:60])
        + key[61].encode()
    )


def decode_key(entry: bytes) -> str:
    d = f"{int.from_bytes(entry[2:11], 'big'):020d}"
    stamp = f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}.{d[14:20]}Z"
    return f"{stamp}|{entry[11:27].hex()}|{entry[27:28].decode()}"


def _application(entry: bytes) -> int:
    return int.from_bytes(entry[11:27], "big")


class QueueIndex:
    """Every list's order, in memory. Keys are domain.priority keys."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._numbers: dict[tuple[str, str], int] = {}
        self._lists: list[SortedList[bytes]] = []
        self._entries: dict[int, bytes] = {}

    # -- warming --------------------------------------------------------------------------

    @classmethod
    def load(cls, tx: Tx, table: str, chunk: int = LOAD_CHUNK) -> QueueIndex:
        """An index of every row of a queue entries table (provider, list_code, priority_key),
        read list by list in key order, `chunk` rows at a time."""
        index = cls()
        lists = tx.fetchall(f"SELECT DISTINCT provider, list_code FROM {table}")
        for provider, list_code in sorted(lists):
            number = index._number(provider, list_code)
            encoded: list[bytes] = []
            after = ""
            while True:
                rows = tx.fetchall(
                    f"SELECT priority_key FROM {table} WHERE provider = ? AND list_code = ?"
                    " AND priority_key > ? ORDER BY priority_key LIMIT ?",
                    (provider, list_code, after, chunk),
                )
                encoded.extend(encode_key(number, key) for (key,) in rows)
                if len(rows) < chunk:
                    break
                after = rows[-1][0]
            index._lists[number].update(encoded)
            index._entries.update((_application(e), e) for e in encoded)
        return index

    def replace(self, other: QueueIndex) -> None:
        """Take over `other`'s contents (a freshly loaded index) in one step."""
        with self._lock, other._lock:
            self._numbers = other._numbers
            self._lists = other._lists
            self._entries = other._entries

    # -- writing (the runner) ---------------------------------------------------------------

    def apply(self, changes: Iterable[IndexChange]) -> None:
        """Apply a batch of changes at once. Idempotent: joining a present entry or leaving an
        absent one changes nothing, so a batch seen twice leaves the same order."""
        with self._lock:
            for change in changes:
                if change.old_key is not None:
                    self._remove(change.old_key)
                if change.new_key is not None:
                    self._add(change.provider, change.list_code, change.new_key)

    def add(self, provider: str, list_code: str, key: str) -> None:
        self.apply([IndexChange(provider, list_code, None, key)])

    def remove(self, key: str) -> None:
        with self._lock:
            self._remove(key)

    def _number(self, provider: str, list_code: str) -> int:
        number = self._numbers.get((provider, list_code))
        if number is None:
            number = len(self._lists)
            if number >= _MAX_LISTS:
                raise OverflowError("more than 65,536 lists in one index")
            self._numbers[(provider, list_code)] = number
            self._lists.append(SortedList())
        return number

    def _add(self, provider: str, list_code: str, key: str) -> None:
        entry = encode_key(self._number(provider, list_code), key)
        app = _application(entry)
        present = self._entries.get(app)
        if present == entry:
            return
        if present is not None:  # the application held another place: it has one place only
            self._lists[int.from_bytes(present[:2], "big")].remove(present)
        self._lists[int.from_bytes(entry[:2], "big")].add(entry)
        self._entries[app] = entry

    def _remove(self, key: str) -> None:
        app = int(key[28:60], 16)
        present = self._entries.get(app)
        if present is None or decode_key(present) != key:
            return
        self._lists[int.from_bytes(present[:2], "big")].remove(present)
        del self._entries[app]

    # -- reading (any thread) -------------------------------------------------------------

    def position(self, application_id: UUID) -> tuple[int, int] | None:
        """(1-based position, length of its list), or None when the application is on no list."""
        with self._lock:
            entry = self._entries.get(application_id.int)
            if entry is None:
                return None
            order = self._lists[int.from_bytes(entry[:2], "big")]
            return order.bisect_left(entry) + 1, len(order)

    def key_of(self, application_id: UUID) -> str | None:
        with self._lock:
            entry = self._entries.get(application_id.int)
        return None if entry is None else decode_key(entry)

    def length(self, provider: str, list_code: str) -> int:
        with self._lock:
            number = self._numbers.get((provider, list_code))
            return 0 if number is None else len(self._lists[number])

    def page(self, provider: str, list_code: str, offset: int, limit: int) -> list[str]:
        """The keys at 0-based positions offset .. offset + limit - 1, in order."""
        if offset < 0 or limit < 0:
            raise ValueError("offset and limit must not be negative")
        with self._lock:
            number = self._numbers.get((provider, list_code))
            if number is None:
                return []
            entries = list(self._lists[number].islice(offset, offset + limit))
        return [decode_key(e) for e in entries]

    def ranks(self, provider: str, list_code: str, keys: Sequence[str]) -> list[int]:
        """For each key, 1 + the number of entries of the list before it: its position if it
        is on the list, or the position it would take."""
        with self._lock:
            number = self._numbers.get((provider, list_code))
            if number is None:
                return [1 for _ in keys]
            order = self._lists[number]
            return [order.bisect_left(encode_key(number, key)) + 1 for key in keys]

    def lists(self) -> list[tuple[str, str]]:
        with self._lock:
            return sorted(self._numbers)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
