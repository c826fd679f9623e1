"""Positions in O(log n): an order-statistic index of every list, held in memory.

One `SortedList` per (provider, list) holds its entries in priority order; a dict from the
application id to its entry finds an entry's list and rank. The index is warmed from the
queue view's table and advanced by the runner after each committed batch (one writer), while
API threads read it (many readers): every operation takes one lock, held for a few
microseconds by a reader and for one batch of changes by the writer, so readers always see
the index between two batches, never half way through one.

Memory: an entry is one `bytes` (projections.queue_entry: a 28-byte key that sorts as the
priority key does, then the holder's applicant reference in 17 bytes) shared by the sorted list
and the dict, keyed by the application id as an int: about 185 bytes an entry in all (17 of
them the holder's), against about 220 for the key strings alone. The holder rides in the same
object because a map of its own would cost about 100 bytes more an entry. With the list's
names (kept once per list) and the priority moment (in the key), an entry says who may read its
position and all the answer says, without loading the application.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from sortedcontainers import SortedList

from projections.database import Tx
from projections.queue_entry import (
    KEY_BYTES,
    application_of,
    decode_holder,
    decode_key,
    encode_holder,
    encode_key,
    key_moment,
)

_MAX_LISTS = 1 << 16
LOAD_CHUNK = 50_000
_DIGEST_MODULUS = 1 << 128


def entry_digest(provider: str, list_code: str, key_and_holder: bytes) -> int:
    """One entry's share of an index's digest: its list by name (numbers are local to a
    process), its key and its holder. The index's digest is the sum of its entries' shares,
    so it is kept up as entries come and go, and two indexes with the same entries have the
    same digest whatever order they were built in."""
    data = provider.encode() + b"\x1f" + list_code.encode() + b"\x1f" + key_and_holder
    return int.from_bytes(hashlib.blake2b(data, digest_size=16).digest(), "big")


class IndexChange(NamedTuple):
    """One change of a list: a join (old_key None), a leave (new_key None) or a move. `holder`
    is the applicant's reference; None on a move keeps the one the entry had."""

    provider: str
    list_code: str
    old_key: str | None
    new_key: str | None
    holder: str | None = None


class HolderChange(NamedTuple):
    """The place passed to another person (a succession): the entry keeps its key."""

    application_id: UUID
    holder: str


class Placement(NamedTuple):
    """Where an application stands, and whose place it is."""

    provider: str
    list_code: str
    position: int
    out_of: int
    priority_moment: datetime
    holder: str | None  # None: the entry was warmed from a table without holders


class QueueIndex:
    """Every list's order, in memory. Keys are domain.priority keys."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._numbers: dict[tuple[str, str], int] = {}
        self._names: list[tuple[str, str]] = []
        self._lists: list[SortedList[bytes]] = []
        self._entries: dict[int, bytes] = {}
        self._digest = 0

    # -- warming --------------------------------------------------------------------------

    @classmethod
    def load(
        cls, tx: Tx, table: str, holders: str | None = None, chunk: int = LOAD_CHUNK
    ) -> QueueIndex:
        """An index of every row of a queue entries table (provider, list_code, priority_key),
        read list by list in key order, `chunk` rows at a time, with each entry's holder from
        the `holders` table (application_id, applicant_ref) when there is one."""
        index = cls()
        lists = tx.fetchall(f"SELECT DISTINCT provider, list_code FROM {table}")
        if holders is None:
            sql = f"SELECT e.priority_key FROM {table} e"
        else:
            # Joined here rather than read into a dict first: that dict would raise the peak.
            sql = (
                f"SELECT e.priority_key, h.applicant_ref FROM {table} e"
                f" LEFT JOIN {holders} h ON h.application_id = e.application_id"
            )
        sql += (
            " WHERE e.provider = ? AND e.list_code = ? AND e.priority_key > ?"
            " ORDER BY e.priority_key LIMIT ?"
        )
        for provider, list_code in sorted(lists):
            number = index._number(provider, list_code)
            encoded: list[bytes] = []
            after = ""
            while True:
                rows = tx.fetchall(sql, (provider, list_code, after, chunk))
                encoded.extend(
                    encode_key(number, row[0]) + encode_holder(row[1] if holders else None)
                    for row in rows
                )
                if len(rows) < chunk:
                    break
                after = rows[-1][0]
            index._lists[number].update(encoded)
            index._entries.update((application_of(e), e) for e in encoded)
            index._digest += sum(entry_digest(provider, list_code, e[2:]) for e in encoded)
        index._digest %= _DIGEST_MODULUS
        return index

    def replace(self, other: QueueIndex) -> None:
        """Take over `other`'s contents (a freshly loaded index) in one step."""
        with self._lock, other._lock:
            self._numbers = other._numbers
            self._names = other._names
            self._lists = other._lists
            self._entries = other._entries
            self._digest = other._digest

    def digest(self) -> tuple[int, str]:
        """(number of entries, digest of them all): equal for equal indexes."""
        with self._lock:
            return len(self._entries), f"{self._digest:032x}"

    def _share(self, entry: bytes) -> int:
        provider, list_code = self._names[int.from_bytes(entry[:2], "big")]
        return entry_digest(provider, list_code, entry[2:])

    def _placed(self, entry: bytes) -> None:
        self._lists[int.from_bytes(entry[:2], "big")].add(entry)
        self._digest = (self._digest + self._share(entry)) % _DIGEST_MODULUS

    def _taken(self, entry: bytes) -> None:
        self._lists[int.from_bytes(entry[:2], "big")].remove(entry)
        self._digest = (self._digest - self._share(entry)) % _DIGEST_MODULUS

    # -- writing (the runner) ---------------------------------------------------------------

    def apply(self, changes: Iterable[IndexChange | HolderChange]) -> None:
        """Apply a batch of changes at once. Idempotent: joining a present entry or leaving an
        absent one changes nothing, so a batch seen twice leaves the same order."""
        with self._lock:
            for change in changes:
                if isinstance(change, HolderChange):
                    self._hold(change.application_id.int, encode_holder(change.holder))
                    continue
                holder = None if change.holder is None else encode_holder(change.holder)
                if change.old_key is not None:
                    left = self._remove(change.old_key)
                    if holder is None and left is not None:
                        holder = left[KEY_BYTES:]
                if change.new_key is not None:
                    self._add(change.provider, change.list_code, change.new_key, holder)

    def add(self, provider: str, list_code: str, key: str, holder: str | None = None) -> None:
        self.apply([IndexChange(provider, list_code, None, key, holder)])

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
            self._names.append((provider, list_code))
            self._lists.append(SortedList())
        return number

    def _add(self, provider: str, list_code: str, key: str, holder: bytes | None) -> None:
        """Place an entry; a None `holder` keeps the holder of the application's present entry."""
        entry = encode_key(self._number(provider, list_code), key)
        app = application_of(entry)
        present = self._entries.get(app)
        if holder is None:
            holder = b"" if present is None else present[KEY_BYTES:]
        entry += holder
        if present == entry:
            return
        if present is not None:  # the application held another place: it has one place only
            self._taken(present)
        self._placed(entry)
        self._entries[app] = entry

    def _remove(self, key: str) -> bytes | None:
        """Take the entry of `key` off its list; the entry, or None when it was not there."""
        app = int(key[28:60], 16)
        present = self._entries.get(app)
        if present is None or decode_key(present) != key:
            return None
        self._taken(present)
        del self._entries[app]
        return present

    def _hold(self, app: int, holder: bytes) -> None:
        present = self._entries.get(app)
        if present is None or present[KEY_BYTES:] == holder:
            return  # not on a list: the queue view's table keeps the holder for a later join
        self._taken(present)
        entry = present[:KEY_BYTES] + holder
        self._placed(entry)
        self._entries[app] = entry

    # -- reading (any thread) -------------------------------------------------------------

    def position(self, application_id: UUID) -> tuple[int, int] | None:
        """(1-based position, length of its list), or None when the application is on no list."""
        with self._lock:
            entry = self._entries.get(application_id.int)
            if entry is None:
                return None
            order = self._lists[int.from_bytes(entry[:2], "big")]
            return order.bisect_left(entry) + 1, len(order)

    def placement(self, application_id: UUID) -> Placement | None:
        """The position, its list and priority moment, and the holder; None when on no list."""
        with self._lock:
            entry = self._entries.get(application_id.int)
            if entry is None:
                return None
            number = int.from_bytes(entry[:2], "big")
            order = self._lists[number]
            position, length = order.bisect_left(entry) + 1, len(order)
            provider, list_code = self._names[number]
        return Placement(
            provider, list_code, position, length, key_moment(entry), decode_holder(entry)
        )

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
