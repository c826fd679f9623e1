"""Append: acts/s through WaitingList (one act per transaction) and the bulk path, each against
raw inserts of the same stored-event rows with sqlite3 / psycopg."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bench.cases.common import (
    Result,
    dialect,
    file_and_accept,
    insert_each,
    load_rows,
    ph,
    raw_connection,
    timed,
)
from bench.keys import IDENTITY_KEY_HEX
from demo.synthetic import make_form
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList

RAW = "bench_raw_events"


def _raw_table(conn: Any, url: str) -> None:
    blob = "BLOB" if dialect(url) == "sqlite" else "BYTEA"
    conn.execute(f"DROP TABLE IF EXISTS {RAW}")
    conn.execute(
        f"CREATE TABLE {RAW} (originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL,"
        f" topic TEXT NOT NULL, state {blob} NOT NULL,"
        " PRIMARY KEY (originator_id, originator_version))"
    )


def _rows(wl: WaitingList, start: int, stop: int) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    while start <= stop:
        got = wl.recorder.select_notifications(start=start, limit=2000, stop=stop)
        if not got:
            break
        rows += [(str(n.originator_id), n.originator_version, n.topic, n.state) for n in got]
        start = got[-1].id + 1
    return rows


def run(url: str, *, count: int, bulk: Any = None) -> list[Result]:
    backend = dialect(url)
    key = IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url}, identity_key=key)
    results = []
    try:
        first = (wl.recorder.max_notification_id() or 0) + 1
        moment = datetime(2025, 12, 1, 5, 0, tzinfo=UTC)
        # Citizens never filed before in this store, also when a reused data set is measured
        # again: each run starts past the acts of the last one (2 events an act at least).
        base = 50_000_000 + first % 49_000_000
        forms = [make_form(base + n) for n in range(count // 2)]
        boundaries: list[int] = []

        def write() -> None:
            for n, form in enumerate(forms):
                receipts = file_and_accept(wl, form, moment + timedelta(minutes=n))
                boundaries.extend(r.notification_id for r in receipts)

        seconds, _ = timed(write)
        done = 2 * len(forms)
        rows = _rows(wl, first, boundaries[-1])
        groups: list[list[tuple[Any, ...]]] = []
        ids = list(range(first, boundaries[-1] + 1))
        by_id = dict(zip(ids, rows, strict=False))
        low = first
        for high in boundaries:
            groups.append([by_id[i] for i in range(low, high + 1) if i in by_id])
            low = high + 1
        insert = ph(url, f"INSERT INTO {RAW} VALUES (?, ?, ?, ?)")  # noqa: S608
        with raw_connection(url) as conn:
            _raw_table(conn, url)

            raw_seconds, _ = timed(lambda: insert_each(conn, url, insert, groups))
            conn.execute(f"DROP TABLE {RAW}")
        results.append(
            Result(
                "append",
                "acts/s, one act per transaction",
                done / seconds,
                "acts/s",
                "raw INSERT of the same rows, one transaction per act",
                done / raw_seconds,
                size=done,
                backend=backend,
                goal=0.5,
                notes=f"{len(rows)} events; submit + accept of new applications",
            )
        )
        if bulk is not None:
            rows = _rows(wl, 1, bulk.events)
            chunk = max(1, bulk.events // max(1, bulk.transactions))
            with raw_connection(url) as conn:
                _raw_table(conn, url)

                def raw_bulk() -> None:
                    for n in range(0, len(rows), chunk):
                        load_rows(conn, url, RAW, rows[n : n + chunk])

                raw_seconds, _ = timed(raw_bulk)
                conn.execute(f"DROP TABLE {RAW}")
            raw_rate = len(rows) / raw_seconds
            results.append(
                Result(
                    "append",
                    "bulk generator, events/s (domain + store)",
                    bulk.events_per_second,
                    "events/s",
                    "raw bulk insert of the same rows (COPY / executemany)",
                    raw_rate,
                    target=">= 15,000 events/s on PostgreSQL",
                    goal=0.4,
                    size=bulk.applications,
                    backend=backend,
                    notes=f"{bulk.events} events in {bulk.transactions} transactions, "
                    f"{bulk.workers} worker(s), {bulk.seconds:.1f} s",
                )
            )
            results.append(
                Result(
                    "append",
                    "bulk path, the writer's transactions only, events/s",
                    bulk.events / bulk.write_seconds if bulk.write_seconds else 0.0,
                    "events/s",
                    "raw bulk insert of the same rows (COPY / executemany)",
                    raw_rate,
                    size=bulk.applications,
                    backend=backend,
                    notes="time inside the writer's transactions (binary COPY into the library's "
                    "table on PostgreSQL, the library's insert on SQLite)",
                )
            )
    finally:
        wl.close()
    return results
