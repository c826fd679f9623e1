"""`run_demo`, the entry point of `kezek demo`: a fresh store, the walk, and its summary."""

from __future__ import annotations

import random
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from api.demo.district import PROVIDERS
from api.demo.plan import plan_cases, plan_offer_rounds
from api.demo.report import Echo, report
from api.demo.result import DemoResult, tally
from api.demo.scheduler import Scheduler
from api.demo.script import Setting
from api.synthetic import IINRegistry
from domain.claims import IdentityKey
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
) -> DemoResult:
    """Walk the synthetic district into the ledger at `database_url` and print the summary."""
    if fresh:
        for path in fresh_start(database_url):
            echo(f"Removed the earlier demo file {path}")
    # The demo is the only writer of its store while it walks (a fresh file, or a database of
    # its own), so the ledger's cache is always current: asking the store for newer events
    # before every act, as the service must beside other writers, costs a query per act.
    env = {"KEZEK_DATABASE_URL": database_url, "AGGREGATE_CACHE_FASTFORWARD": "n"}
    waiting_list = WaitingList(env=env, identity_key=key)
    try:
        before = waiting_list.recorder.max_notification_id() or 0
        if before:
            echo(f"The store already holds {before:,} events; the demo adds to them.")
        echo(
            f"Kezek demo: {applications:,} synthetic applications to {len(PROVIDERS)} providers "
            f"(seed {seed}), store {redacted(database_url)}"
        )
        # Another run into the same store draws other citizens (the same ones would already
        # hold a place on the list).
        result = walk(waiting_list, applications, seed * 1_000_003 + before)
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
    rng = random.Random(seed)  # noqa: S311
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
