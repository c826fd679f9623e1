"""HTTP: req/s and p99 of GET /v1/applications/{id}/position against a trivial endpoint of the
same server (uvicorn in a subprocess, loopback), under the same threaded load generator.

The trivial endpoint exists only in the benchmark's app (`bench_app`): create_app's service
plus one route returning a constant. The load generator runs in a process of its own (not in
this one, whose heap after generating the data set makes its threads pause for the collector),
and measures the two endpoints in alternating rounds, so that a change in the machine's load
falls on both alike.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from fastapi import FastAPI

from api.app import create_app
from api.auth import Principal
from api.services import token_issuer
from bench.cases.common import Result, dialect, percentile, timed
from bench.keys import IDENTITY_KEY_HEX
from config.settings import Settings
from domain.clock import ScenarioClock
from domain.values import Role
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.queue import QueueProjection
from projections.rebuild import live
from projections.runner import CatchUpRunner


def bench_app() -> FastAPI:
    """uvicorn --factory bench.cases.http:bench_app (settings from KEZEK_* variables)."""
    app = create_app(Settings(), follow=False)

    # `async`: a plain `def` endpoint would add a thread pool hand-over to the baseline.
    @app.get("/bench/trivial")
    async def trivial() -> dict[str, bool]:
        return {"ok": True}

    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _load(port: int, paths: list[str], token: str, clients: int, seconds: float) -> list[float]:
    """`clients` threads, each on one keep-alive connection, for `seconds`: latencies."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        headers = {"Authorization": f"Bearer {token}"}
        while time.perf_counter() < stop:
            s = time.perf_counter()
            conn.request("GET", rng.choice(paths), headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
            mine.append(time.perf_counter() - s)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def _measure(
    port: int, token: str, paths: list[str], clients: int, seconds: float, rounds: int
) -> tuple[list[float], list[float]]:
    """(trivial, position) latencies: `rounds` alternating rounds of `seconds` / `rounds` each."""
    _load(port, paths[:50], token, 1, 0.5)
    _load(port, ["/bench/trivial"], token, 1, 0.3)
    trivial: list[float] = []
    position: list[float] = []
    for _ in range(rounds):
        trivial += _load(port, ["/bench/trivial"], token, clients, seconds / rounds)
        position += _load(port, paths, token, clients, seconds / rounds)
    return trivial, position


def run(url: str, *, clients: int = 4, seconds: float = 5.0, rounds: int = 5) -> list[Result]:
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url})
    database = ViewDatabase(url)
    try:
        # The queue view alone: the position route reads nothing else, and the other views
        # would take most of the catching up (the server does not follow the log).
        queue = QueueProjection(generation=live(QueueProjection, database).generation)
        runner = CatchUpRunner(wl, [queue], database, batch_size=2000)
        runner.setup()
        catch_seconds, _ = timed(runner.catch_up)
        with database.transaction(write=False) as tx:
            ids = [r[0] for r in tx.fetchall(f"SELECT application_id FROM {queue.entries}")]  # noqa: S608
    finally:
        database.close()
        wl.close()
    if not ids:
        raise RuntimeError("no application on a list: generate more applications")
    sample = random.Random(3).sample(ids, min(len(ids), 2000))
    env = {
        **os.environ,
        "KEZEK_DATABASE_URL": url,
        "KEZEK_IDENTITY_KEY": IDENTITY_KEY_HEX,
        "KEZEK_TOKEN_KEY": IDENTITY_KEY_HEX,
        "PYTHONPATH": os.getcwd(),
    }
    token = token_issuer(Settings(token_key=IDENTITY_KEY_HEX)).issue(
        Principal(subject="auditor-bench", role=Role.AUDITOR)
    )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "uvicorn", "--factory", "bench.cases.http:bench_app",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=env,
    )  # fmt: skip
    try:
        _wait_up(port, server)
        paths = [f"/v1/applications/{i}/position" for i in sample]
        with multiprocessing.get_context("spawn").Pool(1) as generator:
            trivial, position = generator.apply(
                _measure, (port, token, paths, clients, seconds, rounds)
            )
    finally:
        server.terminate()
        server.wait(10)
    common: dict[str, Any] = dict(size=len(ids), backend=dialect(url))
    p99, tp99 = percentile(position, 0.99) * 1e3, percentile(trivial, 0.99) * 1e3
    note = (
        f"{clients} clients, {seconds:.0f} s each in {rounds} rounds; p99 position "
        f"{p99:.1f} ms, trivial {tp99:.1f} ms; p50 {percentile(position, 0.5) * 1e3:.1f} / "
        f"{percentile(trivial, 0.5) * 1e3:.1f} ms; queue view caught up in {catch_seconds:.1f} s"
    )
    return [
        Result(
            "http", "GET .../position req/s", len(position) / seconds, "req/s",
            "trivial endpoint, same server and load", len(trivial) / seconds,
            target=">= 80% of trivial", goal=0.8, notes=note,
            extra={"p99_ms": p99, "trivial_p99_ms": tp99}, **common,
        ),
        Result(
            "http", "GET .../position p99 (ms)", p99, "ms", "trivial endpoint p99 (ms)", tp99,
            **common,
        ),
    ]  # fmt: skip


def _wait_up(port: int, server: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the benchmark server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the benchmark server did not start")
