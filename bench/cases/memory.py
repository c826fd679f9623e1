"""Memory: peak RSS of the service process (create_app, lifespan: ledger, views, runner, index
warmed) with N entries in the live queue table, against the same service with an empty one."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from api.synthetic import IDENTITY_KEY_HEX
from bench.cases.common import Result, dialect, fill_entries, raw_connection, synthetic_entries
from domain.waiting_list import WaitingList
from projections.catalog import live_projections
from projections.database import ViewDatabase
from projections.queue import QueueProjection
from projections.runner import CatchUpRunner

PROBE = """
import asyncio, json, resource, sys
from api.app import create_app
from api.settings import Settings
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


def run(url: str, *, entries: int) -> list[Result]:
    """`url` must name an empty, throwaway store: its live queue table is filled here."""
    wl = WaitingList(env={"KEZEK_DATABASE_URL": url})
    database = ViewDatabase(url)
    try:
        runner = CatchUpRunner(wl, live_projections(database), database)
        runner.setup()
        queue = next(p for p in runner.projections if isinstance(p, QueueProjection))
        empty = probe(url)
        with raw_connection(url) as conn:
            conn.execute(f"DELETE FROM {queue.entries}")  # noqa: S608
        fill_entries(url, queue.entries, synthetic_entries(entries))
        full = probe(url)
        with raw_connection(url) as conn:
            conn.execute(f"DELETE FROM {queue.entries}")  # noqa: S608
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
