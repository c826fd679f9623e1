"""`BulkLedger`: a WaitingList whose aggregates live in memory and whose events leave it in
batches, encoded as the library stores them, in the order of the acts.

Every act still goes through the real use cases; only `save` differs. List registrations are
serialised per list by construction: one shard holds the one live `QueueList` of each of its
lists. Batches go to an `Outbox` (the writer), which may commit them later: a read of stored
events (an application read back after it left memory, the events a forwarded complaint seals)
takes what the store has committed plus what is still on its way, so it never waits.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from types import SimpleNamespace
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import StoredEvent

from domain.claims import ApplicantClaim, IdentityKey
from domain.clock import ScenarioClock
from domain.errors import ApplicationNotFound
from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from domain.waiting_list import WaitingList


class Outbox(Protocol):
    def send(self, seq: int, events: list[StoredEvent]) -> None:
        """Hand over the shard's batch number `seq` (numbered from 1, sent in order)."""

    def committed(self) -> int:
        """The number of the last batch of the shard the store has committed."""


class InFlight:
    """A batch sent but maybe not committed yet, with its events by aggregate once asked."""

    def __init__(self, seq: int, ids: frozenset[UUID], events: list[StoredEvent]) -> None:
        self.seq = seq
        self.ids = ids
        self.events = events
        self._by_id: dict[UUID | str, list[StoredEvent]] | None = None

    def of(self, originator_id: UUID | str) -> list[StoredEvent]:
        if originator_id not in self.ids:
            return []
        if self._by_id is None:
            self._by_id = {}
            for event in self.events:
                self._by_id.setdefault(event.originator_id, []).append(event)
        return self._by_id.get(originator_id, [])


class BulkLedger(WaitingList):
    """A WaitingList whose aggregates live in memory and whose events are written in bulk."""

    name = "WaitingList"  # the same tables as the ledger (a subclass would get its own)

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        identity_key: IdentityKey,
        outbox: Outbox,
        ids: random.Random,
        chunk: int = 5000,
    ) -> None:
        # A generated history: the server's clock stands at each act's moment.
        super().__init__(env, identity_key=identity_key, clock=ScenarioClock())
        self.outbox = outbox
        self.ids = ids
        self.chunk = chunk
        self.live: dict[UUID, Any] = {}
        self.evicted: set[UUID] = set()  # in the store only: read back if an act needs them
        self.buffer: list[StoredEvent] = []
        self.buffered_ids: set[UUID] = set()
        self.sent = 0
        self.events_sent = 0
        self.in_flight: deque[InFlight] = deque()
        self._acts = 0
        self._to_stored = self.mapper.to_stored_event
        self._select_stored = self.recorder.select_events
        self.recorder.select_events = self._select_events  # type: ignore[method-assign]

    def _exclusive(self, provider: str, list_code: str) -> AbstractContextManager[None]:
        # A shard owns its providers' lists: no other writer contends for them.
        return nullcontext()

    def new_application_id(self) -> UUID:
        # Drawn from the shard's seeded source, so that a seed gives the same events.
        return UUID(int=self.ids.getrandbits(128), version=4)

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        to_stored = self._to_stored
        for obj in objs:
            self.live[obj.id] = obj
            for event in obj.collect_events():
                self.buffer.append(to_stored(event))
            self.buffered_ids.add(obj.id)
        self._acts += 1
        if len(self.buffer) >= self.chunk:
            self.flush()
        # The use cases read only the notification ids of the recordings; the true ones are
        # known once the writer commits, and nothing in a walk depends on them.
        return [
            SimpleNamespace(
                notification=SimpleNamespace(id=self._acts),
                domain_event=SimpleNamespace(originator_id=obj.id),
            )
            for obj in objs
        ]

    def flush(self) -> None:
        """Send the buffered events (whole acts) to the writer as one batch."""
        if not self.buffer:
            return
        self.sent += 1
        self.events_sent += len(self.buffer)
        self.in_flight.append(InFlight(self.sent, frozenset(self.buffered_ids), self.buffer))
        self.outbox.send(self.sent, self.buffer)
        self.buffer, self.buffered_ids = [], set()
        self._forget_committed(self.outbox.committed())

    def _forget_committed(self, committed: int) -> None:
        while self.in_flight and self.in_flight[0].seq <= committed:
            self.in_flight.popleft()

    def _select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """The store's events of one aggregate, and those still on their way to it."""
        # Committed before the query: what the query misses is still in flight (or buffered),
        # and what it finds twice (committed meanwhile) is told apart by version.
        self._forget_committed(self.outbox.committed())
        stored = self._select_stored(originator_id, gt=gt, lte=lte)
        found = {e.originator_version: e for e in stored}
        pending = [e for batch in list(self.in_flight) for e in batch.of(originator_id)]
        if originator_id in self.buffered_ids:
            pending += [e for e in self.buffer if e.originator_id == originator_id]
        for e in pending:
            version = e.originator_version
            if (gt is None or version > gt) and (lte is None or version <= lte):
                found[version] = e
        ordered = [found[v] for v in sorted(found, reverse=desc)]
        return ordered if limit is None else ordered[:limit]

    def _stored(self, aggregate_id: UUID) -> Any:
        obj: Any = self.repository.get(aggregate_id)
        self.live[aggregate_id] = obj
        return obj

    def application(self, application_id: UUID) -> HousingApplication:
        app = self.live.get(application_id)
        if app is None:  # evicted, or never here: read back from the store, then kept
            app = self.live[application_id] = super().application(application_id)
        if not isinstance(app, HousingApplication):
            raise ApplicationNotFound(str(application_id))
        return app

    def queue(self, provider: str, list_code: str) -> QueueList | None:
        queue = self.live.get(QueueList.id_for(provider, list_code))
        assert queue is None or isinstance(queue, QueueList)
        return queue

    def claim_of(self, iin: str, app: HousingApplication) -> ApplicantClaim:
        claim_id = self.identity.claim_id(iin, app.provider, app.form.list_code)
        claim = self.live.get(claim_id)
        if claim is None:
            if claim_id not in self.evicted:
                return ApplicantClaim.open(claim_id)
            try:
                claim = self._stored(claim_id)
            except AggregateNotFoundError:
                return ApplicantClaim.open(claim_id)
        assert isinstance(claim, ApplicantClaim)
        return claim

    def forget_applications(self) -> None:
        """Keep only the lists in memory (the rest is in the store, or on its way)."""
        self.flush()
        self.evicted.update(k for k, v in self.live.items() if not isinstance(v, QueueList))
        self.live = {k: v for k, v in self.live.items() if isinstance(v, QueueList)}

    def lists(self) -> list[QueueList]:
        return [q for q in self.live.values() if isinstance(q, QueueList)]
