"""The national synthetic data set, loaded in bulk: `python -m bench generate --applications N`.

Every event is what the domain produces: the demo's paths of the procedure (`demo`: every
route, complaints, deregistrations, succession, offers, working days and holidays of the
calendar) are planned for households drawn over all providers of the reference data, with a
skew of their sizes, and recorded through the real `WaitingList` use cases of a `BulkLedger`
(bench.bulk.ledger). Only persistence differs: aggregates live in memory, their events leave
encoded as the library stores them, in batches of whole acts of about `chunk` events, and one
writer puts each batch in the store in one transaction (COPY into the library's table on
PostgreSQL, under the library's table lock; the library's own insert on SQLite).

The country can be cut into `workers` shards by provider (bench.bulk.plan): each walks its
own providers in a process of its own and the writer takes one batch of each in turn, so a seed
and a number of workers always give the same events in the same order. Cases are planned in
windows of `window` applications (per shard: window / workers), each spanning the demo's two
years, so windows after the first are recorded "late" (their acts take effect before acts
recorded earlier; queue numbers stay those of the ledger's order). After each window the
finished applications leave memory; an act on one of them later (an offer) reads it back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.bulk.plan import national_providers, plan_national, shards
from bench.bulk.shards import ThreadOutbox, Walk, walk_in_processes, walk_shard
from bench.bulk.writers import StoreWriter
from bench.keys import IDENTITY_KEY_HEX
from domain.claims import IdentityKey

__all__ = ["GenerateReport", "generate", "national_providers", "plan_national"]

# Measured on 2 cores with PostgreSQL on them too, 45, 000 applications, runs interleaved:
# 2 workers 18,400 and 17,900 events/s, 3 workers 9,500 and 10,500 (the writer takes the
# shards' batches in turn, so a shard left without a core holds up the others). Starting a
# worker costs about 2 s (imports), more than a small data set takes in one process.
DEFAULT_WORKERS = 2
IN_PROCESS_BELOW = 10_000  # applications


@dataclass
class GenerateReport:
    applications: int
    acts: int
    events: int
    transactions: int
    seconds: float
    write_seconds: float  # inside the writer's transactions
    lists: int
    on_lists: int
    workers: int = 1

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def generate(
    database_url: str,
    applications: int,
    *,
    seed: int = 2024,
    chunk: int = 5000,
    window: int = 20_000,
    workers: int | None = None,
    key: IdentityKey | None = None,
    progress: Callable[[str], None] | None = None,
) -> GenerateReport:
    """Load `applications` applications into the store at `database_url`, in bulk, with
    `workers` processes (None: one in this process for a small data set, else
    DEFAULT_WORKERS)."""
    if workers is None:
        workers = 1 if applications < IN_PROCESS_BELOW else DEFAULT_WORKERS
    echo = progress or (lambda _: None)
    env = {"KEZEK_DATABASE_URL": database_url}
    writer = StoreWriter(env)  # creates the tables before any shard starts
    parts = [s for s in shards(applications, workers) if s.count]
    walk = Walk(
        env=env,
        key=key or IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX)),
        seed=seed,
        shards=len(parts),
        window=window,
        chunk=chunk,
        copy=writer.copies,
    )
    started = time.perf_counter()

    def done(count: int) -> None:
        rate = writer.events / (time.perf_counter() - started)
        echo(f"{count:,} applications, {writer.events:,} events written, {rate:,.0f} events/s")

    try:
        if len(parts) == 1:
            outbox = ThreadOutbox(writer, walk.copy)
            try:
                reports = [walk_shard(walk, parts[0], outbox, done)]
            finally:
                outbox.close()
        else:
            reports = walk_in_processes(walk, parts, writer, echo)
        writer.analyze()
        seconds = time.perf_counter() - started
    finally:
        writer.close()
    assert writer.events == sum(r.events for r in reports)
    return GenerateReport(
        applications=applications,
        acts=sum(r.acts for r in reports),
        events=writer.events,
        transactions=writer.transactions,
        seconds=seconds,
        write_seconds=writer.seconds,
        lists=sum(r.lists for r in reports),
        on_lists=sum(r.on_lists for r in reports),
        workers=len(parts),
    )
