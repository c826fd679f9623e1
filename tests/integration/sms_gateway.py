"""A real SMS gateway for the tests: an HTTP server on 127.0.0.1 that honours Idempotency-Key.

It answers 503 to its first `unavailable` requests, then delivers each key once: a request
with a key already delivered is answered 200 again and delivers nothing. `delivered` counts
the deliveries of each key (a gateway that honours the key keeps every count at 1).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Gateway:
    def __init__(self, unavailable: int = 0, delay: float = 0.0, status: int = 200) -> None:
        self.unavailable = unavailable
        self.delay = delay
        self.status = status
        self.requests = 0
        self.delivered: Counter[str] = Counter()  # per key: real deliveries
        self.repeated: Counter[str] = Counter()  # per key: answered again, not delivered
        self.texts: dict[str, tuple[str, str]] = {}
        self.lock = threading.Lock()
        self.url = ""

    def answer(self, body: dict[str, Any], header_key: str | None) -> int:
        time.sleep(self.delay)
        with self.lock:
            self.requests += 1
            if self.requests <= self.unavailable:
                return 503
            key = body["idempotency_key"]
            assert header_key == key, (header_key, key)
            if self.status != 200:
                return self.status
            if key in self.delivered:
                self.repeated[key] += 1
            else:
                self.delivered[key] += 1
                self.texts[key] = (body["to"], body["text"])
            return 200


@contextmanager
def running_gateway(gateway: Gateway) -> Iterator[Gateway]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            status = gateway.answer(body, self.headers.get("Idempotency-Key"))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
