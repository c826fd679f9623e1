"""A synthetic court bundle, and the verifier's verdict on it, for the unit tests of the
offline verifier.

An aggregate's five events among other leaves of a small RFC 9162 tree, a checkpoint signed
with the RFC 8032 test key, built and checked in memory: no database, no file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from projections.audit_trail import AuditEntry
from replay import render
from replay.bundle import EventEntry, Manifest, assemble, event_file, sign_note
from replay.canonical import canonical_json
from replay.checkpoints import OperatorKey, checkpoint_text
from replay.merkle import hash_leaf, inclusion_path, root_of
from replay.verify import verify_bundle_bytes

SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
ORIGIN = "kezek.test/log"
KEY = OperatorKey(ORIGIN, bytes.fromhex(SEED))
OTHER = OperatorKey(ORIGIN, bytes.fromhex("42" * 32))
APP = "3f6c2a4e-8d1b-4c5a-9e7f-0a1b2c3d4e5f"
MINE = {2: 1, 5: 2, 9: 3, 14: 4, 17: 5}  # leaf index -> version of the exported aggregate


def _document(index: int) -> dict[str, Any]:
    position = index + 1 + index // 7  # PostgreSQL may skip ids
    version = MINE.get(index)
    return {
        "position": position,
        "originator_id": APP if version else str(UUID(int=index)),
        "originator_version": version or 1,
        "topic": "domain.housing_application:HousingApplication.Accepted",
        "state": {"basis": "§7, §8", "reasons": "<script>alert(1)</script>", "n": index},
    }


def synthetic_bundle() -> bytes:
    documents = [canonical_json(_document(i)) for i in range(20)]
    leaves = [hash_leaf(d) for d in documents]
    note = sign_note(checkpoint_text(ORIGIN, 20, root_of(leaves), "2026-01-01T00:00:00Z"), KEY)
    entries = tuple(
        EventEntry(
            version, _document(i)["position"], i, leaves[i].hex(), event_file(version),
            tuple(p.hex() for p in inclusion_path(i, leaves)),
        )
        for i, version in MINE.items()
    )  # fmt: skip
    subject = {"application_id": APP, "provider": "almaty", "list_code": "general"}
    manifest = Manifest(
        "application", APP, subject, "2026-01-01T00:00:00Z", 5, (1, 2, 3, 4, 5), entries, note,
        KEY.verifier_key,
    )  # fmt: skip
    moment = datetime(2025, 3, 18, 5, tzinfo=UTC)
    trail = [
        AuditEntry(
            UUID(APP), v, 1, "Accepted", "officer-1", "officer", "almaty", moment, moment,
            "§7", "<script>alert(1)</script>", "received", "", None, "", None,
        )
        for v in range(1, 6)
    ]  # fmt: skip
    rendered = {render.AUDIT_TRAIL: render.audit_trail_page(subject, trail)}
    evidence = {e.file: documents[e.leaf_index] for e in entries}
    return assemble(manifest, evidence, rendered, KEY)


def failures(data: bytes, key: str | None = KEY.verifier_key) -> list[str]:
    return verify_bundle_bytes(data, key).failures
