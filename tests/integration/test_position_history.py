"""The position history on both stores: every change of a position, with its cause, equal to
a naive recomputation of the whole order at every change of the list."""

from __future__ import annotations

import itertools
from bisect import insort
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import acts
from domain.priority import key_application, priority_key
from domain.queue_list import QueueList
from domain.values import ComplaintBody
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.position_history import PositionChange, PositionHistory
from projections.projection import Recorded
from projections.queue import QueueProjection
from tests.conftest import runner_for
from tests.integration import walk
from tests.integration.test_queue_projection import DAY

Step = tuple[int, int | None, int | None, UUID | None, str, int]


def naive_histories(recorded: Sequence[Recorded]) -> dict[UUID, list[Step]]:
    """At every change of a list, the whole order recomputed and every position compared."""
    lists: dict[UUID, list[str]] = defaultdict(list)
    steps: dict[UUID, list[Step]] = defaultdict(list)
    for r in recorded:
        event = r.event
        if not isinstance(event, QueueList.Joined | QueueList.Left | QueueList.Moved):
            continue
        order = lists[event.originator_id]
        before = {key_application(k): n for n, k in enumerate(order, start=1)}
        if isinstance(event, QueueList.Joined):
            insort(order, event.key)
        elif isinstance(event, QueueList.Left):
            order.remove(event.key)
        else:
            order.remove(event.old_key)
            insort(order, event.new_key)
        after = {key_application(k): n for n, k in enumerate(order, start=1)}
        for app in before.keys() | after.keys():
            own = app == event.application_id
            if own or before.get(app) != after.get(app):
                other = None if own else event.application_id
                step = (r.notification_id, before.get(app), after.get(app), other)
                steps[app].append((*step, event.cause, event.application_version))
    return steps


def steps_of(history: list[PositionChange]) -> list[Step]:
    return [
        (c.seq, c.old_position, c.new_position, c.application_id, c.cause, c.application_version)
        for c in history
    ]


def test_a_history_names_every_cause_and_ends_at_the_current_position(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    wl = waiting_list
    a, b, c, d = (
        walk.submit(wl, n, filed_at=walk.local(2024, 3, 18, h))
        for n, h in enumerate((10, 12, 9, 11))
    )
    for n, app in enumerate((a, b, c, d)):
        walk.register(wl, app, day=DAY + timedelta(minutes=10 * n))
    complaint = walk.complain(wl, c, DAY + timedelta(days=1), ComplaintBody.QUALITY_BODY)
    walk.deregister(wl, c, DAY + timedelta(days=1, hours=1))
    walk.correct_priority(wl, b, walk.local(2024, 3, 1), DAY + timedelta(days=2))
    walk.restore(wl, c, complaint, DAY + timedelta(days=3))
    wl.perform(
        acts.WITHDRAW,
        a,
        actor=wl.applicant(wl.application(a).holder_iin),
        effective_at=DAY + timedelta(days=4),
    )

    queue, history = QueueProjection(), PositionHistory()
    runner_for(wl, database, queue, history, batch_size=5).catch_up()
    with database.transaction(write=False) as tx:
        of_a = history.history(tx, a)
        of_d = history.history(tx, d)
        assert history.history(tx, UUID(int=1)) == []
        all_histories = {app: steps_of(history.history(tx, app)) for app in (a, b, c, d)}

    assert [(ch.old_position, ch.new_position, ch.application_id, ch.cause) for ch in of_a] == [
        (None, 1, None, "Registered"),
        (1, 2, c, "Registered"),
        (2, 1, c, "Deregistered:moved_away"),
        (1, 2, b, "ComplaintDecided:correct_priority"),
        (2, 3, c, "ComplaintDecided:restore_place"),
        (3, None, None, "Withdrawn"),
    ]
    assert [(ch.old_position, ch.new_position) for ch in of_d] == [
        (None, 3),
        (3, 2),
        (2, 3),
        (3, 4),
        (4, 3),
    ]
    assert queue.position(d) == wl.position(d) == (of_d[-1].new_position, 3)
    for changes in (of_a, of_d):
        assert all(x.new_position == y.old_position for x, y in itertools.pairwise(changes))
    # "Why did my number change on the day of the decision?": the change, its cause, its act.
    decided = [ch for ch in of_d if ch.effective_at.date() == (DAY + timedelta(days=2)).date()]
    assert [ch.cause for ch in decided] == ["ComplaintDecided:correct_priority"]
    assert decided[0].application_version == wl.application(b).version  # b's last act
    assert str(b) in decided[0].describe()
    assert decided[0].recorded_at >= decided[0].effective_at

    log = [
        Recorded(n.id, wl.mapper.to_domain_event(n))
        for n in wl.recorder.select_notifications(start=1, limit=10_000)
    ]
    assert all_histories == {app: naive_histories(log)[app] for app in (a, b, c, d)}


# -- random histories of lists, straight from the list aggregate ---------------------------

T0 = datetime(2024, 3, 18, 5, tzinfo=UTC)
APPS = [UUID(int=(n + 1) << 96 | n) for n in range(6)]
CAUSES = ["Registered", "Withdrawn", "HousingProvided", "ComplaintDecided:restore_place"]
GENERATIONS = itertools.count(10)

list_acts = st.lists(
    st.tuples(
        st.integers(0, len(APPS) - 1),
        st.sampled_from(["join", "leave", "move"]),
        st.integers(0, 4),  # few moments: ties broken by the application id
        st.sampled_from(CAUSES),
        st.integers(1, 3),  # gap to the next notification id
    ),
    max_size=30,
)


def random_log(drawn: list[tuple[int, str, int, str, int]]) -> list[Recorded]:
    queues = [QueueList.open("almaty", "orphans"), QueueList.open("astana", "orphans")]
    held: dict[UUID, str] = {}
    events: list[Any] = [e for q in queues for e in q.collect_events()]
    seq = itertools.count(1)
    recorded = [Recorded(next(seq), e) for e in events]
    for version, (n, act, minutes, cause, gap) in enumerate(drawn, start=2):
        app, queue = APPS[n], queues[n % 2]
        key = priority_key(T0 + timedelta(minutes=minutes), app, bool(n % 3))
        if act == "join" and app not in held:
            queue.join(key, application_version=version, cause=cause, effective_at=T0)
            held[app] = key
        elif act == "leave" and app in held:
            queue.leave(held.pop(app), application_version=version, cause=cause, effective_at=T0)
        elif act == "move" and app in held and held[app] != key:
            queue.move(held[app], key, application_version=version, cause=cause, effective_at=T0)
            held[app] = key
        for event in queue.collect_events():
            for _ in range(gap - 1):
                next(seq)
            recorded.append(Recorded(next(seq), event))
    return recorded


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=list_acts, batch_sizes=st.lists(st.integers(1, 8), min_size=1, max_size=5))
def test_histories_equal_a_naive_recomputation_of_random_lists(
    database: ViewDatabase, drawn: list[tuple[int, str, int, str, int]], batch_sizes: list[int]
) -> None:
    log = random_log(drawn)
    history = PositionHistory(generation=next(GENERATIONS))
    with database.transaction() as tx:
        history.create_tables(tx)
    start = 0
    for size in itertools.cycle(batch_sizes):
        if start >= len(log):
            break
        with database.transaction() as tx:
            history.apply(log[start : start + size], tx)
        start += size
    expected = naive_histories(log)
    with database.transaction() as tx:
        for app in APPS:
            assert steps_of(history.history(tx, app)) == expected.get(app, [])
        history.drop_tables(tx)
