"""Which generation of a projection's tables is live.

A rebuild fills generation n+1 from position 0 while n keeps serving, compares them, and then
moves the live pointer in one transaction; readers look the pointer up per request.
"""

from __future__ import annotations

from projections.database import Tx

GENERATIONS = "kezek_projection_generation"


def create_generations_table(tx: Tx) -> None:
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {GENERATIONS} ("
        " projection TEXT PRIMARY KEY, live INTEGER NOT NULL, version INTEGER NOT NULL)"
    )


def live_generation(tx: Tx, projection: str) -> int:
    row = tx.fetchone(f"SELECT live FROM {GENERATIONS} WHERE projection = ?", (projection,))
    return int(row[0]) if row else 1


def set_live_generation(tx: Tx, projection: str, generation: int, version: int) -> None:
    tx.execute(
        f"INSERT INTO {GENERATIONS} (projection, live, version) VALUES (?, ?, ?)"
        " ON CONFLICT (projection) DO UPDATE SET live = excluded.live, version = excluded.version",
        (projection, generation, version),
    )
