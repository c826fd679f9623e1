"""The court bundle: its layout, its manifest, and reading and writing it as a deterministic zip.

    manifest.json            RFC 8785 JSON: what the bundle holds, each event's inclusion proof,
                             the signed checkpoint (note text), the verifier key, every file's
                             SHA-256; for which role it was made and what was redacted for it
    statement.txt            a signed note (same key) naming the SHA-256 of manifest.json: the
                             operator's word that this is the whole case as of the export
    events/0001.json ...     one event per file, RFC 8785 JSON of {position, originator_id,
                             originator_version, topic, state}: the transparency log's leaf data
    rendered/*.html          the audit trail, the position history (or the list): for people,
                             not evidence
    README.txt               how to check the bundle by hand: for people, not evidence

Only the standard library, replay.canonical and replay.bundle_reading: the offline verifier
(replay.verify) reads bundles through this module, so it must not reach a database. The same
files always make the same bytes: entries in a fixed order, a fixed timestamp, fixed attributes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

# Reading (bounded: the verifier reads bundles as hostile) is replay.bundle_reading's.
from replay.bundle_reading import BundleError as BundleError
from replay.bundle_reading import read_zip as read_zip
from replay.canonical import canonical_json, strict_loads
from replay.made_for import Redaction

FORMAT = "kezek-court-export/2"  # /2: made for a role; events may be format-2 leaves
FORMATS = ("kezek-court-export/1", FORMAT)
MANIFEST = "manifest.json"
STATEMENT = "statement.txt"
README = "README.txt"
STATEMENT_TITLE = "kezek court export v1"  # a space: never a log origin, so never a checkpoint
SIGNATURE_PREFIX = "\u2014 "
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
KINDS = ("application", "list")


class Signer(Protocol):
    """What signs a note: the operator's key (replay.checkpoints.OperatorKey)."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> bytes: ...

    def sign(self, message: bytes) -> bytes: ...


def event_file(version: int) -> str:
    return f"events/{version:04d}.json"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def statement_text(manifest: bytes) -> str:
    return f"{STATEMENT_TITLE}\n{MANIFEST} sha256 {sha256_hex(manifest)}\n"


def sign_note(text: str, signer: Signer) -> str:
    """A C2SP signed note of `text` (which ends in a newline)."""
    signature = base64.b64encode(signer.key_id + signer.sign(text.encode())).decode()
    return f"{text}\n{SIGNATURE_PREFIX}{signer.name} {signature}\n"


@dataclass(frozen=True)
class EventEntry:
    version: int
    position: int
    leaf_index: int
    leaf_hash: str  # hex
    file: str
    proof: tuple[str, ...]  # hex, leaf to root (RFC 9162 PATH) in the checkpoint's tree

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "position": self.position,
            "leaf_index": self.leaf_index,
            "leaf_hash": self.leaf_hash,
            "file": self.file,
            "proof": list(self.proof),
        }


@dataclass(frozen=True)
class Manifest:
    kind: str  # "application" or "list"
    originator_id: str  # the aggregate whose versions 1..n the bundle holds
    subject: Mapping[str, str | int | None]  # application id, provider, list; as-of moment
    created_at: str
    event_count: int
    versions: tuple[int, ...]
    events: tuple[EventEntry, ...]
    checkpoint: str  # the signed note, as text
    verifier_key: str
    files: Mapping[str, str] = field(default_factory=dict)  # evidence: name -> SHA-256
    for_people: Mapping[str, str] = field(default_factory=dict)  # not evidence: name -> SHA-256
    format: str = FORMAT
    redaction: Redaction = field(default_factory=Redaction)  # for whom, what was redacted

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "kind": self.kind,
            "originator_id": self.originator_id,
            "subject": dict(self.subject),
            "created_at": self.created_at,
            "event_count": self.event_count,
            "versions": list(self.versions),
            "events": [e.as_json() for e in self.events],
            "checkpoint": self.checkpoint,
            "verifier_key": self.verifier_key,
            "files": dict(self.files),
            "for_people_not_evidence": dict(self.for_people),
        } | self.redaction.as_json()

    def to_bytes(self) -> bytes:
        return canonical_json(self.as_json())

    @classmethod
    def parse(cls, value: Any) -> Manifest:
        """A manifest read from a bundle; raises BundleError naming the field that is wrong."""
        top = _object(value, "manifest")
        if top.get("format") not in FORMATS:
            raise BundleError(f"manifest: format {top.get('format')!r} is not {FORMAT!r}")
        kind = _text(top, "kind", "manifest")
        if kind not in KINDS:
            raise BundleError(f"manifest: kind {kind!r} is neither of {', '.join(KINDS)}")
        subject = _object(top.get("subject"), "manifest: subject")
        for name, item in subject.items():
            if item is not None and not isinstance(item, str | int):
                raise BundleError(f"manifest: subject.{name} is not text")
        events = top.get("events")
        if not isinstance(events, list):
            raise BundleError("manifest: events is not a list")
        versions = top.get("versions")
        if not isinstance(versions, list) or not all(_is_int(v) for v in versions):
            raise BundleError("manifest: versions is not a list of integers")
        return cls(
            kind=kind,
            originator_id=_text(top, "originator_id", "manifest"),
            subject=subject,
            created_at=_text(top, "created_at", "manifest"),
            event_count=_int(top, "event_count", "manifest"),
            versions=tuple(versions),
            events=tuple(_entry(e, i) for i, e in enumerate(events)),
            checkpoint=_text(top, "checkpoint", "manifest"),
            verifier_key=_text(top, "verifier_key", "manifest"),
            files=_hashes(top.get("files"), "files"),
            for_people=_hashes(top.get("for_people_not_evidence"), "for_people_not_evidence"),
            redaction=Redaction.parse(top, legacy=top["format"] == FORMATS[0], error=BundleError),
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BundleError(f"{where} is not a JSON object")
    return value


def _text(obj: Mapping[str, Any], name: str, where: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str):
        raise BundleError(f"{where}: {name} is missing or not text")
    return value


def _int(obj: Mapping[str, Any], name: str, where: str) -> int:
    value = obj.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BundleError(f"{where}: {name} is missing or not a non-negative integer")
    return value


def _hex(value: Any, size: int) -> bool:
    if not isinstance(value, str) or len(value) != 2 * size:
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return value == value.lower()


def _entry(value: Any, index: int) -> EventEntry:
    where = f"manifest: events[{index}]"
    obj = _object(value, where)
    proof = obj.get("proof")
    if not isinstance(proof, list) or not all(_hex(p, 32) for p in proof):
        raise BundleError(f"{where}: proof is not a list of 32-byte hex hashes")
    if not _hex(obj.get("leaf_hash"), 32):
        raise BundleError(f"{where}: leaf_hash is not a 32-byte hex hash")
    return EventEntry(
        version=_int(obj, "version", where),
        position=_int(obj, "position", where),
        leaf_index=_int(obj, "leaf_index", where),
        leaf_hash=obj["leaf_hash"],
        file=_text(obj, "file", where),
        proof=tuple(proof),
    )


def _hashes(value: Any, name: str) -> dict[str, str]:
    obj = _object(value, f"manifest: {name}")
    for file, digest in obj.items():
        if not _hex(digest, 32):
            raise BundleError(f"manifest: {name}[{file!r}] is not a SHA-256 in hex")
    return obj


# -- the zip ---------------------------------------------------------------------------------


def _order(name: str) -> tuple[int, str]:
    first = {MANIFEST: 0, STATEMENT: 1, README: 2}
    return (first.get(name, 3), name)


def write_zip(files: Mapping[str, bytes]) -> bytes:
    """The same files always make the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files, key=_order):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def assemble(
    manifest: Manifest,
    evidence: Mapping[str, bytes],
    for_people: Mapping[str, bytes],
    signer: Signer,
) -> bytes:
    """The zip of a manifest (its `files` and `for_people` filled in here), the evidence files,
    the files for people, and the statement signing the manifest."""
    complete = replace(
        manifest,
        files={name: sha256_hex(data) for name, data in sorted(evidence.items())},
        for_people={name: sha256_hex(data) for name, data in sorted(for_people.items())},
    )
    manifest_bytes = complete.to_bytes()
    statement = sign_note(statement_text(manifest_bytes), signer).encode()
    return write_zip({**evidence, **for_people, MANIFEST: manifest_bytes, STATEMENT: statement})


def strict_json(data: bytes, where: str) -> Any:
    """JSON parsed refusing duplicate names and non-numbers (replay.canonical.strict_loads)."""
    try:
        return strict_loads(
            data.decode("utf-8"),
            twice=lambda key: BundleError(f"{where}: the member {key!r} appears twice"),
            not_a_number=lambda name: BundleError(f"{where}: {name} is not JSON"),
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(f"{where}: not JSON ({error})") from None
