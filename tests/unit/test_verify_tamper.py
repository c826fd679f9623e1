"""Court bundles forged every way a forger would, each caught offline with a precise line.

The bundle here is synthetic (an aggregate's five events among other leaves of a small
RFC 9162 tree, a checkpoint signed with the RFC 8032 test key), built and checked in memory:
no database, no file. The `tamper_*` helpers take and return a bundle's bytes;
tests/integration/test_export.py applies them to a real export on both stores.
"""

from __future__ import annotations

import ast
import io
import json
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from projections.audit_trail import AuditEntry
from replay import render
from replay.bundle import (
    MANIFEST,
    STATEMENT,
    EventEntry,
    Manifest,
    assemble,
    event_file,
    read_zip,
    sha256_hex,
    sign_note,
    statement_text,
    write_zip,
)
from replay.canonical import canonical_json
from replay.checkpoints import OperatorKey, checkpoint_text, verify_checkpoint
from replay.merkle import hash_leaf, inclusion_path, root_of
from replay.verify import Key, open_note, parse_checkpoint, verify_bundle_bytes

SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
ORIGIN = "kezek.test/log"
KEY = OperatorKey(ORIGIN, bytes.fromhex(SEED))
OTHER = OperatorKey(ORIGIN, bytes.fromhex("42" * 32))
APP = "3f6c2a4e-8d1b-4c5a-9e7f-0a1b2c3d4e5f"
MINE = {2: 1, 5: 2, 9: 3, 14: 4, 17: 5}  # leaf index -> version of the exported aggregate
Files = dict[str, bytes]

# -- the helpers a forger would use (shared with the integration test) ---------------------


def rewrite(data: bytes, change: Callable[[Files, dict[str, Any]], None]) -> bytes:
    """Apply `change` to the files and the manifest (as JSON); write both back canonically."""
    files = read_zip(data)
    manifest = json.loads(files[MANIFEST])
    change(files, manifest)
    files[MANIFEST] = canonical_json(manifest)
    return write_zip(files)


def _entry(manifest: dict[str, Any], version: int) -> dict[str, Any]:
    return next(e for e in manifest["events"] if e["version"] == version)


def _relist(manifest: dict[str, Any]) -> None:
    manifest["versions"] = [e["version"] for e in manifest["events"]]
    manifest["event_count"] = len(manifest["events"])


def tamper_alter_field(data: bytes, version: int, *, thorough: bool = False) -> bytes:
    """Change one field of one event (its `basis`), kept canonical; a thorough forger also
    puts the new SHA-256 and leaf hash in the manifest."""

    def change(files: Files, manifest: dict[str, Any]) -> None:
        name = event_file(version)
        document = json.loads(files[name])
        document["state"]["basis"] += " (amended)"
        files[name] = canonical_json(document)
        if thorough:
            manifest["files"][name] = sha256_hex(files[name])
            _entry(manifest, version)["leaf_hash"] = hash_leaf(files[name]).hex()

    return rewrite(data, change)


def tamper_drop(data: bytes, version: int, *, from_manifest: bool = True) -> bytes:
    def change(files: Files, manifest: dict[str, Any]) -> None:
        name = event_file(version)
        del files[name]
        if from_manifest:
            del manifest["files"][name]
            manifest["events"].remove(_entry(manifest, version))
            _relist(manifest)

    return rewrite(data, change)


def tamper_reorder(data: bytes, first: int, second: int) -> bytes:
    """List two events the other way round (files and proofs untouched)."""

    def change(files: Files, manifest: dict[str, Any]) -> None:
        events = manifest["events"]
        i, j = events.index(_entry(manifest, first)), events.index(_entry(manifest, second))
        events[i], events[j] = events[j], events[i]
        _relist(manifest)

    return rewrite(data, change)


def tamper_swap_contents(data: bytes, first: int, second: int) -> bytes:
    def change(files: Files, manifest: dict[str, Any]) -> None:
        a, b = event_file(first), event_file(second)
        files[a], files[b] = files[b], files[a]

    return rewrite(data, change)


def tamper_renumber(data: bytes, first: int, second: int) -> bytes:
    """Claim two acts happened the other way round: their versions swapped in the events,
    the manifest made to agree (positions, hashes) as far as a forger can."""

    def change(files: Files, manifest: dict[str, Any]) -> None:
        a, b = _entry(manifest, first), _entry(manifest, second)
        docs = {v: json.loads(files[event_file(v)]) for v in (first, second)}
        for version, other, entry in ((first, second, a), (second, first, b)):
            document = docs[other] | {"originator_version": version}
            files[event_file(version)] = raw = canonical_json(document)
            manifest["files"][event_file(version)] = sha256_hex(raw)
            entry |= {"position": document["position"], "leaf_hash": hash_leaf(raw).hex()}

    return rewrite(data, change)


def tamper_append(data: bytes) -> bytes:
    """A forged next version after the last, listed with its own leaf hash and a borrowed
    proof (the forger cannot make a real one)."""

    def change(files: Files, manifest: dict[str, Any]) -> None:
        last = manifest["events"][-1]
        document = json.loads(files[last["file"]])
        version = last["version"] + 1
        document |= {"originator_version": version, "position": last["position"] + 1}
        name = event_file(version)
        files[name] = canonical_json(document)
        manifest["files"][name] = sha256_hex(files[name])
        leaf = hash_leaf(files[name]).hex()
        manifest["events"].append(
            last | {"version": version, "position": document["position"], "file": name}
            | {"leaf_hash": leaf, "leaf_index": last["leaf_index"] + 1}
        )  # fmt: skip
        _relist(manifest)

    return rewrite(data, change)


def tamper_swap_checkpoint(data: bytes, other: OperatorKey, *, resign: bool = False) -> bytes:
    """The same checkpoint text signed by another key; `resign`: the forger also puts their
    key in the manifest and signs the statement with it."""

    def change(files: Files, manifest: dict[str, Any]) -> None:
        note = manifest["checkpoint"]
        manifest["checkpoint"] = sign_note(note[: note.rfind("\n\n") + 1], other)
        if resign:
            manifest["verifier_key"] = other.verifier_key

    forged = rewrite(data, change)
    if not resign:
        return forged
    files = read_zip(forged)
    files[STATEMENT] = sign_note(statement_text(files[MANIFEST]), other).encode()
    return write_zip(files)


def tamper_edit_rendered(data: bytes) -> bytes:
    def change(files: Files, manifest: dict[str, Any]) -> None:
        page = files[render.AUDIT_TRAIL].decode()
        files[render.AUDIT_TRAIL] = page.replace("<td>", "<td>not ", 1).encode()

    return rewrite(data, change)


def tamper_edit_manifest(data: bytes) -> bytes:
    def change(files: Files, manifest: dict[str, Any]) -> None:
        manifest["subject"]["provider"] = "another-provider"

    return rewrite(data, change)


def statement_line(data: bytes) -> str:
    digest = sha256_hex(read_zip(data)[MANIFEST])
    return (
        f"manifest.json: SHA-256 {digest} is not the one the signed statement names "
        "(manifest edited after export)"
    )


# -- a synthetic bundle ----------------------------------------------------------------------


def _document(index: int) -> dict[str, Any]:
    position = index + 1 + index // 7  # PostgreSQL may skip ids
    version = MINE.get(index)
    return {
        "position": position,
        "originator_id": APP if version else str(UUID(int=index)),
        "originator_version": version or 1,
        "topic": "domain.housing_application:HousingApplication.Accepted",
        "state": {"basis": "§7, §8", "reasons": "<script>alert(1)</script>", "n": index},
    }


def synthetic_bundle() -> bytes:
    documents = [canonical_json(_document(i)) for i in range(20)]
    leaves = [hash_leaf(d) for d in documents]
    note = sign_note(checkpoint_text(ORIGIN, 20, root_of(leaves), "2026-01-01T00:00:00Z"), KEY)
    entries = tuple(
        EventEntry(
            version, _document(i)["position"], i, leaves[i].hex(), event_file(version),
            tuple(p.hex() for p in inclusion_path(i, leaves)),
        )
        for i, version in MINE.items()
    )  # fmt: skip
    subject = {"application_id": APP, "provider": "almaty", "list_code": "general"}
    manifest = Manifest(
        "application", APP, subject, "2026-01-01T00:00:00Z", 5, (1, 2, 3, 4, 5), entries, note,
        KEY.verifier_key,
    )  # fmt: skip
    moment = datetime(2025, 3, 18, 5, tzinfo=UTC)
    trail = [
        AuditEntry(
            UUID(APP), v, 1, "Accepted", "officer-1", "officer", "almaty", moment, moment,
            "§7", "<script>alert(1)</script>", "received", "", None, "", None,
        )
        for v in range(1, 6)
    ]  # fmt: skip
    rendered = {render.AUDIT_TRAIL: render.audit_trail_page(subject, trail)}
    evidence = {e.file: documents[e.leaf_index] for e in entries}
    return assemble(manifest, evidence, rendered, KEY)


@pytest.fixture(scope="module")
def bundle() -> bytes:
    return synthetic_bundle()


def failures(data: bytes, key: str | None = KEY.verifier_key) -> list[str]:
    return verify_bundle_bytes(data, key).failures


# -- the tests -------------------------------------------------------------------------------


def test_a_sound_bundle_verifies_and_the_same_input_makes_the_same_bytes(bundle: bytes) -> None:
    report = verify_bundle_bytes(bundle, KEY.verifier_key)
    assert report.ok, report.failures
    assert report.warnings == []
    assert report.lines()[-1].startswith(f"OK: application {APP}: 5 events, versions 1..5")
    assert synthetic_bundle() == bundle
    trusting = verify_bundle_bytes(bundle, None)
    assert trusting.ok
    assert trusting.warnings[0].startswith("WARNING: no --key given: trusting the key the bundle")


def test_one_field_of_one_event_altered(bundle: bytes) -> None:
    assert failures(tamper_alter_field(bundle, 3)) == [
        "events/0003.json: SHA-256 does not match the manifest (file altered?)",
        "events/0003.json: leaf hash does not match the inclusion proof (event altered?)",
    ]
    thorough = tamper_alter_field(bundle, 3, thorough=True)
    found = failures(thorough)
    assert found[0] == statement_line(thorough)
    assert found[1].startswith(
        "events/0003.json: inclusion proof does not lead to the checkpoint's root (event not "
        "in the signed log: forged?): leaf 9 is not in the tree of size 20"
    )
    assert len(found) == 2


def test_an_event_dropped(bundle: bytes) -> None:
    dropped = tamper_drop(bundle, 3)
    assert failures(dropped) == [
        statement_line(dropped),
        "manifest: version 3 missing (history incomplete)",
    ]
    assert failures(tamper_drop(bundle, 3, from_manifest=False)) == [
        "events/0003.json: listed in the manifest but missing from the bundle (file removed?)"
    ]
    cut_short = tamper_drop(bundle, 5)  # the last: no gap, only the operator's word tells
    assert failures(cut_short) == [statement_line(cut_short)]


def test_two_events_reordered(bundle: bytes) -> None:
    reordered = tamper_reorder(bundle, 3, 4)
    assert failures(reordered) == [
        statement_line(reordered),
        "manifest: version 4 listed before version 3 (out of order)",
    ]
    assert failures(tamper_swap_contents(bundle, 3, 4)) == [
        "events/0003.json: SHA-256 does not match the manifest (file altered?)",
        "events/0004.json: SHA-256 does not match the manifest (file altered?)",
        "events/0003.json: holds version 4, the manifest lists version 3 (events swapped?)",
        "events/0003.json: at position 17, the manifest says 11",
        "events/0003.json: leaf hash does not match the inclusion proof (event altered?)",
        "events/0004.json: holds version 3, the manifest lists version 4 (events swapped?)",
        "events/0004.json: at position 11, the manifest says 17",
        "events/0004.json: leaf hash does not match the inclusion proof (event altered?)",
    ]


def test_two_acts_renumbered_to_swap_their_order(bundle: bytes) -> None:
    renumbered = tamper_renumber(bundle, 3, 4)
    proof = "inclusion proof does not lead to the checkpoint's root (event not in the signed log"
    found = failures(renumbered)
    assert found[:2] == [
        statement_line(renumbered),
        "events/0004.json: version 4 at position 11 is not after version 3 at position 17 "
        "(events reordered?)",
    ]
    assert [line.split(": ", 1)[0] for line in found[2:]] == [event_file(3), event_file(4)]
    assert all(line.split(": ", 1)[1].startswith(proof) for line in found[2:])


def test_a_forged_event_appended(bundle: bytes) -> None:
    forged = tamper_append(bundle)
    found = failures(forged)
    assert found[0] == statement_line(forged)
    assert found[1].startswith(
        "events/0006.json: inclusion proof does not lead to the checkpoint's root (event not "
        "in the signed log: forged?)"
    )
    assert len(found) == 2


def test_the_checkpoint_swapped_for_one_signed_by_another_key(bundle: bytes) -> None:
    swapped = tamper_swap_checkpoint(bundle, OTHER)
    short = f"{ORIGIN}+{KEY.key_id.hex()}"
    assert failures(swapped) == [
        statement_line(swapped),
        f"checkpoint: signature does not verify with key {short}",
        "events/*: inclusion proofs not checked: the checkpoint is not authentic",
    ]
    # A forger who also swaps the key in the manifest and signs the statement passes only
    # with a verifier who trusts the bundle's own key, and is told so.
    resigned = tamper_swap_checkpoint(bundle, OTHER, resign=True)
    trusting = verify_bundle_bytes(resigned, None)
    assert trusting.ok
    assert f"({ORIGIN}+{OTHER.key_id.hex()})" in trusting.warnings[0]
    assert failures(resigned) == [
        f"statement.txt: signature does not verify with key {short}",
        f"checkpoint: signature does not verify with key {short}",
        "events/*: inclusion proofs not checked: the checkpoint is not authentic",
    ]


def test_the_rendered_trail_edited_and_nothing_else(bundle: bytes) -> None:
    assert failures(tamper_edit_rendered(bundle)) == [
        "rendered/audit-trail.html: SHA-256 does not match the manifest "
        "(rendered file edited: for people, not evidence)"
    ]


def test_the_manifest_edited(bundle: bytes) -> None:
    edited = tamper_edit_manifest(bundle)
    assert failures(edited) == [statement_line(edited)]
    files = read_zip(bundle)
    files[MANIFEST] = json.dumps(json.loads(files[MANIFEST]), indent=1).encode()
    pretty = write_zip(files)
    assert failures(pretty) == [
        "manifest.json: not canonical JSON (RFC 8785): edited after export?",
        statement_line(pretty),
    ]


def test_a_zip_that_is_not_one_bundle_is_refused(bundle: bytes) -> None:
    assert failures(b"PK\x03\x04 not a zip")[0].startswith("bundle: not a zip file")
    buffer = io.BytesIO(bundle)
    with (
        zipfile.ZipFile(buffer, "a") as archive,
        pytest.warns(UserWarning, match="Duplicate name"),
    ):
        archive.writestr("events/0001.json", b"{}")
    assert failures(buffer.getvalue()) == [
        "events/0001.json: twice in the bundle (which one is evidence?)"
    ]
    assert failures(bundle, "kezek.test/log+00000000+AAAA") == [
        "key: the verifier key is not an Ed25519 key (0x01 || 32 bytes)"
    ]


def test_the_offline_note_check_agrees_with_the_operator_side(bundle: bytes) -> None:
    note = json.loads(read_zip(bundle)[MANIFEST])["checkpoint"]
    key = Key.parse(KEY.verifier_key)
    head = parse_checkpoint(open_note(note, key), key)
    operator = verify_checkpoint(note, KEY.verifier_key)
    assert (head.size, head.root.hex(), head.time) == (20, operator.root_hash, operator.time)
    assert key.short == f"{ORIGIN}+{KEY.key_id.hex()}"


def test_the_pages_escape_everything(bundle: bytes) -> None:
    page = read_zip(bundle)[render.AUDIT_TRAIL].decode()
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "For people, not evidence." in page


ALLOWED_REPLAY = {"replay", "replay.verify", "replay.bundle", "replay.canonical", "replay.merkle"}


def _imports(module: str) -> set[str]:
    path = Path(__file__).resolve().parents[2] / (module.replace(".", "/") + ".py")
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_verifier_imports_nothing_that_reaches_a_database() -> None:
    seen: set[str] = set()
    todo = ["replay.verify"]
    while todo:
        module = todo.pop()
        seen.add(module)
        for name in _imports(module):
            top = name.split(".")[0]
            if top == "replay":
                assert name in ALLOWED_REPLAY, f"{module} imports {name}"
                if name != "replay" and name not in seen:
                    todo.append(name)
                continue
            assert top != "sqlite3", f"{module} imports {name}"
            allowed = top in sys.stdlib_module_names or top in {"cryptography", "rfc8785"}
            assert allowed, f"{module} imports {name}"
    assert seen == ALLOWED_REPLAY - {"replay"}
