"""Find drift: each process's in-memory queue index against a fresh fold of the log.

Every service process reports, each second, the position its index stands at and a digest of
its entries (projections.processes). This folds the log from the start, independently of the
queue view's tables (lists named by their `Opened` events, holders by `Applied` and
successions), and compares, at each reported position, the fold's digest with the process's.
A process whose index missed, repeated or misapplied an event answers with another digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.processes import ProcessRow, live_processes
from projections.projection import topics_of
from projections.queue_index import HolderChange, IndexChange, QueueIndex

BATCH = 5_000
READS = (
    QueueList.Opened,
    QueueList.Joined,
    QueueList.Left,
    QueueList.Moved,
    HousingApplication.Applied,
    HousingApplication.PlacePassedToFamilyMember,
)


@dataclass(frozen=True)
class IndexVerdict:
    process: ProcessRow
    expected_entries: int
    expected_digest: str

    @property
    def drifted(self) -> bool:
        return (self.process.index_entries, self.process.index_digest) != (
            self.expected_entries,
            self.expected_digest,
        )

    def line(self) -> str:
        p = self.process
        where = f"process {p.process_id} (pid {p.pid}) at position {p.index_position:,}"
        if not self.drifted:
            return f"{where}: index equal to a fresh fold ({p.index_entries:,} entries)"
        return (
            f"{where}: DRIFT: its index holds {p.index_entries:,} entries (digest"
            f" {p.index_digest[:12]}), a fresh fold {self.expected_entries:,}"
            f" (digest {self.expected_digest[:12]})"
        )


class LogFold:
    """The queue index as the log says it stands, folded event by event."""

    def __init__(self) -> None:
        self.index = QueueIndex()
        self._lists: dict[UUID, tuple[str, str]] = {}
        self._holders: dict[UUID, str] = {}

    def apply(self, event: object) -> None:
        if isinstance(event, QueueList.Opened):
            self._lists[event.originator_id] = (event.provider, event.list_code)
        elif isinstance(event, HousingApplication.Applied):
            self._holders[event.originator_id] = event.applicant_ref
        elif isinstance(event, HousingApplication.PlacePassedToFamilyMember):
            self._holders[event.originator_id] = event.successor_ref
            self.index.apply([HolderChange(event.originator_id, event.successor_ref)])
        elif isinstance(event, QueueList.Joined):
            provider, list_code = self._lists[event.originator_id]
            holder = self._holders.get(event.application_id)
            self.index.apply([IndexChange(provider, list_code, None, event.key, holder)])
        elif isinstance(event, QueueList.Left):
            provider, list_code = self._lists[event.originator_id]
            self.index.apply([IndexChange(provider, list_code, event.key, None)])
        elif isinstance(event, QueueList.Moved):
            provider, list_code = self._lists[event.originator_id]
            self.index.apply([IndexChange(provider, list_code, event.old_key, event.new_key)])


def check_indexes(waiting_list: WaitingList, database: ViewDatabase) -> list[IndexVerdict]:
    """A verdict for every live service process's index (workers keep none)."""
    with database.transaction(write=False) as tx:
        processes = [p for p in live_processes(tx) if p.kind == "serve"]
    targets = sorted({p.index_position for p in processes})
    digests: dict[int, tuple[int, str]] = {}
    fold = LogFold()
    topics = sorted(topics_of(READS))
    to_event = waiting_list.mapper.to_domain_event
    position, pending = 0, list(targets)
    stop = targets[-1] if targets else 0
    while pending and position < stop:
        notifications = waiting_list.recorder.select_notifications(
            start=position + 1, limit=BATCH, stop=stop, topics=topics
        )
        for notification in notifications:
            while pending and pending[0] < notification.id:
                digests[pending.pop(0)] = fold.index.digest()
            fold.apply(to_event(notification))
        position = notifications[-1].id if len(notifications) == BATCH else stop
    for target in pending:
        digests[target] = fold.index.digest()
    return [IndexVerdict(p, *digests[p.index_position]) for p in processes]
