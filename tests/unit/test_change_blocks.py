"""A list's changes held in blocks count the entries ahead of a key, and the entries, at any
moment exactly as a sum over every change that had taken effect by then."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from projections.change_blocks import BlocksCache, Change, ChangeBlocks

MOMENTS = [f"2024-04-{day:02d}T{hour:02d}:00:00+00:00" for day in range(1, 8) for hour in (9, 14)]
KEYS = [f"2024-03-{n:02d}T10:00:00.000000|{n:032x}" for n in range(1, 30)]

changes = st.lists(
    st.tuples(
        st.sampled_from(MOMENTS),
        st.sampled_from(["joined", "left", "moved"]),
        st.sampled_from(KEYS),
        st.sampled_from(KEYS),
    ),
    max_size=120,
)


def change(moment: str, kind: str, key: str, old_key: str) -> Change:
    if kind == "joined":
        return Change(moment, key, None, 1)
    if kind == "left":
        return Change(moment, None, old_key, -1)
    return Change(moment, key, old_key, 0)


def summed(rows: list[Change], moment: str, key: str) -> tuple[int, int]:
    standing = [r for r in rows if r.effective_at <= moment]
    ahead = sum(r.key is not None and r.key < key for r in standing) - sum(
        r.old_key is not None and r.old_key < key for r in standing
    )
    return ahead, sum(r.net for r in standing)


@settings(max_examples=150, deadline=None)
@given(drawn=changes, moment=st.sampled_from(MOMENTS), key=st.sampled_from(KEYS))
def test_blocks_count_as_the_sum_over_the_changes_standing_at_the_moment(
    drawn: list[tuple[str, str, str, str]], moment: str, key: str
) -> None:
    rows = [change(*d) for d in drawn]
    blocks = ChangeBlocks(block=3)  # small blocks: every example splits some
    for seq, row in enumerate(rows, start=1):  # in recorded order, effective moments mixed
        blocks.add(row, seq)
    assert blocks.count(moment, key) == summed(rows, moment, key)
    assert blocks.seq == len(rows)
    assert blocks.size == len(rows)


def test_a_change_recorded_late_counts_in_the_block_of_its_moment() -> None:
    blocks = ChangeBlocks(block=1)
    for seq, moment in enumerate(MOMENTS[4:], start=1):
        blocks.add(Change(moment, KEYS[seq], None, 1), seq)
    before = blocks.count(MOMENTS[4], KEYS[0])
    blocks.add(Change(MOMENTS[0], KEYS[0], None, 1), 99)  # took effect first, recorded last
    assert before == (0, 1)
    assert blocks.count(MOMENTS[4], KEYS[1]) == (1, 2)
    assert blocks.count(MOMENTS[0], KEYS[5]) == (1, 1)


def test_the_cache_lets_go_of_the_least_recently_asked_list_and_never_holds_one_too_long() -> None:
    cache = BlocksCache(max_rows=10)
    first, second, third = ("almaty", "a"), ("almaty", "b"), ("astana", "a")
    held = cache.held(first)
    assert held is not None
    assert cache.fits(first, held, 6)
    for seq in range(6):
        held.add(Change(MOMENTS[0], KEYS[seq], None, 1), seq + 1)
    other = cache.held(second)
    assert other is not None
    assert cache.fits(second, other, 5)  # 11 > 10: the first list goes
    assert cache.held(first) is not other
    assert cache.held(first) is not held  # held anew, empty
    too_long = cache.held(third)
    assert too_long is not None
    assert not cache.fits(third, too_long, 11)
    assert cache.held(third) is None  # counted in the database from now on
