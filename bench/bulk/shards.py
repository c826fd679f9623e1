"""Walking the shards, and the one writer that takes their batches.

One shard runs in this process, its batches going to a writer thread (psycopg and sqlite3 wait
for the server without holding the GIL). Several shards run in worker processes, each handing
its batches through a bounded queue to the writer in this process, which takes one batch from
each shard in turn: for a seed and a number of shards, the same batches in the same order,
whatever the timing, so the same notification ids.
"""

from __future__ import annotations

import gc
import multiprocessing
import queue
import random
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import StoredEvent

from bench.bulk.ledger import BulkLedger
from bench.bulk.plan import Shard, plan_national
from bench.bulk.rows import Batch, make_batch
from bench.bulk.writers import StoreWriter
from demo.plan import plan_offer_rounds
from demo.result import DemoResult
from demo.scheduler import Scheduler
from demo.script import Setting
from demo.synthetic import IINRegistry
from domain.claims import IdentityKey

IN_FLIGHT = 8  # batches a shard may be ahead of the writer


@dataclass(frozen=True)
class Walk:
    """What every shard of one generation shares."""

    env: Mapping[str, str]
    key: IdentityKey
    seed: int
    shards: int
    window: int
    chunk: int
    copy: bool  # batches carry a COPY payload (PostgreSQL)


@dataclass(frozen=True)
class ShardReport:
    acts: int
    events: int
    lists: int
    on_lists: int


@dataclass(frozen=True)
class ShardFailed:
    shard: int
    error: str


def walk_shard(
    walk: Walk, shard: Shard, outbox: Any, progress: Callable[[int], None]
) -> ShardReport:
    """Plan and record every application of `shard`, window by window."""
    label = f"{walk.seed}:{shard.index}/{walk.shards}"
    # One shard draws exactly as the single process always did for a seed.
    rng = random.Random(walk.seed if walk.shards == 1 else label)  # synthetic data, not secrets
    ids = random.Random("ids:" + label)
    ledger = BulkLedger(walk.env, identity_key=walk.key, outbox=outbox, ids=ids, chunk=walk.chunk)
    # The live aggregates are many long-lived objects with few cycles: the collector's full
    # passes over them cost more than the garbage they find, so it runs once a window.
    collecting = gc.isenabled()
    gc.disable()
    try:
        iins = IINRegistry(rng, shard.iin_serials)
        setting = Setting(ledger, rng, iins, DemoResult(database_url=""))
        window = max(1, walk.window // walk.shards)
        done = 0
        while done < shard.count:
            count = min(window, shard.count - done)
            cases = plan_national(setting, count, shard.first_serial + done, shard.providers)
            scheduler = Scheduler(setting, cases)
            for at, offer in plan_offer_rounds(setting, cases):
                scheduler.push(at, offer)
            scheduler.run()
            ledger.forget_applications()
            gc.collect()
            gc.freeze()  # what survives (the lists) is not scanned again
            done += count
            progress(done)
        ledger.flush()
        lists = ledger.lists()
        return ShardReport(
            setting.result.acts, ledger.events_sent, len(lists), sum(map(len, lists))
        )
    finally:
        ledger.close()
        gc.unfreeze()
        if collecting:
            gc.enable()


# -- one shard, in this process ------------------------------------------------------------


class ThreadOutbox:
    """Batches to a writer thread; `committed` is how far it got."""

    def __init__(self, writer: StoreWriter, copy: bool) -> None:
        self.writer = writer
        self.copy = copy
        self._queue: queue.Queue[Batch | None] = queue.Queue(maxsize=IN_FLIGHT)
        self._committed = 0
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain, so that the walk never blocks on a full queue
            try:
                self.writer.write(batch)
                self._committed = batch.seq
            except BaseException as error:  # re-raised in the walking thread
                self._error = error

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def send(self, seq: int, events: list[StoredEvent]) -> None:
        self._check()
        self._queue.put(make_batch(0, seq, events, copy=self.copy))

    def committed(self) -> int:
        self._check()
        return self._committed

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._check()


# -- several shards, in worker processes ---------------------------------------------------


class ProcessOutbox:
    """A worker's side: batches into its queue; the writer sets `committed`."""

    def __init__(self, shard: int, out: Any, committed: Any, copy: bool) -> None:
        self.shard = shard
        self.out = out
        self._committed = committed
        self.copy = copy

    def send(self, seq: int, events: list[StoredEvent]) -> None:
        self.out.put(make_batch(self.shard, seq, events, copy=self.copy))

    def committed(self) -> int:
        return int(self._committed.value)


def run_worker(walk: Walk, shard: Shard, out: Any, committed: Any) -> None:
    """Entry point of a worker process: walk the shard, then report (or fail) in the queue."""
    try:
        outbox = ProcessOutbox(shard.index, out, committed, walk.copy)
        out.put(walk_shard(walk, shard, outbox, lambda _: None))
    except BaseException:  # handed to the writer, which raises it
        out.put(ShardFailed(shard.index, traceback.format_exc()))


def walk_in_processes(
    walk: Walk, parts: list[Shard], writer: StoreWriter, progress: Callable[[str], None]
) -> list[ShardReport]:
    context = multiprocessing.get_context("spawn")  # no inherited connections or threads
    queues = [context.Queue(maxsize=IN_FLIGHT) for _ in parts]
    committed = [context.Value("q", 0, lock=False) for _ in parts]
    workers = [
        context.Process(target=run_worker, args=(walk, shard, queues[i], committed[i]), daemon=True)
        for i, shard in enumerate(parts)
    ]
    for worker in workers:
        worker.start()
    reports: dict[int, ShardReport] = {}
    try:
        active = list(range(len(parts)))
        while active:
            for i in list(active):
                item = _next_item(queues[i], workers[i])
                if isinstance(item, Batch):
                    writer.write(item)
                    committed[i].value = item.seq
                    if writer.transactions % 20 == 0:
                        progress(f"{writer.events:,} events written")
                elif isinstance(item, ShardReport):
                    reports[i] = item
                    active.remove(i)
                else:
                    assert isinstance(item, ShardFailed)
                    raise RuntimeError(f"shard {item.shard} failed:\n{item.error}")
        for worker in workers:
            worker.join()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
    return [reports[i] for i in range(len(parts))]


def _next_item(source: Any, worker: Any) -> Any:
    while True:
        try:
            return source.get(timeout=5)
        except queue.Empty:
            if not worker.is_alive():
                raise RuntimeError(f"worker {worker.pid} died without a report") from None
