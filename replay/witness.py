"""A C2SP tlog-witness (https://c2sp.org/tlog-witness): the protocol, without HTTP, and its state.

`Witness.add_checkpoint(body)` answers one `POST /add-checkpoint` body: `old <size>`, the
consistency proof (one base64 hash a line, at most 63), a blank line, the signed checkpoint.
The checks run in the specification's order and answer as it says:

- 400 a malformed body, or an old size above the checkpoint's size;
- 404 a log (origin) this witness does not know;
- 403 no valid signature of a key it trusts for that log, or one that fails;
- 409 (`text/x.tlog.size`, body `<size>\\n`) an old size that is not the size it last cosigned;
- 422 a proof that does not verify, a proof from size 0, the same size with another root;
- 200 the cosignature line (replay.cosignatures) after the new size and root are committed.

The state (per log: size, root, the checkpoint and the cosignature) is a SQLite file; a
request takes the write lock (BEGIN IMMEDIATE), checks against what is stored, and commits
before the answer is returned, so two requests cannot both extend the same size and a witness
killed at any moment has cosigned at most what it stored. Every cosignature is also appended to
`cosigned` (the witness's own record; the tests read it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from replay.cosignatures import CosignerKey, split_note
from replay.merkle import EMPTY_ROOT, ProofError, verify_consistency
from replay.signed_notes import Key, NoteError, open_note

SIZE_TYPE = "text/x.tlog.size"
MAX_PROOF_LINES = 63
MAX_SIZE = 2**63 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,18}")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Request:
    old_size: int
    proof: tuple[bytes, ...]
    note: str
    text: str
    origin: str
    size: int
    root: bytes


class Refused(Exception):
    def __init__(self, status: int, why: str, content_type: str = "text/plain; charset=utf-8"):
        super().__init__(why)
        self.answer = Answer(status, why if why.endswith("\n") else why + "\n", content_type)


def parse_request(body: bytes) -> Request:
    """The parts of an add-checkpoint body; raises Refused(400) when it is malformed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    head, blank, note = text.partition("\n\n")
    lines = head.split("\n")
    if not blank or not lines[0].startswith("old "):
        raise Refused(400, "the body is not: old <size>, proof lines, a blank line, a checkpoint")
    old = _decimal(lines[0][4:], "old size")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise Refused(400, f"more than {MAX_PROOF_LINES} consistency proof lines")
    proof = tuple(_hash(line, "a proof line") for line in lines[1:])
    try:
        checkpoint, _ = split_note(note)
    except NoteError as error:
        raise Refused(400, f"the checkpoint: {error}") from None
    parts = checkpoint[:-1].split("\n")
    if len(parts) < 3 or not parts[0]:
        raise Refused(400, "the checkpoint is not origin, size, root hash (and extensions)")
    size = _decimal(parts[1], "tree size")
    if old > size:
        raise Refused(400, f"the old size {old} is above the checkpoint's size {size}")
    return Request(old, proof, note, checkpoint, parts[0], size, _hash(parts[2], "the root"))


def _decimal(text: str, what: str) -> int:
    if not _DECIMAL.fullmatch(text) or int(text) > MAX_SIZE:
        raise Refused(400, f"the {what} {text[:24]!r} is not a decimal size")
    return int(text)


def _hash(text: str, what: str) -> bytes:
    try:
        value = base64.b64decode(text, validate=True)
    except binascii.Error:
        value = b""
    if len(value) != 32:
        raise Refused(400, f"{what} is not a base64 SHA-256 hash")
    return value


def check_log_signature(request: Request, keys: Sequence[Key]) -> None:
    """403 unless a key this witness trusts for the log signed the checkpoint."""
    failures = []
    for key in keys:
        try:
            open_note(request.note, key)
            return
        except NoteError as error:
            failures.append(str(error))
    raise Refused(403, f"no valid signature of a key trusted for {request.origin}: {failures}")


SCHEMA = (
    "CREATE TABLE IF NOT EXISTS logs (origin TEXT PRIMARY KEY, size INTEGER NOT NULL,"
    " root BLOB NOT NULL, note TEXT NOT NULL, cosignature TEXT NOT NULL,"
    " timestamp INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cosigned (seq INTEGER PRIMARY KEY, origin TEXT NOT NULL,"
    " size INTEGER NOT NULL, root BLOB NOT NULL, timestamp INTEGER NOT NULL)",
)


@dataclass(frozen=True)
class LogState:
    size: int
    root: bytes
    note: str  # the checkpoint with the log's signature and this witness's cosignature
    timestamp: int


class Witness:
    """One witness: its key, the logs it follows (their keys by origin), its state file."""

    def __init__(
        self,
        key: CosignerKey,
        log_keys: Sequence[Key],
        state: Path,
        *,
        clock: Callable[[], float] = time.time,
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self.key = key
        self.logs: dict[str, list[Key]] = {}
        for log_key in log_keys:
            self.logs.setdefault(log_key.name, []).append(log_key)
        self.state = state
        self.clock = clock
        self.after_commit = after_commit  # tests: a kill -9 after the commit, before the answer
        with closing(self._connect()) as db:
            for statement in SCHEMA:
                db.execute(statement)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.state, isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # the commit is on disk before the answer
        return db

    def add_checkpoint(self, body: bytes) -> Answer:
        try:
            return self._add(parse_request(body))
        except Refused as refused:
            return refused.answer

    def _add(self, request: Request) -> Answer:
        keys = self.logs.get(request.origin)
        if keys is None:
            raise Refused(404, f"this witness does not follow the log {request.origin!r}")
        check_log_signature(request, keys)
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                line, stamp = self._check_and_cosign(db, request)
                db.execute(
                    "INSERT OR REPLACE INTO logs VALUES (?, ?, ?, ?, ?, ?)",
                    (request.origin, request.size, request.root, request.note + line, line,
                     stamp),
                )  # fmt: skip
                db.execute(
                    "INSERT INTO cosigned (origin, size, root, timestamp) VALUES (?, ?, ?, ?)",
                    (request.origin, request.size, request.root, stamp),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        if self.after_commit is not None:
            self.after_commit()
        return Answer(200, line)

    def _check_and_cosign(self, db: sqlite3.Connection, request: Request) -> tuple[str, int]:
        row = db.execute(
            "SELECT size, root, timestamp FROM logs WHERE origin = ?", (request.origin,)
        ).fetchone()
        size, root, last = (0, EMPTY_ROOT, 0) if row is None else (int(row[0]), row[1], row[2])
        if request.old_size != size:
            raise Refused(409, f"{size}\n", SIZE_TYPE)
        if request.size == 0 and request.root != EMPTY_ROOT:
            raise Refused(422, "a tree of size 0 must have the empty tree's root")
        if request.old_size == 0 and request.proof:
            raise Refused(422, "a proof from size 0 must be empty")
        try:
            verify_consistency(size, request.size, root, request.root, request.proof)
        except ProofError as error:
            raise Refused(422, f"not consistent with what this witness cosigned: {error}") from None
        stamp = max(int(self.clock()), last)
        return self.key.cosign(request.text, stamp), stamp

    def latest(self, origin: str) -> LogState | None:
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT size, root, note, timestamp FROM logs WHERE origin = ?", (origin,)
            ).fetchone()
        return None if row is None else LogState(int(row[0]), bytes(row[1]), row[2], row[3])

    def origin_for_hash(self, origin_hash: str) -> str | None:
        return next(
            (o for o in self.logs if hashlib.sha256(o.encode()).hexdigest() == origin_hash), None
        )


def cosigned_roots(state: Path) -> list[tuple[str, int, bytes]]:
    """Every (origin, size, root) the witness at `state` ever cosigned, in order."""
    with closing(sqlite3.connect(state)) as db:
        rows = db.execute("SELECT origin, size, root FROM cosigned ORDER BY seq").fetchall()
    return [(str(o), int(s), bytes(r)) for o, s, r in rows]
