"""The catch-up runner on both stores, with a trivial projection that counts events by topic."""

from __future__ import annotations

from collections.abc import Sequence

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
                (type(recorded.event).__qualname__,),
            )


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
