"""The queue view: who is on which list, in what order, and their public page.

Tables (each `<name>_g<generation>`):
- `queue_entries`: one row per application on a list; indexed by (provider, list_code,
  priority_key), the key column sorting byte by byte on both engines.
- `queue_lists`: the lists by their aggregate id, from `QueueList.Opened`, so that the list
  events (whose originator is the list) can be placed.
- `queue_applications`: each application's category, from its Applied form or the data update
  that changed it (Appendix 3), so that an entry can be written when a place is restored long
  after filing (also after a restart).
- `queue_holders`: each application's holder (the applicant's keyed reference, never the IIN;
  a succession changes it), which the index keeps per entry so that the position route checks
  who may read it without loading the application. A table of its own, not a column, so that a
  generation made before it existed still opens (its entries then have no holder).

Each batch is written with a few statements: one read of the rows the batch touches, then the
net effect per application as one bulk upsert and one bulk delete (`insert_rows`). Positions
come from the in-memory `QueueIndex`, warmed from `queue_entries` and advanced after each
commit. `registered_at` is the moment of the latest join (registration or restored place).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from projections.database import Tx
from projections.list_names import ListNames
from projections.projection import Projection, Recorded
from projections.queue_index import HolderChange, IndexChange, Placement, QueueIndex
from projections.view_sql import (
    fetch_in,
    insert_rows,
    iso,
    key_moment_text,
    sortable_text,
    where_in,
)

MAX_PAGE_SIZE = 500
# What moves an index: the list events and successions (a holder's change).
INDEX_READS = (
    QueueList.Joined,
    QueueList.Left,
    QueueList.Moved,
    HousingApplication.PlacePassedToFamilyMember,
)


class Entry(NamedTuple):
    application_id: str
    provider: str
    list_code: str
    priority_key: str
    category_code: str
    priority_moment: str
    registered_at: str
    holds_offer: int


ENTRY_COLUMNS = ", ".join(Entry._fields)
ENTRY_TYPES = tuple(
    (name, "integer" if name == "holds_offer" else "text") for name in Entry._fields
)


@dataclass(frozen=True)
class PublicEntry:
    """A line of a list as anyone may see it: no IIN, no name, nothing personal."""

    position: int
    application_id: UUID
    priority_moment: datetime
    category_code: str
    holds_offer: bool


def index_changes(
    events: Sequence[object], lists: ListNames, joining_holders: dict[str, str]
) -> list[IndexChange | HolderChange]:
    """What a run of events changes in an index. A join takes the holder the queue view's
    table had for the application when the run was written (`joining_holders`), and a
    succession that follows in the run sets the same one: the index ends as the table does."""
    changes: list[IndexChange | HolderChange] = []
    for event in events:
        if isinstance(event, HousingApplication.PlacePassedToFamilyMember):
            changes.append(HolderChange(event.originator_id, event.successor_ref))
        elif isinstance(event, QueueList.Joined | QueueList.Left | QueueList.Moved):
            provider, list_code = lists[event.originator_id]
            if isinstance(event, QueueList.Joined):
                holder = joining_holders.get(str(event.application_id))
                changes.append(IndexChange(provider, list_code, None, event.key, holder))
            elif isinstance(event, QueueList.Left):
                changes.append(IndexChange(provider, list_code, event.key, None))
            else:
                changes.append(IndexChange(provider, list_code, event.old_key, event.new_key))
    return changes


class QueueProjection(Projection):
    name = "queue"
    version = 2
    reads = (
        QueueList.Opened,
        QueueList.Change,
        HousingApplication.Applied,
        HousingApplication.PlacePassedToFamilyMember,
        HousingApplication.DataUpdated,  # a category changed (Appendix 3)
    )
    tables = ("queue_entries", "queue_lists", "queue_applications", "queue_holders")

    def __init__(self, generation: int = 1, *, keeps_index: bool = True) -> None:
        super().__init__(generation)
        # A service process follows the table with an index of its own (projections.live_queue)
        # and writes the view without one; a single process (tests, the demo, benches) keeps
        # the index here, advanced after each commit.
        self.keeps_index = keeps_index
        self.index = QueueIndex()
        self.lists = ListNames(self.table("queue_lists"))
        self.entries = self.table("queue_entries")
        self.applications = self.table("queue_applications")
        self.holders = self.table("queue_holders")
        # The holders of the applications joining a list in the batch `apply` wrote, for
        # `committed` (which has no transaction to read them with).
        self._joining_holders: dict[str, str] = {}

    def at_generation(self, generation: int) -> QueueProjection:
        return QueueProjection(generation, keeps_index=self.keeps_index)

    def create_tables(self, tx: Tx) -> None:
        """Create the tables (if new), then warm the index from them: the runner's setup."""
        key = sortable_text(tx)
        for statement in (
            f"CREATE TABLE IF NOT EXISTS {self.entries} ("
            " application_id TEXT PRIMARY KEY, provider TEXT NOT NULL, list_code TEXT NOT NULL,"
            f" priority_key {key} NOT NULL, category_code TEXT NOT NULL,"
            " priority_moment TEXT NOT NULL, registered_at TEXT NOT NULL,"
            " holds_offer INTEGER NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {self.entries}_order"
            f" ON {self.entries} (provider, list_code, priority_key)",
            f"CREATE TABLE IF NOT EXISTS {self.applications} ("
            " application_id TEXT PRIMARY KEY, category_code TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.holders} ("
            " application_id TEXT PRIMARY KEY, applicant_ref TEXT NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {self.holders}_by_ref ON {self.holders} (applicant_ref)",
        ):
            tx.execute(statement)
        self.lists.create(tx)
        if self.keeps_index:
            self.warm(tx)

    def warm(self, tx: Tx) -> None:
        """Load the index from the tables (in a process that reads but does not run the runner,
        or after a restart)."""
        self.index.replace(QueueIndex.load(tx, self.entries, self.holders))

    # -- writing ----------------------------------------------------------------------------

    def apply(self, batch: Sequence[Recorded], tx: Tx) -> None:
        categories: dict[str, str] = {}
        holders: dict[str, str] = {}  # the last holder in the batch of each application
        opened: list[QueueList.Opened] = []
        changes: list[QueueList.Change] = []
        recategorised: set[str] = set()  # a data update changed the category (Appendix 3)
        for recorded in batch:
            event = recorded.event
            if isinstance(event, QueueList.Change):
                changes.append(event)
            elif isinstance(event, HousingApplication.Applied):
                categories[str(event.originator_id)] = event.form.category_code
                holders[str(event.originator_id)] = event.applicant_ref
            elif isinstance(event, HousingApplication.PlacePassedToFamilyMember):
                holders[str(event.originator_id)] = event.successor_ref
            elif isinstance(event, HousingApplication.DataUpdated) and event.update.category_code:
                categories[str(event.originator_id)] = event.update.category_code
                recategorised.add(str(event.originator_id))
            elif isinstance(event, QueueList.Opened):
                opened.append(event)
        insert_rows(
            tx,
            self.applications,
            (("application_id", "text"), ("category_code", "text")),
            list(categories.items()),
            "ON CONFLICT (application_id) DO UPDATE SET category_code = excluded.category_code",
        )
        insert_rows(
            tx,
            self.holders,
            (("application_id", "text"), ("applicant_ref", "text")),
            list(holders.items()),
            "ON CONFLICT (application_id) DO UPDATE SET applicant_ref = excluded.applicant_ref",
        )
        self.lists.record(tx, opened)
        self._joining_holders = {}
        if changes:
            self._write_entries(tx, changes, categories)
            joining = {str(e.application_id) for e in changes if isinstance(e, QueueList.Joined)}
            unknown = sorted(joining - holders.keys())
            sql = f"SELECT application_id, applicant_ref FROM {self.holders}"
            holders.update(fetch_in(tx, sql, "application_id", unknown))
            self._joining_holders = {app: holders[app] for app in joining if app in holders}
        for app in sorted(recategorised):
            sql = f"UPDATE {self.entries} SET category_code = ? WHERE application_id = ?"
            tx.execute(sql, [categories[app], app])

    def _write_entries(
        self, tx: Tx, changes: Sequence[QueueList.Change], categories: dict[str, str]
    ) -> None:
        self.lists.resolve(tx, {e.originator_id for e in changes})
        touched = sorted({str(e.application_id) for e in changes})
        sql = f"SELECT {ENTRY_COLUMNS} FROM {self.entries}"
        before = {row[0]: Entry(*row) for row in fetch_in(tx, sql, "application_id", touched)}
        joining = {str(e.application_id) for e in changes if isinstance(e, QueueList.Joined)}
        unknown = sorted(joining - categories.keys())
        sql = f"SELECT application_id, category_code FROM {self.applications}"
        categories.update(fetch_in(tx, sql, "application_id", unknown))
        after: dict[str, Entry | None] = dict(before)
        for event in changes:
            app = str(event.application_id)
            if isinstance(event, QueueList.Joined):
                if app not in categories:
                    raise LookupError(f"application {app} joined a list but never applied")
                provider, list_code = self.lists[event.originator_id]
                moment, since = key_moment_text(event.key), iso(event.effective_at)
                category = categories[app]
                after[app] = Entry(app, provider, list_code, event.key, category, moment, since, 0)
                continue
            entry = after.get(app)
            if entry is None:
                raise LookupError(f"{type(event).__name__} of application {app}, not on a list")
            if isinstance(event, QueueList.Left):
                after[app] = None
            elif isinstance(event, QueueList.Moved):
                moment = key_moment_text(event.new_key)
                after[app] = entry._replace(priority_key=event.new_key, priority_moment=moment)
            elif isinstance(event, QueueList.OfferOpened | QueueList.OfferClosed):
                offered = isinstance(event, QueueList.OfferOpened)
                after[app] = entry._replace(holds_offer=int(offered))
        gone = [app for app in touched if after.get(app) is None and app in before]
        changed = [e for app in touched if (e := after.get(app)) and e != before.get(app)]
        for condition, params in where_in(tx, "application_id", gone):
            tx.execute(f"DELETE FROM {self.entries} WHERE {condition}", params)
        updates = ", ".join(f"{c} = excluded.{c}" for c in Entry._fields[1:])
        insert_rows(
            tx,
            self.entries,
            ENTRY_TYPES,
            changed,
            f"ON CONFLICT (application_id) DO UPDATE SET {updates}",
        )

    def committed(self, batch: Sequence[Recorded]) -> None:
        if self.keeps_index:
            events = [r.event for r in batch]
            self.index.apply(index_changes(events, self.lists, self._joining_holders))

    # -- reading ------------------------------------------------------------------------------

    def position(self, application_id: UUID) -> tuple[int, int] | None:
        """(position, length of the list), or None when not on a list; O(log n), no I/O."""
        return self.index.position(application_id)

    def placement(self, application_id: UUID) -> Placement | None:
        """Position, list, priority moment and holder, or None when not on a list; no I/O."""
        return self.index.placement(application_id)

    def length(self, provider: str, list_code: str) -> int:
        return self.index.length(provider, list_code)

    def public_page(
        self, tx: Tx, provider: str, list_code: str, page: int, size: int = 50
    ) -> list[PublicEntry]:
        """Page `page` (from 1) of `size` lines of a list, in order, with positions."""
        return read_page(self.index, self.entries, tx, provider, list_code, page, size)


def read_page(
    index: QueueIndex, entries: str, tx: Tx, provider: str, list_code: str, page: int, size: int
) -> list[PublicEntry]:
    """Page `page` (from 1) of `size` lines of a list: keys and ranks from the index, the
    lines' columns from the `entries` table."""
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"page counts from 1; size is 1 to {MAX_PAGE_SIZE}")
    first = index.page(provider, list_code, (page - 1) * size, 1)
    if not first:
        return []
    rows = tx.fetchall(
        "SELECT application_id, priority_key, priority_moment, category_code, holds_offer"
        f" FROM {entries} WHERE provider = ? AND list_code = ? AND priority_key >= ?"
        " ORDER BY priority_key LIMIT ?",
        (provider, list_code, first[0], size),
    )
    ranks = index.ranks(provider, list_code, [row[1] for row in rows])
    return [
        PublicEntry(
            position=rank,
            application_id=UUID(app),
            priority_moment=datetime.fromisoformat(moment),
            category_code=category,
            holds_offer=bool(offer),
        )
        for rank, (app, _, moment, category, offer) in zip(ranks, rows, strict=True)
    ]
