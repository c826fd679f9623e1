"""An application's place on its list at a past moment, read from the position-history view.

The answer of replay.asof_list's fold, without reading or decoding a single event: the view
holds every change of every list (joined, left, moved) with its keys and both of its moments.
An application's changes take effect in the order they were recorded (`require_chronology`),
so the changes standing at a moment are a prefix of each application's changes, and over such
a prefix the changes' contributions telescope: summing, for every change of the list standing
at the moment, `[key < K] - [old_key < K]` counts the entries ahead of the key K, and
`[joined] - [left]` counts the entries. Both sums are one aggregate over the list's rows; the
order in which the changes took effect is never needed.

By business time (no `known_at`), the question asked most, a process holds each list's
changes in blocks by moment (projections.change_blocks) and counts there: about a bisection
per block. Recording time and `known_at` count in one scan of the list's rows in the database
(no event decoded either): it grows with the list's history (docs/benchmarks.md).
"""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

from projections.change_blocks import Change
from projections.database import Tx
from projections.position_history import JOINED, LEFT, PositionHistory


class PlaceRow(NamedTuple):
    """The application's place on its list at the moment (from the view)."""

    provider: str
    list_code: str
    key: str
    position: int
    length: int


class OwnChangesBroken(AssertionError):
    """An application's changes in the view take effect out of their recorded order."""


class _Own(NamedTuple):
    seq: int
    provider: str
    list_code: str
    kind: str
    key: str | None
    effective_at: str
    recorded_at: str


def place_at(
    history: PositionHistory,
    tx: Tx,
    application_id: UUID,
    *,
    moment: str,
    by: str,
    known_at: str | None = None,
    upto: int | None = None,
) -> PlaceRow | None:
    """Where the application stood at `moment` (ISO 8601 in UTC, as the view writes it) on
    the axis `by` ("effective": business time, as known at `known_at` when given; "recorded":
    recording time); None when it was not on a list then. `upto`: the view's tracked position
    in `tx`'s snapshot (the blocks held in memory are used only when they hold no later row)."""
    rows = [
        _Own(*row)
        for row in tx.fetchall(
            "SELECT seq, provider, list_code, kind, key, effective_at, recorded_at"
            f" FROM {history.changes} WHERE application_id = ? ORDER BY seq",
            (str(application_id),),
        )
    ]
    last = _last_standing(rows, moment=moment, by=by, known_at=known_at)
    if last is None or last.kind == LEFT or last.key is None:
        return None
    key = last.key
    if by == "effective" and known_at is None:
        name = (last.provider, last.list_code)
        counted = None if upto is None else _count_in_blocks(history, tx, name, moment, key, upto)
        if counted is not None:
            ahead, length = counted
            return PlaceRow(last.provider, last.list_code, key, ahead + 1, length)
    collate = ' COLLATE "C"' if tx.dialect == "postgres" else ""
    if by == "recorded":
        when, params = f"recorded_at{collate} <= ?", [moment]
    else:
        when, params = f"effective_at{collate} <= ?", [moment]
        if known_at is not None:
            when += f" AND recorded_at{collate} <= ?"
            params.append(known_at)
    found = tx.fetchone(
        "SELECT COALESCE(SUM(CASE WHEN key < ? THEN 1 ELSE 0 END), 0)"
        " - COALESCE(SUM(CASE WHEN old_key < ? THEN 1 ELSE 0 END), 0),"
        f" COALESCE(SUM(CASE kind WHEN '{JOINED}' THEN 1 WHEN '{LEFT}' THEN -1 ELSE 0 END), 0)"
        f" FROM {history.changes} WHERE provider = ? AND list_code = ? AND {when}",
        (key, key, last.provider, last.list_code, *params),
    )
    ahead, length = (0, 0) if found is None else (int(found[0]), int(found[1]))
    return PlaceRow(last.provider, last.list_code, key, ahead + 1, length)


def _count_in_blocks(
    history: PositionHistory, tx: Tx, name: tuple[str, str], moment: str, key: str, upto: int
) -> tuple[int, int] | None:
    """The sums from the list's blocks held in memory, brought up to the snapshot's rows (the
    view only grows: new changes have higher `seq`); None for a list too long to hold, or
    when another thread brought the blocks past this snapshot (its own rows would not agree)."""
    cache = history.places
    with cache.lock:
        blocks = cache.held(name)
        if blocks is None or blocks.seq > upto:
            return None
        rows = tx.fetchall(
            f"SELECT seq, kind, key, old_key, effective_at FROM {history.changes}"
            " WHERE provider = ? AND list_code = ? AND seq > ? AND seq <= ?"
            " ORDER BY seq LIMIT ?",
            (*name, blocks.seq, upto, cache.max_rows + 1),
        )
        if not cache.fits(name, blocks, len(rows)):
            return None
        for seq, kind, new_key, old_key, effective_at in rows:
            net = 1 if kind == JOINED else -1 if kind == LEFT else 0
            blocks.add(Change(effective_at, new_key, old_key, net), int(seq))
        return blocks.count(moment, key)


def _last_standing(rows: list[_Own], *, moment: str, by: str, known_at: str | None) -> _Own | None:
    """The application's last change standing at the moment (rows in recorded order)."""
    if by == "recorded":
        standing = [r for r in rows if r.recorded_at <= moment]
        return standing[-1] if standing else None
    if known_at is not None:
        rows = [r for r in rows if r.recorded_at <= known_at]
    previous = ""
    last = None
    for row in rows:
        if row.effective_at < previous:
            raise OwnChangesBroken(
                f"change #{row.seq} takes effect at {row.effective_at}, before {previous}"
            )
        previous = row.effective_at
        if row.effective_at <= moment:
            last = row
    return last

