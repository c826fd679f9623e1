"""A monitor of the log: the latest checkpoint, checked against the last one it saw and against
what the witnesses cosigned.

Each run: fetch the log's checkpoint (GET /v1/transparency/checkpoint), check the operator's
signature with the pinned key, then

- against the state file (the last checkpoint this monitor accepted): a smaller size is a
  shrinking log, the same size with another root a fork, a larger size must come with a
  consistency proof (GET /v1/transparency/consistency) that verifies, else a fork;
- against each witness's latest cosigned checkpoint of the log (GET <witness>/<sha256(origin)
  hex>/checkpoint, C2SP tlog-witness): the two trees must be one, the smaller a prefix of the
  larger (proof from the log). Two monitors shown two trees of one log (a split view) find the
  one the witnesses did not cosign inconsistent with theirs.

The state is written only when everything holds. HTTP is the caller's (`Get`): this module
checks, it does not fetch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from replay.checkpoints import (
    Checkpoint,
    CheckpointInvalid,
    ConsistencyProof,
    Verifier,
    verify_checkpoint,
    verify_consistency_proof,
)
from replay.merkle import ProofError

Get = Callable[[str], tuple[int, str]]  # url -> (status, body)


@dataclass
class Verdict:
    alarms: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.alarms


# The root of a tree of the given size, derived from a copy of the events (replay.rederive).
Rederive = Callable[[int], bytes]


def monitor(
    url: str,
    state: Path,
    get: Get,
    *,
    key: str | None = None,
    witnesses: Sequence[str] = (),
    rederive: Rederive | None = None,
) -> Verdict:
    verdict = Verdict()
    url = url.rstrip("/")
    saved = json.loads(state.read_text(encoding="utf-8")) if state.exists() else None
    vkey = key or (saved or {}).get("verifier_key")
    if vkey is None:
        verdict.alarms.append("no operator key pinned: pass --key the first time")
        return verdict
    status, body = get(f"{url}/v1/transparency/checkpoint")
    if status != 200:
        verdict.alarms.append(f"the log answered HTTP {status} for its checkpoint")
        return verdict
    try:
        current = verify_checkpoint(json.loads(body)["note"], vkey)
    except (CheckpointInvalid, ValueError, KeyError) as error:
        verdict.alarms.append(f"BAD SIGNATURE: the log's checkpoint does not verify: {error}")
        return verdict
    verdict.notes.append(f"checkpoint of size {current.size}, root {current.root_hash}")
    if saved is not None:
        earlier = verify_checkpoint(saved["note"], vkey)
        _consistent(url, get, earlier, current, "the last checkpoint this monitor saw", verdict)
    for witness in witnesses:
        _witnessed(url, witness.rstrip("/"), get, current, vkey, verdict)
    if rederive is not None:
        _rederived(rederive, current, verdict)
    if verdict.ok:
        state.write_text(
            json.dumps({"verifier_key": vkey, "note": current.note, "size": current.size}),
            encoding="utf-8",
        )
    return verdict


def _consistent(
    url: str, get: Get, a: Checkpoint, b: Checkpoint, what: str, verdict: Verdict
) -> None:
    """`b` (the log's now) extends `a` (`what`), or the alarm says how it does not."""
    if b.size < a.size:
        verdict.alarms.append(
            f"SHRANK: the log now has {b.size} leaves, {what} had {a.size} (root {a.root_hash})"
        )
        return
    if b.size == a.size:
        if a.root_hash != b.root_hash:
            verdict.alarms.append(
                f"FORK: two trees of {a.size} leaves: {what} has root {a.root_hash}, the log "
                f"now {b.root_hash}"
            )
        return
    proof = _proof(url, get, a.size, b.size)
    try:
        if proof is None:
            raise ProofError(f"the log serves no consistency proof from {a.size} to {b.size}")
        verify_consistency_proof(proof, a, b)
    except ProofError as error:
        verdict.alarms.append(f"FORK: the log's tree does not extend {what}: {error}")
        return
    verdict.notes.append(f"consistent with {what} (size {a.size})")


def _witnessed(
    url: str, witness: str, get: Get, current: Checkpoint, vkey: str, verdict: Verdict
) -> None:
    origin = hashlib.sha256(current.origin.encode()).hexdigest()
    status, body = get(f"{witness}/{origin}/checkpoint")
    if status == 404:
        verdict.notes.append(f"witness {witness} has cosigned nothing of this log yet")
        return
    if status != 200:
        verdict.alarms.append(f"witness {witness} answered HTTP {status}")
        return
    try:
        seen = verify_checkpoint(body, Verifier.parse(vkey))
    except CheckpointInvalid as error:
        verdict.alarms.append(
            f"witness {witness} serves a checkpoint that does not verify: {error}"
        )
        return
    what = f"the checkpoint witness {witness} cosigned"
    if seen.size > current.size:
        verdict.alarms.append(
            f"SPLIT VIEW: {what} has {seen.size} leaves, the log shows this monitor "
            f"{current.size}: the log shows others a longer tree"
        )
        return
    _consistent(url, get, seen, current, what, verdict)


def _proof(url: str, get: Get, old: int, new: int) -> ConsistencyProof | None:
    status, body = get(f"{url}/v1/transparency/consistency?old={old}&new={new}")
    if status != 200:
        return None
    data = json.loads(body)
    return ConsistencyProof(old, new, tuple(data["path"]))


def _rederived(rederive: Rederive, current: Checkpoint, verdict: Verdict) -> None:
    """The signed root against the root of the monitor's own copy of the events."""
    try:
        root = rederive(current.size).hex()
    except ValueError as error:
        verdict.alarms.append(f"the copy of the events cannot be checked: {error}")
        return
    if root != current.root_hash:
        verdict.alarms.append(
            f"FORK: the copy of the events gives root {root} at size {current.size}; "
            f"the log signed {current.root_hash}"
        )
    else:
        verdict.notes.append(f"the copy of the events gives the signed root at size {current.size}")
