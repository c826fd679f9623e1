"""The log asks its witnesses (C2SP tlog-witness) to cosign its latest checkpoint.

For each witness URL: send `old <size it last cosigned>`, the consistency proof from that size,
and the signed checkpoint to `<url>/add-checkpoint`. A 409 names the size the witness holds: the
request is made again once from there (a witness whose size is above the log's has seen a
longer tree: a fork or a rollback, reported, never retried). Anything else but 200 is a refusal,
reported with the witness's reason. What happened is kept per witness in `kezek_witnesses`
(health shows it); the cosignature lines in `kezek_cosignatures`, by the SHA-256 of the
checkpoint text they sign. `cosigned_note` is the checkpoint with them: what
GET /v1/transparency/checkpoint publishes and a court export carries.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from projections.database import Tx, ViewDatabase
from replay.checkpoints import Checkpoint
from replay.cosignatures import SIGNATURE_PREFIX, split_note
from replay.transparency import TransparencyLog

WITNESSES = "kezek_witnesses"
COSIGNATURES = "kezek_cosignatures"


def create_tables(tx: Tx) -> None:
    """What each witness answered last, and the cosignature lines (TransparencyLog's setup)."""
    for table, columns in (
        (WITNESSES, "url TEXT PRIMARY KEY, size BIGINT, ok BOOLEAN NOT NULL,"
         " detail TEXT NOT NULL, checked_at TEXT NOT NULL"),
        (COSIGNATURES, "checkpoint TEXT, name TEXT, line TEXT NOT NULL,"
         " PRIMARY KEY (checkpoint, name)"),
    ):  # fmt: skip
        tx.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")


@dataclass(frozen=True)
class WitnessAnswer:
    url: str
    ok: bool
    size: int | None  # the size the witness now holds, when known
    detail: str  # the cosigning key's name, or why the witness refused

    def line(self) -> str:
        if self.ok:
            return f"witness {self.url}: cosigned as {self.detail} (size {self.size})"
        return f"WITNESS REFUSED {self.url}: {self.detail}"


def text_digest(note: str) -> str:
    return hashlib.sha256(split_note(note)[0].encode()).hexdigest()


def cosigned_note(tx: Tx, checkpoint: Checkpoint) -> str:
    """The signed checkpoint with every cosignature collected for it."""
    rows = tx.fetchall(
        f"SELECT line FROM {COSIGNATURES} WHERE checkpoint = ? ORDER BY name",
        (text_digest(checkpoint.note),),
    )
    return checkpoint.note + "".join(f"{row[0]}\n" for row in rows)


def witness_states(tx: Tx) -> list[WitnessAnswer]:
    rows = tx.fetchall(f"SELECT url, size, ok, detail FROM {WITNESSES} ORDER BY url")
    return [
        WitnessAnswer(str(r[0]), bool(r[2]), None if r[1] is None else int(r[1]), str(r[3]))
        for r in rows
    ]


Post = Callable[[str, bytes], tuple[int, str]]


def http_post(timeout: float = 10.0) -> Post:
    def post(url: str, body: bytes) -> tuple[int, str]:
        answer = httpx.post(url, content=body, timeout=timeout)
        return answer.status_code, answer.text

    return post


def ask_witnesses(
    database: ViewDatabase,
    log: TransparencyLog,
    checkpoint: Checkpoint,
    urls: Sequence[str],
    post: Post | None = None,
) -> list[WitnessAnswer]:
    """Ask each witness to cosign `checkpoint`; keep each answer and each cosignature."""
    post = post or http_post()
    with database.creating() as tx:
        create_tables(tx)
        known = {a.url: a.size for a in witness_states(tx)}
    answers = []
    for url in urls:
        answer = _ask(database, log, checkpoint, url.rstrip("/"), known.get(url) or 0, post)
        answers.append(answer)
        with database.transaction() as tx:
            tx.execute(
                f"INSERT INTO {WITNESSES} (url, size, ok, detail, checked_at) VALUES"
                " (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET size = excluded.size,"
                " ok = excluded.ok, detail = excluded.detail, checked_at = excluded.checked_at",
                (url, answer.size, answer.ok, answer.detail, _now()),
            )
    return answers


def _ask(
    database: ViewDatabase,
    log: TransparencyLog,
    checkpoint: Checkpoint,
    url: str,
    old: int,
    post: Post,
) -> WitnessAnswer:
    for _ in range(2):
        if old > checkpoint.size:
            return WitnessAnswer(
                url, False, old,
                f"it has cosigned a tree of {old} leaves, more than this log's {checkpoint.size}:"
                " the log was rolled back or forked (investigate before anything else)",
            )  # fmt: skip
        with database.transaction(write=False) as tx:
            proof = log.consistency_path(tx, old, checkpoint.size)
        try:
            status, text = post(
                f"{url}/add-checkpoint", add_checkpoint_body(old, proof, checkpoint.note)
            )
        except httpx.HTTPError as error:
            return WitnessAnswer(url, False, None, f"unreachable ({type(error).__name__})")
        if status == 409 and text.strip().isdigit():
            old = int(text.strip())
            continue
        if status != 200:
            return WitnessAnswer(url, False, None, f"HTTP {status}: {text.strip()[:300]}")
        cosignatures = [line for line in text.splitlines() if line.startswith(SIGNATURE_PREFIX)]
        if not cosignatures:
            return WitnessAnswer(url, False, None, "HTTP 200 without a cosignature line")
        with database.transaction() as tx:
            for line in cosignatures:
                name = line[len(SIGNATURE_PREFIX) :].split(" ", 1)[0]
                tx.execute(
                    f"INSERT INTO {COSIGNATURES} (checkpoint, name, line) VALUES (?, ?, ?)"
                    " ON CONFLICT (checkpoint, name) DO UPDATE SET line = excluded.line",
                    (text_digest(checkpoint.note), name, line),
                )
        names = ", ".join(line[2:].split(" ", 1)[0] for line in cosignatures)
        return WitnessAnswer(url, True, checkpoint.size, names)
    return WitnessAnswer(url, False, old, "it kept answering 409 (another log feeding it?)")


def add_checkpoint_body(old: int, proof: Sequence[bytes], note: str) -> bytes:
    """`old <size>`, one base64 proof hash a line, a blank line, the signed checkpoint."""
    lines = [f"old {old}", *(base64.b64encode(h).decode() for h in proof)]
    return ("\n".join(lines) + "\n\n" + note).encode()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
