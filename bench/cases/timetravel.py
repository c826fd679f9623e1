"""Time travel: the whole order of the largest list as of a moment half way through its history
(by business time and by recording time), and positions of single applications as of a moment,
against loading the same aggregates' current state (the same events folded without a cut);
then the court export of one case with a long history and its offline verification
(bench.cases.exports)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from bench.cases import exports
from bench.cases.common import Result, dialect, timed
from bench.keys import IDENTITY_KEY_HEX
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.position_history import PositionHistory
from projections.rebuild import live
from projections.runner import CatchUpRunner
from replay.asof import AsOf, list_as_of, position_as_of, recorded_at
from replay.asof_place import place_as_of
from replay.catalog import LedgerViews


def _largest_list(wl: WaitingList) -> tuple[str, str, int]:
    best: tuple[str, str, int] = ("", "", -1)
    with_lists = wl.recorder.select_notifications(start=1, limit=10**9, topics=[
        "domain.queue_list:QueueList.Opened"])  # fmt: skip
    for n in with_lists:
        queue: object = wl.repository.get(UUID(str(n.originator_id)))
        assert isinstance(queue, QueueList)
        if len(queue) > best[2]:
            best = (queue.provider, queue.list_code, len(queue))
    return best


FOLDS = 3  # positions also answered by folding the log, for comparison (seconds each at 1M)


@contextmanager
def _history_views(url: str, ledger: WaitingList) -> Iterator[LedgerViews]:
    """The position-history view at its live generation, caught up (not timed)."""
    database = ViewDatabase(url)
    try:
        runner = CatchUpRunner(ledger, [live(PositionHistory, database)], database)
        runner.setup()
        runner.catch_up()
        yield LedgerViews(ledger, database, runner)
    finally:
        database.close()


def run(
    url: str, *, positions: int = 20, history: int = exports.HISTORY, repeats: int = exports.REPEATS
) -> list[Result]:
    wl = WaitingList(
        clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url, "AGGREGATE_CACHE_MAXSIZE": "0"}
    )
    try:
        provider, list_code, length = _largest_list(wl)
        queue_id = QueueList.id_for(provider, list_code)
        events = list(wl.repository.event_store.get(queue_id))
        middle = events[len(events) // 2]
        effective = getattr(middle, "effective_at", None) or datetime.now(UTC)
        fresh = WaitingList(
            clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url, "AGGREGATE_CACHE_MAXSIZE": "0"}
        )
        try:
            now_seconds, _ = timed(lambda: fresh.repository.get(queue_id))
            by_effect, by_record = AsOf(effective), AsOf(recorded_at(middle), "recorded")
            asof_seconds, entries = timed(lambda: list_as_of(fresh, provider, list_code, by_effect))
            rec_seconds, _ = timed(lambda: list_as_of(fresh, provider, list_code, by_record))
            ids = [UUID(e.priority_key.split("|")[1]) for e in entries]
            picks = random.Random(9).sample(ids, min(positions, len(ids)))
            folded = picks[:FOLDS]
            fold_seconds, _ = timed(lambda: [position_as_of(fresh, i, by_effect) for i in folded])
            with _history_views(url, fresh) as views:
                # A process's first question about a list also brings the list's changes
                # into memory (projections.change_blocks); a service then answers the rest.
                first_seconds, _ = timed(lambda: place_as_of(views, picks[0], by_effect))
                pos_seconds, places = timed(
                    lambda: [place_as_of(views, i, by_effect) for i in picks]
                )
            assert all(p is not None and p.source == "view" for p in places)
            load_seconds, _ = timed(lambda: [fresh.application(i) for i in picks])
        finally:
            fresh.close()
    finally:
        wl.close()
    common: dict[str, Any] = dict(size=len(events), backend=dialect(url))
    # Last: lengthening a case appends to the log, which the as-of figures must not see.
    acting = WaitingList(
        clock=ScenarioClock(),
        env={"KEZEK_DATABASE_URL": url},
        identity_key=IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX)),
    )
    try:
        exported = exports.run(url, acting, history=history, repeats=repeats)
    finally:
        acting.close()
    return [
        Result(
            "asof", "list as of half way (business time), lists/s", 1 / asof_seconds, "lists/s",
            "load the list's current state", 1 / now_seconds,
            notes=f"{provider}/{list_code}: {length} on it now, {len(entries)} half way, "
            f"{len(events)} list events; by recording time {rec_seconds:.2f} s", **common,
        ),
        Result(
            "asof", "position as of a moment, lookups/s", len(picks) / pos_seconds, "lookups/s",
            "load the application's current state", len(picks) / load_seconds, goal=0.2,
            notes="counted in the position-history view (replay.asof_place), the list's "
            f"changes held in memory (the process's first question, which brings them: "
            f"{first_seconds:.2f} s); folding the list's events instead: "
            f"{len(folded) / fold_seconds:.2f}/s", **common,
        ),
        *exported,
    ]  # fmt: skip
