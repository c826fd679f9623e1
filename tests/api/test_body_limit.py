"""A request body over the stated limit (domain.limits.BODY_BYTES) is 413 problem+json, refused
before it is parsed or even read whole, and writes nothing: on a real server on 127.0.0.1 (raw
HTTP/1.1 over a socket) and through the TestClient, on both stores."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services
from config.settings import Settings
from demo.synthetic import make_form
from domain import limits
from domain.clock import ScenarioClock
from tests.api.conftest import Tokens
from tests.integration.test_cli_serve import free_port
from tests.integration.walk import local, submit

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Served:
    port: int
    services: Services

    def written(self) -> int | None:
        return self.services.waiting_list.recorder.max_notification_id()


@pytest.fixture
def served(settings: Settings) -> Iterator[Served]:
    """The service under uvicorn on a free port, with one application already filed."""
    app = create_app(settings, clock=ScenarioClock())
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    services: Services = app.state.services
    submit(services.waiting_list, 1, filed_at=local(2024, 3, 18))
    try:
        yield Served(port, services)
    finally:
        server.should_exit = True
        thread.join(30)


def head(extra: str) -> bytes:
    return (
        "POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    ).encode()


def answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of the one answer on the connection (closed after it)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    header_block, _, body = rest.partition(b"\r\n\r\n")
    headers = {}
    for line in header_block.decode().split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def assert_refused(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 413, body
    assert headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = json.loads(body)
    assert problem["status"] == 413
    assert problem["limit"] == limits.BODY_BYTES
    assert len(body) < 1024


def test_a_body_declared_over_the_limit_is_413_before_a_byte_of_it_is_sent(
    served: Served,
) -> None:
    before = served.written()
    with socket.create_connection(("127.0.0.1", served.port), timeout=20) as sock:
        sock.sendall(head(f"Content-Length: {2 * 1024 * 1024}\r\n"))  # and no body at all
        assert_refused(*answer(sock))
    assert served.written() == before


def test_a_chunked_body_is_413_as_soon_as_it_passes_the_limit_without_its_end(
    served: Served,
) -> None:
    """The body never ends: an answer at all shows it was refused on the count alone."""
    before = served.written()
    with socket.create_connection(("127.0.0.1", served.port), timeout=20) as sock:
        sock.sendall(head("Transfer-Encoding: chunked\r\n"))
        for _ in range(limits.BODY_BYTES // CHUNK):
            sock.sendall(b"%x\r\n%s\r\n" % (CHUNK, b" " * CHUNK))
        sock.sendall(b"1\r\n \r\n")  # one byte over the limit; no last chunk follows
        assert_refused(*answer(sock))
    assert served.written() == before


def test_a_chunked_body_within_the_limit_is_read_and_parsed(served: Served) -> None:
    """Counting does not lose the body: a filing sent in chunks is parsed (here: 422, a
    malformed form), not refused."""
    body = json.dumps({"provider": "almaty", "form": {"applicant_iin": "1"}}).encode()
    with socket.create_connection(("127.0.0.1", served.port), timeout=20) as sock:
        sock.sendall(head("Transfer-Encoding: chunked\r\nConnection: close\r\n"))
        for part in (body[:10], body[10:]):
            sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
        sock.sendall(b"0\r\n\r\n")
        status, _, answered = answer(sock)
    assert status in (401, 422), answered  # no token: the body was still read whole


def padded_filing(size: int) -> dict[str, Any]:
    form = make_form(1).model_dump(mode="json")
    return {"provider": "almaty", "form": form, "padding": " " * size}


def test_a_two_megabyte_body_is_413_and_writes_nothing(client: TestClient, tokens: Tokens) -> None:
    services = tokens.services
    submit(services.waiting_list, 2, filed_at=local(2024, 3, 18))
    before = services.waiting_list.recorder.max_notification_id()
    response = client.post(
        "/v1/applications",
        json=padded_filing(2 * 1024 * 1024),
        headers=tokens.applicant(make_form(1).applicant_iin),
    )
    assert response.headers["content-length"] is not None
    assert_refused(response.status_code, dict(response.headers), response.content)
    assert services.waiting_list.recorder.max_notification_id() == before


def test_a_chunked_body_over_the_limit_is_413_and_writes_nothing(
    client: TestClient, tokens: Tokens
) -> None:
    services = tokens.services
    submit(services.waiting_list, 2, filed_at=local(2024, 3, 18))
    before = services.waiting_list.recorder.max_notification_id()
    encoded = json.dumps(padded_filing(limits.BODY_BYTES)).encode()

    def chunks() -> Iterator[bytes]:  # no length known: httpx sends it chunked
        for start in range(0, len(encoded), CHUNK):
            yield encoded[start : start + CHUNK]

    response = client.post(
        "/v1/applications",
        content=chunks(),
        headers={
            "Content-Type": "application/json",
            **tokens.applicant(make_form(1).applicant_iin),
        },
    )
    assert_refused(response.status_code, dict(response.headers), response.content)
    assert services.waiting_list.recorder.max_notification_id() == before


def test_a_body_just_within_the_limit_is_parsed(client: TestClient, tokens: Tokens) -> None:
    """The limit refuses only what is over it: this filing is parsed (422 for its padding)."""
    body = json.dumps(padded_filing(0)).encode()
    padded = json.dumps(padded_filing(limits.BODY_BYTES - len(body))).encode()
    assert len(padded) == limits.BODY_BYTES
    response = client.post(
        "/v1/applications",
        content=padded,
        headers={
            "Content-Type": "application/json",
            **tokens.applicant(make_form(1).applicant_iin),
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [
        {"field": "body.padding", "message": "Extra inputs are not permitted"}
    ]


def test_every_write_operation_declares_the_413(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    posts = [ops["post"] for ops in document["paths"].values() if "post" in ops]
    assert posts
    for operation in posts:
        assert "413" in operation["responses"], operation["operationId"]
        assert f"{limits.BODY_BYTES:,}" in operation["responses"]["413"]["description"]
