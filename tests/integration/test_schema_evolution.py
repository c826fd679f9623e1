"""A v1 `Verified` event, stored before `grounds_found` existed, still loads (class_version 2)."""

from __future__ import annotations

from datetime import timedelta

from eventsourcing.persistence import StoredEvent

from demo.synthetic import checks_for, officer
from domain import acts
from domain.housing_application import HousingApplication
from domain.values import Check, Status
from domain.waiting_list import WaitingList
from tests.integration.walk import local, submit

TOPIC = "domain.housing_application:HousingApplication.Verified"


def store_v1_verified(wl: WaitingList, *, failing: Check | None) -> HousingApplication:
    """Write the v1 shape straight into the store, as an old release of Kezek did."""
    app_id = submit(wl, 1, filed_at=local(2024, 3, 18))
    wl.perform(acts.ACCEPT, app_id, actor=officer("almaty"), effective_at=local(2024, 3, 18, 11))
    wl.perform(acts.FIND_COMPLETE, app_id, actor=officer("almaty"), effective_at=local(2024, 3, 19))
    app = wl.application(app_id)
    at = local(2024, 3, 20)
    v1_state = {
        "timestamp": at + timedelta(seconds=1),
        "actor": officer("almaty"),
        "effective_at": at,
        "basis": "§11, §5",
        "checks": checks_for(app.form, "almaty", failing=failing),
    }
    stored = StoredEvent(
        originator_id=app_id,
        originator_version=app.version + 1,
        topic=TOPIC,
        state=wl.mapper.transcoder.encode(v1_state),
    )
    assert b"class_version" not in stored.state
    assert b"grounds_found" not in stored.state
    wl.recorder.insert_events([stored])
    return app


def test_a_stored_v1_verification_with_a_failed_check_loads_as_grounds_found(
    waiting_list: WaitingList,
) -> None:
    app = store_v1_verified(waiting_list, failing=Check.NO_HOUSING_OWNED)
    events = list(waiting_list.events.get(app.id))
    verified = events[-1]
    assert isinstance(verified, HousingApplication.Verified)
    assert verified.grounds_found is True
    loaded = waiting_list.repository.get(app.id, version=app.version + 1)
    assert loaded.status is Status.GROUNDS_FOUND


def test_a_stored_v1_verification_with_every_check_passed_loads_as_verified(
    waiting_list: WaitingList,
) -> None:
    app = store_v1_verified(waiting_list, failing=None)
    loaded = waiting_list.repository.get(app.id, version=app.version + 1)
    assert loaded.status is Status.VERIFIED


def test_new_verifications_are_stored_as_version_2(waiting_list: WaitingList) -> None:
    app = store_v1_verified(waiting_list, failing=None)
    later = submit(waiting_list, 2, filed_at=local(2024, 3, 18))
    waiting_list.perform(
        acts.ACCEPT, later, actor=officer("almaty"), effective_at=local(2024, 3, 18, 11)
    )
    waiting_list.perform(
        acts.FIND_COMPLETE, later, actor=officer("almaty"), effective_at=local(2024, 3, 19)
    )
    waiting_list.perform(
        acts.VERIFY,
        later,
        actor=officer("almaty"),
        effective_at=local(2024, 3, 20),
        checks=checks_for(app.form, "almaty"),
    )
    stored = list(waiting_list.recorder.select_events(later))[-1]
    assert stored.topic == TOPIC
    assert b'"class_version":2' in stored.state
