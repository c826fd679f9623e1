"""C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519 `cosignature/v1`.

A witness's cosignature is one more signature line on the operator's checkpoint note:

    — <witness name> base64(key id (4) || timestamp (u64, big-endian) || Ed25519 signature (64))

key id = SHA-256(name || 0x0A || 0x04 || public key)[:4]; the signed message is

    cosignature/v1
    time <timestamp, POSIX seconds>
    <the whole checkpoint text, extension lines (Kezek's `time ...`) included>

A witness's verifier key is `<name>+<key id hex>+base64(0x04 || public key)`. Its private key
file holds `PRIVATE+KEY+<name>+<key id hex>+base64(0x04 || 32-byte seed)` (the shape of a Go
note signer key, with the cosignature type), so the name cannot drift from the key.

Only the standard library, `cryptography` and replay.signed_notes: the offline verifier
(replay.verify) checks a bundle's cosignatures with this module.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from replay.signed_notes import NoteError, key_parts

COSIGNATURE_V1 = 0x04
HEADER = "cosignature/v1\n"
SIGNATURE_PREFIX = "\u2014 "
PRIVATE_PREFIX = "PRIVATE+KEY+"
MAX_TIMESTAMP = 2**63 - 1


def cosigner_key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([COSIGNATURE_V1]) + public_key).digest()[:4]


def check_name(name: str) -> str:
    """A key name: non-empty, no space, no '+' (the signed-note rule)."""
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"the key name {name!r} must be non-empty, without spaces or '+'")
    return name


@dataclass(frozen=True)
class Cosigner:
    """A witness's public key: what a court names with `--witness-key`."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return cosigner_key_id(self.name, self.public_key)

    @property
    def short(self) -> str:
        return f"{self.name}+{self.key_id.hex()}"

    @property
    def verifier_key(self) -> str:
        encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse(cls, vkey: str) -> Cosigner:
        name, key_id, encoded = key_parts(vkey, "witness key")
        raw = _b64(encoded, "the witness key")
        if len(raw) != 33 or raw[0] != COSIGNATURE_V1:
            raise NoteError(
                f"the key {name} is not an Ed25519 cosignature/v1 key (0x04 || 32 bytes)"
            )
        cosigner = cls(check_name(name), raw[1:])
        if cosigner.key_id.hex() != key_id.lower():
            raise NoteError(f"the witness key's id {key_id} does not match its key")
        return cosigner


class CosignerKey(Cosigner):
    """A witness's private key (never printed: repr shows the public key only)."""

    def __init__(self, name: str, seed: bytes) -> None:
        private = Ed25519PrivateKey.from_private_bytes(seed)
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        super().__init__(check_name(name), public)
        object.__setattr__(self, "_private", private)
        object.__setattr__(self, "_seed", seed)

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """The cosignature line (with its newline) over `checkpoint_text` at `timestamp`."""
        if not 0 < timestamp <= MAX_TIMESTAMP:
            raise ValueError(f"timestamp {timestamp} is out of range")
        private: Ed25519PrivateKey = getattr(self, "_private")  # noqa: B009
        signature = private.sign(cosignature_message(checkpoint_text, timestamp))
        blob = self.key_id + struct.pack(">Q", timestamp) + signature
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(blob).decode()}\n"

    def private_text(self) -> str:
        seed: bytes = getattr(self, "_seed")  # noqa: B009
        encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + seed).decode()
        return f"{PRIVATE_PREFIX}{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse_private(cls, text: str) -> CosignerKey:
        if not text.startswith(PRIVATE_PREFIX):
            raise NoteError("not a witness private key (PRIVATE+KEY+<name>+<id>+<key>)")
        parts = text.strip()[len(PRIVATE_PREFIX) :].split("+", 2)
        if len(parts) != 3:
            raise NoteError("not a witness private key (PRIVATE+KEY+<name>+<id>+<key>)")
        raw = _b64(parts[2], "the witness private key")
        if len(raw) != 33 or raw[0] != COSIGNATURE_V1:
            raise NoteError("the witness private key is not an Ed25519 cosignature/v1 seed")
        key = cls(parts[0], raw[1:])
        if key.key_id.hex() != parts[1].lower():
            raise NoteError("the witness private key's id does not match its key")
        return key

    def __repr__(self) -> str:
        return f"CosignerKey({self.verifier_key!r})"


def cosignature_message(checkpoint_text: str, timestamp: int) -> bytes:
    return f"{HEADER}time {timestamp}\n{checkpoint_text}".encode()


def split_note(note: str) -> tuple[str, list[str]]:
    """The text of a signed note (final newline kept) and its signature lines."""
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise NoteError("not a signed note (no blank line before the signatures)")
    return note[: split + 1], note[split + 2 :].splitlines()


@dataclass(frozen=True)
class Cosignature:
    cosigner: Cosigner
    timestamp: int


def verify_cosignature(text: str, line: str, cosigner: Cosigner) -> Cosignature | None:
    """The cosignature `line` by `cosigner` over `text`: None when the line is another key's;
    raises NoteError when it is this key's and does not verify."""
    if not line.startswith(f"{SIGNATURE_PREFIX}{cosigner.name} "):
        return None
    try:
        blob = base64.b64decode(line.rsplit(" ", 1)[1], validate=True)
    except binascii.Error:
        return None
    if len(blob) != 76 or blob[:4] != cosigner.key_id:
        return None
    (timestamp,) = struct.unpack(">Q", blob[4:12])
    try:
        Ed25519PublicKey.from_public_bytes(cosigner.public_key).verify(
            blob[12:], cosignature_message(text, timestamp)
        )
    except InvalidSignature:
        raise NoteError(
            f"the cosignature of witness {cosigner.short} does not verify: forged, or over "
            "another checkpoint"
        ) from None
    if not 0 < timestamp <= MAX_TIMESTAMP:
        raise NoteError(f"the cosignature of witness {cosigner.short} has no valid time")
    return Cosignature(cosigner, timestamp)


@dataclass(frozen=True)
class Quorum:
    """Which named witnesses cosigned a note, which did not, and what was wrong."""

    valid: tuple[Cosignature, ...]
    missing: tuple[Cosigner, ...]
    bad: tuple[str, ...]

    def met(self, quorum: int) -> bool:
        return len(self.valid) >= quorum

    def failure(self, quorum: int) -> str:
        missing = ", ".join(c.short for c in self.missing) or "none"
        return (
            f"{len(self.valid)} valid cosignature(s) of the {quorum} required; missing: "
            f"{missing}" + "".join(f"; {why}" for why in self.bad)
        )


def check_cosignatures(note: str, cosigners: Sequence[Cosigner]) -> Quorum:
    """Each named witness's valid cosignature on `note` (lines of unknown keys are ignored)."""
    text, lines = split_note(note)
    valid: list[Cosignature] = []
    missing: list[Cosigner] = []
    bad: list[str] = []
    for cosigner in dict.fromkeys(cosigners):
        found: Cosignature | None = None
        for line in lines:
            try:
                found = verify_cosignature(text, line, cosigner)
            except NoteError as error:
                bad.append(str(error))
                break
            if found is not None:
                break
        if found is None:
            missing.append(cosigner)
        else:
            valid.append(found)
    return Quorum(tuple(valid), tuple(missing), tuple(bad))


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise NoteError(f"{what} is not valid base64") from None
