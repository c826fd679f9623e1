"""A list's movement month by month: registrations, departures and housing provided, read
from the position history's changes (one row per join or departure, with its cause)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from projections.database import Tx
from projections.position_history import JOINED, LEFT, PositionHistory

HOUSED_CAUSE = "HousingProvided"


@dataclass(frozen=True)
class Month:
    first_day: date
    registered: int = 0
    departed: int = 0  # left the list for any cause but housing
    housed: int = 0


def months_back(today: date, count: int) -> list[date]:
    """The first days of the last `count` months, this one last."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def movement(
    tx: Tx, history: PositionHistory, provider: str, list_code: str, today: date, count: int = 12
) -> list[Month]:
    """The last `count` months (by the acts' effective UTC month), oldest first."""
    firsts = months_back(today, count)
    rows = tx.fetchall(
        f"SELECT substr(effective_at, 1, 7), kind, cause, COUNT(*) FROM {history.changes}"
        " WHERE provider = ? AND list_code = ? AND effective_at >= ? AND kind IN (?, ?)"
        " GROUP BY substr(effective_at, 1, 7), kind, cause",
        (provider, list_code, firsts[0].isoformat(), JOINED, LEFT),
    )
    counts: dict[str, list[int]] = {f.isoformat()[:7]: [0, 0, 0] for f in firsts}
    for month, kind, cause, n in rows:
        found = counts.get(str(month))
        if found is None:
            continue
        if kind == JOINED:
            found[0] += int(n)
        elif str(cause).startswith(HOUSED_CAUSE):
            found[2] += int(n)
        else:
            found[1] += int(n)
    return [Month(f, *counts[f.isoformat()[:7]]) for f in firsts]
