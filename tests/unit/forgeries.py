"""The helpers a forger would use on a court bundle: each takes a bundle's bytes and returns
the forged bundle's bytes, kept as well-formed as a forger can keep it.

Shared by the unit tests of the offline verifier (on a synthetic bundle) and by
tests/integration/test_export.py (on a real export on both stores).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from replay import render
from replay.bundle import (
    MANIFEST,
    STATEMENT,
    event_file,
    read_zip,
    sha256_hex,
    sign_note,
    statement_text,
    write_zip,
)
from replay.canonical import canonical_json
from replay.checkpoints import OperatorKey, checkpoint_text
from replay.merkle import hash_leaf, inclusion_path, root_of
from replay.sealing import read_document

Files = dict[str, bytes]


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


def _leaf(data: bytes, entry: dict[str, Any], manifest: dict[str, Any]) -> bytes:
    """An event file's leaf, computed as the verifier does (a sealed event reduces to the
    bytes its leaf committed to; a withheld one stands for its listed hash)."""
    made_for = manifest.get("made_for")
    reading = read_document(json.loads(data), data, made_for)
    return bytes.fromhex(entry["leaf_hash"]) if reading.leaf is None else hash_leaf(reading.leaf)


def tamper_resign_whole(data: bytes, version: int, forger: OperatorKey) -> bytes:
    """One event altered, then everything that vouches for it made anew by the forger: a log
    of the bundle's own events, its checkpoint, every hash, the manifest's key, the statement,
    all signed with the forger's key. Consistent throughout: only a pinned key tells."""

    def change(files: Files, manifest: dict[str, Any]) -> None:
        name = event_file(version)
        document = json.loads(files[name])
        document["state"]["basis"] += " (amended)"
        files[name] = canonical_json(document)
        leaves = [_leaf(files[e["file"]], e, manifest) for e in manifest["events"]]
        time = manifest["checkpoint"].split("\ntime ", 1)[1].split("\n", 1)[0]
        text = checkpoint_text(forger.name, len(leaves), root_of(leaves), time)
        manifest["checkpoint"] = sign_note(text, forger)
        manifest["verifier_key"] = forger.verifier_key
        manifest["files"][name] = sha256_hex(files[name])
        for index, entry in enumerate(manifest["events"]):
            path = [p.hex() for p in inclusion_path(index, leaves)]
            entry |= {"leaf_index": index, "leaf_hash": leaves[index].hex(), "proof": path}

    forged = read_zip(rewrite(data, change))
    forged[STATEMENT] = sign_note(statement_text(forged[MANIFEST]), forger).encode()
    return write_zip(forged)


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
