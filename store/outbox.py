"""The transactional outbox: the notices of acts, kept in the act's own transaction.

The recorders (store.sqlite, store.postgres) write `kezek_outbox` rows in `_insert_events`,
under the events table's lock, in the act's transaction (as they keep the Idempotency-Key), and
change a row in the transaction that records a delivery result or an opening. A row is one
notice: in the personal account from the moment it is written, and, when its act declares an
SMS, an SMS waiting for the delivery worker (api.notice_delivery: `sms_status` pending, then
delivered or failed). One row and one index entry an act: docs/notices.md, "Costs".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Final
from uuid import UUID

from domain.notices import OutboxChange, OutboxNotice
from domain.values import Channel

TABLE: Final = "kezek_outbox"
PENDING: Final = "pending"
FIELDS: Final = (
    "notice_id", "application_id", "version", "subject", "addressee", "phone", "language",
    "tz", "params", "recorded_at", "sms_status", "attempts", "next_attempt_at",
    "sms_delivered_at", "failed_reason", "opened_at",
)  # fmt: skip
COLUMNS: Final = ", ".join(FIELDS)
# The partial indexes' conditions, written as constants so that queries can use them.
_PENDING: Final = f"sms_status = '{PENDING}'"
_ONE_OFF: Final = "application_id IS NULL"
_BODY: Final = (
    " notice_id TEXT NOT NULL, application_id TEXT, version INTEGER, subject TEXT NOT NULL,"
    " addressee TEXT NOT NULL, phone TEXT NOT NULL, language TEXT NOT NULL, tz TEXT NOT NULL,"
    " params TEXT NOT NULL, recorded_at TEXT NOT NULL, sms_status TEXT NOT NULL,"
    " attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL, sms_delivered_at TEXT,"
    " failed_reason TEXT NOT NULL, opened_at TEXT)"
)


def moment(value: datetime) -> str:
    """Moments in UTC ISO form, which sort as text."""
    return value.astimezone(UTC).isoformat()


def create_statements(table: str, postgres: bool) -> list[str]:
    # SQLite: the rowid, which only grows while no row is deleted (none is).
    seq = (
        "seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        if postgres
        else "seq INTEGER PRIMARY KEY,"
    )
    plain = table.split(".")[-1].strip('"')
    # An act's notice is unique by its act (the event's own key, in the same transaction);
    # a one-off message by its key; the SMS still to deliver are few.
    return [
        f"CREATE TABLE IF NOT EXISTS {table} ({seq}{_BODY}",
        f"CREATE INDEX IF NOT EXISTS {plain}_account ON {table} (addressee, seq)",
        # The case page lists a case's notices (api.pages.notices).
        f"CREATE INDEX IF NOT EXISTS {plain}_application ON {table} (application_id, seq)",
        f"CREATE INDEX IF NOT EXISTS {plain}_due ON {table} (next_attempt_at) WHERE {_PENDING}",
        f"CREATE UNIQUE INDEX IF NOT EXISTS {plain}_one_off ON {table} (notice_id)"
        f" WHERE {_ONE_OFF}",
    ]


def row_of(notice: OutboxNotice) -> tuple[object, ...]:
    at = moment(notice.recorded_at)
    return (
        str(notice.notice_id),
        None if notice.application_id is None else str(notice.application_id), notice.version,
        notice.subject, notice.addressee, notice.phone, notice.language, notice.tz,
        json.dumps(notice.params, ensure_ascii=False), at,
        PENDING if Channel.SMS in notice.channels else "", 0, at, None, "", None,
    )  # fmt: skip


def change_of(change: OutboxChange) -> tuple[str, list[object]]:
    """The SET clause (with `?` marks) and its values."""
    sets: list[str] = []
    values: list[object] = []
    for name, value in (
        ("sms_status", change.sms_status),
        ("sms_delivered_at", change.sms_delivered_at),
        ("attempts", change.attempts),
        ("failed_reason", change.failed_reason),
        ("opened_at", change.opened_at),
    ):
        if value is not None:
            sets.append(f"{name} = ?")
            values.append(moment(value) if isinstance(value, datetime) else value)
    return ", ".join(sets), values


def as_dict(row: Any) -> dict[str, Any]:
    return dict(row) if isinstance(row, dict) else dict(zip(row.keys(), row, strict=True))


class Outbox:
    """The outbox's statements for one store: `transaction(commit)` is the datastore's, `mark`
    its placeholder (`?` or `%s`)."""

    def __init__(
        self,
        table: str,
        mark: str,
        transaction: Callable[[bool], AbstractContextManager[Any]],
    ) -> None:
        self.table = table
        self.mark = mark
        self._transaction = transaction
        marks = ", ".join([mark] * len(FIELDS))
        self._insert = f"INSERT INTO {table} ({COLUMNS}) VALUES ({marks})"

    def sql(self, text: str) -> str:
        return text.replace("?", self.mark)

    def write(self, cursor: Any, kwargs: dict[str, Any]) -> None:
        """What an act's or a result's save asks of the outbox (the recorders' kwargs)."""
        notices: Sequence[OutboxNotice] = kwargs.get("notices") or ()
        for notice in notices:
            cursor.execute(self._insert, row_of(notice))
        change: OutboxChange | None = kwargs.get("outbox")
        if change is not None:
            sets, values = change_of(change)
            cursor.execute(
                self.sql(f"UPDATE {self.table} SET {sets} WHERE seq = ?"), [*values, change.seq]
            )

    def insert_one_off(self, notice: OutboxNotice) -> None:
        """A message tied to no act, in its own transaction, once per key."""
        with self._transaction(True) as cursor:
            cursor.execute(
                f"{self._insert} ON CONFLICT (notice_id) WHERE {_ONE_OFF} DO NOTHING",
                row_of(notice),
            )

    # -- the delivery worker ----------------------------------------------------------------

    def due(self, now: datetime, limit: int) -> list[dict[str, Any]]:
        """SMS waiting for delivery whose next attempt is due, oldest first."""
        return self._rows(
            f"SELECT seq, {COLUMNS} FROM {self.table} WHERE {_PENDING}"
            " AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
            [moment(now), limit],
        )

    def next_due(self) -> datetime | None:
        rows = self._rows(
            f"SELECT MIN(next_attempt_at) AS due FROM {self.table} WHERE {_PENDING}", []
        )
        found = rows[0]["due"] if rows else None
        return None if found is None else datetime.fromisoformat(found)

    def count_attempt(self, seq: int, attempts: int, next_attempt_at: datetime) -> None:
        """Before a send: the attempt is counted (and the row not due again until then), so a
        worker killed mid-send retries it later with the same key."""
        with self._transaction(True) as cursor:
            cursor.execute(
                self.sql(
                    f"UPDATE {self.table} SET attempts = ?, next_attempt_at = ?"
                    f" WHERE seq = ? AND {_PENDING}"
                ),
                [attempts, moment(next_attempt_at), seq],
            )

    # -- the personal account ------------------------------------------------------------------

    def notice(self, addressee: str, notice: UUID) -> dict[str, Any] | None:
        """The addressee's notice (None: no such notice of theirs)."""
        rows = self._rows(
            f"SELECT seq, {COLUMNS} FROM {self.table} WHERE addressee = ? AND notice_id = ?",
            [addressee, str(notice)],
        )
        return rows[0] if rows else None

    def account(self, addressee: str, before: int | None, limit: int) -> list[dict[str, Any]]:
        """The addressee's notices of acts, newest first (before seq)."""
        where = f"addressee = ? AND NOT {_ONE_OFF}"
        params: list[object] = [addressee]
        if before is not None:
            where += " AND seq < ?"
            params.append(before)
        return self._rows(
            f"SELECT seq, {COLUMNS} FROM {self.table} WHERE {where} ORDER BY seq DESC LIMIT ?",
            [*params, limit],
        )

    def unread(self, addressee: str) -> int:
        rows = self._rows(
            f"SELECT COUNT(*) AS n FROM {self.table}"
            f" WHERE addressee = ? AND NOT {_ONE_OFF} AND opened_at IS NULL",
            [addressee],
        )
        return int(rows[0]["n"]) if rows else 0

    def of_application(self, application_id: UUID) -> list[dict[str, Any]]:
        return self._rows(
            f"SELECT seq, {COLUMNS} FROM {self.table} WHERE application_id = ? ORDER BY seq",
            [str(application_id)],
        )

    # -- for tests and benchmarks (no index: they read every row) -------------------------------

    def every(self, *, sms: bool = False) -> list[dict[str, Any]]:
        """Every row (with `sms`: those that carry an SMS), in order."""
        where = " WHERE sms_status <> ''" if sms else ""
        return self._rows(f"SELECT seq, {COLUMNS} FROM {self.table}{where} ORDER BY seq", [])

    def _rows(self, text: str, params: Sequence[object]) -> list[dict[str, Any]]:
        with self._transaction(False) as cursor:
            cursor.execute(self.sql(text), list(params))
            return [as_dict(r) for r in cursor.fetchall()]
