"""Every change of an application's position, with its cause: "why did my number go from 412
to 415 on that day?"

One row per change of a list (joined, left, moved), never one per entry it moves: a join at
the head of a 45,000-entry list writes one row, not 45,000. An application's history is
computed when asked: its own changes, and between them the changes of others with a key
ahead of its own (before or after the change), each moving it by one place. Keys compare byte
by byte on both engines (a "C" collated column on PostgreSQL), in SQL as in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from domain.queue_list import QueueList
from projections.change_blocks import BlocksCache
from projections.database import Tx
from projections.list_names import ListNames
from projections.projection import Projection, Recorded
from projections.view_sql import insert_rows, iso, sortable_text

JOINED, LEFT, MOVED = "joined", "left", "moved"
_END = 2**62  # beyond any notification id
_LIST_CHANGES = (QueueList.Joined, QueueList.Left, QueueList.Moved)


@dataclass(frozen=True)
class PositionChange:
    """One change of one application's position.

    `application_id` names the other application whose act caused it (None when the change is
    the application's own: its registration or restoration, a move of its own priority, its
    leaving); `application_version` is the version of that application's event, `cause` its
    kind ("Registered", "Withdrawn", "Deregistered:moved_away", "ComplaintDecided:..."), and
    `kind` what happened to the list (joined, left, moved). Positions are None off the list.
    """

    seq: int
    kind: str
    effective_at: datetime
    recorded_at: datetime
    old_position: int | None
    new_position: int | None
    cause: str
    application_id: UUID | None
    application_version: int

    @property
    def own(self) -> bool:
        return self.application_id is None

    def describe(self) -> str:
        before = "-" if self.old_position is None else str(self.old_position)
        after = "-" if self.new_position is None else str(self.new_position)
        who = "own act" if self.own else f"application {self.application_id} {self.kind}"
        return (
            f"{self.effective_at:%Y-%m-%d %H:%M} UTC: {before} -> {after}: {who} "
            f"({self.cause}, event version {self.application_version}, #{self.seq})"
        )


_TEXT = "text"
_TYPES = (  # (column, PostgreSQL type) as written by apply, in order
    ("seq", "bigint"),
    ("provider", _TEXT),
    ("list_code", _TEXT),
    ("application_id", _TEXT),
    ("kind", _TEXT),
    ("key", _TEXT),
    ("old_key", _TEXT),
    ("position", "integer"),
    ("old_position", "integer"),
    ("cause", _TEXT),
    ("application_version", "integer"),
    ("effective_at", _TEXT),
    ("recorded_at", _TEXT),
)


class _Row(NamedTuple):
    seq: int
    kind: str
    key: str | None
    old_key: str | None
    position: int | None
    old_position: int | None
    cause: str
    application_version: int
    effective_at: str
    recorded_at: str
    application_id: str
    provider: str
    list_code: str


_COLUMNS = ", ".join(_Row._fields)


class PositionHistory(Projection):
    name = "position_history"
    reads = (QueueList.Opened, *_LIST_CHANGES)
    version = 1
    tables = ("list_changes", "history_lists")

    def __init__(self, generation: int = 1) -> None:
        super().__init__(generation)
        self.changes = self.table("list_changes")
        self.lists = ListNames(self.table("history_lists"))
        self.places = BlocksCache()  # positions as of a moment (projections.position_at)

    def create_tables(self, tx: Tx) -> None:
        key = sortable_text(tx)
        seq = "INTEGER" if tx.dialect == "sqlite" else "BIGINT"  # SQLite: the rowid itself
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {self.changes} ("
            f" seq {seq} PRIMARY KEY, provider TEXT NOT NULL, list_code TEXT NOT NULL,"
            " application_id TEXT NOT NULL, kind TEXT NOT NULL,"
            f" key {key}, old_key {key}, position INTEGER, old_position INTEGER,"
            " cause TEXT NOT NULL, application_version INTEGER NOT NULL,"
            " effective_at TEXT NOT NULL, recorded_at TEXT NOT NULL)"
        )
        tx.execute(
            f"CREATE INDEX IF NOT EXISTS {self.changes}_by_list"
            f" ON {self.changes} (provider, list_code, seq)"
        )
        tx.execute(
            f"CREATE INDEX IF NOT EXISTS {self.changes}_by_application"
            f" ON {self.changes} (application_id, seq)"
        )
        self.lists.create(tx)

    def apply(self, batch: Sequence[Recorded], tx: Tx) -> None:
        opened = [r.event for r in batch if isinstance(r.event, QueueList.Opened)]
        self.lists.record(tx, opened)
        moves = [r for r in batch if isinstance(r.event, _LIST_CHANGES)]
        if not moves:
            return
        self.lists.resolve(tx, {r.event.originator_id for r in moves})
        rows: list[tuple[Any, ...]] = []
        for recorded in moves:
            event = recorded.event
            keys: tuple[str | None, str | None, int | None, int | None]
            if isinstance(event, QueueList.Joined):
                kind, keys = JOINED, (event.key, None, event.position, None)
            elif isinstance(event, QueueList.Left):
                kind, keys = LEFT, (None, event.key, None, event.position)
            else:
                kind = MOVED
                keys = (event.new_key, event.old_key, event.new_position, event.old_position)
            provider, list_code = self.lists[event.originator_id]
            rows.append(
                (
                    recorded.notification_id,
                    provider,
                    list_code,
                    str(event.application_id),
                    kind,
                    *keys,
                    event.cause,
                    event.application_version,
                    iso(event.effective_at),
                    iso(event.timestamp),
                )
            )
        insert_rows(
            tx,
            self.changes,
            _TYPES,
            rows,
            "ON CONFLICT (seq) DO NOTHING",
        )

    # -- reading ------------------------------------------------------------------------------

    def history(
        self, tx: Tx, application_id: UUID, *, after: int = 0, limit: int | None = None
    ) -> list[PositionChange]:
        """Every change of the application's position, oldest first (by `seq`, one change a
        row); with `after`, those after that log position; with `limit`, the first so many.

        A page reads what it returns, not the whole history: the application's own rows after
        `after` (at most `limit`), and between them the rows of its list that moved it, the
        test of the keys done in SQL so that a LIMIT counts changes. Resuming inside a stretch
        on the list needs its position at `after`: the last own row before it, and one
        aggregate over its list's rows since, summed by the database (no row is sent back):
        the one cost that grows with the stretch on the list rather than with the page.
        """
        wanted = _END if limit is None else limit
        own = [
            _Row(*row)
            for row in tx.fetchall(
                f"SELECT {_COLUMNS} FROM {self.changes} WHERE application_id = ? AND seq > ?"
                " ORDER BY seq LIMIT ?",
                (str(application_id), after, wanted),
            )
        ]
        held = self._held_at(tx, application_id, after) if after > 0 else None
        result: list[PositionChange] = []
        for row in own:
            if held is not None:
                self._others(tx, held, until=row.seq, limit=wanted - len(result), into=result)
                if len(result) >= wanted:
                    return result
            result.append(_change(row, row.old_position, row.position, None))
            if len(result) >= wanted:
                return result
            held = _Held.after(row)
        # Fewer changes than wanted: `own` holds every own row after `after`, the tail is next.
        if held is not None and len(result) < wanted:
            self._others(tx, held, until=_END, limit=wanted - len(result), into=result)
        return result

    def _held_at(self, tx: Tx, application_id: UUID, at: int) -> _Held | None:
        """Where the application stood on its list at log position `at` (None: off it)."""
        found = tx.fetchone(
            f"SELECT {_COLUMNS} FROM {self.changes} WHERE application_id = ? AND seq <= ?"
            " ORDER BY seq DESC LIMIT 1",
            (str(application_id), at),
        )
        held = None if found is None else _Held.after(_Row(*found))
        if held is None:
            return None
        (moved,) = tx.fetchone(
            "SELECT COALESCE(SUM(CASE WHEN key < ? THEN 1 ELSE 0 END)"
            " - SUM(CASE WHEN old_key < ? THEN 1 ELSE 0 END), 0)"
            f" FROM {self.changes} WHERE provider = ? AND list_code = ?"
            " AND seq > ? AND seq <= ? AND (key < ? OR old_key < ?)",
            (held.key, held.key, held.provider, held.list_code, held.since, at, held.key, held.key),
        ) or (0,)
        return held._replace(position=held.position + int(moved), since=at)

    def _others(
        self, tx: Tx, held: _Held, *, until: int, limit: int, into: list[PositionChange]
    ) -> None:
        """Append the first `limit` changes by others of `held`'s list after `held.since` and
        before `until` that moved the holder of `held.key` (at `held.position` at `since`)."""
        key, position = held.key, held.position
        rows = tx.fetchall(
            f"SELECT {_COLUMNS} FROM {self.changes} WHERE provider = ? AND list_code = ?"
            " AND seq > ? AND seq < ?"  # ahead of the key before or after, not both:
            " AND (CASE WHEN key < ? THEN 1 ELSE 0 END)"
            " <> (CASE WHEN old_key < ? THEN 1 ELSE 0 END)"
            " ORDER BY seq LIMIT ?",
            (held.provider, held.list_code, held.since, until, key, key, limit),
        )
        for row in map(_Row._make, rows):
            was_ahead = row.old_key is not None and row.old_key < key
            is_ahead = row.key is not None and row.key < key
            delta = int(is_ahead) - int(was_ahead)
            if delta:
                into.append(_change(row, position, position + delta, UUID(row.application_id)))
                position += delta


class _Held(NamedTuple):
    """An application on its list: its key, and its position at log position `since`."""

    provider: str
    list_code: str
    key: str
    position: int
    since: int

    @classmethod
    def after(cls, row: _Row) -> _Held | None:
        """Where the application's own change `row` left it (None: off the list)."""
        if row.key is None or row.position is None:
            return None
        return cls(row.provider, row.list_code, row.key, row.position, row.seq)


def _change(row: _Row, old: int | None, new: int | None, other: UUID | None) -> PositionChange:
    return PositionChange(
        seq=int(row.seq),
        kind=row.kind,
        effective_at=datetime.fromisoformat(row.effective_at),
        recorded_at=datetime.fromisoformat(row.recorded_at),
        old_position=old,
        new_position=new,
        cause=row.cause,
        application_id=other,
        application_version=int(row.application_version),
    )
