"""The catch-up runner on both stores, with a trivial projection that counts events by topic."""

from __future__ import annotations

from collections.abc import Sequence

from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from projections.database import Tx, ViewDatabase
from projections.projection import Projection, Recorded
from projections.runner import CatchUpRunner
from tests.conftest import runner_for
from tests.integration.walk import DAY_ONE, registered, submit


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


def counted(database: ViewDatabase, counts: EventCounts) -> dict[str, int]:
    """The projection's table: events seen by topic (or label)."""
    with database.transaction(write=False) as tx:
        return dict(tx.fetchall(f"SELECT topic, n FROM {counts.table('event_counts')}"))


def caught_up(
    waiting_list: WaitingList,
    database: ViewDatabase,
    counts: EventCounts,
    *,
    registrations: int,
    batch_size: int = 1000,
) -> tuple[CatchUpRunner, int]:
    """`registrations` applications registered, then a runner of `counts` caught up in batches
    of `batch_size`: the runner and how far its catch-up went."""
    for n in range(registrations):
        registered(waiting_list, n)
    runner = runner_for(waiting_list, database, counts, batch_size=batch_size)
    return runner, runner.catch_up()


def test_the_runner_applies_every_event_once_in_batches(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    projection = EventCounts()
    runner, applied = caught_up(waiting_list, database, projection, registrations=5, batch_size=7)
    assert applied == runner.head()
    assert runner.lag() == {"event_counts": 0}
    counts = counted(database, projection)
    assert counts["HousingApplication.Registered"] == 5
    assert sum(counts.values()) == runner.head()
    assert runner.catch_up() == 0


def test_a_following_runner_lets_a_writer_wait_for_its_own_events(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    runner = runner_for(waiting_list, database, EventCounts(), poll_interval=0.05)
    runner.start()
    try:
        app_id = submit(waiting_list, 1, filed_at=DAY_ONE)
        head = waiting_list.recorder.max_notification_id() or 0
        assert runner.wait_for(head, timeout=10)
        assert runner.lag()["event_counts"] == 0
        assert app_id
    finally:
        runner.stop()
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
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    lists = ListChangeCounts()
    runner, _ = caught_up(waiting_list, database, lists, registrations=3, batch_size=4)
    assert runner.lag() == {"list_change_counts": 0}
    counts = counted(database, lists)
    assert counts == {"QueueList.Joined": 3}


def test_a_runner_of_projections_that_use_only_stored_bytes_decodes_nothing(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    stored = StoredOnly()
    runner, _ = caught_up(waiting_list, database, stored, registrations=1)
    counts = counted(database, stored)
    assert "decoded" not in counts
    assert sum(counts.values()) == runner.head()
    assert counts["HousingApplication.Registered"] == 1


def test_a_filtering_runner_never_advances_past_the_head_it_has_seen(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    registered(waiting_list, 1)
    lists = ListChangeCounts()
    runner = runner_for(waiting_list, database, lists)
    head = runner.head()
    runner.catch_up(until=head + 1000)  # beyond the head: later events must still be seen
    assert runner.position(lists) == head
    registered(waiting_list, 2)
    runner.catch_up()
    counts = counted(database, lists)
    assert counts == {"QueueList.Joined": 2}
