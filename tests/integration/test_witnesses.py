"""Witnesses (C2SP tlog-witness) on 127.0.0.1 beside the log on both stores: consistent growth
cosigned; a store rewritten behind the service (an event changed, an event removed, another
root at the same size) refused; a stale old size answered 409 with the witness's size; a witness
killed with SIGKILL between its commit and its answer never cosigns two roots at one size."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import threading
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from domain.store_url import persistence_env
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from replay.checkpoints import (
    Checkpoint,
    OperatorKey,
    checkpoint_text,
    load_signing_key,
    sign_checkpoint,
    tree_head,
)
from replay.cosignatures import Cosigner, check_cosignatures
from replay.cosigning import add_checkpoint_body, ask_witnesses, cosigned_note
from replay.merkle import consistency_path, hash_leaf, root_of
from replay.transparency import TransparencyLog, transparency_log_class
from replay.witness import cosigned_roots
from tests.integration.test_transparency_log import register_and_follow, rewrite_history, stored
from tests.integration.witnesses import (
    SLOW_WITNESS,
    free_port,
    start_process,
    witness,
    witness_key,
)

SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"


@pytest.fixture
def key() -> OperatorKey:
    return load_signing_key({"KEZEK_SIGNING_KEY": SEED, "KEZEK_LOG_ORIGIN": "kezek.test/log"})


def forged(key: OperatorKey, log: TransparencyLog, database: ViewDatabase) -> str:
    """A checkpoint of `log` as it stands, signed by the operator's key without the operator's
    own consistency check: what an operator rewriting its store would show a witness."""
    with database.transaction(write=False) as tx:
        head = tree_head(tx, log)
    text = checkpoint_text(key.name, head.size, bytes.fromhex(head.root_hash), _now())
    line = base64.b64encode(key.key_id + key.sign(text.encode())).decode()
    return f"{text}\n\u2014 {key.name} {line}\n"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def delete_event(database_url: str, waiting_list: WaitingList, position: int) -> None:
    table = waiting_list.recorder.events_table_name  # type: ignore[attr-defined]
    env = persistence_env(database_url)
    if "SQLITE_DBNAME" in env:
        import sqlite3

        with closing(sqlite3.connect(env["SQLITE_DBNAME"])) as conn, conn:
            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (position,))
        return
    with ViewDatabase(database_url).connect_postgres(autocommit=True) as pg:
        pg.execute(f"DELETE FROM {table} WHERE notification_id = %s", (position,))


def post(url: str, old: int, proof: list[bytes], note: str) -> httpx.Response:
    return httpx.post(f"{url}/add-checkpoint", content=add_checkpoint_body(old, proof, note))


def test_a_witness_cosigns_growth_and_refuses_a_store_rewritten_behind_the_service(
    waiting_list: WaitingList,
    database: ViewDatabase,
    database_url: str,
    key: OperatorKey,
    tmp_path: Path,
) -> None:
    bound = transparency_log_class(waiting_list)
    log = bound(generation=1)
    with witness(tmp_path, "witness.test/one", key) as (url, state):
        cosigner = Cosigner.parse(state.key.verifier_key)
        sizes = []
        for serials in (range(3), range(3, 6)):
            register_and_follow(waiting_list, serials, log, database)
            with database.transaction() as tx:
                checkpoint = sign_checkpoint(tx, log, key)
            (answer,) = ask_witnesses(database, log, checkpoint, [url])
            assert answer.ok, answer.line()
            with database.transaction(write=False) as tx:
                note = cosigned_note(tx, checkpoint)
            assert check_cosignatures(note, [cosigner]).met(1)
            sizes.append(checkpoint.size)
        first, second = sizes

        # A stale old size: 409, the witness's size in text/x.tlog.size.
        stale = post(url, first, [], checkpoint.note)
        assert (stale.status_code, stale.text) == (409, f"{second}\n")
        assert stale.headers["content-type"].startswith("text/x.tlog.size")

        # An event changed behind the service: the same size, another root.
        events = stored(waiting_list)
        victim = next(e for e in events if e.topic.endswith(".Registered"))
        changed = json.loads(victim.state)
        changed["queue_number"] += 100
        rewrite_history(database_url, waiting_list, victim.id, json.dumps(changed).encode())
        rewritten = bound(generation=2)
        register_and_follow(waiting_list, range(0), rewritten, database)
        refused = post(url, second, [], forged(key, rewritten, database))
        assert refused.status_code == 422
        assert "two different roots for the same size" in refused.text

        # ... and grown further: the proof from the cosigned size does not verify.
        register_and_follow(waiting_list, range(6, 8), rewritten, database)
        with database.transaction(write=False) as tx:
            proof = rewritten.consistency_path(tx, second, rewritten.size(tx))
        refused = post(url, second, proof, forged(key, rewritten, database))
        assert refused.status_code == 422
        assert "not consistent with what this witness cosigned" in refused.text

        # An event removed: a shorter tree than the one cosigned.
        delete_event(database_url, waiting_list, events[1].id)
        shorter = bound(generation=3)
        register_and_follow(waiting_list, range(0), shorter, database)
        with database.transaction(write=False) as tx:
            assert shorter.size(tx) < rewritten.size(tx)
        refused = post(url, second, [], forged(key, shorter, database))
        assert refused.status_code in (400, 422)
        assert state.latest(key.name) is not None
        assert state.latest(key.name).size == second  # type: ignore[union-attr]

        # Unknown log: 404; the right origin signed by another key: 403.
        other = load_signing_key({"KEZEK_SIGNING_KEY": "42" * 32, "KEZEK_LOG_ORIGIN": "other/log"})
        assert post(url, 0, [], forged(other, log, database)).status_code == 404
        impostor = OperatorKey(key.name, bytes.fromhex("42" * 32))
        assert post(url, second, [], forged(impostor, log, database)).status_code == 403


def _synthetic(key: OperatorKey, leaves: list[bytes]) -> Checkpoint:
    text = checkpoint_text(key.name, len(leaves), root_of(leaves), _now())
    line = base64.b64encode(key.key_id + key.sign(text.encode())).decode()
    note = f"{text}\n\u2014 {key.name} {line}\n"
    return Checkpoint(len(leaves), root_of(leaves).hex(), _now(), key.name, "", "", note)


def test_a_witness_killed_between_its_commit_and_its_answer_never_cosigns_two_roots_at_one_size(
    key: OperatorKey, tmp_path: Path
) -> None:
    leaves = [hash_leaf(bytes([i])) for i in range(9)]
    other = [*leaves[:8], hash_leaf(b"another ninth event")]
    a, b = _synthetic(key, leaves), _synthetic(key, other)
    state, port = tmp_path / "witness.db", free_port()
    url = f"http://127.0.0.1:{port}"
    args = ["-c", SLOW_WITNESS, "witness.test/slow", key.verifier_key, str(state), str(port)]
    child = start_process(args, port)
    try:
        # The witness commits size 9 and root A, then waits: killed there, it never answers.
        deadline = time.monotonic() + 20

        def kill_once_committed() -> None:
            while not state.exists() or not cosigned_roots(state):
                assert time.monotonic() < deadline
                time.sleep(0.02)
            os.kill(child.pid, signal.SIGKILL)

        killer = threading.Thread(target=kill_once_committed)
        killer.start()
        with pytest.raises(httpx.HTTPError):
            post(url, 0, [], a.note)
        killer.join()
    finally:
        child.kill()
        child.wait()
    assert cosigned_roots(state) == [(key.name, 9, bytes.fromhex(a.root_hash))]

    # Restarted (the CLI, without the wait), the witness holds size 9 and root A.
    key_file = tmp_path / "witness.key"
    key_file.write_text(witness_key("witness.test/slow").private_text() + "\n")
    cli = ["-m", "cli", "witness", "serve", "--key-file", str(key_file), "--state", str(state)]
    child = start_process([*cli, "--log-key", key.verifier_key, "--port", str(port)], port)
    try:
        assert post(url, 0, [], b.note).text == "9\n"
        assert post(url, 0, [], b.note).status_code == 409
        assert post(url, 9, [], b.note).status_code == 422
        assert post(url, 8, consistency_path(8, other), b.note).status_code == 409
        again = post(url, 9, [], a.note)
        assert again.status_code == 200
        assert check_cosignatures(a.note + again.text, [Cosigner.parse(
            witness_key("witness.test/slow").verifier_key)]).met(1)  # fmt: skip
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    roots = {(o, s, r) for o, s, r in cosigned_roots(state)}
    assert roots == {(key.name, 9, bytes.fromhex(a.root_hash))}
