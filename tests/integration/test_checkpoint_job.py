"""`kezek serve` asks its witnesses on its own (issue 17): with KEZEK_WITNESSES set, the process
that writes the views signs the grown log every KEZEK_CHECKPOINT_SECONDS and publishes the
cosigned checkpoint; a witness that refuses is named by /health, loudly, until it cosigns."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from cli.main import app as cli
from replay.checkpoints import OperatorKey, load_signing_key
from tests.integration.test_cli_serve import env, serving  # noqa: F401 (env is a fixture)
from tests.integration.witnesses import witness

SEED = "5a" * 32


def _poll(url: str, done: Any, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        answer = httpx.get(url, timeout=5).json()
        if done(answer):
            return answer
        assert time.monotonic() < deadline, answer
        time.sleep(0.3)


def test_the_service_asks_its_witnesses_itself_and_health_names_one_that_refuses(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    env = {**env, "KEZEK_SIGNING_KEY": SEED, "KEZEK_CHECKPOINT_SECONDS": "1"}
    operator = load_signing_key(env)
    stranger = OperatorKey("another.example/log", b"\x07" * 32)
    with (
        witness(tmp_path, "witness.quality-body.kz", operator) as (trusting, _),
        witness(tmp_path, "witness.court.kz", stranger) as (refusing, _),
    ):
        env["KEZEK_WITNESSES"] = f"{trusting},{refusing}"
        with serving(env, tmp_path, "--demo", "--applications", "20") as (base, _):
            checkpoint = _poll(f"{base}/v1/transparency/checkpoint", lambda c: c.get("cosigned_by"))
            assert checkpoint["cosigned_by"] == ["witness.quality-body.kz"]
            assert checkpoint["verifier_key"] == operator.verifier_key
            health = _poll(f"{base}/health", lambda h: h["status"] == "degraded")
            named = {w["url"]: w for w in health["witnesses"]}
            assert named[trusting]["cosigned"] is True
            assert named[refusing]["cosigned"] is False
            assert named[refusing]["detail"]


def test_a_monitor_with_a_copy_of_the_events_catches_a_store_rewritten_behind_the_signature(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    env = {**env, "KEZEK_SIGNING_KEY": SEED}
    operator = load_signing_key(env)
    copy = env["KEZEK_DATABASE_URL"]
    with serving(env, tmp_path, "--demo", "--applications", "20") as (base, _):
        _poll(f"{base}/v1/transparency/checkpoint", lambda c: "note" in c)
        args = ["monitor", "--url", base, "--key", operator.verifier_key, "--events", copy]
        held = CliRunner().invoke(cli, [*args, "--state", str(tmp_path / "a.json")], env=env)
        assert held.exit_code == 0, held.output
        assert "the copy of the events gives the signed root" in held.output
        path = copy.removeprefix("sqlite:///")
        with sqlite3.connect(path) as store:  # an event rewritten behind the log's back
            (row, state) = store.execute(
                "SELECT rowid, state FROM stored_events WHERE topic LIKE '%.Accepted' LIMIT 1"
            ).fetchone()
            altered = bytes(state).replace(b'"officer', b'"another', 1)
            assert altered != bytes(state)
            store.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (altered, row))
        caught = CliRunner().invoke(cli, [*args, "--state", str(tmp_path / "b.json")], env=env)
        assert caught.exit_code == 1, caught.output
        assert "FORK: the copy of the events gives root" in caught.output
