"""The ledger on a real store: the same tests on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from demo.synthetic import make_form, officer
from domain import acts
from domain.claims import IdentityKey
from domain.errors import (
    ApplicationNotFound,
    DuplicateActiveApplication,
    NotHeadOfList,
    RegistrationBeforeVerification,
    UnknownProvider,
)
from domain.records import Dwelling
from domain.values import (
    ComplaintBody,
    DeregistrationGround,
    Status,
)
from domain.waiting_list import WaitingList
from tests.conftest import open_waiting_list
from tests.integration.walk import (
    complain,
    correct_priority,
    deregister,
    local,
    offer_housing,
    pass_place,
    provide_housing,
    register,
    replayed_queue_numbers,
    restore,
    submit,
    verify,
    withdraw,
)

DAY = local(2024, 4, 1)


def test_an_application_loads_from_the_store_exactly_as_it_was_in_memory(
    waiting_list: WaitingList, database_url: str, identity_key: IdentityKey
) -> None:
    app_id = submit(waiting_list, 1, filed_at=local(2024, 3, 18), family_size=2)
    register(waiting_list, app_id, day=DAY)
    in_memory = waiting_list.application(app_id)
    fresh = open_waiting_list(database_url, identity_key)
    try:
        assert fresh.application(app_id) == in_memory
        assert fresh.application(app_id).status is Status.REGISTERED
    finally:
        fresh.close()


def test_a_refused_act_writes_nothing(waiting_list: WaitingList) -> None:
    app_id = submit(waiting_list, 1, filed_at=local(2024, 3, 18))
    waiting_list.perform(acts.ACCEPT, app_id, actor=officer("almaty"), effective_at=DAY)
    before = waiting_list.recorder.max_notification_id()
    version = waiting_list.application(app_id).version
    with pytest.raises(RegistrationBeforeVerification):
        waiting_list.perform(acts.REGISTER, app_id, actor=officer("almaty"), effective_at=DAY)
    assert waiting_list.recorder.max_notification_id() == before
    assert waiting_list.application(app_id).version == version
    assert waiting_list.queue("almaty", "socially_vulnerable") is None


def test_one_active_application_per_citizen_provider_and_list(waiting_list: WaitingList) -> None:
    form = make_form(7)
    first = submit(waiting_list, 7, filed_at=local(2024, 3, 18), form=form)
    before = waiting_list.recorder.max_notification_id()
    with pytest.raises(DuplicateActiveApplication):
        submit(waiting_list, 7, filed_at=local(2024, 3, 19), form=form)
    assert waiting_list.recorder.max_notification_id() == before
    submit(waiting_list, 7, filed_at=local(2024, 3, 19), form=form, provider="astana")
    withdraw(waiting_list, first, DAY)
    submit(waiting_list, 7, filed_at=DAY + timedelta(hours=1), form=form)


def test_queue_numbers_follow_the_filing_moment_and_move_up_when_someone_leaves(
    waiting_list: WaitingList,
) -> None:
    late = submit(waiting_list, 1, filed_at=local(2024, 3, 18, 12))
    early = submit(waiting_list, 2, filed_at=local(2024, 3, 18, 9))
    middle = submit(waiting_list, 3, filed_at=local(2024, 3, 18, 10))
    assert register(waiting_list, late, day=DAY) == 1
    assert register(waiting_list, early, day=DAY + timedelta(hours=1)) == 1
    assert register(waiting_list, middle, day=DAY + timedelta(hours=2)) == 2
    assert waiting_list.position(late) == (3, 3)
    deregister(waiting_list, early, DAY + timedelta(days=1))
    assert waiting_list.position(late) == (2, 2)
    assert waiting_list.position(early) is None
    assert all(stated == computed for _, stated, computed in replayed_queue_numbers(waiting_list))


def test_a_restored_place_keeps_its_original_priority(waiting_list: WaitingList) -> None:
    first = submit(waiting_list, 1, filed_at=local(2024, 3, 18, 9))
    second = submit(waiting_list, 2, filed_at=local(2024, 3, 18, 10))
    register(waiting_list, first, day=DAY)
    register(waiting_list, second, day=DAY)
    complaint = complain(waiting_list, first, DAY + timedelta(days=1), ComplaintBody.QUALITY_BODY)
    assert complaint == "c1"
    deregister(
        waiting_list,
        first,
        DAY + timedelta(days=1, hours=1),
        ground=DeregistrationGround.GROUNDS_CEASED,
        reasons="income",
    )
    assert waiting_list.position(second) == (1, 1)
    receipt = restore(
        waiting_list, first, complaint, DAY + timedelta(days=3), reasons="income miscounted"
    )
    assert receipt.queue_number == 1
    assert waiting_list.position(second) == (2, 2)
    assert all(stated == computed for _, stated, computed in replayed_queue_numbers(waiting_list))


def test_a_corrected_priority_moves_the_citizen_ahead(waiting_list: WaitingList) -> None:
    ids = [submit(waiting_list, n, filed_at=local(2024, 3, 18, 9 + n)) for n in range(3)]
    for app_id in ids:
        register(waiting_list, app_id, day=DAY)
    receipt = correct_priority(waiting_list, ids[2], local(2024, 3, 18, 8), DAY + timedelta(days=1))
    assert receipt.queue_number == 1
    assert [waiting_list.position(i) for i in ids] == [(2, 3), (3, 3), (1, 3)]


def test_housing_goes_to_the_head_of_the_list_and_takes_them_off_it(
    waiting_list: WaitingList,
) -> None:
    first = submit(waiting_list, 1, filed_at=local(2024, 3, 18, 9))
    second = submit(waiting_list, 2, filed_at=local(2024, 3, 18, 10))
    register(waiting_list, first, day=DAY)
    register(waiting_list, second, day=DAY)
    flat = Dwelling(address="Abay 10-5", rooms=2, useful_area_m2=54)
    with pytest.raises(NotHeadOfList):
        offer_housing(waiting_list, second, DAY + timedelta(hours=1), flat)
    offer = offer_housing(waiting_list, first, DAY + timedelta(hours=1), flat)
    assert offer == "o1"
    provide_housing(
        waiting_list, first, offer, DAY + timedelta(days=2), reasons="decision of the akimat No. 12"
    )
    assert waiting_list.application(first).status is Status.HOUSED
    assert waiting_list.position(second) == (1, 1)


def test_the_place_passes_to_a_family_member_who_then_holds_the_claim(
    waiting_list: WaitingList,
) -> None:
    form = make_form(5, family_size=2)
    app_id = submit(waiting_list, 5, filed_at=local(2024, 3, 18), form=form)
    register(waiting_list, app_id, day=DAY)
    heir = form.family[0].iin
    pass_place(waiting_list, app_id, DAY + timedelta(days=5), reasons="death certificate No. 1")
    assert waiting_list.position(app_id) == (1, 1)
    heir_form = form.model_copy(update={"applicant_iin": heir, "family": ()})
    with pytest.raises(DuplicateActiveApplication):
        submit(waiting_list, 6, filed_at=DAY + timedelta(days=6), form=heir_form)
    submit(waiting_list, 5, filed_at=DAY + timedelta(days=6), form=form)  # the old holder's freed


def test_an_unknown_application_is_not_found(waiting_list: WaitingList) -> None:
    with pytest.raises(ApplicationNotFound):
        waiting_list.application(uuid4())
    queue_id = submit(waiting_list, 1, filed_at=local(2024, 3, 18))
    register(waiting_list, queue_id, day=DAY)
    queue = waiting_list.queue("almaty", "socially_vulnerable")
    assert queue is not None
    with pytest.raises(ApplicationNotFound):
        waiting_list.application(queue.id)


def test_an_unknown_provider_is_bad_input(waiting_list: WaitingList) -> None:
    with pytest.raises(UnknownProvider):
        submit(waiting_list, 1, filed_at=local(2024, 3, 18), provider="atlantis")
    assert waiting_list.recorder.max_notification_id() in (None, 0)


def test_verification_can_be_repeated_only_by_a_new_application(waiting_list: WaitingList) -> None:
    app_id = submit(waiting_list, 1, filed_at=local(2024, 3, 18))
    verify(waiting_list, app_id, day=DAY)
    assert waiting_list.application(app_id).status is Status.VERIFIED


def test_an_emptied_list_takes_new_registrations(waiting_list: WaitingList) -> None:
    first = submit(waiting_list, 1, filed_at=local(2024, 3, 18))
    register(waiting_list, first, day=DAY)
    withdraw(waiting_list, first, DAY + timedelta(days=1))
    second = submit(waiting_list, 2, filed_at=local(2024, 3, 19))
    assert register(waiting_list, second, day=DAY + timedelta(days=2)) == 1
