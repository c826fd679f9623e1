"""The baseline of the rebuild case: the library's own `ProjectionRunner` building our queue view.

`eventsourcing.projection.ProjectionRunner` (9.5.6) subscribes to the application's recorder,
decodes one notification at a time in its processing thread and hands each event to
`Projection.process_event`; the view is a `TrackingRecorder` that writes the event's rows and
its tracking record in one transaction. That is the library's way, so it is the baseline: one
transaction per event, no batching, nothing cached between events.

The view built here is the one `projections/queue.py` builds (same three tables, same columns,
same index, the priority key in byte-ordered text), written with one statement per event:

- `HousingApplication.Applied`: the application's category (`INSERT ... ON CONFLICT DO NOTHING`);
- `HousingApplication.DataUpdated` that changes the category (Appendix 3): the application's
  category and its entry's, in one statement;
- `QueueList.Opened`: the list's provider and code;
- `QueueList.Joined`: the entry, its provider, list and category joined in from those two
  tables (`INSERT ... SELECT ... ON CONFLICT (application_id) DO UPDATE`);
- `Left`: `DELETE`; `Moved`: `UPDATE` of the key and priority moment; `OfferOpened` /
  `OfferClosed`: `UPDATE` of `holds_offer`.

Fair to the library: the subscription asks only for those topics (the database filters the
rest, so the library decodes about half of what our runner decodes), and the bench checks that
both views end up row for row the same. PostgreSQL only: the library's SQLite recorder raises
NotImplementedError on `subscribe`, so on SQLite the baseline is "not available".
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from eventsourcing.utils import Environment, get_topic
from psycopg.sql import SQL, Composed, Identifier

from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from domain.store_url import persistence_env
from domain.waiting_list import WaitingList

NAME = "LibraryQueue"  # the library names the tracking table after it: libraryqueue_tracking
PREFIX = "libq"
ENTRY_COLUMNS = (
    "application_id",
    "provider",
    "list_code",
    "priority_key",
    "category_code",
    "priority_moment",
    "registered_at",
    "holds_offer",
)
LIST_COLUMNS = ("queue_id", "provider", "list_code")
APPLICATION_COLUMNS = ("application_id", "category_code")
TOPICS = tuple(
    get_topic(cls)
    for cls in (
        HousingApplication.Applied,
        HousingApplication.DataUpdated,
        QueueList.Opened,
        QueueList.Joined,
        QueueList.Left,
        QueueList.Moved,
        QueueList.OfferOpened,
        QueueList.OfferClosed,
    )
)


def unavailable_reason(waiting_list: WaitingList) -> str | None:
    """Why the library's runner cannot follow this store (None when it can): its runner
    subscribes to the recorder, which the SQLite recorder does not support."""
    try:
        subscription = waiting_list.recorder.subscribe(gt=0, topics=TOPICS)
    except NotImplementedError as error:
        return str(error)
    with subscription:
        pass
    return None


def _moment_text(key: str) -> str:
    # The priority moment as our view stores it: the key's leading UTC timestamp.
    return f"{key[:26]}+00:00"


class LibraryQueueView(PostgresTrackingRecorder):
    """Our queue view's tables, kept by the library's tracking recorder."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = datastore.schema
        self.entries = Identifier(schema, f"{PREFIX}_entries")
        self.lists = Identifier(schema, f"{PREFIX}_lists")
        self.applications = Identifier(schema, f"{PREFIX}_applications")
        self.sql_create_statements += [
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} ("
                " application_id TEXT PRIMARY KEY, provider TEXT NOT NULL,"
                ' list_code TEXT NOT NULL, priority_key TEXT COLLATE "C" NOT NULL,'
                " category_code TEXT NOT NULL, priority_moment TEXT NOT NULL,"
                " registered_at TEXT NOT NULL, holds_offer INTEGER NOT NULL)"
            ).format(self.entries),
            SQL("CREATE INDEX IF NOT EXISTS {0} ON {1} (provider, list_code, priority_key)").format(
                Identifier(f"{PREFIX}_entries_order"), self.entries
            ),
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} ("
                " queue_id TEXT PRIMARY KEY, provider TEXT NOT NULL, list_code TEXT NOT NULL)"
            ).format(self.lists),
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} ("
                " application_id TEXT PRIMARY KEY, category_code TEXT NOT NULL)"
            ).format(self.applications),
        ]
        self.add_application = SQL(
            "INSERT INTO {0} (application_id, category_code) VALUES (%s, %s)"
            " ON CONFLICT (application_id) DO NOTHING"
        ).format(self.applications)
        self.recategorise = SQL(
            "WITH a AS (UPDATE {0} SET category_code = %s WHERE application_id = %s)"
            " UPDATE {1} SET category_code = %s WHERE application_id = %s"
        ).format(self.applications, self.entries)
        self.add_list = SQL(
            "INSERT INTO {0} (queue_id, provider, list_code) VALUES (%s, %s, %s)"
            " ON CONFLICT (queue_id) DO NOTHING"
        ).format(self.lists)
        self.join = SQL(
            "INSERT INTO {0} ({1}) SELECT %s, l.provider, l.list_code, %s, a.category_code,"
            " %s, %s, 0 FROM {2} l JOIN {3} a ON a.application_id = %s WHERE l.queue_id = %s"
            " ON CONFLICT (application_id) DO UPDATE SET {4}"
        ).format(
            self.entries,
            SQL(", ".join(ENTRY_COLUMNS)),
            self.lists,
            self.applications,
            SQL(", ".join(f"{c} = excluded.{c}" for c in ENTRY_COLUMNS[1:])),
        )
        self.leave = SQL("DELETE FROM {0} WHERE application_id = %s").format(self.entries)
        self.move = SQL(
            "UPDATE {0} SET priority_key = %s, priority_moment = %s WHERE application_id = %s"
        ).format(self.entries)
        self.offer = SQL("UPDATE {0} SET holds_offer = %s WHERE application_id = %s").format(
            self.entries
        )

    def write(
        self, statement: Composed, params: tuple[Any, ...], tracking: Tracking, *, one: bool
    ) -> None:
        """The event's statement and its tracking record, in one transaction."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(statement, params, prepare=True)
            if one and curs.rowcount != 1:
                raise LookupError(f"notification {tracking.notification_id}: no entry to change")
            self._insert_tracking(curs, tracking)

    def rows(self) -> dict[str, list[tuple[str, ...]]]:
        """Every row of the three tables as text, sorted (compared with our view's)."""
        out = {}
        for base, table, columns in (
            ("queue_entries", self.entries, ENTRY_COLUMNS),
            ("queue_lists", self.lists, LIST_COLUMNS),
            ("queue_applications", self.applications, APPLICATION_COLUMNS),
        ):
            sql = SQL("SELECT {0} FROM {1}").format(SQL(", ".join(columns)), table)
            with self.datastore.transaction(commit=False) as curs:
                curs.execute(sql)
                out[base] = sorted(tuple(str(v) for v in row.values()) for row in curs.fetchall())
        return out

    def drop(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for table in (self.entries, self.lists, self.applications):
                curs.execute(SQL("DROP TABLE IF EXISTS {0}").format(table))
            tracking = Identifier(self.datastore.schema, self.tracking_table_name)
            curs.execute(SQL("DROP TABLE IF EXISTS {0}").format(tracking))


class LibraryQueueProjection(Projection[LibraryQueueView]):
    """Builds the queue view from events 1..`limit`; sets `done` once `last` (the last of our
    topics in that prefix) is committed. Events past the prefix are left alone, so that the
    view can be compared with ours at the same position."""

    name = NAME
    topics = TOPICS
    limit: int = 0
    last: int = 0
    done: threading.Event = threading.Event()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        if tracking.notification_id > self.limit:
            self.done.set()
            return
        self.handle(domain_event, tracking)
        if tracking.notification_id >= self.last:
            self.done.set()

    @singledispatchmethod
    def handle(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)  # not one of our topics: only tracked

    @handle.register
    def _applied(self, event: HousingApplication.Applied, tracking: Tracking) -> None:
        params = (str(event.originator_id), event.form.category_code)
        self.view.write(self.view.add_application, params, tracking, one=False)

    @handle.register
    def _updated(self, event: HousingApplication.DataUpdated, tracking: Tracking) -> None:
        category, app = event.update.category_code, str(event.originator_id)
        if category is None:
            self.view.insert_tracking(tracking)
            return
        params = (category, app, category, app)
        self.view.write(self.view.recategorise, params, tracking, one=False)

    @handle.register
    def _opened(self, event: QueueList.Opened, tracking: Tracking) -> None:
        params = (str(event.originator_id), event.provider, event.list_code)
        self.view.write(self.view.add_list, params, tracking, one=False)

    @handle.register
    def _joined(self, event: QueueList.Joined, tracking: Tracking) -> None:
        app = str(event.application_id)
        since = event.effective_at.astimezone(UTC).isoformat()
        params = (app, event.key, _moment_text(event.key), since, app, str(event.originator_id))
        self.view.write(self.view.join, params, tracking, one=True)

    @handle.register
    def _left(self, event: QueueList.Left, tracking: Tracking) -> None:
        self.view.write(self.view.leave, (str(event.application_id),), tracking, one=True)

    @handle.register
    def _moved(self, event: QueueList.Moved, tracking: Tracking) -> None:
        params = (event.new_key, _moment_text(event.new_key), str(event.application_id))
        self.view.write(self.view.move, params, tracking, one=True)

    @handle.register
    def _offer_opened(self, event: QueueList.OfferOpened, tracking: Tracking) -> None:
        self.view.write(self.view.offer, (1, str(event.application_id)), tracking, one=True)

    @handle.register
    def _offer_closed(self, event: QueueList.OfferClosed, tracking: Tracking) -> None:
        self.view.write(self.view.offer, (0, str(event.application_id)), tracking, one=True)


@dataclass(frozen=True)
class LibraryRun:
    events: int  # notifications 1..events of the log covered
    handled: int  # of those, events of the view's topics (what the library decoded)
    seconds: float
    rows: dict[str, list[tuple[str, ...]]]

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds


def run_library(
    url: str, waiting_list: WaitingList, limit: int, *, timeout: float, filtered: bool = True
) -> LibraryRun:
    """The library's runner building the queue view from nothing over notifications 1..`limit`
    (PostgreSQL); the clock runs from constructing the runner (its application, view and
    subscription) to the last event of the prefix committed.
    Without `filtered`, the runner reads every event and tracks those of other topics in a
    transaction of their own (the library's default handler)."""
    env = persistence_env(url)
    topics = TOPICS if filtered else ()
    recorder = waiting_list.recorder
    ours = recorder.select_notifications(start=1, limit=limit, stop=limit, topics=topics)
    done = threading.Event()
    projection = type(
        "LibraryQueueProjection",
        (LibraryQueueProjection,),
        {
            "name": NAME,
            "topics": topics,
            "limit": limit,
            "last": ours[-1].id if ours else 0,
            "done": done,
        },
    )
    # The view's tables exist before the clock starts, as ours do (CatchUpRunner.setup).
    factory = InfrastructureFactory[LibraryQueueView].construct(
        env=Environment(NAME, {**os.environ, **env})
    )
    factory.tracking_recorder(LibraryQueueView)
    factory.close()
    started = time.perf_counter()
    with ProjectionRunner(
        application_class=WaitingList,
        projection_class=projection,
        view_class=LibraryQueueView,
        env=env,
    ) as runner:
        if ours:
            while not done.wait(0.05):
                runner.run_forever(timeout=0)  # re-raises an error of the processing thread
                if time.perf_counter() - started > timeout:
                    raise TimeoutError(f"the library's runner did not reach {limit} in time")
        seconds = time.perf_counter() - started
        runner.run_forever(timeout=0)
        view = runner.view
        try:
            rows = view.rows()
        finally:
            view.drop()
            view.datastore.close()
    return LibraryRun(limit, len(ours), seconds, rows)
