"""Contention: registrations into one list from 1, 2 and 4 writer processes, against one.

Every registration saves the list's aggregate, so acts on one list serialise; they wait in
turn on the list's lock (an advisory lock on PostgreSQL, `flock` beside a SQLite file) instead
of conflicting and retrying. The figure is the rate of registrations into one list with k
processes writing at once, as a ratio to one process: near 1.0 means the lock costs nothing
more with more writers (no starvation, no retry storm); every process must finish.
"""

from __future__ import annotations

import multiprocessing
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

from bench.cases.common import Result, dialect, file_and_accept
from bench.keys import IDENTITY_KEY_HEX
from demo.synthetic import checks_for, make_form, officer
from domain import acts
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList

WRITERS = (1, 2, 4)
DAY = datetime(2025, 12, 2, 5, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Almaty


def _ledger(url: str) -> WaitingList:
    return WaitingList(
        clock=ScenarioClock(),
        env={"KEZEK_DATABASE_URL": url},
        identity_key=IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX)),
    )


def _prepare(url: str, count: int, first_serial: int) -> list[UUID]:
    """`count` verified applications on one list, ready to be registered."""
    wl = _ledger(url)
    staff = officer("almaty")
    ids = []
    try:
        for n in range(count):
            form = make_form(first_serial + n)
            at = DAY + timedelta(seconds=n)
            app_id = file_and_accept(wl, form, at)[0].application_id
            wl.perform(
                acts.FIND_COMPLETE,
                app_id,
                actor=staff,
                effective_at=at + timedelta(hours=1, minutes=1),
            )
            checks = checks_for(form, "almaty")
            wl.perform(
                acts.VERIFY,
                app_id,
                actor=staff,
                effective_at=at + timedelta(hours=1, minutes=2),
                checks=checks,
            )
            ids.append(app_id)
    finally:
        wl.close()
    return ids


def _register_all(url: str, ids: list[str], start_at: float) -> int:
    wl = _ledger(url)
    staff = officer("almaty")
    try:
        wl.application(UUID(ids[0]))  # warm the connection pool before the start
        while time.time() < start_at:
            time.sleep(0.001)
        for app_id in ids:
            wl.perform(
                acts.REGISTER, UUID(app_id), actor=staff, effective_at=DAY + timedelta(hours=2)
            )
    finally:
        wl.close()
    return len(ids)


def _rate(url: str, ids: list[UUID], writers: int) -> float:
    shares = [[str(i) for i in ids[k::writers]] for k in range(writers)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(writers) as pool:
        start_at = time.time() + 3.0  # every process imported and connected by then
        pending = [pool.apply_async(_register_all, (url, share, start_at)) for share in shares]
        done = sum(p.get(timeout=600) for p in pending)
        seconds = time.time() - start_at
    assert done == len(ids)
    return done / seconds


def run(url: str, *, registrations: int = 150) -> list[Result]:
    backend = dialect(url)
    batches = {k: _prepare(url, registrations, 70_000_000 + 10_000 * k) for k in WRITERS}
    rates = {k: _rate(url, batches[k], k) for k in WRITERS}
    wl = _ledger(url)
    try:
        queue = wl.queue("almaty", "socially_vulnerable")
        assert queue is not None
        on_list = len(queue)
    finally:
        wl.close()
    assert on_list >= registrations * len(WRITERS)
    return [
        Result(
            case="contend",
            metric=f"registrations/s into one list, {k} writer process{'es' if k > 1 else ''}",
            value=rates[k],
            unit="acts/s",
            baseline="the same, 1 writer process",
            baseline_value=rates[1],
            target=">= 0.8x (waiting in turn, no retry storm)",
            size=registrations,
            backend=backend,
        )
        for k in WRITERS
    ]
