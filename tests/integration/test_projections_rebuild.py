"""Views kept up incrementally while a long random history is written equal a rebuild from 0."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.claims import IdentityKey
from domain.priority import key_application
from projections.database import ViewDatabase
from projections.queue import QueueProjection
from projections.rebuild import rebuild
from replay.catalog import PROJECTIONS, live_projections
from tests.conftest import (
    BACKENDS,
    fresh_store,
    open_waiting_list,
    runner_for,
    store_examples,
    walk_demo,
)
from tests.integration.walk import naive_replay


@pytest.mark.parametrize("backend", BACKENDS)
@store_examples(4)
@given(
    seed=st.integers(0, 10_000),
    applications=st.integers(30, 90),
    batch_size=st.integers(1, 60),
)
def test_views_maintained_while_writing_equal_a_rebuild_and_a_naive_replay(
    backend: str, identity_key: IdentityKey, seed: int, applications: int, batch_size: int
) -> None:
    with fresh_store(backend) as url:
        waiting_list = open_waiting_list(url, identity_key)
        database = ViewDatabase(url)
        runner = runner_for(
            waiting_list,
            database,
            *live_projections(database),
            batch_size=batch_size,
            poll_interval=0.01,
        )
        runner.start()
        try:
            walk_demo(url, identity_key, applications, seed)
            assert runner.wait_for(runner.head(), timeout=60)
        finally:
            runner.stop()
        assert runner.error is None
        for projection in PROJECTIONS:
            rebuild(waiting_list, database, projection, switch=False)
        queue = next(p for p in runner.projections if isinstance(p, QueueProjection))
        _, lists = naive_replay(waiting_list)
        for (provider, list_code), keys in lists.items():
            assert queue.length(provider, list_code) == len(keys)
            for expected, key in enumerate(keys, start=1):
                assert queue.position(key_application(key)) == (expected, len(keys))
        database.close()
        waiting_list.close()
