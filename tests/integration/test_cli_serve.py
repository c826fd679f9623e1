"""`kezek serve` as a real process on a free port, tokens from `kezek token`, and the
`kezek serve --demo` start that `make run` uses; each stopped with SIGTERM and shut down cleanly."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

from cli.main import app as cli
from demo.synthetic import make_form
from tests.api.conftest import TOKEN_KEY_HEX
from tests.keys import IDENTITY_KEY_HEX

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return serve_env(tmp_path)


def serve_env(tmp_path: Path) -> dict[str, str]:
    """Keys from the environment, key files and store in a temporary directory."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KEZEK_DATABASE_URL": f"sqlite:///{tmp_path / 'kezek.db'}",
        "KEZEK_IDENTITY_KEY": IDENTITY_KEY_HEX,
        "KEZEK_TOKEN_KEY": TOKEN_KEY_HEX,
        "KEZEK_IDENTITY_KEY_FILE": str(tmp_path / "identity.key"),
        "KEZEK_TOKEN_KEY_FILE": str(tmp_path / "token.key"),
    }


def kezek_token(env: dict[str, str], *args: str) -> Result:
    """`kezek token ARGS`, in this process (a subprocess would only add a second of imports)."""
    return CliRunner().invoke(cli, ["token", *args], env=env)


@contextmanager
def serving(
    env: dict[str, str], cwd: Path, *args: str, ready_in: float = 60
) -> Iterator[tuple[str, Path]]:
    """Start `kezek serve ARGS` on a free port; yield its base URL and output file once
    /health answers; then SIGTERM it and check that it stopped cleanly."""
    port = free_port()
    log = cwd / f"serve-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(port), *args],
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_in
        while True:
            assert process.poll() is None, f"kezek serve exited early:\n{log.read_text()}"
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"no /health in {ready_in} s:\n{log.read_text()}"
            time.sleep(0.1)
        yield base, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0, log.read_text()
    assert "Application shutdown complete" in log.read_text()


def claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=" * 4))
    return decoded


def test_serve_answers_an_authorised_request_with_a_token_from_kezek_token(
    env: dict[str, str], tmp_path: Path
) -> None:
    form = make_form(1)
    issued = kezek_token(env, "--role", "applicant", "--iin", form.applicant_iin)
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip()
    assert form.applicant_iin not in json.dumps(claims(token))
    officer = kezek_token(env, "--role", "officer", "--provider", "almaty")
    assert claims(officer.stdout.strip())["provider"] == "almaty"
    with serving(env, tmp_path) as (base, _):
        filed = httpx.post(
            f"{base}/v1/applications?wait=true",
            json={"provider": "almaty", "form": form.model_dump(mode="json")},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert filed.status_code == 201, filed.text
        app_id = filed.json()["application_id"]
        audit = httpx.get(
            f"{base}/v1/applications/{app_id}/audit",
            headers={"Authorization": f"Bearer {officer.stdout.strip()}"},
        )
        assert audit.status_code == 200, audit.text
        assert [act["event"] for act in audit.json()["acts"]] == ["Applied"]
        assert httpx.get(f"{base}/v1/applications/{app_id}/audit").status_code == 401
    assert not (tmp_path / "token.key").exists()  # the key came from the environment


def test_kezek_token_refuses_what_makes_no_token(env: dict[str, str]) -> None:
    cases = [
        (["--role", "applicant"], "--iin"),
        (["--role", "applicant", "--iin", "123"], "not a valid IIN"),
        (["--role", "officer"], "--provider"),
        (["--role", "officer", "--provider", "nowhere"], "nowhere"),
        (["--role", "court", "--provider", "almaty"], "names no provider"),
    ]
    for args, message in cases:
        result = kezek_token(env, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr


def test_serve_demo_seeds_prints_tokens_and_serves(env: dict[str, str], tmp_path: Path) -> None:
    with serving(env, tmp_path, "--demo", "--applications", "60") as (base, log):
        printed = log.read_text()
        assert f"{base}/docs" in printed
        for role in ("officer", "head", "complaint_body", "court", "auditor"):
            assert f"  {role}" in printed
        found = re.search(r"applicant of application ([0-9a-f-]{36})[^\n]*:\n\s+(\S+)", printed)
        for page in ("/signin", "/me", "/work", "/sign", "/complaints", "/verify"):
            assert f"{base}{page}" in printed  # the pages beside the tokens
        assert found, printed
        app_id, token = found.groups()
        history = httpx.get(
            f"{base}/v1/applications/{app_id}/history",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert history.status_code == 200, history.text
        assert history.json()["changes"]
        health = httpx.get(f"{base}/health").json()
        assert set(health["projection_lag"].values()) == {0}  # caught up before serving
        public = httpx.get(f"{base}/v1/queues/almaty/socially_vulnerable").json()
        assert public["total"] > 0

        def read_as(whom: str, path: str) -> httpx.Response:
            """GET `path` with the token printed for `whom` (a staff line of the welcome)."""
            token = re.search(rf"  {whom} \(.*\):\n\s+(\S+)", printed)
            assert token, printed
            answer = httpx.get(f"{base}{path}", headers={"Authorization": f"Bearer {token[1]}"})
            assert answer.status_code == 200, answer.text
            return answer

        overdue = read_as("officer of almaty", "/v1/providers/almaty/deadlines?overdue=true")
        assert overdue.json()["deadlines"]  # the applications still in consideration
        # The demo's history ran on its own clock: no act of it was recorded apart.
        assert read_as("auditor", "/v1/audit/recorded-apart").json()["acts"] == []
        # A demo witness beside the service cosigns its checkpoints (issue 17).
        assert "A demo witness cosigns each checkpoint" in printed
        deadline = time.monotonic() + 30
        while not httpx.get(f"{base}/v1/transparency/checkpoint").json().get("cosigned_by"):
            assert time.monotonic() < deadline, "no cosigned checkpoint"
            time.sleep(0.3)
        cosigned = httpx.get(f"{base}/v1/transparency/checkpoint").json()["cosigned_by"]
        assert cosigned == ["witness.demo/local"]
