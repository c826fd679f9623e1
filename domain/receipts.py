"""What an act answers (`Receipt`), and the same receipt given again from a kept key."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from uuid import UUID

from domain.idempotency import KeptAct, KeyedStore
from domain.values import Status


@dataclass
class Outcome:
    """What an act decided besides the application's new state, filled in as it runs: the
    queue number a registration or restored place holds, the id of a complaint or an offer, and
    what a data update recomputed or an answer to an offer brought about."""

    queue_number: int | None = None
    complaint_id: str | None = None
    offer_id: str | None = None
    consequence: str | None = None  # what the act recomputed or brought about, in words


@dataclass(frozen=True)
class Receipt:
    """What a recorded act returns: the application's own event (its version and notification
    id), the last notification of the act's transaction (`log_position`: the list's or the
    claim's event when the act saved them too; what a reader waits for), and the outcome."""

    application_id: UUID
    version: int
    notification_id: int
    log_position: int
    status: Status
    queue_number: int | None = None
    complaint_id: str | None = None
    offer_id: str | None = None
    consequence: str | None = None
    replayed: bool = False  # answered from the key kept by an earlier, recorded request

    def kept(self) -> dict[str, object]:
        """The fields an Idempotency-Key keeps (log positions are looked up again)."""
        return {
            "application_id": str(self.application_id),
            "version": self.version,
            "status": self.status.value,
            "queue_number": self.queue_number,
            "complaint_id": self.complaint_id,
            "offer_id": self.offer_id,
            "consequence": self.consequence,
        }


def receipt_of_kept(kept: KeptAct, store: KeyedStore) -> Receipt:
    """The first answer again: the kept fields, and the log positions of the kept events as
    the store numbered them."""
    fields = dict(kept.receipt)
    application_id = UUID(str(fields.pop("application_id")))
    version = int(str(fields.pop("version")))
    own = store.notification_ids(((application_id, version),))
    every = store.notification_ids(kept.events)
    return Receipt(
        application_id=application_id,
        version=version,
        notification_id=own[0] if own else max(every, default=0),
        log_position=max(every, default=0),
        status=Status(str(fields.pop("status"))),
        replayed=True,
        **fields,  # type: ignore[arg-type]
    )


class _ThreadLock:
    """A list lock within one process (a store without cross-process locks: in memory)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *_: object) -> None:
        self._lock.release()


_GUARD = threading.Lock()
_LOCKS: dict[str, _ThreadLock] = {}


def local_lock(name: str) -> _ThreadLock:
    with _GUARD:
        return _LOCKS.setdefault(name, _ThreadLock())
