"""The whole order of a (provider, list) as it stood at a past moment, from the event log alone.

A list is one aggregate (domain.queue_list.QueueList); every change of who is on it is one of
its events, carrying the application's event that caused it and that event's `effective_at`.

- **By recording time** the list is the aggregate at the last version recorded at or before the
  moment (its events' `timestamp`). Versions are recorded one after another, each by an act that
  read the one before, so their timestamps rise with the version and the cut is found by
  bisecting versions (about 16 single-event reads for 45,000 entries); the aggregate at that
  version then comes from the repository, from its nearest snapshot onwards.
- **By business time** the list is formed by every change whose `effective_at` is at or before
  the moment, applied in effective order, ties by notification order (within one aggregate, its
  version order). Business time is not monotonic across applications: a registration recorded
  late can take effect before one recorded earlier, so this is *not* a prefix of the versions.
  It is monotonic per application (each act takes effect no earlier than the one before), so
  each application's changes keep their recorded order and the result is well defined: an
  application is on the list, with the key of its last such change, exactly when that change
  is a join or a move. A change breaking that rule raises ChronologyBroken.
- **Bitemporally** (business time, `known_at`): the list by business time as the ledger knew it
  at `known_at`, i.e. from the versions recorded by then.

Reading a 45,000-entry list by business time decodes its 45,000 events (under a second on
either store); by recording time it is a snapshot and at most 10,000 events.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.ledger_base import LedgerBase
from domain.priority import key_application, key_moment
from domain.queue_list import QueueList
from replay.asof_moment import AsOf, utc_moment

READ_ALL_BELOW = 200  # versions: fewer are read at once to find a recording cut, not bisected


class ChronologyBroken(AssertionError):
    """The log breaks a rule the as-of answers rely on (an application's acts taking effect
    in the order they were recorded)."""


@dataclass(frozen=True)
class Entry:
    """One place on a list: no IIN and no name (keys hold only a moment and the id)."""

    position: int
    application_id: UUID
    priority_key: str
    offer_open: bool

    @property
    def priority_moment(self) -> datetime:
        return key_moment(self.priority_key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "application_id": str(self.application_id),
            "priority_moment": self.priority_moment.isoformat(),
            "offer_open": self.offer_open,
        }


@dataclass(frozen=True)
class ListAsOf:
    """A list at a moment: its keys in order and who holds an open offer."""

    provider: str
    list_code: str
    at: AsOf
    keys: Sequence[str]  # sorted: the order of the list
    offered: frozenset[UUID]
    version: int  # the list's last version taken into account (0: none)

    def __len__(self) -> int:
        return len(self.keys)

    def entries(self, offset: int = 0, limit: int | None = None) -> list[Entry]:
        """Entries from position `offset + 1`, at most `limit` of them (all when None)."""
        stop = len(self.keys) if limit is None else min(len(self.keys), offset + limit)
        return [self._entry(index) for index in range(max(offset, 0), stop)]

    def index_of(self, application_id: UUID) -> int | None:
        """0-based index of the application's entry, None when it is not on the list."""
        needle = f"|{application_id.hex}|"
        for index, key in enumerate(self.keys):
            if needle in key:
                return index
        return None

    def entry_of(self, application_id: UUID) -> Entry | None:
        index = self.index_of(application_id)
        return None if index is None else self._entry(index)

    def rank(self, key: str) -> int:
        """1-based position the holder of `key` has (or would have) on the list."""
        return bisect_left(self.keys, key) + 1

    def _entry(self, index: int) -> Entry:
        key = self.keys[index]
        app = key_application(key)
        return Entry(index + 1, app, key, app in self.offered)


def list_as_of(ledger: LedgerBase, provider: str, list_code: str, at: AsOf) -> list[Entry]:
    """The whole order of the list at `at` (see the module for the two time axes)."""
    return state_as_of(ledger, provider, list_code, at).entries()


def state_as_of(ledger: LedgerBase, provider: str, list_code: str, at: AsOf) -> ListAsOf:
    queue_id = QueueList.id_for(provider, list_code)
    if at.by == "recorded":
        version = recorded_version(ledger, queue_id, at.moment)
        if version == 0:
            return ListAsOf(provider, list_code, at, [], frozenset(), 0)
        queue: object = ledger.repository.get(queue_id, version=version)
        assert isinstance(queue, QueueList)
        offered = frozenset(UUID(hex=h) for h in queue.offered)
        return ListAsOf(provider, list_code, at, queue.keys, offered, version)
    upto = None if at.known_at is None else recorded_version(ledger, queue_id, at.known_at)
    if upto == 0:
        return ListAsOf(provider, list_code, at, [], frozenset(), 0)
    changes = [
        e
        for e in ledger.events.get(queue_id, lte=upto)
        if isinstance(e, QueueList.Change) and e.effective_at <= at.moment
    ]
    keys, offered = fold_changes(changes)
    version = max((c.originator_version for c in changes), default=0)
    return ListAsOf(provider, list_code, at, keys, offered, version)


def fold_changes(changes: Iterable[QueueList.Change]) -> tuple[list[str], frozenset[UUID]]:
    """The sorted keys and open offers after `changes`, applied in effective order (ties by
    version). Each application's changes must keep their version order in it."""
    ordered = sorted(changes, key=lambda c: (c.effective_at, c.originator_version))
    on: dict[UUID, str] = {}
    offered: set[UUID] = set()
    last_version: dict[UUID, int] = {}
    for change in ordered:
        app = change.application_id
        if last_version.get(app, 0) > change.originator_version:
            raise ChronologyBroken(
                f"application {app}: list version {change.originator_version} takes effect "
                f"before version {last_version[app]}"
            )
        last_version[app] = change.originator_version
        if isinstance(change, QueueList.Joined):
            on[app] = change.key
        elif isinstance(change, QueueList.Moved):
            on[app] = change.new_key
        elif isinstance(change, QueueList.Left):
            on.pop(app, None)
            offered.discard(app)
        elif isinstance(change, QueueList.OfferOpened):
            offered.add(app)
        elif isinstance(change, QueueList.OfferClosed):
            offered.discard(app)
    return sorted(on.values()), frozenset(offered)


def recorded_version(ledger: LedgerBase, aggregate_id: UUID, moment: datetime) -> int:
    """The aggregate's last version recorded at or before `moment` (0 when none was)."""
    moment = utc_moment(moment)
    last = next(iter(ledger.events.get(aggregate_id, desc=True, limit=1)), None)
    if last is None:
        return 0
    if recorded_at(last) <= moment:
        return int(last.originator_version)
    if last.originator_version <= READ_ALL_BELOW:  # one read beats a dozen
        stamps = [recorded_at(e) for e in ledger.events.get(aggregate_id)]
        return next(n for n, stamp in enumerate(stamps) if stamp > moment)
    low, high = 0, int(last.originator_version) - 1  # answer in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if _recorded_at(ledger, aggregate_id, middle) <= moment:
            low = middle
        else:
            high = middle - 1
    return low


def _recorded_at(ledger: LedgerBase, aggregate_id: UUID, version: int) -> datetime:
    for event in ledger.events.get(aggregate_id, gt=version - 1, lte=version):
        return recorded_at(event)
    raise AggregateNotFoundError(f"{aggregate_id} has no version {version}")


def recorded_at(event: object) -> datetime:
    """When the library recorded an event (its `timestamp`)."""
    timestamp = getattr(event, "timestamp", None)
    if not isinstance(timestamp, datetime):
        raise TypeError(f"{type(event).__qualname__} carries no timestamp")
    return timestamp
