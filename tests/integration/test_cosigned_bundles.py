"""Two witnesses and a quorum of 2 on both stores: a court export carries the cosigned
checkpoint; `kezek verify` passes with both witness keys, fails naming the one missing, fails
on a forged cosignature. A monitor catches a split view: two services showing two trees of one
log, the witness having cosigned one of them."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from config.settings import Settings
from domain.claims import IdentityKey
from replay.bundle import MANIFEST, Manifest, assemble, read_zip, strict_json
from replay.checkpoints import OperatorKey, load_signing_key, sign_checkpoint
from replay.cosigning import ask_witnesses
from replay.export import export_application
from replay.monitor import monitor
from replay.transparency import TransparencyLog
from replay.verify import Trust, verify_bundle_bytes
from tests.conftest import open_service, walk_demo
from tests.integration.test_transparency_log import register_and_follow
from tests.integration.witnesses import served, witness, witness_key
from tests.keys import IDENTITY_KEY_HEX

SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
ONE, TWO = "witness.test/one", "witness.test/two"


@pytest.fixture
def key() -> OperatorKey:
    return load_signing_key({"KEZEK_SIGNING_KEY": SEED, "KEZEK_LOG_ORIGIN": "kezek.test/log"})


def _trust(key: OperatorKey, *names: str, quorum: int | None = None) -> Trust:
    keys = [witness_key(name).verifier_key for name in names]
    return Trust.given(key.verifier_key).with_witnesses(keys, quorum)


def test_a_quorum_of_two_witnesses_passes_with_both_keys_and_fails_with_one_missing_or_forged(
    database_url: str, identity_key: IdentityKey, key: OperatorKey, tmp_path: Path
) -> None:
    demo = walk_demo(database_url, identity_key, 12, 7)
    with (
        open_service(database_url, identity_key) as service,
        witness(tmp_path, ONE, key) as (one, _),
        witness(tmp_path, TWO, key) as (two, _),
    ):
        service.runner.catch_up()
        log = service.view(TransparencyLog)
        with service.database.transaction() as tx:
            checkpoint = sign_checkpoint(tx, log, key)
        assert all(a.ok for a in ask_witnesses(service.database, log, checkpoint, [one, two]))
        case = next(iter(demo.showcase.values()))
        data = export_application(service, case, key=key).data

    both = verify_bundle_bytes(data, _trust(key, ONE, TWO))
    assert both.ok, both.lines()
    assert "cosigned by 2 of 2 witnesses" in both.summary
    third = "witness.test/three"
    missing = verify_bundle_bytes(data, _trust(key, ONE, third))
    assert not missing.ok
    (line,) = missing.failures
    assert line.startswith("checkpoint: not cosigned by the witnesses required: 1 valid")
    assert f"missing: {witness_key(third).short}" in line
    assert verify_bundle_bytes(data, _trust(key, ONE, third, quorum=1)).ok

    # The operator forges witness two's cosignature and signs the bundle again with its own key.
    files = read_zip(data)
    manifest = Manifest.parse(strict_json(files[MANIFEST], MANIFEST))
    real = witness_key(TWO)
    blob = real.key_id + (10**9).to_bytes(8, "big") + bytes(64)
    fake = f"\u2014 {TWO} {base64.b64encode(blob).decode()}"
    note = "\n".join(
        fake if line.startswith(f"\u2014 {TWO} ") else line
        for line in manifest.checkpoint.split("\n")
    )
    evidence = {e.file: files[e.file] for e in manifest.events}
    forged = assemble(replace(manifest, checkpoint=note), evidence, {}, key)
    report = verify_bundle_bytes(forged, _trust(key, ONE, TWO))
    assert any(
        f"the cosignature of witness {real.short} does not verify" in f for f in report.failures
    ), report.lines()


def _settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        identity_key=IDENTITY_KEY_HEX,  # type: ignore[arg-type]
        token_key="11" * 32,  # type: ignore[arg-type]
        identity_key_file=tmp_path / "identity.key",
        token_key_file=tmp_path / "token.key",
    )


def test_a_monitor_catches_a_split_view_of_two_services_against_the_witness(
    database_url: str, identity_key: IdentityKey, key: OperatorKey, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Store A (the test's store) and store B (another SQLite file): both signed by the one
    operator key, each with its own history; the witness cosigned A's tree."""
    monkeypatch.setenv("KEZEK_SIGNING_KEY", SEED)
    monkeypatch.setenv("KEZEK_LOG_ORIGIN", key.name)
    other_url = f"sqlite:///{tmp_path / 'b.db'}"
    with witness(tmp_path, ONE, key) as (w, _):
        for url, serials in ((database_url, range(4)), (other_url, range(10, 14))):
            with open_service(url, identity_key) as service:
                log = service.view(TransparencyLog)
                register_and_follow(service.waiting_list, serials, log, service.database)
                with service.database.transaction() as tx:
                    checkpoint = sign_checkpoint(tx, log, key)
                if url == database_url:
                    assert ask_witnesses(service.database, log, checkpoint, [w])[0].ok
        app_a = create_app(_settings(database_url, tmp_path), follow=False)
        app_b = create_app(_settings(other_url, tmp_path), follow=False)
        with served(app_a) as a, served(app_b) as b:

            def get(address: str) -> tuple[int, str]:
                answer = httpx.get(address, timeout=10)
                return answer.status_code, answer.text

            first = monitor(a, tmp_path / "a.json", get, key=key.verifier_key, witnesses=[w])
            assert first.ok, first.alarms
            second = monitor(b, tmp_path / "b.json", get, key=key.verifier_key, witnesses=[w])
            assert not second.ok
            assert second.alarms[0].startswith("FORK: two trees of ")
            # The monitor of A, pointed at B (a state shared between monitors): a fork too.
            crossed = monitor(b, tmp_path / "a.json", get, witnesses=[])
            assert any(alarm.startswith("FORK") for alarm in crossed.alarms)
            assert not (tmp_path / "b.json").exists()  # nothing accepted is stored
