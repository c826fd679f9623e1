"""The transactional outbox: the notices of acts, kept in the act's own transaction.

The recorders (store.sqlite, store.postgres) write `kezek_outbox` rows in `_insert_events`,
before the act's events and in their transaction (as they keep the Idempotency-Key), and
change a row in the transaction that records a delivery result or an opening. A row is one
notice on one channel: the personal account's row is delivered when written (the account
shows it at once); an SMS row waits for the delivery worker (api.notice_delivery), which
claims it, counts its attempt, sends it and records the gateway's answer. docs/notices.md.
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
DELIVERED: Final = "delivered"
FAILED: Final = "failed"
FIELDS: Final = (
    "notice_id", "channel", "application_id", "version", "subject", "addressee", "phone",
    "language", "tz", "params", "recorded_at", "status", "attempts", "next_attempt_at",
    "delivered_at", "failed_reason", "opened_at",
)  # fmt: skip
COLUMNS: Final = ", ".join(FIELDS)
_BODY: Final = (
    " notice_id TEXT NOT NULL, channel TEXT NOT NULL, application_id TEXT, version INTEGER,"
    " subject TEXT NOT NULL, addressee TEXT NOT NULL, phone TEXT NOT NULL,"
    " language TEXT NOT NULL, tz TEXT NOT NULL, params TEXT NOT NULL,"
    " recorded_at TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,"
    " next_attempt_at TEXT NOT NULL, delivered_at TEXT, failed_reason TEXT NOT NULL,"
    " opened_at TEXT, UNIQUE (notice_id, channel))"
)


def moment(value: datetime) -> str:
    """Moments in UTC ISO form, which sort as text."""
    return value.astimezone(UTC).isoformat()


def create_statements(table: str, postgres: bool) -> list[str]:
    seq = (
        "seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        if postgres
        else "seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    )
    plain = table.split(".")[-1].strip('"')
    return [
        f"CREATE TABLE IF NOT EXISTS {table} ({seq}{_BODY}",
        f"CREATE INDEX IF NOT EXISTS {plain}_account ON {table} (addressee, channel, seq)",
        f"CREATE INDEX IF NOT EXISTS {plain}_due ON {table} (channel, status, next_attempt_at)",
    ]


def row_of(notice: OutboxNotice) -> tuple[object, ...]:
    account = notice.channel is Channel.ACCOUNT
    at = moment(notice.recorded_at)
    return (
        str(notice.notice_id), notice.channel.value,
        None if notice.application_id is None else str(notice.application_id), notice.version,
        notice.subject, notice.addressee, notice.phone, notice.language, notice.tz,
        json.dumps(notice.params, sort_keys=True, ensure_ascii=False), at,
        DELIVERED if account else PENDING, 0, at, at if account else None, "", None,
    )  # fmt: skip


def change_of(change: OutboxChange) -> tuple[str, list[object]]:
    """The SET clause (with `?` marks) and its values."""
    sets: list[str] = []
    values: list[object] = []
    for name, value in (
        ("status", change.status),
        ("delivered_at", change.delivered_at),
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

    def sql(self, text: str) -> str:
        return text.replace("?", self.mark)

    def write(self, cursor: Any, kwargs: dict[str, Any]) -> None:
        """What an act's or a result's save asks of the outbox (the recorders' kwargs)."""
        notices: Sequence[OutboxNotice] = kwargs.get("notices") or ()
        if notices:
            self.insert(cursor, notices)
        change: OutboxChange | None = kwargs.get("outbox")
        if change is not None:
            self.change(cursor, change)

    # -- in the act's transaction ---------------------------------------------------------

    def insert(self, cursor: Any, notices: Sequence[OutboxNotice]) -> None:
        marks = ", ".join(["?"] * len(FIELDS))
        statement = self.sql(f"INSERT INTO {self.table} ({COLUMNS}) VALUES ({marks})")
        for notice in notices:
            cursor.execute(statement, row_of(notice))

    def insert_one_off(self, notice: OutboxNotice) -> None:
        """A message tied to no act, in its own transaction (once per key: a repeat is kept
        out by the unique notice id)."""
        marks = ", ".join(["?"] * len(FIELDS))
        statement = self.sql(
            f"INSERT INTO {self.table} ({COLUMNS}) VALUES ({marks})"
            " ON CONFLICT (notice_id, channel) DO NOTHING"
        )
        with self._transaction(True) as cursor:
            cursor.execute(statement, row_of(notice))

    def change(self, cursor: Any, change: OutboxChange) -> None:
        sets, values = change_of(change)
        if sets:
            cursor.execute(
                self.sql(f"UPDATE {self.table} SET {sets} WHERE notice_id = ? AND channel = ?"),
                [*values, str(change.notice_id), change.channel.value],
            )

    # -- the delivery worker ----------------------------------------------------------------

    def due(self, channel: Channel, now: datetime, limit: int) -> list[dict[str, Any]]:
        """Rows waiting for delivery whose next attempt is due, oldest first."""
        return self._rows(
            f"SELECT seq, {COLUMNS} FROM {self.table} WHERE channel = ? AND status = ?"
            " AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
            [channel.value, PENDING, moment(now), limit],
        )

    def next_due(self, channel: Channel) -> datetime | None:
        rows = self._rows(
            f"SELECT MIN(next_attempt_at) AS due FROM {self.table}"
            " WHERE channel = ? AND status = ?",
            [channel.value, PENDING],
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
                    " WHERE seq = ? AND status = ?"
                ),
                [attempts, moment(next_attempt_at), seq, PENDING],
            )

    # -- the personal account and the trail --------------------------------------------------

    def row(self, notice: UUID, channel: Channel) -> dict[str, Any] | None:
        rows = self._rows(
            f"SELECT seq, {COLUMNS} FROM {self.table} WHERE notice_id = ? AND channel = ?",
            [str(notice), channel.value],
        )
        return rows[0] if rows else None

    def account(self, addressee: str, before: int | None, limit: int) -> list[dict[str, Any]]:
        """The addressee's notices in the personal account, newest first (before seq)."""
        where = "addressee = ? AND channel = ?"
        params: list[object] = [addressee, Channel.ACCOUNT.value]
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
            " WHERE addressee = ? AND channel = ? AND opened_at IS NULL",
            [addressee, Channel.ACCOUNT.value],
        )
        return int(rows[0]["n"]) if rows else 0

    def of_application(self, application_id: UUID) -> list[dict[str, Any]]:
        return self._rows(
            f"SELECT seq, {COLUMNS} FROM {self.table} WHERE application_id = ? ORDER BY seq",
            [str(application_id)],
        )

    def of_channel(self, channel: Channel) -> list[dict[str, Any]]:
        return self._rows(
            f"SELECT seq, {COLUMNS} FROM {self.table} WHERE channel = ? ORDER BY seq",
            [channel.value],
        )

    def _rows(self, text: str, params: Sequence[object]) -> list[dict[str, Any]]:
        with self._transaction(False) as cursor:
            cursor.execute(self.sql(text), list(params))
            return [as_dict(r) for r in cursor.fetchall()]
