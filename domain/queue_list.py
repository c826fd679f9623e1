"""One waiting list of one provider (Housing Relations Art. 74 para 2) as an aggregate.

Every act that changes who is on a list (registration, restoration, leaving, a corrected
priority) is saved in one transaction with an event of this aggregate. Optimistic concurrency
on its version serialises those acts, so the queue number stated at registration is the true
position at that moment in the ledger's order, however many officers register at once.

State is a sorted list of priority keys (domain.priority); rank is a binary search.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.clock import Stamped, recording_moment
from domain.errors import NotHeadOfList, NotOnTheList
from domain.priority import key_accepts_smaller, key_application

_NAMESPACE = uuid5(NAMESPACE_URL, "https://kezek.kz/ns/queue-list")


class QueueList(Aggregate):
    class Opened(Stamped, Aggregate.Created):
        provider: str
        list_code: str

    def __init__(self, provider: str, list_code: str) -> None:
        self.provider = provider
        self.list_code = list_code
        self.keys: list[str] = []
        self.offered: list[str] = []

    @staticmethod
    def id_for(provider: str, list_code: str) -> UUID:
        """Lists are public, so a name-based id is fine here (unlike anything from an IIN)."""
        return uuid5(_NAMESPACE, f"{provider}/{list_code}")

    @classmethod
    def open(cls, provider: str, list_code: str) -> QueueList:
        return cls._create(
            cls.Opened, id=cls.id_for(provider, list_code), provider=provider, list_code=list_code
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> QueueList:
        # The repository copies cached aggregates before every command; the keys are immutable
        # strings, so copying the containers is enough and keeps that O(n) copy in C.
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.keys = list(self.keys)
        clone.offered = list(self.offered)
        clone.__dict__["_pending_events"] = list(self.pending_events)
        return clone

    # -- queries -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.keys)

    def position_of(self, key: str) -> int:
        """1-based position of an entry on the list."""
        index = bisect_left(self.keys, key)
        if index == len(self.keys) or self.keys[index] != key:
            raise NotOnTheList("the application is not on this list")
        return index + 1

    def position_if_joined(self, key: str) -> int:
        return bisect_left(self.keys, key) + 1

    # -- events --------------------------------------------------------------------------

    class Change(Stamped, Aggregate.Event):
        """Names the application's event that caused the change, for the position history."""

        application_id: UUID
        application_version: int
        cause: str
        effective_at: datetime

    class Joined(Change):
        key: str
        position: int

        def apply(self, aggregate: Any) -> None:
            insort(aggregate.keys, self.key)

    class Left(Change):
        key: str
        position: int

        def apply(self, aggregate: Any) -> None:
            del aggregate.keys[aggregate.position_of(self.key) - 1]
            if self.application_id.hex in aggregate.offered:
                aggregate.offered.remove(self.application_id.hex)

    class Moved(Change):
        old_key: str
        new_key: str
        old_position: int
        new_position: int

        def apply(self, aggregate: Any) -> None:
            del aggregate.keys[aggregate.position_of(self.old_key) - 1]
            insort(aggregate.keys, self.new_key)

    class OfferOpened(Change):
        def apply(self, aggregate: Any) -> None:
            aggregate.offered.append(self.application_id.hex)

    class OfferClosed(Change):
        def apply(self, aggregate: Any) -> None:
            aggregate.offered.remove(self.application_id.hex)

    # -- commands ------------------------------------------------------------------------

    def join(
        self, key: str, *, application_version: int, cause: str, effective_at: datetime
    ) -> int:
        position = self.position_if_joined(key)
        self._change(
            self.Joined, key, application_version, cause, effective_at, key=key, position=position
        )
        return position

    def leave(
        self, key: str, *, application_version: int, cause: str, effective_at: datetime
    ) -> int:
        position = self.position_of(key)
        self._change(
            self.Left, key, application_version, cause, effective_at, key=key, position=position
        )
        return position

    def move(
        self,
        old_key: str,
        new_key: str,
        *,
        application_version: int,
        cause: str,
        effective_at: datetime,
    ) -> int:
        old_position = self.position_of(old_key)
        index = bisect_left(self.keys, new_key)
        # Positions after the move count the list without the old entry.
        new_position = index if old_position - 1 < index else index + 1
        self._change(
            self.Moved,
            old_key,
            application_version,
            cause,
            effective_at,
            old_key=old_key,
            new_key=new_key,
            old_position=old_position,
            new_position=new_position,
        )
        return new_position

    def open_offer(
        self,
        key: str,
        *,
        below_norm_for: Callable[[UUID], bool],
        application_version: int,
        effective_at: datetime,
        not_as_chosen_by: Callable[[UUID], bool] = lambda _: False,
    ) -> None:
        """Housing goes to the first citizen on the list without an open offer (Art. 74 para 1),
        passing over those ahead who refused housing below the norm when the dwelling is below
        *their* norm (Appendix 1 item 12, Art. 75). `below_norm_for` answers that for a citizen
        ahead; it is asked only about those who refused smaller housing. Those for whom the
        dwelling is not of the stock or on a floor they accept (`not_as_chosen_by`, Appendix
        1) are passed over too."""
        position = self.position_of(key)
        for ahead in self.keys[: position - 1]:
            other = key_application(ahead)
            if other.hex in self.offered:
                continue
            if not key_accepts_smaller(ahead) and below_norm_for(other):
                continue
            if not_as_chosen_by(other):
                continue
            raise NotHeadOfList(
                f"the application is number {position}; an earlier citizen has no offer yet"
            )
        self._change(self.OfferOpened, key, application_version, "HousingOffered", effective_at)

    def close_offer(
        self, key: str, *, application_version: int, cause: str, effective_at: datetime
    ) -> None:
        self._change(self.OfferClosed, key, application_version, cause, effective_at)

    def _change(
        self,
        event_class: type[Change],
        entry: str,
        application_version: int,
        cause: str,
        effective_at: datetime,
        **fields: Any,
    ) -> None:
        self.trigger_event(
            event_class,
            # Never before the list's last change, whatever the clock of the process writing
            # it: as-of answers by recording time cut a list by its changes' timestamps.
            timestamp=max(recording_moment(), self.modified_on),
            application_id=key_application(entry),
            application_version=application_version,
            cause=cause,
            effective_at=effective_at,
            **fields,
        )
