"""One list's changes held in memory, in blocks by the moment they took effect, so that a
position as of a moment costs about the number of blocks, not the list's history.

`projections.position_at` counts, over the changes standing at a moment, `[key < K] -
[old_key < K]` (the entries ahead of K) and `[joined] - [left]` (the length). Here the changes
are kept sorted by `effective_at` and cut into blocks of at most `2 * BLOCK` rows; each block
keeps its keys and its old keys sorted, and its net count of entries. A block wholly at or
before the moment answers with two bisections; only the one block the moment falls in is
read row by row. A change recorded late (taking effect before others already held) goes into
its block like any other: the blocks never need the order of recording.

No I/O here: the view feeds the rows (`ChangeBlocks.add`), in any order.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right, insort
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple

BLOCK = 512  # rows; a block splits in two past twice this


class Change(NamedTuple):
    effective_at: str  # ISO 8601 in UTC, as the view writes it: sorts as text
    key: str | None  # the key it put on the list (joined, moved)
    old_key: str | None  # the key it took off (left, moved)
    net: int  # +1 joined, -1 left, 0 moved


@dataclass
class _Block:
    rows: list[Change] = field(default_factory=list)  # by effective_at
    keys: list[str] = field(default_factory=list)  # sorted
    old_keys: list[str] = field(default_factory=list)  # sorted
    net: int = 0

    def add(self, change: Change) -> None:
        insort(self.rows, change, key=_moment)
        if change.key is not None:
            insort(self.keys, change.key)
        if change.old_key is not None:
            insort(self.old_keys, change.old_key)
        self.net += change.net

    def halves(self) -> tuple[_Block, _Block]:
        middle = len(self.rows) // 2
        return _Block.of(self.rows[:middle]), _Block.of(self.rows[middle:])

    @classmethod
    def of(cls, rows: list[Change]) -> _Block:
        return cls(
            rows,
            sorted(r.key for r in rows if r.key is not None),
            sorted(r.old_key for r in rows if r.old_key is not None),
            sum(r.net for r in rows),
        )


def _moment(change: Change) -> str:
    return change.effective_at


class ChangeBlocks:
    """The changes of one list, to count positions as of a moment by business time."""

    def __init__(self, block: int = BLOCK) -> None:
        self.block = block
        self._blocks: list[_Block] = []
        self._firsts: list[str] = []  # each block's earliest effective_at
        self.seq = 0  # the view's last change held
        self.size = 0

    def add(self, change: Change, seq: int) -> None:
        self.seq = max(self.seq, seq)
        self.size += 1
        if not self._blocks:
            self._blocks.append(_Block.of([change]))
            self._firsts.append(change.effective_at)
            return
        index = max(bisect_right(self._firsts, change.effective_at) - 1, 0)
        block = self._blocks[index]
        block.add(change)
        self._firsts[index] = block.rows[0].effective_at
        if len(block.rows) > 2 * self.block:
            low, high = block.halves()
            self._blocks[index : index + 1] = [low, high]
            self._firsts[index : index + 1] = [low.rows[0].effective_at, high.rows[0].effective_at]

    def count(self, moment: str, key: str) -> tuple[int, int]:
        """(entries ahead of `key`, entries on the list) over the changes that took effect at
        or before `moment`."""
        ahead = length = 0
        for block in self._blocks:
            if block.rows[0].effective_at > moment:
                break  # this block and every later one took effect after the moment
            if block.rows[-1].effective_at <= moment:
                ahead += bisect_left(block.keys, key) - bisect_left(block.old_keys, key)
                length += block.net
                continue
            for row in block.rows:
                if row.effective_at > moment:
                    break
                ahead += (row.key is not None and row.key < key) - (
                    row.old_key is not None and row.old_key < key
                )
                length += row.net
        return ahead, length


MAX_ROWS = 300_000  # changes held per process, over every list (about 100 bytes each)


class BlocksCache:
    """The lists' blocks a process holds, least recently asked first out; a list longer than
    the whole budget is never held (its positions are counted in the database)."""

    def __init__(self, max_rows: int = MAX_ROWS) -> None:
        self.max_rows = max_rows
        self.lock = threading.Lock()  # held while a list is brought up to date and counted
        self._lists: OrderedDict[tuple[str, str], ChangeBlocks] = OrderedDict()
        self._too_long: set[tuple[str, str]] = set()

    def held(self, name: tuple[str, str]) -> ChangeBlocks | None:
        """The list's blocks (new and empty the first time), None when it is too long."""
        if name in self._too_long:
            return None
        blocks = self._lists.get(name)
        if blocks is None:
            blocks = self._lists[name] = ChangeBlocks()
        self._lists.move_to_end(name)
        return blocks

    def fits(self, name: tuple[str, str], blocks: ChangeBlocks, more: int) -> bool:
        """Whether `more` changes may join the list's blocks; else the list is let go."""
        if blocks.size + more > self.max_rows:
            self._lists.pop(name, None)
            self._too_long.add(name)
            return False
        total = sum(b.size for b in self._lists.values()) + more
        while total > self.max_rows and len(self._lists) > 1:
            oldest, dropped = next(iter(self._lists.items()))
            if oldest == name:
                break
            del self._lists[oldest]
            total -= dropped.size
        return True
