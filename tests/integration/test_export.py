"""Court export on both stores: a demo case with a complaint and a restored place exported,
verified offline, forged every way a forger would and caught with a precise line; a list as of
a moment; a store changed behind the service's back refused; the verifier needs no database."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from typer.testing import CliRunner, Result

from cli.export import verify_bundle, write_bundle
from cli.main import app as cli
from demo import run_demo
from demo.result import DemoResult
from domain.claims import IdentityKey
from replay import render
from replay.asof_moment import AsOf
from replay.bundle import MANIFEST, read_zip
from replay.catalog import LedgerViews
from replay.checkpoints import OperatorKey, load_signing_key, verify_checkpoint
from replay.export import ExportError, export_application, export_list
from replay.verify import Key, open_note, parse_checkpoint, verify_bundle_bytes
from tests.api.conftest import TOKEN_KEY_HEX
from tests.conftest import open_service
from tests.integration.test_transparency_log import rewrite_history
from tests.keys import IDENTITY_KEY_HEX
from tests.unit.forgeries import (
    statement_line,
    tamper_alter_field,
    tamper_append,
    tamper_drop,
    tamper_edit_manifest,
    tamper_edit_rendered,
    tamper_reorder,
    tamper_resign_whole,
    tamper_swap_checkpoint,
)

SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
RESTORED = "deregistered, restored on a complaint"


@dataclass
class Live(LedgerViews):
    """A service on the store of a demo walk, and what the walk did."""

    demo: DemoResult


@pytest.fixture
def key() -> OperatorKey:
    return load_signing_key({"KEZEK_SIGNING_KEY": SEED, "KEZEK_LOG_ORIGIN": "kezek.test/log"})


@pytest.fixture
def live(database_url: str, identity_key: IdentityKey) -> Iterator[Live]:
    demo = run_demo(
        database_url=database_url, key=identity_key, applications=40, seed=7, echo=lambda _: None
    )
    with open_service(database_url, identity_key) as service:
        yield Live(service.waiting_list, service.database, service.runner, demo)


def test_a_restored_case_exports_and_verifies_offline_byte_for_byte_the_same(
    live: Live, key: OperatorKey, tmp_path: Path
) -> None:
    case = live.demo.showcase[RESTORED]
    out, lines = tmp_path / "case.zip", list[str]()
    write_bundle(export_application(live, case, key=key, now=NOW), out, echo=lines.append)
    assert lines[0].startswith(f"Wrote {out}: application {case}, ")
    assert verify_bundle(out, key.verifier_key, echo=lines.append) == 0
    assert lines[-1].startswith(f"OK: application {case}: ")
    key_file = tmp_path / "operator.pub"
    key_file.write_text(key.verifier_key + "\n")
    assert verify_bundle(out, str(key_file), echo=lines.append) == 0
    trusting: list[str] = []
    assert verify_bundle(out, trust_embedded=True, echo=trusting.append) == 0
    assert trusting[0].startswith("NOT pinned: checking with the key the bundle")

    data = out.read_bytes()
    again = export_application(live, case, key=key, now=NOW)
    assert again.data == data
    assert not again.signed_now  # the checkpoint signed for the first export covers it
    files = read_zip(data)
    manifest = json.loads(files[MANIFEST])
    count = live.waiting_list.application(case).version
    assert manifest["versions"] == list(range(1, count + 1))
    topics = [json.loads(files[e["file"]])["topic"].rsplit(".", 1)[1] for e in manifest["events"]]
    assert {"Registered", "Deregistered", "ComplaintFiled", "ComplaintDecided"} <= set(topics)
    trail = files[render.AUDIT_TRAIL].decode()
    history = files[render.POSITION_HISTORY].decode()
    assert "remedy restore_place" in trail
    assert history.count("this application&#x27;s own") == 3  # joined, left, restored
    pages = trail + history + files["README.txt"].decode()
    assert not [iin for iin in live.demo.iins if iin in pages]

    # The offline note check agrees with the operator's on a real checkpoint.
    note = manifest["checkpoint"]
    head = parse_checkpoint(
        open_note(note, Key.parse(key.verifier_key)), Key.parse(key.verifier_key)
    )
    assert head.root.hex() == verify_checkpoint(note, key).root_hash


def test_every_forgery_of_a_real_export_fails_with_its_line(
    live: Live, key: OperatorKey, tmp_path: Path
) -> None:
    data = export_application(live, live.demo.showcase[RESTORED], key=key, now=NOW).data
    other = load_signing_key({"KEZEK_SIGNING_KEY": "42" * 32, "KEZEK_LOG_ORIGIN": "kezek.test/log"})
    short = f"kezek.test/log+{key.key_id.hex()}"

    def failures(forged: bytes) -> list[str]:
        return verify_bundle_bytes(forged, key.verifier_key).failures

    assert failures(tamper_alter_field(data, 6)) == [
        "events/0006.json: SHA-256 does not match the manifest (file altered?)",
        "events/0006.json: leaf hash does not match the inclusion proof (event altered?)",
    ]
    dropped = tamper_drop(data, 4)
    assert failures(dropped) == [
        statement_line(dropped),
        "manifest: version 4 missing (history incomplete)",
    ]
    reordered = tamper_reorder(data, 6, 7)
    assert failures(reordered) == [
        statement_line(reordered),
        "manifest: version 7 listed before version 6 (out of order)",
    ]
    appended = tamper_append(data)
    found = failures(appended)
    last = json.loads(read_zip(data)[MANIFEST])["event_count"]
    assert found[0] == statement_line(appended)
    assert found[1].startswith(
        f"events/{last + 1:04d}.json: inclusion proof does not lead to the checkpoint's root"
    )
    swapped = tamper_swap_checkpoint(data, other)
    assert failures(swapped) == [
        statement_line(swapped),
        f"checkpoint: signature does not verify with key {short}",
        "events/*: inclusion proofs not checked: the checkpoint is not authentic",
    ]
    assert failures(tamper_edit_rendered(data)) == [
        "rendered/audit-trail.html: SHA-256 does not match the manifest "
        "(rendered file edited: for people, not evidence)"
    ]
    edited = tamper_edit_manifest(data)
    assert failures(edited) == [statement_line(edited)]
    assert failures(tamper_resign_whole(data, 6, other)) == [
        f"statement.txt: signature does not verify with key {short}",
        f"checkpoint: signature does not verify with key {short}",
        "events/*: inclusion proofs not checked: the checkpoint is not authentic",
    ]

    # The command prints the line and exits non-zero.
    path, lines = tmp_path / "forged.zip", list[str]()
    path.write_bytes(tamper_edit_rendered(data))
    assert verify_bundle(path, key.verifier_key, echo=lines.append) == 1
    assert lines[0].startswith("rendered/audit-trail.html: SHA-256 does not match")
    assert lines[-1] == "FAILED: 1 check(s) failed"


def test_a_whole_list_as_of_a_moment_exports_and_verifies(
    live: Live, key: OperatorKey, tmp_path: Path
) -> None:
    app = live.waiting_list.application(live.demo.showcase[RESTORED])
    out, lines = tmp_path / "list.zip", list[str]()
    moment = AsOf(datetime(2025, 6, 1, tzinfo=UTC))
    exported = export_list(live, app.provider, app.form.list_code, moment, key=key, now=NOW)
    write_bundle(exported, out, echo=lines.append)
    assert verify_bundle(out, key.verifier_key, echo=lines.append) == 0
    files = read_zip(out.read_bytes())
    manifest = json.loads(files[MANIFEST])
    assert manifest["kind"] == "list"
    assert manifest["subject"]["as_of"] == "2025-06-01T00:00:00Z"
    assert manifest["event_count"] == manifest["subject"]["list_version"] > 0
    assert "List as of a moment" in files[render.LIST].decode()


def test_an_event_changed_in_the_store_after_logging_is_not_exported(
    live: Live, key: OperatorKey, database_url: str
) -> None:
    case = live.demo.showcase[RESTORED]
    export_application(live, case, key=key, now=NOW)
    stored = live.waiting_list.recorder.select_notifications(start=1, limit=10**6)
    registered = next(
        n for n in stored if n.originator_id == case and n.topic.endswith(".Registered")
    )
    state = json.loads(registered.state)
    state["queue_number"] = 1_000
    rewrite_history(database_url, live.waiting_list, registered.id, json.dumps(state).encode())
    with pytest.raises(ExportError, match=f"position {registered.id} .* store was changed"):
        export_application(live, case, key=key, now=NOW)
    with pytest.raises(ExportError, match="no application"):
        export_application(live, uuid4(), key=key, now=NOW)


def test_the_verifier_runs_without_the_service_or_a_database_driver(
    live: Live, key: OperatorKey, tmp_path: Path
) -> None:
    out = tmp_path / "case.zip"
    out.write_bytes(export_application(live, live.demo.showcase[RESTORED], key=key).data)
    probe = (
        "import sys, runpy; sys.argv = ['verify', sys.argv[1], '--key', sys.argv[2]]\n"
        "try:\n    runpy.run_module('replay.verify', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    loaded = {m.split('.')[0] for m in sys.modules}\n"
        "    bad = loaded & {'psycopg', 'sqlite3', '_sqlite3', 'eventsourcing', 'projections',"
        " 'domain', 'api'}\n"
        "    print('loaded:', sorted(bad)); raise\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", probe, str(out), key.verifier_key],
        capture_output=True, text=True, cwd=root, env={"PYTHONPATH": str(root)}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-2].startswith("OK: application ")
    assert done.stdout.splitlines()[-1] == "loaded: []"
    assert UUID(json.loads(read_zip(out.read_bytes())[MANIFEST])["originator_id"])


def test_kezek_export_writes_a_case_or_a_list_and_says_how_to_check_it(
    live: Live, database_url: str, tmp_path: Path
) -> None:
    env = {
        "KEZEK_IDENTITY_KEY": IDENTITY_KEY_HEX,
        "KEZEK_TOKEN_KEY": TOKEN_KEY_HEX,
        "KEZEK_SIGNING_KEY": SEED,
        "KEZEK_LOG_ORIGIN": "kezek.test/log",
    }

    def kezek_export(out: Path, *args: str) -> Result:
        command = ["export", "--out", str(out), "--database-url", database_url, *args]
        return CliRunner().invoke(cli, command, env=env)

    case = live.demo.showcase[RESTORED]
    app = live.waiting_list.application(case)
    where = ["--provider", app.provider, "--list", app.form.list_code]
    for out, args, kind in (
        (tmp_path / "case.zip", ["--application", str(case)], f"application {case}"),
        (tmp_path / "list.zip", [*where, "--at", "2025-06-01T00:00Z"], "list "),
    ):
        result = kezek_export(out, *args)
        assert result.exit_code == 0, result.output
        wrote, whole, verifier, check = result.output.splitlines()
        assert wrote.startswith(f"Wrote {out}: {kind}")
        assert whole.startswith("Bundle ")
        assert verifier.startswith("Verifier key: ")
        assert check == f"Check it offline: kezek verify {out} --key '{verifier[14:]}'"
        assert verify_bundle(out, verifier[14:], echo=lambda _: None) == 0
    naive = kezek_export(tmp_path / "naive.zip", *where, "--at", "2025-06-01T00:00")
    assert naive.exit_code == 1
    assert "has no UTC offset" in naive.output
    assert not (tmp_path / "naive.zip").exists()
