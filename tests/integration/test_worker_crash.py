"""A real worker process killed with SIGKILL mid-batch, restarted: nothing twice, nothing lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from domain.claims import IdentityKey
from projections.database import ViewDatabase
from projections.rebuild import ensure_tracking, rebuild
from projections.runner import TRACKING
from replay.catalog import PROJECTIONS
from tests.conftest import open_waiting_list, walk_demo

ROOT = Path(__file__).resolve().parents[2]


def start_worker(database_url: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), KEZEK_DATABASE_URL=database_url)
    env.pop("KEZEK_IDENTITY_KEY", None)  # a projection worker needs no secret
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "project", "--batch-size", "3"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def positions(database: ViewDatabase) -> dict[str, int]:
    with database.transaction(write=False) as tx:
        return {name: int(p) for name, _, p in tx.fetchall(f"SELECT * FROM {TRACKING}")}


def test_a_worker_killed_mid_batch_resumes_to_views_equal_to_a_clean_rebuild(
    database_url: str, identity_key: IdentityKey
) -> None:
    walk_demo(database_url, identity_key, 160, seed=11)
    waiting_list = open_waiting_list(database_url, identity_key)
    head = waiting_list.recorder.max_notification_id() or 0
    database = ViewDatabase(database_url)
    ensure_tracking(database)
    rng = random.Random(5)
    kills = 0
    try:
        for _ in range(3):
            before = sum(positions(database).values())
            worker = start_worker(database_url)
            deadline = time.monotonic() + 30
            # Kill it at a random moment once it is busy applying batches.
            while sum(positions(database).values()) == before and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 0.3))
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            reached = positions(database)
            assert sum(reached.values()) > before, "the worker made no progress"
            if min(reached.values()) < head:
                kills += 1
        assert kills >= 2, "the worker finished before it could be killed mid-way"
        finisher = start_worker(database_url)
        _, errors = finisher.communicate(timeout=120)
        assert finisher.returncode == 0, errors.decode()
        assert all(p == head for p in positions(database).values())
        for projection in PROJECTIONS:
            report = rebuild(waiting_list, database, projection, switch=False)
            assert report.position == head
    finally:
        database.close()
        waiting_list.close()
