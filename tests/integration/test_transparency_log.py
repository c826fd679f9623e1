"""The transparency log on both stores: signed checkpoints, proofs a court checks with only the
public key, a rebuild that equals the live log, and history rewritten behind the service's
back caught by the next consistency proof."""

from __future__ import annotations

import json
import random
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from domain.store_url import persistence_env
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.rebuild import rebuild
from replay.checkpoints import (
    CheckpointInvalid,
    CheckpointRefused,
    MissingSigningKey,
    OperatorKey,
    consistency_proof,
    inclusion_proof,
    inclusion_proofs,
    latest_checkpoint,
    load_signing_key,
    sign_checkpoint,
    tree_head,
    verify_checkpoint,
    verify_consistency_proof,
    verify_inclusion_proof,
)
from replay.leaf_formats import LeafFormats, leaf_bytes
from replay.merkle import ProofError
from replay.transparency import LogError, TransparencyLog, transparency_log_class
from tests.conftest import runner_for
from tests.integration.walk import registered

# RFC 8032 §7.1, test 1: the seed and the public key it derives.
SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
RFC_8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"


@pytest.fixture
def key() -> OperatorKey:
    return load_signing_key({"KEZEK_SIGNING_KEY": SEED, "KEZEK_LOG_ORIGIN": "kezek.test/log"})


def follow(waiting_list: WaitingList, log: TransparencyLog, database: ViewDatabase) -> None:
    runner = runner_for(waiting_list, database, log, batch_size=5)
    runner.catch_up()


def register_and_follow(
    waiting_list: WaitingList, serials: range, log: TransparencyLog, database: ViewDatabase
) -> None:
    """Citizens `serials` registered on DAY_ONE, then the log brought up to date."""
    for serial in serials:
        registered(waiting_list, serial)
    follow(waiting_list, log, database)


def stored(waiting_list: WaitingList) -> list[Any]:
    return list(waiting_list.recorder.select_notifications(start=1, limit=10**6))


def leaf(database: ViewDatabase, event: Any) -> bytes:
    """What the log hashes for `event` (its leaf format as the store's log has it)."""
    with database.transaction(write=False) as tx:
        return leaf_bytes(event, LeafFormats.load(tx))


def test_checkpoints_and_proofs_verify_offline_with_only_the_public_key(
    waiting_list: WaitingList, database: ViewDatabase, key: OperatorKey
) -> None:
    log = transparency_log_class(waiting_list)()
    register_and_follow(waiting_list, range(3), log, database)
    with database.transaction() as tx:
        first = sign_checkpoint(tx, log, key)
    register_and_follow(waiting_list, range(3, 7), log, database)
    with database.transaction() as tx:
        second = sign_checkpoint(tx, log, key)
        assert latest_checkpoint(tx) == second
    events = stored(waiting_list)
    assert (first.size, second.size) == (sum(e.id <= first.size for e in events), len(events))
    assert first.note.startswith(f"kezek.test/log\n{first.size}\n")

    # The court holds the notes, the verifier key, the events (canonical bytes) and proofs.
    vkey = key.verifier_key
    assert key.public_key.hex() == RFC_8032_PUBLIC
    assert verify_checkpoint(first.note, vkey) == first
    assert verify_checkpoint(second.note, vkey) == second
    with database.transaction(write=False) as tx:
        chosen = random.Random(5).sample(events, 12)
        proofs = [
            (event, checkpoint, inclusion_proof(tx, log, event.id, checkpoint.size))
            for event in chosen
            for checkpoint in (first, second)
            if event.id <= checkpoint.size
        ]
        extension = consistency_proof(tx, log, first.size, second.size)
    for event, checkpoint, proof in proofs:
        verify_inclusion_proof(leaf(database, event), proof, checkpoint)
    verify_consistency_proof(extension, first, second)

    # What must fail: an event altered, moved, or proven against a forged checkpoint.
    event, checkpoint, proof = next(p for p in proofs if p[2].leaf_index > 0)
    altered = replace(event, state=event.state.replace(b'"timestamp"', b'"timestamp "'))
    with pytest.raises(ProofError, match=f"position {event.id} hashes to .* the event was altered"):
        verify_inclusion_proof(leaf(database, altered), proof, checkpoint)
    with pytest.raises(ProofError, match=f"the event is at position {event.id - 1}"):
        verify_inclusion_proof(leaf(database, replace(event, id=event.id - 1)), proof, checkpoint)
    forged = second.note.replace(f"\n{second.size}\n", f"\n{second.size + 1}\n")
    with pytest.raises(CheckpointInvalid, match="does not verify"):
        verify_checkpoint(forged, vkey)
    other = load_signing_key({"KEZEK_SIGNING_KEY": "42" * 32, "KEZEK_LOG_ORIGIN": "kezek.test/log"})
    with pytest.raises(CheckpointInvalid, match="not signed by"):
        verify_checkpoint(second.note, other.verifier_key)

    # A rebuild from position 0 reproduces the live tables row for row.
    report = rebuild(waiting_list, database, transparency_log_class(waiting_list), switch=False)
    assert report.position == events[-1].id


def rewrite_history(
    database_url: str, waiting_list: WaitingList, position: int, state: bytes
) -> None:
    """UPDATE the stored event directly in the store, as an intruder with database access."""
    table = waiting_list.recorder.events_table_name  # type: ignore[attr-defined]
    env = persistence_env(database_url)
    if "SQLITE_DBNAME" in env:
        with closing(sqlite3.connect(env["SQLITE_DBNAME"])) as conn, conn:
            conn.execute(f"UPDATE {table} SET state = ? WHERE rowid = ?", (state, position))
        return
    with ViewDatabase(database_url).connect_postgres(autocommit=True) as pg:
        pg.execute(f"UPDATE {table} SET state = %s WHERE notification_id = %s", (state, position))


def test_proofs_read_a_chunk_at_a_time_equal_the_proofs_read_one_by_one(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    """RFC 9162 §2.1.3: an export reads its proofs in chunks (replay.transparency)."""
    log = transparency_log_class(waiting_list)()
    register_and_follow(waiting_list, range(5), log, database)
    positions = [e.id for e in stored(waiting_list)]
    with database.transaction(write=False) as tx:
        for size in (len(positions), len(positions) - 3):
            wanted = [p for p in positions if p <= size][::-1]
            one_by_one = [inclusion_proof(tx, log, p, size) for p in wanted]
            assert inclusion_proofs(tx, log, wanted, size) == one_by_one
        with pytest.raises(LogError, match="came after the tree"):
            inclusion_proofs(tx, log, positions, len(positions) - 1)
        with pytest.raises(LogError, match="has no tree of size"):
            inclusion_proofs(tx, log, positions, len(positions) + 1)


def test_history_rewritten_in_the_store_fails_the_next_consistency_proof(
    waiting_list: WaitingList, database: ViewDatabase, database_url: str, key: OperatorKey
) -> None:
    bound = transparency_log_class(waiting_list)
    live = bound(generation=1)
    register_and_follow(waiting_list, range(4), live, database)
    with database.transaction() as tx:
        earlier = sign_checkpoint(tx, live, key)
    register_and_follow(waiting_list, range(4, 6), live, database)

    # Someone with write access to the database moves an early registration up the list.
    victim = next(e for e in stored(waiting_list) if e.topic.endswith(".Registered"))
    state = json.loads(victim.state)
    state["queue_number"] = state["queue_number"] + 100
    rewrite_history(database_url, waiting_list, victim.id, json.dumps(state).encode())
    assert victim.id <= earlier.size

    # The service recomputes its log from the store into a fresh generation.
    fresh = bound(generation=2)
    follow(waiting_list, fresh, database)
    with database.transaction(write=False) as tx:
        head = tree_head(tx, fresh)
        proof = consistency_proof(tx, fresh, earlier.size, head.size)
        assert head.size == tree_head(tx, live).size
    with pytest.raises(ProofError) as failure:
        verify_consistency_proof(proof, earlier, head)
    message = str(failure.value)
    assert message.startswith(
        f"the tree of size {head.size} (root {head.root_hash}) is not proven to extend the "
        f"tree of size {earlier.size} (root {earlier.root_hash}): "
    )
    assert f"by the proof its first {earlier.size} leaves hash to " in message

    # The operator refuses to sign the rewritten log ...
    with database.transaction() as tx, pytest.raises(CheckpointRefused, match="refusing to sign"):
        sign_checkpoint(tx, fresh, key)
    # ... and the rewritten event no longer matches its leaf under the signed checkpoint.
    tampered = next(e for e in stored(waiting_list) if e.id == victim.id)
    with database.transaction(write=False) as tx:
        logged = inclusion_proof(tx, live, victim.id, earlier.size)
    verify_inclusion_proof(leaf(database, victim), logged, earlier)
    with pytest.raises(ProofError, match=f"position {victim.id} hashes to .* was altered"):
        verify_inclusion_proof(leaf(database, tampered), logged, earlier)


def test_a_signing_key_is_generated_only_for_a_sqlite_demo_ledger(tmp_path: Path) -> None:
    path = tmp_path / "var" / "signing.key"
    demo = {
        "KEZEK_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
        "KEZEK_SIGNING_KEY_FILE": str(path),
    }
    generated = load_signing_key(demo)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_signing_key(demo).verifier_key == generated.verifier_key
    assert path.read_text().strip() not in repr(generated)
    production = {
        "KEZEK_DATABASE_URL": "postgresql://kezek@db:5432/kezek",
        "KEZEK_SIGNING_KEY_FILE": str(tmp_path / "absent.key"),
    }
    with pytest.raises(MissingSigningKey, match="KEZEK_SIGNING_KEY"):
        load_signing_key(production)
