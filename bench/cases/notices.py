"""Notices: what the outbox costs an act, how fast notices are written and SMS delivered.

- one-act appends (file, accept, find complete, verify, register: three notices, one SMS) with
  the outbox against the same acts without it (`writes_notices` off), alternating blocks on one
  store; the outbox may cost at most 15%;
- notices/s written through the acts' transactions against raw INSERTs of the same rows into
  a copy of the outbox table, one transaction per act;
- SMS/s delivered by the worker (outbox, texts, gateway, result events) against a gateway on
  127.0.0.1 that answers 200 at once, and against bare POSTs of the same messages.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from api.notice_delivery import Backoff, Deliverer
from api.notice_texts import sms_text
from api.sms_gateway import HttpGateway
from bench.cases.common import (
    Result,
    dialect,
    file_and_accept,
    insert_each,
    ph,
    raw_connection,
    timed,
)
from bench.keys import IDENTITY_KEY_HEX
from demo.synthetic import checks_for, make_form, officer
from domain import acts
from domain.calendar import is_working_day
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList
from store import outbox

RAW = "bench_raw_outbox"
ROUNDS = 4


def _walk(wl: WaitingList, serials: range, at: datetime, timed_: list[float]) -> None:
    """File, accept, find complete, verify and register each, with the outbox and without it
    in turn (with, without, without, with: so that drift, noise and whatever the one before
    leaves warm fall on both alike), each one's time appended to `timed_` (the day's first,
    a warm-up, is not timed)."""
    staff = officer("almaty")
    for n, serial in enumerate(serials):
        wl.writes_notices = n % 4 in (1, 0)  # ABBA: each way first as often
        form = make_form(serial)
        checks = checks_for(form, "almaty")
        moment = at + timedelta(minutes=2 * n)
        started = time.perf_counter()
        filed, _ = file_and_accept(wl, form, moment)
        app = filed.application_id
        wl.perform(acts.FIND_COMPLETE, app, actor=staff, effective_at=moment + timedelta(hours=2))
        wl.perform(acts.VERIFY, app, actor=staff, effective_at=moment + timedelta(hours=3),
                   checks=checks)  # fmt: skip
        wl.perform(acts.REGISTER, app, actor=staff, effective_at=moment + timedelta(hours=4))
        if n:  # the day's first is the warm-up (its calendar, the list's new day)
            timed_.append(time.perf_counter() - started)
    wl.writes_notices = True


class _Ok(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_: Any) -> None:
        """Quiet."""


@contextmanager
def _gateway() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    finally:
        server.shutdown()
        server.server_close()


def _raw_rows(url: str, groups: list[list[tuple[object, ...]]]) -> float:
    table = RAW
    with raw_connection(url) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in outbox.create_statements(table, postgres=dialect(url) == "postgres"):
            conn.execute(statement)
        marks = ", ".join(["?"] * len(outbox.FIELDS))
        insert = ph(url, f"INSERT INTO {table} ({outbox.COLUMNS}) VALUES ({marks})")  # noqa: S608

        seconds, _ = timed(lambda: insert_each(conn, url, insert, groups))
        conn.execute(f"DROP TABLE {table}")
    return seconds


def run(url: str, *, count: int) -> list[Result]:
    backend = dialect(url)
    key = IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url}, identity_key=key)
    store: Any = wl.recorder.outbox  # type: ignore[attr-defined]
    try:
        first = (wl.recorder.max_notification_id() or 0) + 1
        base = 70_000_000 + first % 19_000_000
        per = max(5, count // (5 * ROUNDS))  # applications a day, half of them each way
        at = datetime(2025, 12, 1, 4, 0, tzinfo=UTC)
        quads: list[list[float]] = []
        before = {r["seq"] for r in store.every()}
        for n in range(ROUNDS):
            day: list[float] = []
            _walk(wl, range(base + n * per, base + (n + 1) * per), at, day)
            quads += [day[i : i + 4] for i in range(0, len(day) - 3, 4)]  # with, 2x without, with
            at += timedelta(days=1)
            while not is_working_day(at.date()):
                at += timedelta(days=1)
        # The fifth of the quads a burst of the machine's load slowed most are left out.
        kept = sorted(quads, key=sum)[: max(1, len(quads) - len(quads) // 5)]
        spent = {True: sum(q[0] + q[3] for q in kept), False: sum(q[1] + q[2] for q in kept)}
        done = {True: 10 * len(kept), False: 10 * len(kept)}
        written = [r for r in store.every() if r["seq"] not in before]
        groups = [[tuple(r[f] for f in outbox.FIELDS)] for r in written]  # one per act
        raw_seconds = _raw_rows(url, groups)
        pending = store.due(datetime(2100, 1, 1, tzinfo=UTC), 1_000_000)
        with _gateway() as gateway_url:
            bodies = [(r["phone"], sms_text(r), f"bench-{r['seq']}") for r in pending]
            with httpx.Client() as client:

                def bare() -> None:
                    for to, text, k in bodies:
                        client.post(gateway_url, json={"to": to, "text": text,
                                                       "idempotency_key": k},
                                    headers={"Idempotency-Key": k})  # fmt: skip

                bare_seconds, _ = timed(bare)
            gateway = HttpGateway(gateway_url)
            worker = Deliverer(wl, gateway, Backoff(max_attempts=1))
            deliver_seconds, tally = timed(lambda: worker.run_once(limit=len(pending) + 1))
            gateway.close()
    finally:
        wl.close()
    with_rate = done[True] / spent[True]
    without_rate = done[False] / spent[False]
    return [
        Result(
            "notices", "one-act appends/s with the outbox", with_rate, "acts/s",
            "the same acts without the outbox", without_rate,
            target=">= 0.85x (at most 15% slower)", goal=0.85,
            size=done[True], backend=backend,
            notes=f"{len(kept)} of {len(quads)} runs of 4 applications x 5 acts (with, without x2,"
            " with) on one store; the slowest fifth left out",
        ),
        Result(
            "notices", "notices/s written in the acts' transactions", len(written) / spent[True],
            "notices/s", "raw INSERT of the same outbox rows, one transaction per act",
            len(written) / raw_seconds, size=len(written), backend=backend,
            notes="3 notices (one with an SMS) per application; the acts' own work included",
        ),
        Result(
            "notices", "SMS/s delivered through the worker", tally.delivered / deliver_seconds,
            "SMS/s", "bare POSTs of the same messages to the same gateway",
            len(bodies) / bare_seconds, size=tally.delivered, backend=backend,
            notes="gateway on 127.0.0.1 answering 200; each delivery: texts, 3 transactions",
        ),
    ]  # fmt: skip
