"""`kezek rebuild` and `kezek checkpoint` on both stores: switch, resume, adopt, sign."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest

from cli.maintenance import rebuild_projections, sign
from domain.claims import IdentityKey
from domain.priority import key_application
from domain.queue_list import QueueList
from domain.reference import list_kinds
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.queue import QueueProjection
from projections.rebuild import RebuildMismatch, live, rebuild
from projections.runner import BUILT, built_version
from replay.catalog import PROJECTIONS, live_projections
from tests.conftest import runner_for, walk_demo
from tests.integration.walk import submit


@pytest.fixture
def demo_store(
    database_url: str, waiting_list: WaitingList, identity_key: IdentityKey
) -> ViewDatabase:
    walk_demo(database_url, identity_key, 40, seed=3)
    return ViewDatabase(database_url)


def test_rebuild_switches_every_projection_to_an_equal_fresh_generation(
    waiting_list: WaitingList, demo_store: ViewDatabase
) -> None:
    out: list[str] = []
    assert rebuild_projections(waiting_list, demo_store, [], out.append) == 0
    assert all(live(p, demo_store).generation == 2 for p in PROJECTIONS)
    assert "switched, old tables dropped" in "".join(out)
    assert "ev/s" in "".join(out)
    assert rebuild_projections(waiting_list, demo_store, ["queue"], out.append) == 0
    assert live(QueueProjection, demo_store).generation == 3
    assert rebuild_projections(waiting_list, demo_store, ["nonsense"], out.append) == 2


def test_an_interrupted_rebuild_resumes_when_run_again(
    waiting_list: WaitingList, demo_store: ViewDatabase
) -> None:
    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rebuild(waiting_list, demo_store, QueueProjection, batch_size=50, progress=interrupt)
    assert live(QueueProjection, demo_store).generation == 1
    report = rebuild(waiting_list, demo_store, QueueProjection, batch_size=50)
    assert report.new_generation == 2
    assert report.switched


def test_a_running_service_adopts_the_rebuilt_generation(
    waiting_list: WaitingList, demo_store: ViewDatabase, database_url: str
) -> None:
    serving_db = ViewDatabase(database_url)
    runner = runner_for(waiting_list, serving_db, *live_projections(serving_db), poll_interval=0.05)
    runner.start()
    try:
        rebuild(waiting_list, demo_store, QueueProjection)
        # The runner adopts between catch-ups; on a loaded machine its first catch-up of the
        # demo store alone can take seconds, so the wait is generous (it ends on success).
        deadline = time.monotonic() + 60
        queue = runner.projections[0]
        while time.monotonic() < deadline:
            queue = next(p for p in runner.projections if isinstance(p, QueueProjection))
            if queue.generation == 2:
                break
            time.sleep(0.05)
        assert queue.generation == 2
        submit(waiting_list, 9001, filed_at=datetime.now(UTC))
        assert runner.wait_for(waiting_list.recorder.max_notification_id() or 0, timeout=10)
        assert isinstance(queue, QueueProjection)
        on_a_list = [
            app_id for app_id in (key_application(k) for q in lists(waiting_list) for k in q.keys)
        ]
        assert on_a_list
        assert all(queue.position(a) == waiting_list.position(a) for a in on_a_list)
    finally:
        runner.stop()
        serving_db.close()
    assert runner.error is None


def lists(waiting_list: WaitingList) -> list[QueueList]:
    found = []
    for provider in ("almaty", "talgar-district", "konaev-town"):
        for code in list_kinds():
            queue = waiting_list.queue(provider, code)
            if queue is not None:
                found.append(queue)
    return found


def test_checkpoints_sign_the_growing_log(
    waiting_list: WaitingList, demo_store: ViewDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEZEK_SIGNING_KEY", "11" * 32)
    out: list[str] = []
    assert sign(waiting_list, demo_store, out.append) == 0
    first = "".join(out)
    head = waiting_list.recorder.max_notification_id()
    assert f"\n{head}\n" in first
    assert "verifier key: kezek/waiting-list+" in first


def test_a_rebuild_filled_by_two_worker_processes_switches_to_views_equal_to_the_live_ones(
    waiting_list: WaitingList, demo_store: ViewDatabase
) -> None:
    out: list[str] = []
    # rebuild() compares every fresh generation with the live one row for row: 0 means equal.
    assert rebuild_projections(waiting_list, demo_store, [], out.append, jobs=2) == 0
    assert all(live(p, demo_store).generation == 2 for p in PROJECTIONS)
    assert "all views" in "".join(out)


def _live_queue_caught_up(waiting_list: WaitingList, database: ViewDatabase) -> None:
    runner = runner_for(waiting_list, database, QueueProjection())
    runner.catch_up()


def _tamper_with_the_live_queue(database: ViewDatabase) -> None:
    """A live row that a rebuild will not reproduce (as a change of definition would leave)."""
    with database.transaction() as tx:
        tx.execute("UPDATE queue_applications_g1 SET category_code = 'changed since'")


def _record_built_version(database: ViewDatabase, version: int | None) -> None:
    with database.transaction() as tx:
        tx.execute(f"DELETE FROM {BUILT} WHERE projection = 'queue' AND generation = 1")
        if version is not None:
            tx.execute(
                f"INSERT INTO {BUILT} (projection, generation, version) VALUES ('queue', 1, ?)",
                (version,),
            )


def test_every_generation_records_the_version_of_the_code_that_filled_it(
    waiting_list: WaitingList, demo_store: ViewDatabase
) -> None:
    runner_for(waiting_list, demo_store, *live_projections(demo_store))
    with demo_store.transaction(write=False) as tx:
        assert built_version(tx, QueueProjection()) == QueueProjection.version
    report = rebuild(waiting_list, demo_store, QueueProjection)
    with demo_store.transaction(write=False) as tx:
        assert built_version(tx, QueueProjection(generation=2)) == QueueProjection.version
        assert built_version(tx, QueueProjection(generation=1)) is None  # retired
    assert report.verdict == "equal to the live view"


def test_a_live_view_built_by_another_version_is_replaced_without_comparing(
    waiting_list: WaitingList, demo_store: ViewDatabase
) -> None:
    _live_queue_caught_up(waiting_list, demo_store)
    _tamper_with_the_live_queue(demo_store)
    _record_built_version(demo_store, QueueProjection.version - 1)
    report = rebuild(waiting_list, demo_store, QueueProjection)
    assert report.switched
    assert report.verdict.startswith("not compared: the live view was built by version")
    assert live(QueueProjection, demo_store).generation == 2


def test_a_differing_view_of_unknown_version_is_kept_unless_the_operator_forces(
    waiting_list: WaitingList, demo_store: ViewDatabase
) -> None:
    _live_queue_caught_up(waiting_list, demo_store)
    _tamper_with_the_live_queue(demo_store)
    _record_built_version(demo_store, None)  # filled before versions were recorded
    with pytest.raises(RebuildMismatch, match="--force"):
        rebuild(waiting_list, demo_store, QueueProjection)
    assert live(QueueProjection, demo_store).generation == 1
    report = rebuild(waiting_list, demo_store, QueueProjection, force=True)
    assert report.verdict.startswith("different from the live view")
    assert live(QueueProjection, demo_store).generation == 2


def test_a_runner_caught_mid_catch_up_by_a_rebuild_adopts_it_instead_of_looping(
    waiting_list: WaitingList, demo_store: ViewDatabase, database_url: str
) -> None:
    """A rebuild retires the generation a runner is catching up: the runner's next batch finds
    its tables retired, serves the live generation and finishes (it used to re-read the same
    batch for ever, never getting to adopt)."""
    serving_db = ViewDatabase(database_url)
    runner = runner_for(waiting_list, serving_db, *live_projections(serving_db), batch_size=5)
    try:
        assert runner.run_once() > 0  # part way through the log
        rebuild(waiting_list, demo_store, QueueProjection)
        finished = threading.Thread(target=runner.catch_up, daemon=True)
        finished.start()
        finished.join(30)
        assert not finished.is_alive(), "the runner kept re-reading a retired generation"
        queue = next(p for p in runner.projections if isinstance(p, QueueProjection))
        assert queue.generation == 2
        assert runner.position(queue) == waiting_list.recorder.max_notification_id()
    finally:
        runner.stop()
        serving_db.close()
