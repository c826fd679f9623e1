"""The bulk generator writes what the ledger itself would have: rows the library reads back,
notification ids without gaps in the order of the acts, queue numbers that an independent
replay confirms, and the same events again for the same seed and number of workers.

Each store is generated once per module (in worker processes, the path that can go wrong) and
checked by several tests; PostgreSQL runs are marked and never skipped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest

from bench.bulk.ledger import BulkLedger
from bench.generate import GenerateReport, generate
from domain.clock import ScenarioClock
from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from tests.conftest import fresh_store
from tests.integration.walk import naive_replay

APPLICATIONS = 400
WORKERS = 2
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass(frozen=True)
class Generated:
    url: str
    report: GenerateReport


@pytest.fixture(scope="module", params=BACKENDS)
def generated(request: pytest.FixtureRequest) -> Iterator[Generated]:
    with fresh_store(request.param) as url:
        report = generate(url, APPLICATIONS, seed=11, workers=WORKERS, window=300, chunk=700)
        yield Generated(url, report)


@pytest.fixture
def ledger(generated: Generated) -> Iterator[WaitingList]:
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": generated.url})
    try:
        yield wl
    finally:
        wl.close()


def log(wl: WaitingList) -> list[tuple[int, UUID, int, str, bytes]]:
    return [
        (n.id, UUID(str(n.originator_id)), n.originator_version, n.topic, n.state)
        for n in wl.recorder.select_notifications(start=1, limit=10**9)
    ]


def fingerprint(wl: WaitingList) -> str:
    """A hash of the log in order, without the recording moments (the library stamps each
    event with the clock when it is created) nor the digests of sealed files (which cover
    them; checked against the store below)."""
    digest = hashlib.sha256()
    for notification_id, originator, version, topic, state in log(wl):
        body = json.loads(state)
        body.pop("timestamp")
        body.get("administrative_file", {}).get("_data_", {}).pop("sha256", None)
        text = json.dumps(body, sort_keys=True)
        digest.update(f"{notification_id}|{originator}|{version}|{topic}|{text}\n".encode())
    return digest.hexdigest()


def test_the_shards_and_their_windows_wrote_every_event_they_recorded(
    generated: Generated, ledger: WaitingList
) -> None:
    report = generated.report
    assert report.workers == WORKERS
    assert report.applications == APPLICATIONS
    assert report.events == ledger.recorder.max_notification_id()
    assert report.events > 8 * APPLICATIONS  # about 8.8 events an application
    assert report.transactions > WORKERS  # more than one batch a shard


def test_notification_ids_run_one_to_n_and_each_aggregate_counts_its_versions_in_that_order(
    ledger: WaitingList,
) -> None:
    rows = log(ledger)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    versions: dict[UUID, int] = {}
    for _, originator, version, _, _ in rows:
        assert version == versions.get(originator, 0) + 1, originator
        versions[originator] = version


def test_every_list_and_the_applications_read_back_through_a_plain_waiting_list(
    ledger: WaitingList,
) -> None:
    last: dict[UUID, int] = {}
    kinds: dict[UUID, str] = {}
    for _, originator, version, topic, _ in log(ledger):
        last[originator] = version
        kinds.setdefault(originator, topic)
    lists = [i for i, t in kinds.items() if t.endswith("QueueList.Opened")]
    apps = [i for i, t in kinds.items() if t.endswith("HousingApplication.Applied")]
    assert len(apps) == APPLICATIONS
    assert lists
    for list_id in lists:
        queue: object = ledger.repository.get(list_id)
        assert isinstance(queue, QueueList)
        assert queue.version == last[list_id]
    for app_id in apps[::7]:
        app = ledger.application(app_id)
        assert isinstance(app, HousingApplication)
        assert app.version == last[app_id]


def test_every_stated_queue_number_and_every_list_agree_with_an_independent_replay(
    ledger: WaitingList,
) -> None:
    checked, lists = naive_replay(ledger)
    assert len(checked) > APPLICATIONS // 2
    assert [(a, stated) for a, stated, _ in checked] == [
        (a, replayed) for a, _, replayed in checked
    ]
    for (provider, list_code), keys in lists.items():
        queue: QueueList | None = ledger.queue(provider, list_code)
        assert (queue.keys if queue is not None else []) == keys  # never joined: no list


def test_no_citizen_is_drawn_twice_across_shards(ledger: WaitingList) -> None:
    iins: list[str] = []
    for notification in ledger.recorder.select_notifications(start=1, limit=10**9):
        event = ledger.mapper.to_domain_event(notification)
        if isinstance(event, HousingApplication.Applied):
            iins += [event.form.applicant_iin, *(m.iin for m in event.form.family)]
    assert len(iins) == len(set(iins))


def test_a_forwarded_complaint_seals_exactly_the_events_stored_for_its_application(
    ledger: WaitingList,
) -> None:
    # The sealed file is made while the application's events may still be on their way to the
    # store: its digest proves the generator read them as they were then written.
    rows = log(ledger)
    forwarded = 0
    for _, originator, _, topic, state in rows:
        if topic.endswith("HousingApplication.ComplaintForwarded"):
            sealed = json.loads(state)["administrative_file"]["_data_"]
            content = b"".join(
                r[4] for r in rows if r[1] == originator and r[2] <= sealed["up_to_version"]
            )
            assert sealed["sha256"] == hashlib.sha256(content).hexdigest()
            forwarded += 1
    assert forwarded >= 2


def test_the_same_seed_and_workers_give_the_same_events(
    generated: Generated, ledger: WaitingList, tmp_path: Path
) -> None:
    backend = "sqlite" if generated.url.startswith("sqlite") else "postgres"
    with fresh_store(backend) as url:
        again = generate(url, APPLICATIONS, seed=11, workers=WORKERS, window=300, chunk=700)
        other = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url})
        try:
            assert again.events == generated.report.events
            assert fingerprint(other) == fingerprint(ledger)
        finally:
            other.close()


def test_one_worker_in_process_writes_a_log_that_replays_to_the_same_lists(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    report = generate(url, 150, seed=3, workers=1, chunk=300)
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url})
    try:
        assert report.workers == 1
        assert report.events == wl.recorder.max_notification_id()
        checked, lists = naive_replay(wl)
        assert all(stated == replayed for _, stated, replayed in checked)
        for (provider, list_code), keys in lists.items():
            queue = wl.queue(provider, list_code)
            assert (queue.keys if queue is not None else []) == keys
    finally:
        wl.close()


def test_later_windows_offering_housing_to_earlier_citizens_count_each_ones_own_refusals(
    tmp_path: Path,
) -> None:
    # Citizens of earlier windows are adopted without a serial of their own: counted by serial,
    # one citizen's refusal made another's first look like a second, and the head's
    # deregistration for refused offers was refused by the domain (a 1,000,000 run died).
    url = f"sqlite:///{tmp_path / 'windows.db'}"
    report = generate(url, 1500, seed=1, workers=1, window=150, chunk=700)
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url})
    try:
        assert report.events == wl.recorder.max_notification_id()
    finally:
        wl.close()


def test_the_bulk_ledger_replaces_each_load_of_the_ledger_it_keeps_in_memory() -> None:
    # A renamed load in the ledger would leave the bulk ledger's version unused: every act
    # would read the aggregate back from the store (it once did so for claims, at half speed).
    for name in ("application", "queue", "claim_of", "save", "new_application_id"):
        assert name in vars(BulkLedger), name
        assert callable(getattr(WaitingList, name, None)), name
