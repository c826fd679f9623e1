"""The in-memory order-statistic index of the lists, without any I/O."""

from __future__ import annotations

import random
import threading
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.priority import key_application, priority_key
from projections.queue_index import IndexChange, QueueIndex, decode_key, encode_key

T0 = datetime(2024, 3, 18, 5, tzinfo=UTC)
ALMATY = ("almaty", "socially_vulnerable")
ASTANA = ("astana", "orphans")


def key(minutes: float, app_id: UUID | None = None, accepts_smaller: bool = True) -> str:
    return priority_key(T0 + timedelta(minutes=minutes), app_id or uuid4(), accepts_smaller)


moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
keys = st.builds(priority_key, moments, st.uuids(), st.booleans())


@given(st.lists(keys, min_size=2, max_size=30))
def test_the_compact_encoding_sorts_exactly_like_the_keys_and_decodes_back(
    drawn: list[str],
) -> None:
    encoded = {encode_key(7, k): k for k in drawn}
    assert [encoded[e] for e in sorted(encoded)] == sorted(drawn)
    assert all(decode_key(e) == k for e, k in encoded.items())


def test_a_malformed_key_is_refused() -> None:
    with pytest.raises(ValueError, match="not a priority key"):
        encode_key(0, "2024-03-18|abc|1")


def test_positions_run_from_one_to_the_length_of_each_list() -> None:
    index = QueueIndex()
    ids = [uuid4() for _ in range(20)]
    drawn = {app: key(random.uniform(0, 1000), app) for app in ids}
    for app in random.sample(ids, len(ids)):
        index.add(*(ALMATY if app.int % 2 else ASTANA), drawn[app])
    for where in (ALMATY, ASTANA):
        mine = sorted(drawn[a] for a in ids if (ALMATY if a.int % 2 else ASTANA) == where)
        assert index.length(*where) == len(mine)
        assert index.page(*where, 0, 100) == mine
        for n, k in enumerate(mine, start=1):
            assert index.position(key_application(k)) == (n, len(mine))
    assert len(index) == 20
    assert index.position(uuid4()) is None
    assert index.lists() == sorted([ALMATY, ASTANA])


def test_leaving_and_moving_shift_those_behind() -> None:
    index = QueueIndex()
    a, b, c = (key(m) for m in (10, 20, 30))
    for k in (c, a, b):
        index.add(*ALMATY, k)
    index.remove(a)
    assert index.position(key_application(c)) == (2, 2)
    assert index.position(key_application(a)) is None
    earlier = key(5, key_application(c))
    index.apply([IndexChange(*ALMATY, c, earlier)])
    assert index.page(*ALMATY, 0, 10) == [earlier, b]
    assert index.key_of(key_application(c)) == earlier


def test_changes_are_idempotent() -> None:
    index = QueueIndex()
    a, b = key(1), key(2)
    batch = [IndexChange(*ALMATY, None, a), IndexChange(*ALMATY, None, b)]
    index.apply(batch)
    index.apply(batch)
    index.apply([IndexChange(*ALMATY, a, None)])
    index.apply([IndexChange(*ALMATY, a, None)])
    assert index.page(*ALMATY, 0, 10) == [b]
    index.remove(key(3))  # never there: nothing happens
    assert len(index) == 1


def test_pages_and_ranks() -> None:
    index = QueueIndex()
    drawn = sorted(key(m) for m in range(25))
    index.apply(IndexChange(*ALMATY, None, k) for k in drawn)
    assert index.page(*ALMATY, 10, 5) == drawn[10:15]
    assert index.page(*ALMATY, 24, 5) == drawn[24:]
    assert index.page(*ALMATY, 30, 5) == []
    assert index.page(*ASTANA, 0, 5) == []
    assert index.ranks(*ALMATY, drawn[3:5]) == [4, 5]
    assert index.ranks(*ALMATY, [key(-1), key(100)]) == [1, 26]
    assert index.ranks(*ASTANA, [key(1)]) == [1]
    with pytest.raises(ValueError, match="negative"):
        index.page(*ALMATY, -1, 5)


class RowsTx:
    """A stand-in for a transaction over a queue_entries table held in a list."""

    dialect = "sqlite"

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.rows = rows
        self.queries = 0

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.queries += 1
        if "DISTINCT" in sql:
            return sorted({(p, lc) for p, lc, _ in self.rows})
        provider, list_code, after, limit = params
        found = sorted(k for p, lc, k in self.rows if (p, lc) == (provider, list_code))
        return [(k,) for k in found if k > after][:limit]


def test_an_index_loads_from_the_table_in_chunks_and_replaces_another() -> None:
    rows = [(*ALMATY, key(m)) for m in range(23)] + [(*ASTANA, key(m)) for m in range(4)]
    random.shuffle(rows)
    tx = RowsTx(rows)
    loaded = QueueIndex.load(tx, "queue_entries_g1", chunk=5)  # type: ignore[arg-type]
    assert tx.queries == 1 + 5 + 1
    assert loaded.length(*ALMATY) == 23
    assert loaded.page(*ALMATY, 0, 30) == sorted(k for p, _, k in rows if p == "almaty")
    live = QueueIndex()
    live.add(*ALMATY, key(99))
    live.replace(loaded)
    for _, _, k in rows:
        assert live.position(key_application(k)) == loaded.position(key_application(k))
    assert len(live) == 27


def test_readers_see_whole_batches_while_the_writer_applies_them() -> None:
    index = QueueIndex()
    pairs = [(key(m), key(m + 0.5)) for m in range(200)]
    failures: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            n = index.length(*ALMATY)
            if n % 2:  # every batch adds or removes a pair
                failures.append(f"half a batch: {n}")
            for k in index.page(*ALMATY, 0, 5):
                found = index.position(key_application(k))
                if found is not None and not 1 <= found[0] <= found[1]:
                    failures.append(f"bad position {found}")

    readers = [threading.Thread(target=read) for _ in range(4)]
    for t in readers:
        t.start()
    for a, b in pairs:
        index.apply([IndexChange(*ALMATY, None, a), IndexChange(*ALMATY, None, b)])
    for a, b in pairs[::2]:
        index.apply([IndexChange(*ALMATY, a, None), IndexChange(*ALMATY, b, None)])
    stop.set()
    for t in readers:
        t.join()
    assert failures == []
    assert index.length(*ALMATY) == 200


def test_an_entry_costs_well_under_two_hundred_and_fifty_bytes() -> None:
    drawn = [key(random.uniform(0, 10**7)) for _ in range(20_000)]
    tracemalloc.start()
    try:
        index = QueueIndex()
        index.apply(IndexChange(*ALMATY, None, k) for k in drawn)
        used, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(index) == 20_000
    assert used / 20_000 < 250
