"""How long as-of answers take on a list the size of Almaty's (45,000 entries).

    PYTHONPATH=. python bench/asof_large_list.py [DATABASE_URL] [--entries 45000]

Drives the QueueList aggregate directly (no applications: the list's answers need only its own
events) and saves its events in bulk: 45,000 joins, then leaves and moved priorities, with a
tenth of the acts recorded late and taking effect days before acts recorded earlier. Then times
the whole order by business time, bitemporally and by recording time, at a middle and at the
last moment, and one position. Defaults to a fresh SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from uuid import UUID

from domain.clock import ScenarioClock
from domain.priority import priority_key
from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from replay.asof import AsOf, list_as_of, state_as_of

T = TypeVar("T")
START = datetime(2015, 1, 5, 4, 0, tzinfo=UTC)
PROVIDER, LIST_CODE = "almaty", "socially_vulnerable"


def build(wl: WaitingList, entries: int, rng: random.Random) -> tuple[datetime, datetime]:
    """Record the list; returns (a recording moment halfway, the business moment halfway)."""
    queue = QueueList.open(PROVIDER, LIST_CODE)
    keys: list[str] = []
    halfway_recorded = START
    for n in range(entries):
        on_time = START + timedelta(minutes=10 * n)
        effective_at = on_time
        if rng.random() < 0.1:  # recorded late: took effect up to 3 days before
            effective_at -= timedelta(minutes=rng.randint(1, 3 * 24 * 60))
        moment = effective_at - timedelta(days=rng.randint(0, 60))
        key = priority_key(moment, UUID(int=rng.getrandbits(128)), rng.random() < 0.7)
        queue.join(key, application_version=6, cause="Registered", effective_at=effective_at)
        keys.append(key)
        # Those who leave or move joined over 3 days before (keys are in order of joining).
        settled = len(keys) - 500
        effective_at = on_time
        if n % 9 == 0 and settled > 0:  # someone leaves
            gone = keys.pop(rng.randrange(settled))
            queue.leave(gone, application_version=9, cause="Withdrawn", effective_at=effective_at)
        if n % 97 == 0 and settled > 0:  # a priority corrected by a complaint decision
            index = rng.randrange(settled)
            old = keys[index]
            new = priority_key(moment - timedelta(days=400), UUID(hex=old.split("|")[1]), True)
            keys[index] = new
            queue.move(
                old,
                new,
                application_version=11,
                cause="ComplaintDecided:correct_priority",
                effective_at=effective_at,
            )
        if len(queue.pending_events) >= 2000:
            wl.save(queue)
        if n == entries // 2:
            wl.save(queue)
            halfway_recorded = datetime.now(UTC)
    wl.save(queue)
    return halfway_recorded, START + timedelta(minutes=5 * entries)


def timed(label: str, run: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = run()
    print(f"{label:<52} {time.perf_counter() - started:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url", nargs="?")
    parser.add_argument("--entries", type=int, default=45_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url})
        started = time.perf_counter()
        halfway_recorded, halfway_effective = build(wl, args.entries, random.Random(45))
        queue = wl.queue(PROVIDER, LIST_CODE)
        assert queue is not None
        print(f"recorded {queue.version:,} list events in {time.perf_counter() - started:.1f} s")
        wl.close()
        wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url})  # nothing cached
        now = datetime.now(UTC)
        final = timed("whole list, business time, now", lambda: list_as_of(wl, *LIST, AsOf(now)))
        timed(
            "whole list, business time, halfway",
            lambda: list_as_of(wl, *LIST, AsOf(halfway_effective)),
        )
        timed(
            "whole list, business time halfway, known halfway",
            lambda: list_as_of(wl, *LIST, AsOf(halfway_effective, known_at=halfway_recorded)),
        )
        recorded = timed(
            "whole list, recording time, now",
            lambda: list_as_of(wl, *LIST, AsOf(now, "recorded")),
        )
        timed(
            "whole list, recording time, halfway",
            lambda: list_as_of(wl, *LIST, AsOf(halfway_recorded, "recorded")),
        )
        last = final[-1].application_id
        state = timed(
            "position of the last entry, business time",
            lambda: state_as_of(wl, *LIST, AsOf(now)).entry_of(last),
        )
        assert state is not None
        assert state.position == len(final) == len(recorded)
        assert [e.priority_key for e in final] == [e.priority_key for e in recorded]
        print(f"{len(final):,} entries on the list now")
        wl.close()


LIST = (PROVIDER, LIST_CODE)

if __name__ == "__main__":
    main()
