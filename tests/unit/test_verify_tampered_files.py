"""The signatures and the files around the events of a court bundle forged (checkpoint,
statement, manifest, rendered pages, the zip itself), each caught offline with a precise line;
and the offline verifier agrees with the operator's side while reaching no database.

Same synthetic bundle and forgeries as test_verify_tampered_events.
"""

from __future__ import annotations

import ast
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

from replay import render
from replay.bundle import MANIFEST, read_zip, write_zip
from replay.checkpoints import verify_checkpoint
from replay.signed_notes import Key, open_note, parse_checkpoint
from replay.verify import Trust, verify_bundle_bytes
from tests.unit.bundle_fixtures import KEY, ORIGIN, OTHER, failures
from tests.unit.forgeries import (
    statement_line,
    tamper_edit_manifest,
    tamper_edit_rendered,
    tamper_swap_checkpoint,
)


def test_the_checkpoint_swapped_for_one_signed_by_another_key(bundle: bytes) -> None:
    swapped = tamper_swap_checkpoint(bundle, OTHER)
    short = f"{ORIGIN}+{KEY.key_id.hex()}"
    assert failures(swapped) == [
        statement_line(swapped),
        f"checkpoint: signature does not verify with key {short}",
        "events/*: inclusion proofs not checked: the checkpoint is not authentic",
    ]
    # A forger who also swaps the key in the manifest and signs the statement passes only
    # with a verifier who explores with the bundle's own key, and is told so.
    resigned = tamper_swap_checkpoint(bundle, OTHER, resign=True)
    trusting = verify_bundle_bytes(resigned, Trust(embedded=True))
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


ALLOWED_REPLAY = {
    "replay",
    "replay.verify",
    "replay.signed_notes",
    "replay.cosignatures",
    "replay.bundle",
    "replay.bundle_reading",
    "replay.trust",
    "replay.canonical",
    "replay.merkle",
    "replay.sealing",
    "replay.made_for",
}


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
            # orjson only parses and prints (canonical JSON); like cryptography it reaches no store
            allowed = top in sys.stdlib_module_names or top in {"cryptography", "rfc8785", "orjson"}
            assert allowed, f"{module} imports {name}"
    assert seen == ALLOWED_REPLAY - {"replay"}
