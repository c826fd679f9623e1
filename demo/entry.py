"""`run_demo`, the entry point of `kezek demo`: a fresh store, the walk, and its summary."""

from __future__ import annotations

import random
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from demo.district import PROVIDERS
from demo.plan import plan_cases, plan_offer_rounds
from demo.report import Echo, report
from demo.result import DemoResult, tally
from demo.resumable import ResumableWaitingList
from demo.scheduler import Scheduler
from demo.script import Setting
from demo.synthetic import IINRegistry
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.store_url import sqlite_path
from domain.waiting_list import WaitingList


def run_demo(
    *,
    database_url: str,
    key: IdentityKey,
    applications: int = 1200,
    seed: int = 7,
    fresh: bool = True,
    echo: Echo = print,
    walk_seed: int | None = None,
) -> DemoResult:
    """Walk the synthetic district into the ledger at `database_url` and print the summary."""
    if fresh:
        for path in fresh_start(database_url):
            echo(f"Removed the earlier demo file {path}")
    # A fresh SQLite file has no other writer while the demo walks, so the ledger's cache is
    # always current there; beside other writers (a store kept, --no-fresh) the cache must ask
    # the store for newer events before each act, or it would decide on stale lists forever.
    fast_forward = "n" if fresh and sqlite_path(database_url) else "y"
    env = {"KEZEK_DATABASE_URL": database_url, "AGGREGATE_CACHE_FASTFORWARD": fast_forward}
    probe = WaitingList(clock=ScenarioClock(), env=env, identity_key=key)
    try:
        before = probe.recorder.max_notification_id() or 0
    finally:
        probe.close()
    # Another run into the same store draws other citizens (the same ones would already hold
    # a place on the list); `walk_seed` resumes an interrupted walk instead.
    walk_seed = seed * 1_000_003 + before if walk_seed is None else walk_seed
    waiting_list = ResumableWaitingList(env, identity_key=key, walk_seed=walk_seed)
    try:
        if before:
            echo(f"The store already holds {before:,} events; the demo adds to them.")
        echo(
            f"Kezek demo: {applications:,} synthetic applications to {len(PROVIDERS)} providers "
            f"(seed {seed}, walk seed {walk_seed}: `--walk-seed {walk_seed}` resumes it), "
            f"store {redacted(database_url)}"
        )
        result = walk(waiting_list, applications, walk_seed)
        result.database_url = redacted(database_url)
        result.store_events = waiting_list.recorder.max_notification_id() or 0
        report(waiting_list, result, echo)
    finally:
        waiting_list.close()
    return result


def walk(waiting_list: WaitingList, applications: int, seed: int) -> DemoResult:
    """Plan the district, then record all its acts in the order of their moments."""
    started = time.perf_counter()
    # Synthetic data, not secrets: a seeded generator makes the district repeatable.
    rng = random.Random(seed)
    setting = Setting(waiting_list, rng, IINRegistry(rng), DemoResult(database_url=""))
    cases = plan_cases(setting, applications)
    rounds = plan_offer_rounds(setting, cases)
    scheduler = Scheduler(setting, cases)
    for at, offer in rounds:
        scheduler.push(at, offer)
    scheduler.run()
    result = setting.result
    result.seconds = time.perf_counter() - started
    result.iins = set(setting.iins.issued)
    tally(result, waiting_list, cases)
    return result


def fresh_start(database_url: str) -> list[Path]:
    """Delete the SQLite file of an earlier demo (and its WAL files). Never touches
    PostgreSQL: there the demo needs an empty database or schema to be repeatable."""
    name = sqlite_path(database_url)
    if name is None or name == ":memory:" or name.startswith("file:"):
        return []
    removed: list[Path] = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(name + suffix)
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
