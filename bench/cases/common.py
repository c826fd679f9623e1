"""What every case shares: the result row, raw connections, timing and synthetic list rows."""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from demo.filing import file_own
from demo.synthetic import officer
from domain import acts
from domain.forms import ApplicationForm
from domain.priority import priority_key
from domain.receipts import Receipt
from domain.store_url import persistence_env
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase

IDENTITY_ENV = "KEZEK_IDENTITY_KEY"


@dataclass
class Result:
    """One figure and the baseline it is measured against, from the same run."""

    case: str
    metric: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    target: str = ""
    size: int = 0
    backend: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    goal: float | None = None  # the ratio to reach (issue 18's table), when there is one

    @property
    def ratio(self) -> float | None:
        if not self.baseline_value:
            return None
        return self.value / self.baseline_value

    @property
    def verdict(self) -> str:
        """`met` or `missed` against `goal` (empty without a goal or a ratio)."""
        ratio = self.ratio
        if self.goal is None or ratio is None:
            return ""
        return "met" if ratio >= self.goal else "missed"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "verdict": self.verdict}


def dialect(url: str) -> str:
    return "sqlite" if "SQLITE_DBNAME" in persistence_env(url) else "postgres"


@contextmanager
def raw_connection(url: str) -> Iterator[Any]:
    """A plain sqlite3 / psycopg connection (autocommit) to the store `url` names."""
    env = persistence_env(url)
    if "SQLITE_DBNAME" in env:
        conn: Any = sqlite3.connect(env["SQLITE_DBNAME"], isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    else:
        conn = ViewDatabase(url).connect_postgres(autocommit=True)
    try:
        yield conn
    finally:
        conn.close()


def ph(url: str, sql: str) -> str:
    return sql if dialect(url) == "sqlite" else sql.replace("?", "%s")


def insert_each(conn: Any, url: str, insert: str, groups: Sequence[Sequence[Any]]) -> None:
    """Each group of rows by `insert`, in a transaction of its own (one act's rows)."""
    for group in groups:
        if dialect(url) == "sqlite":
            conn.execute("BEGIN")
            conn.executemany(insert, group)
            conn.execute("COMMIT")
        else:
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(insert, group)


def load_rows(
    conn: Any, url: str, table: str, rows: Sequence[tuple[Any, ...]], columns: str = ""
) -> None:
    """`rows` into `table` (its `columns`, or all) in one transaction: executemany on SQLite,
    COPY on PostgreSQL."""
    if not rows:
        return
    into = f"{table} ({columns})" if columns else table
    if dialect(url) == "sqlite":
        width = len(rows[0])
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO {into} VALUES ({', '.join('?' * width)})", rows)  # noqa: S608
        conn.execute("COMMIT")
        return
    with conn.transaction(), conn.cursor() as cur, cur.copy(f"COPY {into} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def file_and_accept(wl: WaitingList, form: ApplicationForm, at: datetime) -> list[Receipt]:
    """The citizen files `form` with Almaty at `at`, accepted an hour later: both receipts."""
    filed = file_own(wl, form, "almaty", at)
    accepted = wl.perform(
        acts.ACCEPT,
        filed.application_id,
        actor=officer("almaty"),
        effective_at=at + timedelta(hours=1),
    )
    return [filed, accepted]


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = run()
    return time.perf_counter() - started, out


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else 0.0


ENTRY_COLUMNS = (
    "application_id, provider, list_code, priority_key, category_code,"
    " priority_moment, registered_at, holds_offer"
)


def entry_table_sql(url: str, table: str) -> list[str]:
    key = "TEXT" if dialect(url) == "sqlite" else 'TEXT COLLATE "C"'
    return [
        f"CREATE TABLE IF NOT EXISTS {table} ("
        " application_id TEXT PRIMARY KEY, provider TEXT NOT NULL, list_code TEXT NOT NULL,"
        f" priority_key {key} NOT NULL, category_code TEXT NOT NULL,"
        " priority_moment TEXT NOT NULL, registered_at TEXT NOT NULL,"
        " holds_offer INTEGER NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {table}_order ON {table} (provider, list_code, priority_key)",
    ]


def synthetic_entries(
    count: int, provider: str = "almaty", list_code: str = "socially_vulnerable", seed: int = 1
) -> list[tuple[Any, ...]]:
    """`count` queue entry rows of one list, with valid priority keys."""
    rng = random.Random(seed)
    start = datetime(2005, 1, 1, tzinfo=UTC)
    rows = []
    for _ in range(count):
        moment = start + timedelta(seconds=rng.randrange(20 * 365 * 86400))
        app = UUID(int=rng.getrandbits(128))
        key = priority_key(moment, app, rng.random() < 0.7)
        stamp = moment.isoformat()
        rows.append((str(app), provider, list_code, key, "low_income", stamp, stamp, 0))
    return rows


def fill_entries(url: str, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Create `table` (the queue view's shape) and load `rows` (COPY on PostgreSQL)."""
    with raw_connection(url) as conn:
        for sql in entry_table_sql(url, table):
            conn.execute(sql)
        load_rows(conn, url, table, rows, ENTRY_COLUMNS)
        if dialect(url) == "postgres":
            conn.execute(f"ANALYZE {table}")
