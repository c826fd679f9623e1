"""What both recorders share: the kept-keys table, its rows, and lock names."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from domain.idempotency import KeptAct, KeptRecord

TABLE = "kezek_idempotency"
COLUMNS = "scope, key, fingerprint, receipt, events, recorded_at"


def row_of(record: KeptRecord) -> tuple[str, str, str, str, str, str]:
    events = [[str(originator), version] for originator, version in record.events]
    return (
        record.request.scope,
        record.request.key,
        record.request.fingerprint,
        json.dumps(record.receipt, sort_keys=True, default=str),
        json.dumps(events),
        datetime.now(UTC).isoformat(),
    )


def kept_of(fingerprint: str, receipt: str, events: str) -> KeptAct:
    pairs = tuple((UUID(originator), int(version)) for originator, version in json.loads(events))
    return KeptAct(fingerprint=fingerprint, receipt=json.loads(receipt), events=pairs)


def lock_number(*names: str) -> int:
    """A signed 64-bit number for a lock name (PostgreSQL advisory locks take a bigint)."""
    digest = hashlib.blake2b("\x1f".join(names).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# Processes starting at once on a new PostgreSQL store would race in the catalogue
# ("tuple concurrently updated", a duplicate pg_type row): every CREATE runs under this lock.
DDL_LOCK = "kezek-ddl"


def ddl_lock_number(schema: str) -> int:
    return lock_number(schema or "public", DDL_LOCK)


def lock_file_name(name: str) -> str:
    return hashlib.blake2b(name.encode(), digest_size=12).hexdigest() + ".lock"


def cutoff(hours: float) -> str:
    return datetime.fromtimestamp(datetime.now(UTC).timestamp() - hours * 3600, UTC).isoformat()


def placeholders(count: int, mark: str) -> str:
    return ", ".join([mark] * count)


def pairs_params(events: Sequence[tuple[UUID, int]], hex_ids: bool) -> list[object]:
    params: list[object] = []
    for originator, version in events:
        params += [originator.hex if hex_ids else originator, version]
    return params
