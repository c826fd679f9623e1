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

from domain.priority import key_application, key_moment, priority_key
from projections.queue_entry import decode_holder, decode_key, encode_holder, encode_key
from projections.queue_index import HolderChange, IndexChange, Placement, QueueIndex

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


@given(
    st.lists(keys, min_size=2, max_size=30, unique_by=key_application),
    st.lists(st.one_of(st.none(), st.text(max_size=40), st.uuids().map(lambda u: f"app-{u.hex}"))),
)
def test_a_holder_after_the_key_decodes_back_and_never_changes_the_order(
    drawn: list[str], holders: list[str | None]
) -> None:
    entries = {
        encode_key(3, k) + encode_holder(holders[n] if n < len(holders) else None): k
        for n, k in enumerate(drawn)
    }
    assert [entries[e] for e in sorted(entries)] == sorted(drawn)
    for n, entry in enumerate(entries):
        assert decode_key(entry) == drawn[n]
        assert decode_holder(entry) == (holders[n] if n < len(holders) else None)


def test_an_applicant_reference_is_kept_in_seventeen_bytes() -> None:
    ref = f"app-{uuid4().hex}"
    assert len(encode_holder(ref)) == 17
    assert encode_holder("app-x") != encode_holder(ref)
    assert decode_holder(encode_key(0, key(1)) + encode_holder("app-x")) == "app-x"


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


def test_a_placement_says_the_list_position_priority_moment_and_holder() -> None:
    index = QueueIndex()
    a, b, c = key(10), key(20), key(5)
    index.apply(
        [
            IndexChange(*ALMATY, None, a, "app-" + "1" * 32),
            IndexChange(*ALMATY, None, b, "app-" + "2" * 32),
            IndexChange(*ASTANA, None, c),
        ]
    )
    assert index.placement(key_application(b)) == Placement(
        *ALMATY, 2, 2, key_moment(b), "app-" + "2" * 32
    )
    assert index.placement(key_application(c)) == Placement(*ASTANA, 1, 1, key_moment(c), None)
    assert index.placement(uuid4()) is None


def test_a_move_keeps_the_holder_and_a_succession_changes_only_the_holder() -> None:
    index = QueueIndex()
    a, b = key(10), key(20)
    index.apply([IndexChange(*ALMATY, None, a, "app-a"), IndexChange(*ALMATY, None, b, "app-b")])
    earlier = key(5, key_application(b))
    index.apply([IndexChange(*ALMATY, b, earlier)])
    moved = index.placement(key_application(b))
    assert moved is not None
    assert (moved.position, moved.holder) == (1, "app-b")
    index.apply([HolderChange(key_application(a), "app-heir")])
    index.apply([HolderChange(uuid4(), "app-nobody")])  # on no list: nothing to change
    assert index.placement(key_application(a)) == Placement(
        *ALMATY, 2, 2, key_moment(a), "app-heir"
    )
    assert index.page(*ALMATY, 0, 5) == [earlier, a]
    assert len(index) == 2
    index.apply([IndexChange(*ALMATY, a, None), IndexChange(*ALMATY, None, a)])
    assert index.placement(key_application(a)) == Placement(*ALMATY, 2, 2, key_moment(a), None)


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
    """A stand-in for a transaction over a queue_entries table held in a list (and a holders
    table: the holder of an entry is `app-` and its key's application id)."""

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
        with_holders = "applicant_ref" in sql
        return [
            (k, f"app-{key_application(k).hex}") if with_holders else (k,)
            for k in found
            if k > after
        ][:limit]


def test_an_index_loads_from_the_table_in_chunks_and_replaces_another() -> None:
    rows = [(*ALMATY, key(m)) for m in range(23)] + [(*ASTANA, key(m)) for m in range(4)]
    random.shuffle(rows)
    tx = RowsTx(rows)
    loaded = QueueIndex.load(tx, "queue_entries_g1", "queue_holders_g1", chunk=5)  # type: ignore[arg-type]
    assert tx.queries == 1 + 5 + 1
    assert loaded.length(*ALMATY) == 23
    assert loaded.page(*ALMATY, 0, 30) == sorted(k for p, _, k in rows if p == "almaty")
    some = key_application(rows[0][2])
    placed = loaded.placement(some)
    assert placed is not None
    assert placed.holder == f"app-{some.hex}"
    without = QueueIndex.load(RowsTx(rows), "queue_entries_g1")  # type: ignore[arg-type]
    assert without.position(some) == loaded.position(some)
    assert without.placement(some) == placed._replace(holder=None)
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


def test_an_entry_with_its_holder_costs_well_under_two_hundred_and_fifty_bytes() -> None:
    drawn = [key(random.uniform(0, 10**7)) for _ in range(20_000)]
    holders = [f"app-{uuid4().hex}" for _ in drawn]
    tracemalloc.start()
    try:
        index = QueueIndex()
        index.apply(IndexChange(*ALMATY, None, k, h) for k, h in zip(drawn, holders, strict=True))
        used, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(index) == 20_000
    assert used / 20_000 < 250
