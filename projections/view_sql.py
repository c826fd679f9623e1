"""SQL that the views share: byte-ordered text columns, `IN` lists and bulk inserts written
once for both engines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from projections.database import Tx

IN_CHUNK = 500  # bound parameters a statement: under the 999 of older SQLite builds


def sortable_text(tx: Tx) -> str:
    """A text column comparing byte by byte (ViewDatabase.sortable_text, from a transaction)."""
    return "TEXT" if tx.dialect == "sqlite" else 'TEXT COLLATE "C"'


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def key_moment_text(key: str) -> str:
    """The priority moment of a key as ISO 8601 text, by slicing (strptime is 15 us a key)."""
    return f"{key[:26]}+00:00"


def limit_clause(limit: int | None) -> tuple[str, tuple[int, ...]]:
    """The ` LIMIT ?` ending a query and its parameter; nothing when there is no limit."""
    return ("", ()) if limit is None else (" LIMIT ?", (limit,))


def where_in(tx: Tx, column: str, values: Sequence[str]) -> list[tuple[str, list[Any]]]:
    """(condition, parameters) pairs that together select `column` in `values` (text)."""
    if tx.dialect == "postgres":
        return [(f"{column} = ANY(?::text[])", [list(values)])] if values else []
    chunks = [list(values[n : n + IN_CHUNK]) for n in range(0, len(values), IN_CHUNK)]
    return [(f"{column} IN ({', '.join('?' * len(c))})", c) for c in chunks]


def fetch_in(tx: Tx, sql: str, column: str, values: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows of `sql` (a SELECT ... FROM ... without WHERE) with `column` in `values`."""
    rows: list[tuple[Any, ...]] = []
    for condition, params in where_in(tx, column, values):
        rows.extend(tx.fetchall(f"{sql} WHERE {condition}", params))
    return rows


def insert_rows(
    tx: Tx,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    tail: str = "",
) -> None:
    """Insert `rows` into the (name, PostgreSQL type) `columns`, then `tail` (ON CONFLICT ...).

    SQLite runs executemany in C. PostgreSQL gets one statement over `unnest` of one array per
    column: one round trip and a short query text, instead of one pipelined statement per row
    (about 10 times faster). The rows of one call must not conflict with each other.
    """
    if not rows:
        return
    names = ", ".join(name for name, _ in columns)
    if tx.dialect == "sqlite":
        marks = ", ".join("?" * len(columns))
        tx.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) {tail}", rows)
        return
    arrays = ", ".join(f"?::{kind}[]" for _, kind in columns)
    tx.execute(
        f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {tail}",
        [list(column) for column in zip(*rows, strict=True)],
    )


def add_missing_columns(tx: Tx, table: str, columns: Sequence[tuple[str, str]]) -> None:
    """Give a view's table made by an earlier version the columns this one writes (their
    defaults until a rebuild fills them), so that a running store keeps serving."""
    if tx.dialect == "postgres":
        for name, definition in columns:
            tx.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {definition}")
        return
    present = {row[1] for row in tx.fetchall(f"PRAGMA table_info({table})")}
    for name, definition in columns:
        if name not in present:
            tx.execute(f"ALTER TABLE {table} ADD COLUMN {name} {definition}")
