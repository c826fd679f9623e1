"""An application's place on its list at a past moment, as a service answers it: from the
position-history view when the view holds every change of the log, else by folding the log
(replay.asof.position_as_of, the definition, which the view's answers are tested against).

The view is caught up when its tracked position reaches the head of the log, or at least the
list's latest event: read before the view's snapshot, so every change the log held when the
question was asked is in the rows counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar, cast
from uuid import UUID

from domain.idempotency import KeyedStore
from domain.priority import key_moment
from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from projections.database import Tx, ViewDatabase
from projections.position_at import OwnChangesBroken, PlaceRow, place_at
from projections.position_history import PositionHistory
from projections.projection import Projection
from projections.runner import tracking_row
from projections.view_sql import iso
from replay.asof import ChronologyBroken, Position, application_events, position_as_of
from replay.asof_moment import AsOf

P = TypeVar("P", bound=Projection)


class ViewSource(Protocol):
    """A ledger and its views (api.services.Services, replay.catalog.LedgerViews)."""

    waiting_list: WaitingList
    database: ViewDatabase

    def view(self, kind: type[P]) -> P: ...


@dataclass(frozen=True)
class Place:
    """Where an application stood on its list at a moment, and how it was found."""

    position: int
    length: int
    provider: str
    list_code: str
    priority_key: str
    source: str  # "view" or "log"

    @property
    def priority_moment(self) -> datetime:
        return key_moment(self.priority_key)

    @classmethod
    def of_row(cls, row: PlaceRow) -> Place:
        return cls(row.position, row.length, row.provider, row.list_code, row.key, "view")

    @classmethod
    def of_position(cls, found: Position) -> Place:
        key = found.entry.priority_key
        return cls(found.position, found.length, found.provider, found.list_code, key, "log")


def place_as_of(source: ViewSource, application_id: UUID, at: AsOf) -> Place | None:
    """The application's place at `at`, None when it was not on a list then; raises
    ApplicationNotFound for an unknown id, ChronologyBroken for a log breaking the order."""
    ledger = source.waiting_list
    history = source.view(PositionHistory)
    head = ledger.recorder.max_notification_id() or 0
    with source.database.transaction(write=False, snapshot=True) as tx:
        reached = tracking_row(tx, history)  # None: a rebuild retired this generation
        if reached is not None and (
            reached >= head or _list_within(source, tx, history, application_id, reached)
        ):
            try:
                row = place_at(
                    history,
                    tx,
                    application_id,
                    moment=iso(at.moment),
                    by=at.by,
                    known_at=None if at.known_at is None else iso(at.known_at),
                    upto=reached,
                )
            except OwnChangesBroken as broken:
                raise ChronologyBroken(f"application {application_id}: {broken}") from None
            if row is not None:
                return Place.of_row(row)
            application_events(ledger, application_id)  # ApplicationNotFound for another id
            return None
    found = position_as_of(ledger, application_id, at)
    return None if found is None else Place.of_position(found)


def _list_within(
    source: ViewSource, tx: Tx, history: PositionHistory, application_id: UUID, reached: int
) -> bool:
    """Whether the view holds every change of the application's list (the log moved on)."""
    found = tx.fetchone(
        f"SELECT provider, list_code FROM {history.changes} WHERE application_id = ? LIMIT 1",
        (str(application_id),),
    )
    if found is None:
        return False  # never seen on a list: the log decides
    ledger = source.waiting_list
    queue_id = QueueList.id_for(str(found[0]), str(found[1]))
    last = next(iter(ledger.events.get(queue_id, desc=True, limit=1)), None)
    if last is None:
        return False
    recorder = ledger.recorder
    if not hasattr(recorder, "notification_ids"):
        return False
    store = cast(KeyedStore, recorder)
    ids = store.notification_ids(((queue_id, int(last.originator_version)),))
    return bool(ids) and ids[0] <= reached
