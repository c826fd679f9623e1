"""The queue view on both stores: positions equal the write side's, pages are public, each
entry knows its list, priority moment and holder as the application does, and a restarted view
warmed from its table answers the same."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from domain.records import Dwelling
from domain.values import ComplaintBody
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.live_queue import LiveQueue
from projections.position_history import PositionHistory
from projections.queue import QueueProjection
from projections.queue_index import Placement
from tests.conftest import runner_for
from tests.integration import walk

DAY = walk.local(2024, 4, 1)
LIST = ("almaty", "socially_vulnerable")
FLAT = Dwelling(address="Abay 10-5", rooms=2, useful_area_m2=Decimal(54))


def register_in_random_order(
    wl: WaitingList, rng: random.Random, count: int, first: int = 0
) -> list[UUID]:
    """`count` applications filed at random moments, registered in another random order
    (citizens numbered from `first`)."""
    filed = [
        walk.local(2024, 3, rng.randint(18, 22), rng.randint(9, 17), rng.randint(0, 59))
        for _ in range(count)
    ]
    ids = [walk.submit(wl, n, filed_at=at) for n, at in enumerate(filed, start=first)]
    for n, app_id in enumerate(rng.sample(ids, count)):
        walk.register(wl, app_id, day=DAY + timedelta(minutes=5 * n))
    return ids


def assert_positions_agree(wl: WaitingList, queue: QueueProjection, ids: list[UUID]) -> None:
    positions = {app: queue.position(app) for app in ids}
    assert positions == {app: wl.position(app) for app in ids}
    on_list = sorted(p for p in positions.values() if p is not None)
    assert [p[0] for p in on_list] == list(range(1, len(on_list) + 1))
    assert all(p[1] == len(on_list) for p in on_list)


def assert_placements_agree(wl: WaitingList, queue: QueueProjection, ids: list[UUID]) -> None:
    """What the index holds of each entry is what the application says (or nothing, off a list)."""
    for app_id in ids:
        found = wl.position(app_id)
        if found is None:
            assert queue.placement(app_id) is None
            continue
        app = wl.application(app_id)
        assert queue.placement(app_id) == Placement(
            app.provider, app.form.list_code, *found, app.priority_moment, app.applicant_ref
        )


def holds_offer(database: ViewDatabase, queue: QueueProjection, app_id: UUID) -> bool:
    with database.transaction(write=False) as tx:
        row = tx.fetchone(
            f"SELECT holds_offer FROM {queue.entries} WHERE application_id = ?", (str(app_id),)
        )
    assert row is not None
    return bool(row[0])


def test_positions_follow_every_act_that_changes_the_list(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    wl, rng = waiting_list, random.Random(7)
    queue = QueueProjection()
    runner = runner_for(wl, database, queue, batch_size=4)
    ids = register_in_random_order(wl, rng, 6)
    runner.catch_up()
    assert_positions_agree(wl, queue, ids)

    by_position = sorted(ids, key=lambda a: wl.position(a) or (0, 0))
    first, second, third = by_position[:3]
    complaint = walk.complain(wl, second, DAY + timedelta(days=1), ComplaintBody.QUALITY_BODY)
    walk.deregister(wl, second, DAY + timedelta(days=1, hours=1))
    walk.withdraw(wl, by_position[-1], DAY + timedelta(days=1, hours=2))
    runner.catch_up()
    assert_positions_agree(wl, queue, ids)
    assert queue.position(second) is None

    walk.restore(wl, second, complaint, DAY + timedelta(days=3))
    walk.correct_priority(wl, third, walk.local(2024, 3, 1), DAY + timedelta(days=4))
    runner.catch_up()
    assert_positions_agree(wl, queue, ids)
    assert queue.position(third) == (1, 5)

    offer = walk.offer_housing(wl, third, DAY + timedelta(days=5), FLAT)
    runner.catch_up()
    assert holds_offer(database, queue, third)
    assert not holds_offer(database, queue, first)
    walk.provide_housing(wl, third, offer, DAY + timedelta(days=6))
    runner.catch_up()
    assert_positions_agree(wl, queue, ids)
    assert_placements_agree(wl, queue, ids)
    assert queue.length(*LIST) == 4


def test_each_entry_knows_its_list_priority_and_holder_through_every_change(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    wl = waiting_list
    queue = QueueProjection()
    runner = runner_for(wl, database, queue, batch_size=3)
    ids = register_in_random_order(wl, random.Random(5), 4)
    other = walk.submit(wl, 9, filed_at=walk.local(2024, 3, 20, 9), provider="astana")
    walk.register(wl, other, day=DAY)
    ids.append(other)
    runner.catch_up()
    assert_placements_agree(wl, queue, ids)
    first, second, third = ids[:3]

    successor = walk.pass_place(wl, first, DAY + timedelta(days=1))
    complaint = walk.complain(wl, second, DAY + timedelta(days=1), ComplaintBody.QUALITY_BODY)
    walk.deregister(wl, second, DAY + timedelta(days=1, hours=1))
    walk.correct_priority(wl, third, walk.local(2024, 3, 1), DAY + timedelta(days=2))
    runner.catch_up()
    assert_placements_agree(wl, queue, ids)
    placed = queue.placement(first)
    assert placed is not None
    assert placed.holder == successor
    assert queue.placement(second) is None

    walk.restore(wl, second, complaint, DAY + timedelta(days=3))
    runner.catch_up()
    assert_placements_agree(wl, queue, ids)
    assert_positions_agree(wl, queue, ids[:4])

    restarted = QueueProjection()
    runner_for(wl, database, restarted)
    assert_placements_agree(wl, restarted, ids)


def test_the_public_page_shows_order_and_category_and_nothing_personal(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    wl = waiting_list
    ids = register_in_random_order(wl, random.Random(11), 7)
    queue = QueueProjection()
    runner_for(wl, database, queue).catch_up()
    with database.transaction(write=False) as tx:
        pages = [queue.public_page(tx, *LIST, page, size=3) for page in (1, 2, 3, 4)]
        assert queue.public_page(tx, "astana", "orphans", 1) == []
        with pytest.raises(ValueError, match="page counts from 1"):
            queue.public_page(tx, *LIST, 0)
    assert [len(p) for p in pages] == [3, 3, 1, 0]
    lines = [line for page in pages for line in page]
    assert [line.position for line in lines] == list(range(1, 8))
    assert [line.application_id for line in lines] == sorted(
        ids, key=lambda a: wl.position(a) or (0, 0)
    )
    for line in lines:
        app = wl.application(line.application_id)
        assert line.category_code == app.form.category_code
        assert line.priority_moment == app.priority_moment
        assert not line.holds_offer
    shown = repr(pages)
    for app_id in ids:
        form = wl.application(app_id).form
        secrets = [form.applicant_iin, form.applicant_name, *(m.iin for m in form.family)]
        assert not any(secret in shown for secret in secrets)


def test_a_restarted_view_warms_from_its_table_and_carries_on(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    wl = waiting_list
    ids = register_in_random_order(wl, random.Random(3), 5)
    runner_for(wl, database, QueueProjection(), PositionHistory()).catch_up()

    restarted = QueueProjection()
    runner = runner_for(wl, database, restarted, PositionHistory())
    assert runner.catch_up() == 0
    assert_positions_agree(wl, restarted, ids)
    walk.deregister(wl, ids[0], DAY + timedelta(days=2))  # a list known only from the table
    walk.correct_priority(wl, ids[1], walk.local(2024, 3, 2), DAY + timedelta(days=3))
    runner.catch_up()
    assert_positions_agree(wl, restarted, ids)

    rebuilt = QueueProjection(generation=2)
    runner_for(wl, database, rebuilt, batch_size=3).catch_up()
    with database.transaction(write=False) as tx:
        assert rebuilt.rows(tx) == restarted.rows(tx)
    assert_positions_agree(wl, rebuilt, ids)
    assert_placements_agree(wl, rebuilt, ids)
    assert_placements_agree(wl, restarted, ids)


def test_two_service_processes_on_one_database_both_keep_their_index_current(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    """One writer of the table; each process's own index follows it from its own position,
    whether it warmed before the writes or after some of them."""
    wl = waiting_list
    writer = runner_for(wl, database, QueueProjection(keeps_index=False))
    early = LiveQueue(wl, database)
    early.warm()
    ids = register_in_random_order(wl, random.Random(5), 6)
    writer.catch_up()
    early.advance()
    assert_positions_agree(wl, early.index, ids)
    assert_placements_agree(wl, early.index, ids)

    late = LiveQueue(wl, database)
    late.warm()  # from the table, at the position the writer left it
    walk.deregister(wl, ids[0], DAY + timedelta(days=2))
    walk.pass_place(wl, ids[1], DAY + timedelta(days=3))
    more = register_in_random_order(wl, random.Random(6), 3, first=100)
    writer.catch_up()
    for live in (early, late):
        live.advance()
        assert live.position == writer.head()
        assert_positions_agree(wl, live.index, ids + more)
        assert_placements_agree(wl, live.index, ids + more)
    assert early.digest() == late.digest()
