"""The tokens revoked and the keys retired, kept in the store beside the views, so that every
serving process on the store refuses them.

`kezek token revoke` adds a token's id (`jti`), `kezek token retire` a key's id (`kid`); each
process re-reads the list every second (the serving tick) and a request never trusts a copy
older than `MAX_AGE_SECONDS`: it reads the table itself first. So a revoked token is refused
everywhere within `MAX_AGE_SECONDS` of the revocation's commit, remembered or not
(api.verified_tokens asks the list on every hit). A revoked id is kept until every token that
could carry it has expired; a retired key for good.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from api.auth import CLOCK_SKEW, MAX_LIFETIME, NOTHING_REVOKED, Revoked
from projections.database import ViewDatabase

TABLE = "kezek_token_revocations"
# The bound on how long a revoked token or a retired key still works, in any process.
MAX_AGE_SECONDS = 2.0
JTI, KID = "jti", "kid"
_LONGEST = max(MAX_LIFETIME.values()) + 2 * CLOCK_SKEW


@dataclass(frozen=True)
class Revocation:
    kind: str  # JTI or KID
    value: str
    revoked_at: str
    until: int | None  # epoch seconds; None: for good
    note: str


def create_table(database: ViewDatabase) -> None:
    """At start-up (Services.open) and before `kezek token revoke` writes: no read runs DDL."""
    with database.creating() as tx:
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (kind TEXT NOT NULL, value TEXT NOT NULL,"
            " revoked_at TEXT NOT NULL, kept_until BIGINT, note TEXT NOT NULL,"
            " PRIMARY KEY (kind, value))"
        )


def revoke(database: ViewDatabase, jti: str, *, until: float | None = None, note: str = "") -> int:
    """Revoke the token `jti` until `until` (its expiry, when known; else until any token
    minted by now has expired). Returns that moment."""
    now = time.time()
    longest = now + _LONGEST.total_seconds()  # no token minted by now outlives it
    kept = int(min(until, longest) if until is not None else longest) + 1
    _add(database, JTI, jti, kept, note, now)
    return kept


def retire(database: ViewDatabase, kid: str, *, note: str = "") -> None:
    """Refuse every token the key `kid` signed, for good."""
    _add(database, KID, kid, None, note, time.time())


def _add(
    database: ViewDatabase, kind: str, value: str, until: int | None, note: str, now: float
) -> None:
    create_table(database)
    with database.transaction() as tx:
        tx.execute(
            f"INSERT INTO {TABLE} (kind, value, revoked_at, kept_until, note)"  # noqa: S608
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, value) DO NOTHING",
            (kind, value, datetime.fromtimestamp(now, UTC).isoformat(), until, note),
        )
        # Ids of tokens that have all expired need no keeping.
        tx.execute(
            f"DELETE FROM {TABLE} WHERE kept_until IS NOT NULL AND kept_until < ?",  # noqa: S608
            (int(now),),
        )


def revocations(database: ViewDatabase) -> list[Revocation]:
    """Every revocation in force, oldest first."""
    with database.transaction(write=False) as tx:
        rows = tx.fetchall(
            f"SELECT kind, value, revoked_at, kept_until, note FROM {TABLE}"  # noqa: S608
            " WHERE kept_until IS NULL OR kept_until >= ? ORDER BY revoked_at, kind, value",
            (int(time.time()),),
        )
    return [Revocation(str(k), str(v), str(at), u, str(n)) for k, v, at, u, n in rows]


def read_revoked(database: ViewDatabase) -> Revoked:
    found = revocations(database)
    return Revoked(
        jtis=frozenset(r.value for r in found if r.kind == JTI),
        kids=frozenset(r.value for r in found if r.kind == KID),
    )


class RevocationList:
    """One process's copy of the list, and how old it is."""

    def __init__(self, database: ViewDatabase, max_age: float = MAX_AGE_SECONDS) -> None:
        self._database = database
        self.max_age = max_age
        self._revoked = NOTHING_REVOKED
        self._read_at = float("-inf")  # time.monotonic() when the copy's read began
        self._reading = threading.Lock()  # swaps the copy
        self._refreshing = threading.Lock()  # one request reads the table, the others wait

    @property
    def current(self) -> Revoked:
        return self._revoked

    def stale(self) -> bool:
        return time.monotonic() - self._read_at >= self.max_age

    def refresh(self) -> None:
        """Read the table (the serving tick does, every second)."""
        started = time.monotonic()
        revoked = read_revoked(self._database)
        with self._reading:
            if started > self._read_at:
                self._revoked, self._read_at = revoked, started

    def fresh(self) -> Revoked:
        """The list, read again first if the copy is too old (by one caller; the others wait
        for it). Raises the store's error when it cannot be read: a token is then not taken."""
        if self.stale():
            with self._refreshing:
                if self.stale():
                    self.refresh()
        return self._revoked
