"""The independent replay of the notification log into sorted lists of priority keys."""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.housing_application import HousingApplication
from domain.priority import priority_key
from domain.queue_list import QueueList
from domain.values import Remedy
from tests.integration.ledger_machine.state import LedgerState
from tests.integration.ledger_machine.strategies import LISTS, PROVIDERS

# The acts that carry a remedy (§14, §15).
REMEDIES = (
    HousingApplication.ComplaintDecided
    | HousingApplication.ComplaintSatisfied
    | HousingApplication.CourtDecided
)


@dataclass
class Replayed:
    """One application as seen by the independent replay of the notification log."""

    provider: str
    list_code: str
    accepts_smaller: bool
    moment: datetime
    last_effective_at: datetime
    on_list: bool = False
    versions: list[int] = field(default_factory=list)

    def key(self, app_id: UUID) -> str:
        return priority_key(self.moment, app_id, self.accepts_smaller)


class LogReplay(LedgerState):
    """Replays the notification log on its own, never reading QueueList, to check the
    queue numbers and positions the ledger states."""

    def __init__(self) -> None:
        super().__init__()
        self.cursor = 0
        self.replayed: dict[UUID, Replayed] = {}
        self.lists: dict[tuple[str, str], list[str]] = {
            (p, c): [] for p in PROVIDERS for c in LISTS
        }
        self.left_at: dict[str, int] = {}  # key -> position it had when its application left
        self.moved_from: dict[str, int] = {}  # old key -> position before a corrected priority
        # application -> the list event its last act must be saved with (same transaction)
        self.awaiting: dict[UUID, type[Any]] = {}

    def _expected_number(self, app: HousingApplication) -> int:
        self._catch_up()
        keys = self.lists[(app.provider, app.form.list_code)]
        return bisect_left(keys, app.priority_key) + 1

    def _catch_up(self) -> None:
        """Replay the new part of the notification log into independent sorted lists."""
        while True:
            batch = self.wl.recorder.select_notifications(start=self.cursor + 1, limit=500)
            if not batch:
                break
            for notification in batch:
                assert notification.id > self.cursor, "notification ids go up"
                self.cursor = notification.id
                self._replay(self.wl.mapper.to_domain_event(notification))
        assert not self.awaiting, f"acts recorded without their list event: {self.awaiting}"

    def _replay(self, event: Any) -> None:
        if isinstance(event, QueueList.Change):
            self._replay_queue_event(event)
            return
        if not isinstance(event, HousingApplication.Applied | HousingApplication.Act):
            return
        app_id = event.originator_id
        if isinstance(event, HousingApplication.Applied):
            assert app_id not in self.replayed
            self.replayed[app_id] = Replayed(
                provider=event.provider,
                list_code=event.form.list_code,
                accepts_smaller=event.form.accepts_smaller_housing,
                moment=event.effective_at,
                last_effective_at=event.effective_at,
            )
            self.replayed[app_id].versions.append(event.originator_version)
            return
        seen = self.replayed[app_id]
        assert not self.awaiting, f"an act recorded without its list event: {self.awaiting}"
        assert event.originator_version == seen.versions[-1] + 1, "application versions in order"
        if isinstance(event, HousingApplication.HousingOffered):
            self.awaiting[app_id] = QueueList.OfferOpened
        elif isinstance(event, HousingApplication.OfferDeclined):
            self.awaiting[app_id] = QueueList.OfferClosed
        seen.versions.append(event.originator_version)
        seen.last_effective_at = event.effective_at
        keys = self.lists[(seen.provider, seen.list_code)]
        if isinstance(event, HousingApplication.Corrected):
            assert not seen.on_list
            seen.moment = event.priority_moment
        elif isinstance(event, HousingApplication.Registered):
            assert not seen.on_list, "registered while on the list"
            assert event.priority_moment == seen.moment, "registered with another priority"
            assert event.list_code == seen.list_code
            self._join(app_id, seen, event.queue_number, "Registered")
        elif isinstance(event, REMEDIES):
            # A complaint decided or satisfied, or a court's decision (§14, §15).
            if event.remedy is Remedy.RESTORE_PLACE:
                assert not seen.on_list, "restored while on the list"
                self._join(app_id, seen, event.queue_number, f"{type(event).__name__}(restore)")
            elif event.remedy is Remedy.CORRECT_PRIORITY:
                assert seen.on_list, "priority corrected off the list"
                old = seen.key(app_id)
                index = bisect_left(keys, old)
                assert keys[index] == old
                del keys[index]
                self.moved_from[old] = index + 1
                seen.moment = event.priority_moment
                insort(keys, seen.key(app_id))
                self.awaiting[app_id] = QueueList.Moved
        elif isinstance(
            event,
            HousingApplication.Withdrawn
            | HousingApplication.Deregistered
            | HousingApplication.HousingProvided,
        ):
            if isinstance(
                event, HousingApplication.HousingProvided | HousingApplication.Deregistered
            ):
                assert seen.on_list, f"{type(event).__name__} of an application not on the list"
            if seen.on_list:
                key = seen.key(app_id)
                index = bisect_left(keys, key)
                assert keys[index] == key
                del keys[index]
                self.left_at[key] = index + 1
                seen.on_list = False
                self.awaiting[app_id] = QueueList.Left

    def _join(self, app_id: UUID, seen: Replayed, stated: int | None, event_name: str) -> None:
        """The application takes its place on its list: at the number its event states."""
        keys = self.lists[(seen.provider, seen.list_code)]
        key = seen.key(app_id)
        true_number = bisect_left(keys, key) + 1
        assert stated == true_number, (
            f"{event_name} states number {stated}; at that point in the log the application is "
            f"number {true_number}"
        )
        insort(keys, key)
        seen.on_list = True
        self.awaiting[app_id] = QueueList.Joined

    def _replay_queue_event(self, event: Any) -> None:
        """QueueList events follow the application's event in the same transaction: their
        positions must agree with the independent lists."""
        if isinstance(event, QueueList.Opened):
            return
        seen = self.replayed[event.application_id]
        awaited = self.awaiting.pop(event.application_id, None)
        assert awaited is type(event), f"{type(event).__name__} where {awaited} was due"
        assert event.application_version == seen.versions[-1], "caused by the latest act"
        assert event.effective_at == seen.last_effective_at, "dated as the act that caused it"
        keys = self.lists[(seen.provider, seen.list_code)]
        assert QueueList.id_for(seen.provider, seen.list_code) == event.originator_id
        if isinstance(event, QueueList.Joined):
            assert seen.on_list
            assert event.key == seen.key(event.application_id)
            assert event.position == bisect_left(keys, event.key) + 1, "Joined at a wrong position"
        elif isinstance(event, QueueList.Left):
            assert not seen.on_list
            assert event.position == self.left_at.pop(event.key), "Left from a wrong position"
        elif isinstance(event, QueueList.Moved):
            assert event.new_key == seen.key(event.application_id)
            assert event.old_position == self.moved_from.pop(event.old_key), "Moved from where?"
            new_position = bisect_left(keys, event.new_key) + 1
            assert event.new_position == new_position, (
                f"Moved states position {event.new_position}; the list says {new_position}"
            )
