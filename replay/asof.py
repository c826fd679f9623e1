"""As of a moment: an application, and its position, as they stood at any past moment.

Two time axes:

- **Business time** (`by="effective"`): the events whose `effective_at` (the moment the act
  took effect) is at or before the moment. Each act of an application takes effect no earlier
  than the one before it (domain rule, `require_chronology`), so these are a prefix of its
  versions; the rule is checked on every read and a log that breaks it raises
  ChronologyBroken rather than giving an answer.
- **Recording time** (`by="recorded"`): the events whose `timestamp` (stamped by the library
  when the act was recorded) is at or before the moment; also a prefix of its versions, taken
  as the events before the first one recorded after the moment.

`known_at` (business time only) answers bitemporally: as the ledger knew it at `known_at`.

An act that changes the list records two events in one transaction, the application's and
then the list's, stamped a few microseconds apart; a recording moment inside that gap sees the
application's event and not yet the list's. The position is always the list's answer.

The list as a whole: replay.asof_list. Everything is computed from the event log alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.domain import DomainEventProtocol

from domain.errors import ApplicationNotFound
from domain.housing_application import HousingApplication
from domain.ledger_base import LedgerBase
from replay.asof_list import (
    ChronologyBroken,
    Entry,
    ListAsOf,
    list_as_of,
    recorded_at,
    recorded_version,
    state_as_of,
)
from replay.asof_moment import AXES, AsOf, Axis, NaiveMoment

__all__ = [
    "AXES",
    "ApplicationNotFound",
    "AsOf",
    "Axis",
    "ChronologyBroken",
    "Entry",
    "ListAsOf",
    "NaiveMoment",
    "Position",
    "application_as_of",
    "application_events",
    "application_summary",
    "list_as_of",
    "position_as_of",
    "prefix_length",
    "recorded_at",
    "recorded_version",
    "state_as_of",
]

Event = DomainEventProtocol[UUID]


@dataclass(frozen=True)
class Position:
    """Where an application stood on its list at a moment."""

    position: int
    length: int
    entry: Entry
    provider: str
    list_code: str
    list_version: int  # the list's last version taken into account

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "length": self.length,
            "provider": self.provider,
            "list_code": self.list_code,
            "priority_moment": self.entry.priority_moment.isoformat(),
            "offer_open": self.entry.offer_open,
            "list_version": self.list_version,
        }


def application_events(ledger: LedgerBase, application_id: UUID) -> list[Event]:
    """Every event of the application, oldest first; ApplicationNotFound for any other id."""
    events: list[Event] = list(ledger.events.get(application_id))
    if not events or not isinstance(events[0], HousingApplication.Applied):
        raise ApplicationNotFound(str(application_id))
    return events


def application_as_of(
    ledger: LedgerBase, application_id: UUID, at: AsOf
) -> HousingApplication | None:
    """The application reconstructed from its events up to `at`, None before its filing (on
    that axis). Raises ApplicationNotFound when no application has that id."""
    events = application_events(ledger, application_id)
    count = prefix_length(events, at)
    if count == 0:
        return None
    app = project_aggregate(None, events[:count])
    assert isinstance(app, HousingApplication)
    return app


def prefix_length(events: Sequence[Event], at: AsOf) -> int:
    """How many of an aggregate's events (oldest first) stand at `at`."""
    if at.by == "recorded":
        return _recorded_prefix(events, at.moment)
    if at.known_at is not None:
        events = events[: _recorded_prefix(events, at.known_at)]
    count = 0
    previous: datetime | None = None
    for event in events:
        effective_at = _effective_at(event)
        if previous is not None and effective_at < previous:
            raise ChronologyBroken(
                f"{event.originator_id} version {event.originator_version} takes effect at "
                f"{effective_at.isoformat()}, before its previous act ({previous.isoformat()})"
            )
        previous = effective_at
        if effective_at <= at.moment:
            count += 1
    return count


def _recorded_prefix(events: Sequence[Event], moment: datetime) -> int:
    for index, event in enumerate(events):
        if recorded_at(event) > moment:
            return index
    return len(events)


def _effective_at(event: Event) -> datetime:
    effective_at = getattr(event, "effective_at", None)
    if not isinstance(effective_at, datetime):
        raise ChronologyBroken(f"{type(event).__qualname__} carries no effective_at")
    return effective_at


def position_as_of(ledger: LedgerBase, application_id: UUID, at: AsOf) -> Position | None:
    """The application's place on its list at `at`, None when it was not on the list.
    Raises ApplicationNotFound when no application has that id."""
    applied = application_events(ledger, application_id)[0]
    assert isinstance(applied, HousingApplication.Applied)
    state = state_as_of(ledger, applied.provider, applied.form.list_code, at)
    entry = state.entry_of(application_id)
    if entry is None:
        return None
    return Position(
        position=entry.position,
        length=len(state),
        entry=entry,
        provider=state.provider,
        list_code=state.list_code,
        list_version=state.version,
    )


def application_summary(app: HousingApplication) -> dict[str, Any]:
    """What an as-of answer shows of an application: its procedure, never the applicant's
    IIN, name, form or category (some categories reveal health)."""
    return {
        "application_id": str(app.id),
        "version": app.version,
        "provider": app.provider,
        "list_code": app.form.list_code,
        "status": app.status.value,
        "filed_at": app.filed_at.isoformat(),
        "priority_moment": app.priority_moment.isoformat(),
        "last_effective_at": app.last_effective_at.isoformat(),
        "queue_number": app.queue_number,
        "offer_open": app.open_offer is not None,
        "complaints": {c: case.status.value for c, case in sorted(app.complaints.items())},
    }
