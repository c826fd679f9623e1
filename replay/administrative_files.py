"""Administrative files (§14): the court export bundle that goes with a forwarded complaint.

Kept beside the ledger, addressed by the bundle's SHA-256, which the ComplaintForwarded event
records: whoever receives the file can check it is the one the ledger names.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from uuid import UUID

from projections.database import ViewDatabase

TABLE = "kezek_administrative_files"


def create_table(database: ViewDatabase) -> None:
    """At start-up (Services.open): neither a read nor a forward runs DDL."""
    with database.creating() as tx:
        blob = "BLOB" if tx.dialect == "sqlite" else "BYTEA"
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (sha256 TEXT PRIMARY KEY,"
            f" application_id TEXT NOT NULL, created_at TEXT NOT NULL, bundle {blob} NOT NULL)"
        )


def digest(bundle: bytes) -> str:
    return hashlib.sha256(bundle).hexdigest()


def keep(database: ViewDatabase, application_id: UUID, bundle: bytes) -> str:
    """Store the bundle (idempotent) and return its SHA-256."""
    sha = digest(bundle)
    with database.transaction() as tx:
        tx.execute(
            f"INSERT INTO {TABLE} (sha256, application_id, created_at, bundle) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING",
            (sha, str(application_id), datetime.now(UTC).isoformat(), bundle),
        )
    return sha


def fetch(database: ViewDatabase, sha256: str) -> tuple[UUID, bytes] | None:
    with database.transaction(write=False) as tx:
        row = tx.fetchone(f"SELECT application_id, bundle FROM {TABLE} WHERE sha256 = ?", (sha256,))
    if row is None:
        return None
    return UUID(str(row[0])), bytes(row[1])
