"""Rebuild: events/s of our runner filling every view from nothing, against a raw sequential
read + decode of the whole log (the floor any projection pays), and against the library's own
`ProjectionRunner` building the queue view on the first `library_events` events of the same
log (bench.cases.library_runner: PostgreSQL only; the library is far slower, hence a prefix).

On that prefix our runner is timed twice: the queue view alone (the same work as the library's
runner) and every view (the split of the full rebuild at the prefix, so no extra run)."""

from __future__ import annotations

from typing import Any

from bench.cases.common import Result, dialect, raw_connection, timed
from bench.cases.library_runner import (
    APPLICATION_COLUMNS,
    ENTRY_COLUMNS,
    LIST_COLUMNS,
    run_library,
    unavailable_reason,
)
from bench.keys import IDENTITY_KEY_HEX
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.fill import fill
from projections.projection import Projection
from projections.queue import QueueProjection
from projections.runner import TRACKING, CatchUpRunner
from replay.catalog import PROJECTIONS

BENCH_GENERATION = 9001  # tables <view>_g9001: never a live generation
QUEUE_GENERATION = 9002  # the queue view alone, on the library's prefix
PARALLEL_GENERATION = 9003  # every view, filled by worker processes
LIBRARY_EVENTS = 80_000  # about 25 s of the library's runner (a shared 2-core machine)
LIBRARY_TIMEOUT = 1800.0


def raw_select(url: str, wl: WaitingList, batch_size: int) -> int:
    """Every stored event's row fetched by a plain cursor, in the library's batches and order:
    what the store does for a reader before any decoding."""
    table = wl.recorder.events_table_name  # type: ignore[attr-defined]
    sqlite = dialect(url) == "sqlite"
    number, mark = ("rowid", "?") if sqlite else ("notification_id", "%s")
    sql = (
        f"SELECT {number}, originator_id, originator_version, topic, state"  # noqa: S608
        f" FROM {table} WHERE {number} >= {mark} ORDER BY {number} LIMIT {mark}"
    )
    seen, start = 0, 1
    with raw_connection(url) as conn:
        while True:
            rows = conn.execute(sql, (start, batch_size)).fetchall()
            if not rows:
                return seen
            seen += len(rows)
            start = int(rows[-1][0]) + 1


def _drop(database: ViewDatabase, projections: list[Projection]) -> None:
    with database.transaction() as tx:
        for projection in projections:
            projection.drop_tables(tx)
            tx.execute(
                f"DELETE FROM {TRACKING} WHERE projection = ? AND generation = ?",  # noqa: S608
                (projection.name, projection.generation),
            )


def _queue_rows(database: ViewDatabase, queue: QueueProjection) -> dict[str, list[tuple[str, ...]]]:
    """Our queue view's rows as text, in the library view's column order."""
    out = {}
    with database.transaction(write=False) as tx:
        for base, columns in (
            ("queue_entries", ENTRY_COLUMNS),
            ("queue_lists", LIST_COLUMNS),
            ("queue_applications", APPLICATION_COLUMNS),
        ):
            rows = tx.fetchall(f"SELECT {', '.join(columns)} FROM {queue.table(base)}")  # noqa: S608
            out[base] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def run(
    url: str, *, batch_size: int = 5000, library_events: int = LIBRARY_EVENTS, jobs: int = 2
) -> list[Result]:
    backend = dialect(url)
    wl = WaitingList(
        clock=ScenarioClock(),
        env={"KEZEK_DATABASE_URL": url},
        identity_key=IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX)),
    )
    database = ViewDatabase(url)
    try:
        head = wl.recorder.max_notification_id() or 0
        prefix = min(library_events, head)
        to_event = wl.mapper.to_domain_event

        def read_decode() -> int:
            start, seen = 1, 0
            while True:
                got = wl.recorder.select_notifications(start=start, limit=batch_size)
                if not got:
                    return seen
                for n in got:
                    to_event(n)
                seen += len(got)
                start = got[-1].id + 1

        raw_seconds, seen = timed(read_decode)
        select_seconds, selected = timed(lambda: raw_select(url, wl, batch_size))
        projections = [cls(generation=BENCH_GENERATION) for cls in PROJECTIONS]
        runner = CatchUpRunner(wl, projections, database, batch_size=batch_size)
        runner.setup()
        try:
            head_seconds, head_events = timed(lambda: runner.catch_up(until=prefix))
            rest_seconds, rest_events = timed(runner.catch_up)
        finally:
            _drop(database, projections)
        seconds, total = head_seconds + rest_seconds, head_events + rest_events
        parallel = None
        if backend == "postgres":  # SQLite has one writer at a time: workers would queue
            parallel = _in_processes(wl, database, head, jobs, batch_size)

        queue = QueueProjection(generation=QUEUE_GENERATION)
        alone = CatchUpRunner(wl, [queue], database, batch_size=batch_size)
        alone.setup()
        try:
            queue_seconds, queue_events = timed(lambda: alone.catch_up(until=prefix))
            ours = _queue_rows(database, queue)
        finally:
            _drop(database, [queue])
        library = _library(url, wl, prefix, ours)
    finally:
        database.close()
        wl.close()
    common: dict[str, Any] = dict(backend=backend)
    base = library["rate"]
    lib_note = library["note"]
    unavailable = "library ProjectionRunner: not available (notes)"

    def against_read(metric: str, rate: float, notes: str) -> Result:
        """A rebuild's rate against the raw sequential read + decode (goal: half of it)."""
        return Result(
            "rebuild",
            metric,
            rate,
            "events/s",
            "raw sequential read + decode of the log",
            seen / raw_seconds,
            target=">= 50% of raw read+decode",
            goal=0.5,
            size=head,
            notes=notes,
            **common,
        )

    in_processes = []
    if parallel is not None:
        in_processes.append(
            against_read(
                f"every view ({len(projections)}), {jobs} worker processes, events/s",
                head / parallel,
                f"projections.fill(jobs={jobs}): {parallel:.1f} s, each worker reads the "
                "log itself; spawning them is included",
            )
        )
    return [
        Result(
            "rebuild",
            "raw read + decode of the log, events/s",
            seen / raw_seconds,
            "events/s",
            "raw SELECT of the same rows, no decoding (sqlite3 / psycopg)",
            selected / select_seconds,
            goal=0.3,
            size=head,
            notes=f"the library's select_notifications and mapper (its JSON transcoder) against "
            f"the same SELECT by a plain cursor, batches of {batch_size}: {selected} rows in "
            f"{select_seconds:.1f} s",
            **common,
        ),
        against_read(
            f"every view ({len(projections)}) rebuilt, events/s",
            total / seconds,
            f"{total} events in {seconds:.1f} s (read+decode {raw_seconds:.1f} s)",
        ),
        *in_processes,
        Result(
            "rebuild",
            "queue view alone, log prefix, events/s",
            queue_events / queue_seconds,
            "events/s",
            "library ProjectionRunner, same view, same events" if base else unavailable,
            base,
            target=">= 30x the library's ProjectionRunner",
            goal=30.0,
            size=prefix,
            notes=f"events 1..{prefix}: ours {queue_seconds:.2f} s; {lib_note}",
            **common,
        ),
        Result(
            "rebuild",
            f"every view ({len(projections)}), log prefix, events/s",
            head_events / head_seconds,
            "events/s",
            "library ProjectionRunner, queue view only" if base else unavailable,
            base,
            target=">= 30x the library's ProjectionRunner",
            size=prefix,
            notes=f"events 1..{prefix}: ours {head_seconds:.2f} s, all views (the full rebuild "
            f"split at the prefix) against the library building one view; {lib_note}",
            **common,
        ),
    ]


def _in_processes(
    wl: WaitingList, database: ViewDatabase, head: int, jobs: int, batch_size: int
) -> float | None:
    """Seconds to fill every view in `jobs` worker processes."""
    if jobs < 2:
        return None
    projections = [cls(generation=PARALLEL_GENERATION) for cls in PROJECTIONS]
    try:
        seconds, _ = timed(
            lambda: fill(wl, database, projections, until=head, jobs=jobs, batch_size=batch_size)
        )
    finally:
        _drop(database, projections)
    return seconds


def _library(
    url: str, wl: WaitingList, prefix: int, ours: dict[str, list[tuple[str, ...]]]
) -> dict[str, Any]:
    """The library's runner on the prefix: its rate, or why it is not available."""
    reason = unavailable_reason(wl)
    if reason is not None:
        return {"rate": None, "note": f"library runner not available on this store: {reason}"}
    if prefix == 0:
        return {"rate": None, "note": "library runner not run: the log is empty"}
    run = run_library(url, wl, prefix, timeout=LIBRARY_TIMEOUT)
    if run.rows != ours:
        differing = [base for base in ours if run.rows.get(base) != ours[base]]
        raise AssertionError(f"the library's queue view differs from ours in {differing}")
    note = (
        f"library {run.seconds:.2f} s, one transaction per event, {run.handled} events of the "
        "view's topics decoded (the database filters the rest); both views equal row for row"
    )
    return {"rate": run.events_per_second, "note": note}
