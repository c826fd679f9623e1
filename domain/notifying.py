"""The use cases of notices after their acts: a delivery's result, an opening, a one-off SMS.

Each records its event (domain.notice_record) and changes the outbox row in one transaction
(the store's `outbox` keyword), re-running on a conflict with a concurrent result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import RecordConflictError

from domain.clock import Recording, recording
from domain.ledger_base import LedgerBase
from domain.notice_record import NoticeRecord
from domain.notices import NoticeStore, OutboxChange, OutboxNotice, one_off_id
from domain.sms import checked
from domain.values import Channel

T = TypeVar("T")
ONE_OFF = "one_off"  # the subject of a message tied to no act: its text is its own


class UnknownNotice(LookupError):
    """No such notice for this reader (404: another applicant's notice is not theirs to see)."""


class OutboxStore(NoticeStore, Protocol):
    def enqueue_one_off(self, notice: OutboxNotice) -> None: ...


def _store(ledger: LedgerBase) -> OutboxStore:
    recorder: Any = ledger.recorder
    if not hasattr(recorder, "outbox_notice"):
        raise RuntimeError("this store keeps no outbox (an in-memory ledger)")
    found: OutboxStore = recorder
    return found


def _record(ledger: LedgerBase, row: Mapping[str, Any]) -> NoticeRecord:
    notice = UUID(row["notice_id"])
    try:
        found: object = ledger.repository.get(notice)
    except AggregateNotFoundError:
        application = row["application_id"]
        return NoticeRecord.start(
            notice, UUID(application) if application else None, row["version"], row["subject"]
        )
    assert isinstance(found, NoticeRecord)
    return found


def _moment(ledger: LedgerBase) -> datetime:
    return ledger.clock.recording_moment(ledger.clock.now(None))


def _retrying(step: Callable[[], T]) -> T:
    for attempt in range(30):
        try:
            return step()
        except RecordConflictError:
            time.sleep(0.001 * 2 ** min(attempt, 7))
    return step()


def record_delivery(
    ledger: LedgerBase,
    row: Mapping[str, Any],
    *,
    delivered: bool,
    attempts: int,
    reason: str = "",
) -> bool:
    """The gateway's last answer on the SMS of the outbox `row`: delivered, or not delivered
    after `attempts` (False: a result was already recorded, as by a worker before a restart)."""

    def step() -> bool:
        record = _record(ledger, row)
        at = _moment(ledger)
        with recording(Recording(at)):
            changed = (
                record.deliver(Channel.SMS, attempts)
                if delivered
                else record.fail(Channel.SMS, attempts, reason)
            )
        if not changed:
            return False
        change = OutboxChange(
            int(row["seq"]),
            sms_status="delivered" if delivered else "failed",
            sms_delivered_at=at if delivered else None,
            attempts=attempts,
            failed_reason=None if delivered else reason[:200],
        )
        ledger.save(record, outbox=change)
        ledger.clock.committed(at)
        return True

    return _retrying(step)


def open_notice(ledger: LedgerBase, notice: UUID, addressee: str) -> datetime:
    """The applicant opened their notice in the personal account: the moment, recorded once
    (a second opening answers the first moment)."""
    store = _store(ledger)

    def step() -> datetime:
        row = store.outbox_notice(addressee, notice)
        if row is None or row["application_id"] is None:
            raise UnknownNotice(str(notice))
        if row["opened_at"] is not None:
            return datetime.fromisoformat(row["opened_at"])
        record = _record(ledger, row)
        at = _moment(ledger)
        with recording(Recording(at)):
            record.open()
        ledger.save(record, outbox=OutboxChange(int(row["seq"]), opened_at=at))
        ledger.clock.committed(at)
        return at

    return _retrying(step)


def send_one_off_sms(
    ledger: LedgerBase, *, phone: str, text: str, key: str, addressee: str = "", tz: str = "UTC"
) -> UUID:
    """Queue an SMS tied to no act (a sign-in code) for the delivery worker, through the same
    outbox and gateway, once per `key` (the gateway's Idempotency-Key derives from it; a
    repeat with the same key queues nothing). The text is sent as given: within 2 segments,
    and the caller's to keep free of personal data. Returns the message's id."""
    phone, text = checked(phone, text)
    notice = one_off_id(key)
    _store(ledger).enqueue_one_off(
        OutboxNotice(
            notice_id=notice,
            channels=(Channel.SMS,),
            subject=ONE_OFF,
            addressee=addressee,
            phone=phone,
            language="",
            tz=tz,
            recorded_at=ledger.clock.now(None),
            params={"text": text},
        )
    )
    return notice
