"""The catch-up runner on both stores, with a trivial projection that counts events by topic."""

from __future__ import annotations

from collections.abc import Sequence

from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from projections.database import Tx, ViewDatabase
from projections.projection import Projection, Recorded
from projections.runner import CatchUpRunner
from tests.integration.walk import DAY_ONE, register, submit


class EventCounts(Projection):
    name = "event_counts"
    tables = ("event_counts",)

    def create_tables(self, tx: Tx) -> None:
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table('event_counts')}"
            " (topic TEXT PRIMARY KEY, n INTEGER NOT NULL)"
        )

    def apply(self, batch: Sequence[Recorded], tx: Tx) -> None:
        for recorded in batch:
            tx.execute(
                f"INSERT INTO {self.table('event_counts')} (topic, n) VALUES (?, 1)"
                " ON CONFLICT (topic) DO UPDATE SET n = "
                f"{self.table('event_counts')}.n + 1",
                (self.label(recorded),),
            )

    def label(self, recorded: Recorded) -> str:
        return type(recorded.event).__qualname__


def test_the_runner_applies_every_event_once_in_batches(
    waiting_list: WaitingList, database_url: str
) -> None:
    for n in range(5):
        register(waiting_list, submit(waiting_list, n, filed_at=DAY_ONE), day=DAY_ONE)
    database = ViewDatabase(database_url)
    runner = CatchUpRunner(waiting_list, [EventCounts()], database, batch_size=7)
    runner.setup()
    assert runner.catch_up() == runner.head()
    assert runner.lag() == {"event_counts": 0}
    with database.transaction(write=False) as tx:
        counts = dict(tx.fetchall("SELECT topic, n FROM event_counts_g1"))
    assert counts["HousingApplication.Registered"] == 5
    assert sum(counts.values()) == runner.head()
    assert runner.catch_up() == 0
    database.close()


def test_a_following_runner_lets_a_writer_wait_for_its_own_events(
    waiting_list: WaitingList, database_url: str
) -> None:
    database = ViewDatabase(database_url)
    runner = CatchUpRunner(waiting_list, [EventCounts()], database, poll_interval=0.05)
    runner.setup()
    runner.start()
    try:
        app_id = submit(waiting_list, 1, filed_at=DAY_ONE)
        head = waiting_list.recorder.max_notification_id() or 0
        assert runner.wait_for(head, timeout=10)
        assert runner.lag()["event_counts"] == 0
        assert app_id
    finally:
        runner.stop()
        database.close()
    assert runner.error is None


class ListChangeCounts(EventCounts):
    """Reads only list changes (Joined and its siblings, through their base class)."""

    name = "list_change_counts"
    tables = ("list_change_counts",)
    reads = (QueueList.Change,)

    def table(self, base: str) -> str:
        return super().table(base.replace("list_change_counts", "event_counts") + "_lists")


class StoredOnly(EventCounts):
    """Uses only the stored notifications, as the transparency log does."""

    name = "stored_only"
    decodes = False

    def table(self, base: str) -> str:
        return super().table(base + "_stored")

    def label(self, recorded: Recorded) -> str:
        return "decoded" if recorded.event is not None else recorded.stored.topic.split(":")[1]


def test_a_projection_gets_only_the_events_it_reads_and_still_advances_past_the_rest(
    waiting_list: WaitingList, database_url: str
) -> None:
    for n in range(3):
        register(waiting_list, submit(waiting_list, n, filed_at=DAY_ONE), day=DAY_ONE)
    database = ViewDatabase(database_url)
    lists = ListChangeCounts()
    runner = CatchUpRunner(waiting_list, [lists], database, batch_size=4)
    runner.setup()
    runner.catch_up()
    assert runner.lag() == {"list_change_counts": 0}
    with database.transaction(write=False) as tx:
        counts = dict(tx.fetchall(f"SELECT topic, n FROM {lists.table('event_counts')}"))
    assert counts == {"QueueList.Joined": 3}
    database.close()


def test_a_runner_of_projections_that_use_only_stored_bytes_decodes_nothing(
    waiting_list: WaitingList, database_url: str
) -> None:
    register(waiting_list, submit(waiting_list, 1, filed_at=DAY_ONE), day=DAY_ONE)
    database = ViewDatabase(database_url)
    stored = StoredOnly()
    runner = CatchUpRunner(waiting_list, [stored], database)
    runner.setup()
    runner.catch_up()
    with database.transaction(write=False) as tx:
        counts = dict(tx.fetchall(f"SELECT topic, n FROM {stored.table('event_counts')}"))
    assert "decoded" not in counts
    assert sum(counts.values()) == runner.head()
    assert counts["HousingApplication.Registered"] == 1
    database.close()


def test_a_filtering_runner_never_advances_past_the_head_it_has_seen(
    waiting_list: WaitingList, database_url: str
) -> None:
    register(waiting_list, submit(waiting_list, 1, filed_at=DAY_ONE), day=DAY_ONE)
    database = ViewDatabase(database_url)
    lists = ListChangeCounts()
    runner = CatchUpRunner(waiting_list, [lists], database)
    runner.setup()
    head = runner.head()
    runner.catch_up(until=head + 1000)  # beyond the head: later events must still be seen
    assert runner.position(lists) == head
    register(waiting_list, submit(waiting_list, 2, filed_at=DAY_ONE), day=DAY_ONE)
    runner.catch_up()
    with database.transaction(write=False) as tx:
        counts = dict(tx.fetchall(f"SELECT topic, n FROM {lists.table('event_counts')}"))
    assert counts == {"QueueList.Joined": 2}
    database.close()
