"""Fill projections from the log up to a position: with one runner, or in several processes.

One runner reads and decodes the log once for all its projections, but their own work runs on
one core. With `jobs` > 1 the projections are shared out among that many worker processes
(largest first onto the least loaded, by the relative costs below, measured on the national
data set), each with its own runner, connection and read of the log: the views' work then
uses every core, at the price of one more read per process. Each projection's rows and
position still commit together, so an interrupted fill is resumed by running it again.

Workers are spawned, not forked: the parent may hold connections and threads.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Sequence
from typing import Any

from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.projection import Projection
from projections.runner import CatchUpRunner

Progress = Callable[[int, int], None]  # (position reached, target)

# Seconds of a view's own work per second of reading and decoding the log (PostgreSQL, 45,000
# applications): only used to balance the workers.
RELATIVE_COST = {
    "transparency": 1.0,
    "deadlines": 1.5,
    "audit_trail": 1.3,
    "queue": 1.1,
    "position_history": 0.6,
}


def share_out(projections: Sequence[Projection], jobs: int) -> list[list[Projection]]:
    """At most `jobs` non-empty groups of about equal cost (longest processing time first)."""
    groups: list[list[Projection]] = [[] for _ in range(max(1, min(jobs, len(projections))))]
    loads = [0.0] * len(groups)
    for projection in sorted(projections, key=lambda p: -RELATIVE_COST.get(p.name, 1.0)):
        lightest = loads.index(min(loads))
        groups[lightest].append(projection)
        loads[lightest] += RELATIVE_COST.get(projection.name, 1.0)
    return [group for group in groups if group]


def _catch_up(runner: CatchUpRunner, until: int, report: Callable[[int], None]) -> int:
    total = 0
    while done := runner.run_once(until=until):
        total += done
        report(min(runner.position(p) for p in runner.projections))
    return total


def fill(
    waiting_list: WaitingList,
    database: ViewDatabase,
    projections: Sequence[Projection],
    *,
    until: int,
    jobs: int = 1,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> None:
    """Bring every projection to position `until` (their tables are created if new)."""
    groups = share_out(projections, jobs)
    if len(groups) == 1:
        runner = CatchUpRunner(waiting_list, groups[0], database, batch_size=batch_size)
        runner.setup()
        _catch_up(runner, until, lambda at: progress(at, until) if progress else None)
        return
    context = multiprocessing.get_context("spawn")
    news: Any = context.Queue()
    workers = [
        context.Process(
            target=_fill_group,
            args=(
                database.url,
                [(type(p), p.generation) for p in group],
                until,
                batch_size,
                index,
                news,
            ),
            name=f"kezek-fill-{index}",
        )
        for index, group in enumerate(groups)
    ]
    for worker in workers:
        worker.start()
    reached = [0] * len(workers)
    failures: list[str] = []
    try:
        while any(w.is_alive() for w in workers) or not news.empty():
            try:
                index, at, error = news.get(timeout=0.5)
            except queue.Empty:
                continue
            if error is not None:
                failures.append(error)
            else:
                reached[index] = at
                if progress is not None:
                    progress(min(reached), until)
    finally:
        for worker in workers:
            worker.join()
    failures += [f"{w.name} exited with {w.exitcode}" for w in workers if w.exitcode]
    if failures:
        raise RuntimeError("filling the projections failed: " + "; ".join(failures))


def _fill_group(
    url: str,
    specs: list[tuple[type[Projection], int]],
    until: int,
    batch_size: int,
    index: int,
    news: Any,
) -> None:
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": url})
    database = ViewDatabase(url)
    try:
        group = [cls(generation=generation) for cls, generation in specs]
        runner = CatchUpRunner(waiting_list, group, database, batch_size=batch_size)
        runner.setup()
        _catch_up(runner, until, lambda at: news.put((index, at, None)))
        news.put((index, until, None))
    except Exception as error:  # reported to the parent, which raises
        news.put((index, 0, f"{type(error).__name__}: {error}"))
        raise
    finally:
        database.close()
        waiting_list.close()
