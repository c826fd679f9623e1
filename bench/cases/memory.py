"""Memory: peak RSS of the service process (create_app, lifespan: ledger, views, runner, index
warmed) with N entries in the live queue table, against the same service with an empty one.

Each synthetic entry has a holder (an applicant reference) in the holders table, as every entry
made by the runner has: the index keeps it per entry, and it is part of what is measured.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

from bench.cases.common import (
    Result,
    dialect,
    fill_entries,
    load_rows,
    raw_connection,
    synthetic_entries,
)
from bench.keys import IDENTITY_KEY_HEX
from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.queue import QueueProjection
from projections.runner import CatchUpRunner
from replay.catalog import live_projections

PROBE = """
import asyncio, json, resource, sys
from api.app import create_app
from config.settings import Settings
app = create_app(Settings(database_url=sys.argv[1]), follow=False)
async def main():
    async with app.router.lifespan_context(app):
        q = [p for p in app.state.services.runner.projections if p.name == 'queue'][0]
        return len(q.index)
n = asyncio.run(main())
# VmHWM: the peak RSS of this process's own memory. ru_maxrss would not do: Linux carries it
# over fork and exec, so it reports the (larger) benchmark process that started this one.
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")]
kb = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"entries": n, "maxrss_kb": kb}))
"""


def probe(url: str) -> dict[str, int]:
    env = {
        **os.environ,
        "KEZEK_IDENTITY_KEY": IDENTITY_KEY_HEX,
        "KEZEK_TOKEN_KEY": IDENTITY_KEY_HEX,
    }
    env["PYTHONPATH"] = os.getcwd()
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE, url], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, int] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def fill_holders(url: str, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """A holder for each synthetic entry (COPY on PostgreSQL), into the queue view's table."""
    rng = random.Random(2)
    holders = [(row[0], f"app-{rng.getrandbits(128):032x}") for row in rows]
    with raw_connection(url) as conn:
        load_rows(conn, url, table, holders, "application_id, applicant_ref")
        if dialect(url) == "postgres":
            conn.execute(f"ANALYZE {table}")


def run(url: str, *, entries: int) -> list[Result]:
    """`url` must name an empty, throwaway store: its live queue table is filled here."""
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url})
    database = ViewDatabase(url)
    try:
        runner = CatchUpRunner(wl, live_projections(database), database)
        runner.setup()
        queue = next(p for p in runner.projections if isinstance(p, QueueProjection))
        empty = probe(url)
        with raw_connection(url) as conn:
            for table in (queue.entries, queue.holders):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608
        rows = synthetic_entries(entries)
        fill_entries(url, queue.entries, rows)
        fill_holders(url, queue.holders, rows)
        del rows  # hundreds of MB at 1M entries, not needed while the probe runs
        full = probe(url)
        with raw_connection(url) as conn:
            for table in (queue.entries, queue.holders):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608
    finally:
        database.close()
        wl.close()
    mb = full["maxrss_kb"] / 1024
    return [
        Result(
            "memory",
            "service peak RSS, MB",
            mb,
            "MB",
            "same service, empty index (MB)",
            empty["maxrss_kb"] / 1024,
            target="< 500 MB at 1M entries",
            size=full["entries"],
            backend=dialect(url),
            notes=f"{(full['maxrss_kb'] - empty['maxrss_kb']) * 1024 / max(1, entries):.0f} "
            "bytes per entry above the empty service",
        )
    ]
