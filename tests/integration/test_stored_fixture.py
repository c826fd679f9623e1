"""A store written by the code of 2026-12-05 (a 60-application demo walk, before acts became
declarations) opens, replays, rebuilds and exports a bundle that verifies, unchanged.

Stored events are forever: their topics, fields and tables must keep opening with every later
version of Kezek. The fixture is the SQLite file gzipped, idempotency keys emptied.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest

from domain.claims import IdentityKey
from domain.housing_application import HousingApplication
from domain.waiting_list import WaitingList
from projections.queue import QueueProjection
from replay.catalog import LedgerViews
from replay.checkpoints import load_signing_key
from replay.export import export_application
from replay.verify import verify_bundle_bytes
from tests.conftest import open_service

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-2026-12-05.sqlite.gz"
EVENTS_IN_FIXTURE = 564  # the walk's acts and the lists' and claims' events


@pytest.fixture
def opened(tmp_path: Path, identity_key: IdentityKey) -> Iterator[LedgerViews]:
    path = tmp_path / "kezek.db"
    with gzip.open(FIXTURE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    with open_service(f"sqlite:///{path}", identity_key) as service:
        yield service


def _applications(waiting_list: WaitingList) -> list[UUID]:
    ids: list[UUID] = []
    for notification in waiting_list.recorder.select_notifications(1, 100_000):
        if notification.topic.endswith("HousingApplication.Applied"):
            ids.append(UUID(str(notification.originator_id)))
    return ids


def test_a_store_written_before_acts_became_declarations_replays_every_application(
    opened: LedgerViews,
) -> None:
    ids = _applications(opened.waiting_list)
    assert len(ids) >= 60
    for application_id in ids:
        app = opened.waiting_list.application(application_id)
        assert isinstance(app, HousingApplication)
        assert app.version >= 1


def test_a_store_written_before_acts_became_declarations_rebuilds_its_views(
    opened: LedgerViews,
) -> None:
    applied = opened.runner.catch_up()
    assert applied == EVENTS_IN_FIXTURE == opened.waiting_list.recorder.max_notification_id()
    assert set(opened.runner.lag().values()) == {0}
    queue = opened.view(QueueProjection)
    registered = [
        app_id
        for app_id in _applications(opened.waiting_list)
        if opened.waiting_list.application(app_id).on_the_list
    ]
    assert registered
    for app_id in registered:
        assert opened.waiting_list.position(app_id) is not None
    assert queue.name == "queue"


def test_a_store_written_before_acts_became_declarations_exports_a_bundle_that_verifies(
    opened: LedgerViews,
) -> None:
    opened.runner.catch_up()
    key = load_signing_key({"KEZEK_SIGNING_KEY": "11" * 32, "KEZEK_LOG_ORIGIN": "kezek.test/log"})
    case = _applications(opened.waiting_list)[0]
    bundle = export_application(opened, case, key=key, now=datetime(2026, 12, 5, tzinfo=UTC))
    report = verify_bundle_bytes(bundle.data, key.verifier_key)
    assert report.ok, report
