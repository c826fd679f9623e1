"""Check a court bundle offline: `python -m replay.verify FILE.zip --key KEY` (or `kezek verify`).

Needs nothing but the bundle, the operator's published verifier key, the standard library,
`cryptography` and `rfc8785`, with replay.canonical, replay.merkle, replay.bundle (reading
through replay.bundle_reading, with bounded memory), replay.signed_notes and replay.trust (none
of which reaches a database: a test holds this module to that). The key is pinned by whoever
checks (`--key`, `--trust FILE`): a bundle's own key proves nothing (replay.trust). It checks
that

- manifest.json is canonical JSON (RFC 8785) and the signed statement names its SHA-256;
- the statement and the checkpoint (C2SP signed notes) verify with the key;
- every file is listed, present, and has the SHA-256 the manifest gives;
- every event file is canonical, of the bundle's aggregate, at the version and position the
  manifest lists; versions are 1..n without a gap, a repeat or a change of order, and positions
  rise with the versions;
- every event's leaf hash is the one its inclusion proof starts from, and the proof leads to
  the checkpoint's root (RFC 9162 §2.1.3.2);
- a bundle made for a role that may not see personal data: each redacted value is reported
  ("redacted for role X") and still proven by its sealed digest (replay.sealing); an event
  withheld whole is reported too (its inclusion is proven, not its content); the redactions
  are the ones the manifest declares for the role it names.

Each failure is one line naming the file (or the manifest field) and the check.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO

from replay.bundle import (
    MANIFEST,
    STATEMENT,
    BundleError,
    EventEntry,
    Manifest,
    read_zip,
    sha256_hex,
    statement_text,
    strict_json,
)
from replay.canonical import NotCanonicalizable, canonical_json
from replay.cosignatures import check_cosignatures
from replay.merkle import ProofError, hash_leaf, verify_inclusion
from replay.sealing import DOCUMENT, FORMAT_KEY, WITHHELD_FOR, read_document
from replay.signed_notes import Head, Key, NoteError, open_note, parse_checkpoint, read_key
from replay.trust import Trust, TrustError

# Callers and tests took the note checks from here before they had a module of their own.
__all__ = [
    "Head",
    "Key",
    "NoteError",
    "Report",
    "Trust",
    "main",
    "open_note",
    "parse_checkpoint",
    "read_key",
    "verify_bundle_bytes",
    "verify_file",
]

FIELDS = ("position", "originator_id", "originator_version", "topic", "state")


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was redacted, and for whom
    summary: str = ""

    @property
    def ok(self) -> bool:
        return not self.failures

    def lines(self) -> list[str]:
        verdict = self.summary if self.ok else f"FAILED: {len(self.failures)} check(s) failed"
        return [*self.warnings, *self.notes, *self.failures, verdict]


def verify_bundle_bytes(data: bytes | BinaryIO, trust: Trust | str | None = None) -> Report:
    """Check a bundle (its bytes, or a file open on them) with the pinned key (`trust` a key,
    or the keys of a Trust) or, exploring (Trust(embedded=True)), with the bundle's own."""
    report = Report()
    fail = report.failures.append
    try:
        trust = Trust.given(trust)
    except TrustError as error:
        fail(str(error).replace("\n", " "))
        return report
    try:
        files = read_zip(data)
        if MANIFEST not in files:
            raise BundleError(f"{MANIFEST}: missing from the bundle")
        manifest_bytes = files[MANIFEST]
        manifest = Manifest.parse(strict_json(manifest_bytes, MANIFEST))
        if canonical_json(strict_json(manifest_bytes, MANIFEST)) != manifest_bytes:
            fail(f"{MANIFEST}: not canonical JSON (RFC 8785): edited after export?")
        trusted = trust.key_for(manifest.verifier_key, files.get(STATEMENT))
    except (BundleError, NotCanonicalizable) as error:
        fail(str(error))
        return report
    except NoteError as error:
        fail(f"key: {error}")
        return report
    report.warnings.extend(trust.caveats(manifest.verifier_key, trusted))
    _statement(files, manifest_bytes, trusted, fail)
    head: Head | None = None
    try:
        head = parse_checkpoint(open_note(manifest.checkpoint, trusted), trusted)
    except NoteError as error:
        fail(f"checkpoint: {error}")
    _files(files, manifest, fail)
    _versions(manifest, fail)
    for entry in manifest.events:
        _event(files.get(entry.file), entry, manifest, head, fail, report.notes.append)
    if head is None:
        fail("events/*: inclusion proofs not checked: the checkpoint is not authentic")
    cosigned = _cosigned(manifest.checkpoint, trust, fail)
    if report.ok and head is not None:
        verdict, whose = (
            ("OK, NOT pinned", "the bundle's own") if trust.embedded else ("OK", "pinned")
        )
        report.summary = (
            f"{verdict}: {manifest.kind} {manifest.originator_id}: {manifest.event_count} "
            f"events, versions 1..{manifest.event_count} complete, each included in the signed "
            f"log (checkpoint of size {head.size}, key {trusted.short}, {whose}); "
            + cosigned
            + manifest.redaction.summary()
        )
    return report


def _cosigned(note: str, trust: Trust, fail: Fail) -> str:
    """The witnesses' part of the verdict; a failure naming the witnesses missing."""
    if not trust.witnesses:
        return ""
    try:
        found = check_cosignatures(note, trust.witnesses)
    except NoteError as error:
        fail(f"checkpoint: {error}")
        return ""
    if not found.met(trust.quorum):
        fail(f"checkpoint: not cosigned by the witnesses required: {found.failure(trust.quorum)}")
    names = ", ".join(c.cosigner.short for c in found.valid)
    return f"cosigned by {len(found.valid)} of {len(trust.witnesses)} witnesses ({names}); "


def _statement(files: dict[str, bytes], manifest: bytes, key: Key, fail: Fail) -> None:
    if STATEMENT not in files:
        fail(f"{STATEMENT}: missing from the bundle (nothing signs the manifest)")
        return
    try:
        text = open_note(files[STATEMENT].decode("utf-8", "replace"), key)
    except NoteError as error:
        fail(f"{STATEMENT}: {error}")
        return
    if text != statement_text(manifest):
        fail(
            f"{MANIFEST}: SHA-256 {sha256_hex(manifest)} is not the one the signed statement "
            "names (manifest edited after export)"
        )


def _files(files: dict[str, bytes], manifest: Manifest, fail: Fail) -> None:
    listed = {**manifest.files, **manifest.for_people}
    for name in sorted(files):
        if name not in listed and name not in (MANIFEST, STATEMENT):
            fail(f"{name}: in the bundle but not in the manifest (file added?)")
    for name, digest in sorted(listed.items()):
        people = name in manifest.for_people
        if name not in files:
            fail(f"{name}: listed in the manifest but missing from the bundle (file removed?)")
        elif sha256_hex(files[name]) != digest:
            why = "rendered file edited: for people, not evidence" if people else "file altered?"
            fail(f"{name}: SHA-256 does not match the manifest ({why})")
    for entry in manifest.events:
        if entry.file not in manifest.files:
            fail(f"manifest: version {entry.version}'s file {entry.file} has no SHA-256 listed")


def _versions(manifest: Manifest, fail: Fail) -> None:
    listed = [e.version for e in manifest.events]
    if not listed:
        fail("manifest: no events listed (nothing to verify)")
    if manifest.event_count != len(listed):
        fail(f"manifest: event_count is {manifest.event_count}, but {len(listed)} are listed")
    if list(manifest.versions) != listed:
        fail("manifest: versions does not list the versions of the events, in their order")
    for version, times in sorted(Counter(listed).items()):
        if times > 1:
            fail(f"manifest: version {version} listed {times} times (history repeated)")
    for version in sorted(set(range(1, max(listed, default=0) + 1)) - set(listed)):
        fail(f"manifest: version {version} missing (history incomplete)")
    if 0 in listed:
        fail("manifest: version 0 listed (versions start at 1)")
    for before, after in pairwise(listed):
        if before > after:
            fail(f"manifest: version {before} listed before version {after} (out of order)")
            break
    by_version = sorted({e.version: e for e in manifest.events}.values(), key=lambda e: e.version)
    for earlier, later in pairwise(by_version):
        if later.position <= earlier.position:
            fail(
                f"{later.file}: version {later.version} at position {later.position} is not "
                f"after version {earlier.version} at position {earlier.position} "
                "(events reordered?)"
            )


def _event(
    data: bytes | None,
    entry: EventEntry,
    manifest: Manifest,
    head: Head | None,
    fail: Fail,
    note: Fail,
) -> None:
    name = entry.file
    if data is None:
        return  # reported as missing
    try:
        document = strict_json(data, name)
        if not isinstance(document, dict) or frozenset(document) - DOCUMENT not in _EXTRA:
            raise BundleError(f"{name}: not an event document ({', '.join(FIELDS)})")
        if canonical_json(document) != data:
            fail(
                f"{name}: not canonical JSON (RFC 8785): its bytes differ from their canonical form"
            )
    except (BundleError, NotCanonicalizable) as error:
        fail(str(error))
        return
    if document["originator_id"] != manifest.originator_id:
        fail(f"{name}: event of {document['originator_id']}, not of {manifest.originator_id}")
    if document["originator_version"] != entry.version:
        fail(
            f"{name}: holds version {document['originator_version']}, the manifest lists "
            f"version {entry.version} (events swapped?)"
        )
    if document["position"] != entry.position:
        fail(f"{name}: at position {document['position']}, the manifest says {entry.position}")
    reading = read_document(document, data, manifest.redaction.made_for)
    failures, notes = manifest.redaction.check(name, reading)  # redacted, told from tampered
    for line in failures:
        fail(line)
    for line in notes:
        note(line)
    # Withheld: the manifest's leaf hash stands for the event, and only its inclusion is proven.
    leaf = bytes.fromhex(entry.leaf_hash) if reading.leaf is None else hash_leaf(reading.leaf)
    if leaf.hex() != entry.leaf_hash:
        fail(f"{name}: leaf hash does not match the inclusion proof (event altered?)")
        return
    if head is None:
        return
    try:
        proof = [bytes.fromhex(p) for p in entry.proof]
        verify_inclusion(entry.leaf_index, head.size, leaf, proof, head.root)
    except ProofError as error:
        fail(
            f"{name}: inclusion proof does not lead to the checkpoint's root (event not in "
            f"the signed log: forged?): {error}"
        )


Fail = Callable[[str], None]
_EXTRA: tuple[frozenset[str], ...] = (
    frozenset(),
    frozenset({FORMAT_KEY}),
    frozenset({WITHHELD_FOR}),
)


def verify_file(
    path: str | Path,
    key: str | None = None,
    echo: Callable[[str], None] = print,
    *,
    trust_file: str | Path | None = None,
    trust_embedded: bool = False,
    witness_keys: Sequence[str] = (),
    quorum: int | None = None,
) -> int:
    """Verify the bundle at `path` with the key pinned (`key`, the keys of `trust_file`) or,
    exploring, the bundle's own; print what holds or each failure. 0 when all holds, 1 when a
    check fails, 2 when nothing is pinned or the bundle or a key cannot be read."""
    try:
        trust = Trust.of(key, trust_file, embedded=trust_embedded)
        trust = trust.with_witnesses(witness_keys, quorum) if witness_keys else trust
    except TrustError as error:
        for line in str(error).splitlines():
            echo(line)
        return 2
    try:
        with Path(path).open("rb") as file:
            report = verify_bundle_bytes(file, trust)
    except OSError as error:
        echo(f"{path}: cannot read: {error.strerror}")
        return 2
    for line in report.lines():
        echo(line)
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replay.verify", description=__doc__)
    parser.add_argument("bundle", help="the court bundle (.zip)")
    parser.add_argument("--key", help="the operator's verifier key, or a file holding it")
    parser.add_argument("--trust", help="a file of the operator's verifier keys, one a line")
    parser.add_argument(
        "--trust-embedded-key",
        action="store_true",
        help="explore: check with the key the bundle carries (NOT pinned: proves nothing "
        "about who signed it)",
    )
    arguments = parser.parse_args(argv)
    return verify_file(
        arguments.bundle,
        arguments.key,
        trust_file=arguments.trust,
        trust_embedded=arguments.trust_embedded_key,
    )


if __name__ == "__main__":
    sys.exit(main())
