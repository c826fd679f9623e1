"""Witnesses and Kezek services on 127.0.0.1 for the tests: in a thread (uvicorn) or, to be
killed with SIGKILL, in a process of their own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from api.witness_app import create_witness_app
from replay.checkpoints import OperatorKey
from replay.cosignatures import CosignerKey
from replay.witness import Witness

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on 127.0.0.1 in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def witness_key(name: str) -> CosignerKey:
    return CosignerKey(name, name.encode().ljust(32, b"\0")[:32])


@contextmanager
def witness(tmp: Path, name: str, *logs: OperatorKey) -> Iterator[tuple[str, Witness]]:
    from replay.signed_notes import Key

    keys = [Key.parse(log.verifier_key) for log in logs]
    state = Witness(witness_key(name), keys, tmp / f"{name.replace('/', '_')}.db")
    with served(create_witness_app(state)) as url:
        yield url, state


# A witness whose every cosignature waits 60 s after its commit, before the answer: killed there.
SLOW_WITNESS = """
import sys, time, uvicorn
from api.witness_app import create_witness_app
from replay.signed_notes import Key
from replay.witness import Witness
from tests.integration.witnesses import witness_key
state = Witness(witness_key(sys.argv[1]), [Key.parse(sys.argv[2])], sys.argv[3],
                after_commit=lambda: time.sleep(60))
uvicorn.run(create_witness_app(state), host="127.0.0.1", port=int(sys.argv[4]),
            log_level="error")
"""


def start_process(args: list[str], port: int) -> subprocess.Popen[bytes]:
    child = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return child
        except httpx.HTTPError:
            assert child.poll() is None, "the process exited"
            assert time.monotonic() < deadline, "the process did not start"
            time.sleep(0.1)
