"""Which notice went out for each act, on which channel, when it was delivered and opened.

One row per notice (domain.notices): made from the act's event and its declaration (the
personal account has it from the act's recording moment), then changed by the notice's own
events (domain.notice_record): the SMS delivered (after how many attempts) or not, and the
moment the applicant opened it. Where the Rules count a term from the receipt of the notice
(§11: the correction term), the row says from which moment it counts. The audit trail's read
and the court export show these rows beside the acts (api/routes/views.py, replay/render.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from uuid import UUID

from domain.acts import ALL
from domain.housing_application import HousingApplication
from domain.notice_record import NoticeRecord
from domain.notices import notice_id
from projections.database import Tx
from projections.deadline_monitor import write_rows
from projections.projection import Projection, Recorded

COLUMNS: Final = (
    ("notice_id", "text"), ("application_id", "text"), ("version", "integer"),
    ("subject", "text"), ("sms", "integer"), ("recorded_at", "text"),
    ("sms_delivered_at", "text"), ("sms_failed_at", "text"), ("attempts", "integer"),
    ("reason", "text"), ("opened_at", "text"), ("term", "text"),
)  # fmt: skip
NAMES: Final = ", ".join(name for name, _ in COLUMNS)
NOTIFIED: Final = tuple(getattr(HousingApplication, a.event) for a in ALL if a.notice is not None)
RESULTS: Final = (NoticeRecord.Delivered, NoticeRecord.NotDelivered, NoticeRecord.Opened)
RECEIPT = "its delivery to the personal account"


@dataclass(frozen=True)
class NoticeLine:
    notice_id: UUID
    application_id: UUID
    version: int
    subject: str
    sms: bool
    delivered_at: datetime  # to the personal account: the act's recording moment
    sms_delivered_at: datetime | None
    sms_failed_at: datetime | None
    attempts: int
    reason: str
    opened_at: datetime | None
    term: str  # a term counted from the receipt of this notice, and from which moment

    @property
    def sms_status(self) -> str:
        if not self.sms:
            return ""
        if self.sms_delivered_at is not None:
            return "delivered"
        return "not delivered" if self.sms_failed_at is not None else "pending"


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _line(r: Sequence[Any]) -> NoticeLine:
    return NoticeLine(
        UUID(r[0]), UUID(r[1]), int(r[2]), r[3], bool(r[4]), datetime.fromisoformat(r[5]),
        _moment(r[6]), _moment(r[7]), int(r[8]), r[9], _moment(r[10]), r[11],
    )  # fmt: skip


def _row(event: Any) -> tuple[Any, ...]:
    name = type(event).__name__
    act = next(a for a in ALL if a.event == name)
    assert act.notice is not None
    subject = act.notice.subject
    if name == "Verified" and event.grounds_found:
        subject = "grounds_found"
    term = ""
    if act.notice.receipt_starts:
        due = getattr(event, act.notice.receipt_starts)
        term = (
            f"{act.notice.receipt_starts.removesuffix('_due')} term to {due.due_on}, counted from"
            f" {RECEIPT} at {event.timestamp.isoformat()}"
        )
    return (
        str(notice_id(event.originator_id, event.originator_version)),
        str(event.originator_id), event.originator_version, subject, int(act.notice.sms),
        event.timestamp.isoformat(), None, None, 0, "", None, term,
    )  # fmt: skip


class NoticeTrail(Projection):
    """Table `notice_trail`: one row per notice of an act."""

    name = "notice_trail"
    reads = (*NOTIFIED, *RESULTS)
    tables = ("notice_trail",)

    def create_tables(self, tx: Tx) -> None:
        table = self.table("notice_trail")
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {table} (notice_id TEXT PRIMARY KEY,"
            " application_id TEXT NOT NULL, version INTEGER NOT NULL, subject TEXT NOT NULL,"
            " sms INTEGER NOT NULL, recorded_at TEXT NOT NULL, sms_delivered_at TEXT,"
            " sms_failed_at TEXT, attempts INTEGER NOT NULL, reason TEXT NOT NULL,"
            " opened_at TEXT, term TEXT NOT NULL)"
        )
        tx.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_application ON {table} (application_id, version)"
        )

    def apply(self, batch: Sequence[Recorded], tx: Tx) -> None:
        table = self.table("notice_trail")
        rows: list[tuple[Any, ...]] = []
        for recorded in batch:
            event = recorded.event
            if isinstance(event, NOTIFIED):
                rows.append(_row(event))
                continue
            if not isinstance(event, RESULTS):
                continue
            write_rows(tx, table, COLUMNS, rows)  # the notices before their results
            rows = []
            at, notice = event.timestamp.isoformat(), str(event.originator_id)
            if isinstance(event, NoticeRecord.Opened):
                tx.execute(f"UPDATE {table} SET opened_at = ? WHERE notice_id = ?", [at, notice])
            elif isinstance(event, NoticeRecord.Delivered):
                tx.execute(
                    f"UPDATE {table} SET sms_delivered_at = ?, attempts = ? WHERE notice_id = ?",
                    [at, event.attempts, notice],
                )
            else:
                tx.execute(
                    f"UPDATE {table} SET sms_failed_at = ?, attempts = ?, reason = ?"
                    " WHERE notice_id = ?",
                    [at, event.attempts, event.reason, notice],
                )
        write_rows(tx, table, COLUMNS, rows)

    def of_application(self, tx: Tx, application_id: UUID) -> list[NoticeLine]:
        """The notices of the application's acts, in the order of its versions."""
        found = tx.fetchall(
            f"SELECT {NAMES} FROM {self.table('notice_trail')} WHERE application_id = ?"
            " ORDER BY version",
            [str(application_id)],
        )
        return [_line(r) for r in found]
