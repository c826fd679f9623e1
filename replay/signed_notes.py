"""C2SP signed notes as the verifier reads them: the verifier key, a signature, a checkpoint.

The format is that of replay.checkpoints, re-read here so that the offline verifier
(replay.verify) does not import the operator's side, which imports the database drivers. Only
the standard library, `cryptography` and replay.bundle: a test holds this module to that.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from replay.bundle import SIGNATURE_PREFIX


class NoteError(ValueError):
    """A signed note that does not verify, or a key or checkpoint that cannot be read."""


def note_key_id(name: str, public_key: bytes) -> bytes:
    """A note key's id: SHA-256(name || 0x0A || 0x01 || Ed25519 public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n\x01" + public_key).digest()[:4]


def key_parts(vkey: str, what: str) -> tuple[str, str, str]:
    """`<name>+<key id hex>+<key>` split in three; NoteError naming `what` if it is not so."""
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError(f"{vkey.strip()[:60]!r} is not a {what} <name>+<id>+<key>")
    name, key_id, encoded = parts
    return name, key_id, encoded


@dataclass(frozen=True)
class Key:
    name: str
    key_id: bytes
    public_key: bytes

    @property
    def short(self) -> str:
        return f"{self.name}+{self.key_id.hex()}"

    @classmethod
    def parse(cls, vkey: str) -> Key:
        """`<name>+<key id hex>+<base64(0x01 || Ed25519 public key)>`."""
        name, key_id, encoded = key_parts(vkey, "verifier key")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError("the verifier key is not valid base64") from None
        if len(raw) != 33 or raw[:1] != b"\x01":
            raise NoteError("the verifier key is not an Ed25519 key (0x01 || 32 bytes)")
        computed = note_key_id(name, raw[1:])
        if computed.hex() != key_id.lower():
            raise NoteError(f"the verifier key's id {key_id} does not match its key")
        return cls(name, computed, raw[1:])


def read_key(given: str) -> str:
    """A verifier key given as itself or as the path of a file holding it."""
    path = Path(given)
    if "+" not in given or path.is_file():
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise NoteError(f"cannot read the key file {given}: {error.strerror}") from None
    return given


def open_note(note: str, key: Key) -> str:
    """The text of a signed note whose signature by `key` verifies; raises NoteError."""
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise NoteError("not a signed note (no blank line before the signatures)")
    text = note[: split + 1]
    for line in note[split + 2 :].splitlines():
        if not line.startswith(f"{SIGNATURE_PREFIX}{key.name} "):
            continue
        try:
            raw = base64.b64decode(line.rsplit(" ", 1)[1], validate=True)
        except binascii.Error:
            continue
        if len(raw) != 68 or raw[:4] != key.key_id:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(key.public_key).verify(raw[4:], text.encode())
        except InvalidSignature:
            break
        return text
    raise NoteError(f"signature does not verify with key {key.short}")


@dataclass(frozen=True)
class Head:
    size: int
    root: bytes
    time: str


def parse_checkpoint(text: str, key: Key) -> Head:
    """origin, size, base64 root, `time ...` (replay.checkpoints' text)."""
    lines = text[:-1].split("\n")
    times = [line[5:] for line in lines[3:] if line.startswith("time ")]
    if len(lines) < 4 or len(times) != 1 or not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
        raise NoteError("the checkpoint text is not origin, size, root and time")
    if lines[0] != key.name:
        raise NoteError(f"the checkpoint is of log {lines[0]!r}, not {key.name!r}")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        root = b""
    if len(root) != 32:
        raise NoteError("the checkpoint's root hash is not 32 bytes")
    return Head(int(lines[1]), root, times[0])
