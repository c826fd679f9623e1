"""Several real Kezek processes on one store: `kezek serve` on free ports and `kezek project
--follow` workers, started, killed with SIGKILL and restarted; clients that act over HTTP
through any of them, retrying with their Idempotency-Key when a process dies under them."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.auth import Principal, TokenIssuer
from demo.synthetic import checks_for, make_form
from domain.claims import IdentityKey
from domain.values import Role
from tests.api.conftest import TOKEN_KEY_HEX
from tests.integration.test_cli_serve import free_port
from tests.keys import IDENTITY_KEY_HEX

ROOT = Path(__file__).resolve().parents[2]
ISSUER = TokenIssuer(bytes.fromhex(TOKEN_KEY_HEX))
IDENTITY = IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
OFFICER = {
    "Authorization": "Bearer "
    + ISSUER.issue(Principal(subject="officer-1", role=Role.OFFICER, provider="almaty"))
}


def environment(database_url: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KEZEK_DATABASE_URL": database_url,
        "KEZEK_IDENTITY_KEY": IDENTITY_KEY_HEX,
        "KEZEK_TOKEN_KEY": TOKEN_KEY_HEX,
        "KEZEK_IDENTITY_KEY_FILE": str(folder / "identity.key"),
        "KEZEK_TOKEN_KEY_FILE": str(folder / "token.key"),
    }


@dataclass
class Member:
    """One process of the cluster: a server (with its URL) or a projection worker."""

    kind: str
    env: dict[str, str]
    folder: Path
    process: subprocess.Popen[bytes] | None = None
    port: int = 0
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.starts += 1
        log = (self.folder / f"{self.kind}-{id(self)}-{self.starts}.log").open("wb")
        if self.kind == "serve":
            self.port = free_port()
            args = ["serve", "--port", str(self.port)]
        else:
            args = ["project", "--follow"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", *args],
            env=self.env,
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if self.kind == "serve":
            self.wait_ready()

    def wait_ready(self, within: float = 60) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self.process is not None
            assert self.process.poll() is None, "exited early"
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.kind} not ready in {within} s")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Cluster:
    env: dict[str, str]
    folder: Path
    members: list[Member] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str) -> Member:
        member = Member(kind, self.env, self.folder)
        member.start()
        with self.lock:
            self.members.append(member)
        return member

    def servers(self) -> list[Member]:
        with self.lock:
            return [m for m in self.members if m.kind == "serve" and m.port]

    def restart(self, member: Member) -> None:
        with self.lock:
            port, member.port = member.port, 0  # clients keep off it while it is down
        member.kill()
        del port
        member.start()

    def stop(self) -> None:
        for member in self.members:
            member.stop()


class Client:
    """Files applications and takes each to registration, each act under its own key, through
    a server chosen at random; a request a dying server does not answer is sent again, with
    the same key and body, to another one."""

    def __init__(self, cluster: Cluster, first_serial: int, seed: int) -> None:
        self.cluster = cluster
        self.serial = first_serial
        self.rng = random.Random(seed)
        self.registered: dict[str, int] = {}  # application id -> queue number answered
        self.answers: dict[str, dict[str, Any]] = {}  # key -> the answer got for it
        self.retries = 0

    def send(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        key = str(uuid.uuid4())
        for _ in range(200):
            servers = self.cluster.servers()
            if not servers:
                time.sleep(0.1)
                continue
            server = self.rng.choice(servers)
            try:
                response = httpx.post(
                    f"{server.url}{path}",
                    json=body,
                    headers={**headers, "Idempotency-Key": key},
                    timeout=30,
                )
            except httpx.TransportError:
                self.retries += 1
                time.sleep(0.05)
                continue
            if response.status_code == 503:
                time.sleep(0.1)
                continue
            assert response.status_code in (200, 201), (path, response.text)
            answer: dict[str, Any] = response.json()
            self.answers[key] = answer
            return answer
        raise AssertionError(f"no server answered {path}")

    def walk_one(self) -> None:
        self.serial += 1
        form = make_form(self.serial)
        ref = IDENTITY.applicant_ref(form.applicant_iin)
        applicant = {
            "Authorization": "Bearer " + ISSUER.issue(Principal(subject=ref, role=Role.APPLICANT))
        }
        filed = self.send(
            "/v1/applications",
            {
                "provider": "almaty",
                "form": form.model_dump(mode="json"),
            },
            applicant,
        )
        app_id = filed["application_id"]
        path = f"/v1/applications/{app_id}"
        self.send(f"{path}/accept", {}, OFFICER)
        self.send(f"{path}/find-complete", {}, OFFICER)
        checks = [c.model_dump(mode="json") for c in checks_for(form, "almaty")]
        self.send(
            f"{path}/verify",
            {"checks": checks},
            OFFICER,
        )
        registered = self.send(f"{path}/register", {}, OFFICER)
        self.registered[app_id] = registered["queue_number"]

    def run_until(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.walk_one()


def caught_up(members: list[Member], within: float = 60) -> int:
    """Wait until every server's index and every view stand at the head; the head."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        bodies = [httpx.get(f"{m.url}/health", timeout=5).json() for m in members]
        heads = {b["head"] for b in bodies}
        if (
            len(heads) == 1
            and all(b["index_lag"] == 0 for b in bodies)
            and all(set(b["projection_lag"].values()) == {0} for b in bodies)
            and sum(b["writer"] for b in bodies) <= 1
        ):
            return heads.pop()
        time.sleep(0.2)
    raise AssertionError(f"not caught up in {within} s: {bodies}")


def served_list(member: Member, list_code: str = "socially_vulnerable") -> list[tuple[int, str]]:
    """(position, application id) of every line of a list, as one server publishes it."""
    lines: list[tuple[int, str]] = []
    page = 1
    while True:
        response = httpx.get(
            f"{member.url}/v1/queues/almaty/{list_code}?page={page}&size=500", timeout=10
        )
        assert response.status_code == 200, response.text
        body = response.json()
        lines += [(line["position"], line["application_id"]) for line in body["lines"]]
        if page >= body["pages"]:
            return lines
        page += 1
