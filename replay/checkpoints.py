"""Signed checkpoints of the transparency log, proofs against them, and their offline checks.

A checkpoint is a C2SP signed note (https://c2sp.org/signed-note) whose text follows C2SP
tlog-checkpoint, with one extension line for the time:

    kezek/waiting-list                                  <- origin: names the log (and the key)
    1234                                                <- tree size, decimal
    3q2+7w...base64 of the 32-byte RFC 9162 root...=    <- root hash, standard base64
    time 2025-03-18T05:00:00Z                           <- when it was signed, UTC
                                                        <- blank line
    — kezek/waiting-list AbCd...base64...               <- em dash U+2014, key name, signature

The signature line carries base64(key id (4 bytes) || Ed25519 signature (64 bytes)) over the
text above the blank line, final newline included. key id = SHA-256(name || 0x0A || 0x01 ||
public key)[:4]. The operator publishes the verifier key `<name>+<key id hex>+<base64(0x01 ||
32-byte public key)>` (`OperatorKey.verifier_key`), the format Go's golang.org/x/mod/sumdb/note
reads: with it, and nothing else from Kezek, a court checks a checkpoint, an event's
inclusion (RFC 9162 §2.1.3.2) and the consistency of two checkpoints (§2.1.4.2).

The key: KEZEK_SIGNING_KEY (hex of the 32-byte Ed25519 seed), else the file
KEZEK_SIGNING_KEY_FILE (default var/signing.key, hex or raw), else, for a SQLite demo ledger
only, a new key written to that file (mode 0600). The origin is KEZEK_LOG_ORIGIN.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from domain.store_url import DEFAULT_DATABASE_URL, persistence_env
from projections.database import Tx
from replay.merkle import ProofError, hash_leaf, verify_consistency, verify_inclusion
from replay.signed_notes import Key, NoteError, note_key_id, parse_checkpoint
from replay.transparency import CHECKPOINTS as CHECKPOINTS
from replay.transparency import ConsistencyProof as ConsistencyProof
from replay.transparency import InclusionProof as InclusionProof
from replay.transparency import TransparencyLog
from replay.transparency import TreeHead as TreeHead
from replay.transparency import consistency_proof as consistency_proof
from replay.transparency import create_checkpoint_table as create_checkpoint_table
from replay.transparency import inclusion_proof as inclusion_proof
from replay.transparency import inclusion_proofs as inclusion_proofs
from replay.transparency import tree_head as tree_head

DEFAULT_ORIGIN = "kezek/waiting-list"
ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "


class MissingSigningKey(RuntimeError):
    """No signing key is configured where one must not be generated."""


class CheckpointInvalid(ValueError):
    """A checkpoint note is malformed, or its signature does not verify."""


class CheckpointRefused(RuntimeError):
    """The operator refuses to sign: the log does not extend the last signed checkpoint."""


@dataclass(frozen=True)
class Verifier:
    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return note_key_id(self.name, self.public_key)

    @property
    def verifier_key(self) -> str:
        encoded = base64.b64encode(ED25519 + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        # The offline verifier's reading of the key, so both sides accept the same keys.
        try:
            key = Key.parse(vkey)
        except NoteError as error:
            raise CheckpointInvalid(str(error)) from None
        return cls(key.name, key.public_key)


class OperatorKey(Verifier):
    def __init__(self, name: str, seed: bytes) -> None:
        private = Ed25519PrivateKey.from_private_bytes(seed)
        super().__init__(name, private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
        object.__setattr__(self, "_private", private)  # frozen like its Verifier

    def sign(self, message: bytes) -> bytes:
        private: Ed25519PrivateKey = getattr(self, "_private")  # noqa: B009
        return private.sign(message)

    def __repr__(self) -> str:  # never the seed
        return f"OperatorKey({self.verifier_key!r})"


def load_signing_key(env: Mapping[str, str] | None = None) -> OperatorKey:
    env = os.environ if env is None else env
    origin = env.get("KEZEK_LOG_ORIGIN") or DEFAULT_ORIGIN
    if any(c.isspace() or c == "+" for c in origin):
        raise CheckpointInvalid(f"KEZEK_LOG_ORIGIN {origin!r} must have no spaces and no '+'")
    text = env.get("KEZEK_SIGNING_KEY", "").strip()
    path = Path(env.get("KEZEK_SIGNING_KEY_FILE") or "var/signing.key")
    if text:
        return OperatorKey(origin, _seed(text.encode(), "KEZEK_SIGNING_KEY"))
    if path.exists():
        return OperatorKey(origin, _seed(path.read_bytes(), str(path)))
    url = env.get("KEZEK_DATABASE_URL") or DEFAULT_DATABASE_URL
    if "SQLITE_DBNAME" not in persistence_env(url):
        raise MissingSigningKey(
            f"no signing key: set KEZEK_SIGNING_KEY (64 hex digits) or put it in {path} "
            "(KEZEK_SIGNING_KEY_FILE); a key is generated only for a SQLite demo ledger"
        )
    seed = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return OperatorKey(origin, _seed(path.read_bytes(), str(path)))
    with os.fdopen(fd, "w") as file:
        file.write(seed.hex() + "\n")
    print(f"kezek: generated a new signing key in {path} (mode 0600)", file=sys.stderr)
    return OperatorKey(origin, seed)


def _seed(raw: bytes, origin: str) -> bytes:
    text = raw.strip()
    if len(text) == 64:
        try:
            return bytes.fromhex(text.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            pass
    if len(raw) == 32:
        return raw
    raise CheckpointInvalid(f"{origin} is not a 32-byte Ed25519 seed (64 hex digits or raw)")


@dataclass(frozen=True)
class Checkpoint(TreeHead):
    time: str  # RFC 3339, UTC, seconds
    origin: str
    key_id: str  # hex, 4 bytes
    signature: str  # hex, 64 bytes
    note: str  # the signed note: what is published and what a court verifies


def checkpoint_text(origin: str, size: int, root: bytes, time: str) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\ntime {time}\n"


def verify_checkpoint(note: str, verifier: Verifier | str) -> Checkpoint:
    """Parse a signed checkpoint and check its signature; raises CheckpointInvalid."""
    if isinstance(verifier, str):
        verifier = Verifier.parse(verifier)
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise CheckpointInvalid("not a signed note: no blank line before the signatures")
    text, lines = note[: split + 1], note[split + 2 :].splitlines()
    mine = [line for line in lines if line.startswith(f"{SIGNATURE_PREFIX}{verifier.name} ")]
    for line in mine:
        try:
            raw = base64.b64decode(line.rsplit(" ", 1)[1], validate=True)
        except binascii.Error:
            raise CheckpointInvalid("a signature line is not valid base64") from None
        if raw[:4] != verifier.key_id or len(raw) != 68:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(verifier.public_key).verify(raw[4:], text.encode())
        except InvalidSignature:
            raise CheckpointInvalid(
                f"the signature of {verifier.name} (key {verifier.key_id.hex()}) does not "
                "verify: the checkpoint text was altered or signed with another key"
            ) from None
        return _parse_text(text, verifier, raw[4:], note)
    raise CheckpointInvalid(f"the checkpoint is not signed by {verifier.verifier_key}")


def _parse_text(text: str, verifier: Verifier, signature: bytes, note: str) -> Checkpoint:
    # The offline verifier's reading of the text, so both sides accept exactly the same notes.
    try:
        head = parse_checkpoint(text, Key(verifier.name, verifier.key_id, verifier.public_key))
    except NoteError as error:
        raise CheckpointInvalid(str(error)) from None
    return Checkpoint(
        head.size, head.root.hex(), head.time, verifier.name, verifier.key_id.hex(),
        signature.hex(), note,
    )  # fmt: skip


# -- the operator's side: signing and serving ----------------------------------------------


_COLUMNS = "size, root_hash, time, origin, key_id, signature, note"


def latest_checkpoint(tx: Tx) -> Checkpoint | None:
    row = tx.fetchone(f"SELECT {_COLUMNS} FROM {CHECKPOINTS} ORDER BY seq DESC LIMIT 1")
    return None if row is None else Checkpoint(int(row[0]), *(str(v) for v in row[1:]))


def checkpoints(tx: Tx) -> list[Checkpoint]:
    rows = tx.fetchall(f"SELECT {_COLUMNS} FROM {CHECKPOINTS} ORDER BY seq")
    return [Checkpoint(int(row[0]), *(str(v) for v in row[1:])) for row in rows]


def sign_checkpoint(
    tx: Tx, log: TransparencyLog, key: OperatorKey, *, now: datetime | None = None
) -> Checkpoint:
    """Sign the log as it stands, after checking it extends the last signed checkpoint."""
    create_checkpoint_table(tx)
    if tx.dialect == "postgres":
        tx.execute(f"LOCK TABLE {CHECKPOINTS} IN SHARE ROW EXCLUSIVE MODE")
    head = tree_head(tx, log)
    previous = latest_checkpoint(tx)
    if previous is not None:
        try:
            if head.size < previous.size:
                raise ProofError(f"the log has {head.size} leaves, fewer than {previous.size}")
            verify_consistency_proof(
                consistency_proof(tx, log, previous.size, head.size), previous, head
            )
        except ProofError as error:
            raise CheckpointRefused(f"refusing to sign size {head.size}: {error}") from None
    time = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if previous is not None and time < previous.time:
        raise CheckpointRefused(f"refusing to sign at {time}: the last checkpoint is later")
    text = checkpoint_text(key.name, head.size, bytes.fromhex(head.root_hash), time)
    signature = key.sign(text.encode())
    line = base64.b64encode(key.key_id + signature).decode()
    note = f"{text}\n{SIGNATURE_PREFIX}{key.name} {line}\n"
    checkpoint = Checkpoint(
        head.size, head.root_hash, time, key.name, key.key_id.hex(), signature.hex(), note
    )
    tx.execute(
        f"INSERT INTO {CHECKPOINTS} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (head.size, head.root_hash, time, key.name, checkpoint.key_id, signature.hex(), note),
    )
    return checkpoint


# -- the verifier's side: only the public key, the checkpoint, the event and the proof -----


def verify_inclusion_proof(canonical: bytes, proof: InclusionProof, head: TreeHead) -> None:
    """The event with these canonical bytes is leaf `proof.leaf_index` of the signed tree."""
    if proof.tree_size != head.size:
        raise ProofError(f"the proof is for size {proof.tree_size}, the tree has {head.size}")
    try:
        position = json.loads(canonical)["position"]
    except (ValueError, TypeError, KeyError):
        raise ProofError("the event's canonical bytes are not an event document") from None
    if position != proof.position:
        raise ProofError(f"the event is at position {position}, the proof for {proof.position}")
    leaf = hash_leaf(canonical)
    if leaf.hex() != proof.leaf_hash:
        raise ProofError(
            f"the event at position {position} hashes to {leaf.hex()}, but leaf "
            f"{proof.leaf_index} of the log is {proof.leaf_hash}: the event was altered"
        )
    verify_inclusion(proof.leaf_index, head.size, leaf, _hashes(proof.path), _root(head))


def verify_consistency_proof(proof: ConsistencyProof, old: TreeHead, new: TreeHead) -> None:
    """The tree `new` extends the tree `old` (e.g. two signed checkpoints)."""
    if (proof.old_size, proof.new_size) != (old.size, new.size):
        raise ProofError(
            f"the proof is from size {proof.old_size} to {proof.new_size}, "
            f"not from {old.size} to {new.size}"
        )
    verify_consistency(old.size, new.size, _root(old), _root(new), _hashes(proof.path))


def _root(head: TreeHead) -> bytes:
    return bytes.fromhex(head.root_hash)


def _hashes(path: Sequence[str]) -> list[bytes]:
    return [bytes.fromhex(p) for p in path]
