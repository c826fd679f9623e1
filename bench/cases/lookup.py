"""Position lookup: QueueIndex (p50/p99, lookups/s) at a list of N entries, against SELECT COUNT(*)
on the (provider, list_code, priority_key) index and a row_number() window query."""

from __future__ import annotations

import random
import time
from typing import Any
from uuid import UUID

from bench.cases.common import (
    Result,
    dialect,
    fill_entries,
    percentile,
    ph,
    raw_connection,
    synthetic_entries,
)
from projections.database import ViewDatabase
from projections.queue_index import QueueIndex

TABLE = "bench_lookup_entries"


def run(url: str, *, entries: int, lookups: int = 20_000, sql_lookups: int = 30) -> list[Result]:
    backend = dialect(url)
    rows = synthetic_entries(entries)
    with raw_connection(url) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
    fill_entries(url, TABLE, rows)
    database = ViewDatabase(url)
    rng = random.Random(5)
    try:
        started = time.perf_counter()
        with database.transaction(write=False) as tx:
            index = QueueIndex.load(tx, TABLE)
        load_seconds = time.perf_counter() - started
        ids = [UUID(rows[rng.randrange(entries)][0]) for _ in range(lookups)]
        samples = []
        t0 = time.perf_counter()
        for app in ids:
            s = time.perf_counter_ns()
            index.position(app)
            samples.append((time.perf_counter_ns() - s) / 1e9)
        ours = lookups / (time.perf_counter() - t0)
        picks = [rows[rng.randrange(entries)] for _ in range(sql_lookups)]
        count_sql = ph(
            url,
            f"SELECT COUNT(*) FROM {TABLE} WHERE provider = ? AND list_code = ?"  # noqa: S608
            " AND priority_key < ?",
        )
        window_sql = ph(
            url,
            f"SELECT pos FROM (SELECT application_id, row_number() OVER (ORDER BY priority_key)"  # noqa: S608
            f" AS pos FROM {TABLE} WHERE provider = ? AND list_code = ?) t"
            " WHERE application_id = ?",
        )
        count_samples, window_samples = [], []
        with raw_connection(url) as conn:
            for row in picks:
                t = time.perf_counter()
                conn.execute(count_sql, (row[1], row[2], row[3])).fetchone()
                count_samples.append(time.perf_counter() - t)
            for row in picks[: max(3, sql_lookups // 5)]:
                t = time.perf_counter()
                conn.execute(window_sql, (row[1], row[2], row[0])).fetchone()
                window_samples.append(time.perf_counter() - t)
            conn.execute(f"DROP TABLE {TABLE}")
        count_rate = len(count_samples) / sum(count_samples)
        window_rate = len(window_samples) / sum(window_samples)
        us = 1e6
        common: dict[str, Any] = dict(size=entries, backend=backend)
        note = (
            f"index p50 {percentile(samples, 0.5) * us:.1f} us, p99 "
            f"{percentile(samples, 0.99) * us:.1f} us; COUNT(*) p50 "
            f"{percentile(count_samples, 0.5) * 1e3:.2f} ms, p99 "
            f"{percentile(count_samples, 0.99) * 1e3:.2f} ms; window p50 "
            f"{percentile(window_samples, 0.5) * 1e3:.1f} ms; index warmed in {load_seconds:.1f} s"
        )
        extra = {
            "p50_us": percentile(samples, 0.5) * us,
            "p99_us": percentile(samples, 0.99) * us,
            "count_p50_ms": percentile(count_samples, 0.5) * 1e3,
            "count_p99_ms": percentile(count_samples, 0.99) * 1e3,
            "window_p50_ms": percentile(window_samples, 0.5) * 1e3,
            "warm_seconds": load_seconds,
        }
        return [
            Result(
                "lookup",
                "QueueIndex positions/s",
                ours,
                "lookups/s",
                "SELECT COUNT(*) on the index",
                count_rate,
                target=">= 1000x COUNT(*) at 1M",
                goal=1000.0,
                notes=note,
                extra=extra,
                **common,
            ),
            Result(
                "lookup",
                "QueueIndex positions/s",
                ours,
                "lookups/s",
                "row_number() window query",
                window_rate,
                extra=extra,
                **common,
            ),
        ]
    finally:
        database.close()
