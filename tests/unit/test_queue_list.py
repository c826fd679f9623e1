"""The order of a list: by priority moment, ties by application id; positions 1..n."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.claims import ApplicantClaim, IdentityKey
from domain.clock import Recording, recording
from domain.errors import DuplicateActiveApplication, NotHeadOfList, NotOnTheList
from domain.priority import key_accepts_smaller, key_application, key_moment, priority_key
from domain.queue_list import QueueList

T0 = datetime(2024, 3, 18, 5, tzinfo=UTC)


def key(minutes: int, accepts_smaller: bool = True, app_id: UUID | None = None) -> str:
    return priority_key(T0 + timedelta(minutes=minutes), app_id or uuid4(), accepts_smaller)


def test_the_priority_key_keeps_moment_application_and_consent() -> None:
    app_id = uuid4()
    k = priority_key(T0, app_id, False)
    assert key_moment(k) == T0
    assert key_application(k) == app_id
    assert key_accepts_smaller(k) is False


def test_an_earlier_priority_moment_goes_ahead_whatever_the_order_of_registration() -> None:
    queue = QueueList.open("almaty", "socially_vulnerable")
    late, early = key(30), key(10)
    assert queue.join(late, application_version=5, effective_at=T0, cause="Registered") == 1
    assert queue.join(early, application_version=5, effective_at=T0, cause="Registered") == 1
    assert queue.position_of(late) == 2


def test_ties_of_the_same_moment_are_broken_by_application_id() -> None:
    queue = QueueList.open("almaty", "orphans")
    low = key(0, app_id=UUID(int=1))
    high = key(0, app_id=UUID(int=2))
    queue.join(high, application_version=5, effective_at=T0, cause="Registered")
    queue.join(low, application_version=5, effective_at=T0, cause="Registered")
    assert [queue.position_of(low), queue.position_of(high)] == [1, 2]


def test_those_behind_move_up_when_someone_ahead_leaves() -> None:
    queue = QueueList.open("almaty", "orphans")
    keys = [key(m) for m in range(5)]
    for k in keys:
        queue.join(k, application_version=5, effective_at=T0, cause="Registered")
    assert queue.leave(keys[1], application_version=6, effective_at=T0, cause="Withdrawn") == 2
    assert [queue.position_of(k) for k in keys[2:]] == [2, 3, 4]
    with pytest.raises(NotOnTheList):
        queue.position_of(keys[1])


def test_a_corrected_earlier_priority_moves_the_citizen_ahead() -> None:
    queue = QueueList.open("almaty", "orphans")
    keys = [key(m) for m in range(0, 50, 10)]
    for k in keys:
        queue.join(k, application_version=5, effective_at=T0, cause="Registered")
    app_id = key_application(keys[4])
    corrected = priority_key(T0 + timedelta(minutes=5), app_id, True)
    assert (
        queue.move(
            keys[4], corrected, application_version=7, effective_at=T0, cause="ComplaintDecided"
        )
        == 2
    )
    assert queue.keys == sorted(queue.keys)
    assert len(queue) == 5


def never_below(_: UUID) -> bool:
    return False


def test_housing_goes_to_the_first_citizen_without_an_offer() -> None:
    queue = QueueList.open("almaty", "orphans")
    first, second = key(0), key(1)
    for k in (first, second):
        queue.join(k, application_version=5, effective_at=T0, cause="Registered")
    with pytest.raises(NotHeadOfList):
        queue.open_offer(second, below_norm_for=never_below, application_version=6, effective_at=T0)
    queue.open_offer(first, below_norm_for=never_below, application_version=6, effective_at=T0)
    queue.open_offer(second, below_norm_for=never_below, application_version=6, effective_at=T0)


def test_a_dwelling_below_their_norm_passes_over_those_who_refused_smaller_housing() -> None:
    queue = QueueList.open("almaty", "orphans")
    big_family = key(0, accepts_smaller=False)
    single = key(1, accepts_smaller=False)
    candidate = key(2)
    for k in (big_family, single, candidate):
        queue.join(k, application_version=5, effective_at=T0, cause="Registered")
    asked: list[UUID] = []

    def below_norm_for(app_id: UUID) -> bool:
        asked.append(app_id)
        return app_id == key_application(big_family)  # 40 m2: below for 5 people, not for 1

    with pytest.raises(NotHeadOfList):
        queue.open_offer(
            candidate, below_norm_for=below_norm_for, application_version=6, effective_at=T0
        )
    assert asked == [key_application(big_family), key_application(single)]
    queue.open_offer(single, below_norm_for=below_norm_for, application_version=6, effective_at=T0)


def test_a_citizen_ahead_who_accepts_smaller_housing_is_never_passed_over() -> None:
    queue = QueueList.open("almaty", "orphans")
    accepts, candidate = key(0, accepts_smaller=True), key(1)
    for k in (accepts, candidate):
        queue.join(k, application_version=5, effective_at=T0, cause="Registered")
    with pytest.raises(NotHeadOfList):
        queue.open_offer(
            candidate, below_norm_for=lambda _: True, application_version=6, effective_at=T0
        )


def test_a_copy_of_the_list_is_independent_of_the_original() -> None:
    queue = QueueList.open("almaty", "orphans")
    queue.join(key(0), application_version=5, effective_at=T0, cause="Registered")
    clone = copy.deepcopy(queue)
    clone.join(key(1), application_version=5, effective_at=T0, cause="Registered")
    assert len(queue) == 1
    assert len(clone) == 2
    assert len(queue.pending_events) == 2


def test_one_application_holds_a_claim_at_a_time() -> None:
    claim = ApplicantClaim.open(uuid4())
    first, second = uuid4(), uuid4()
    claim.claim(first)
    with pytest.raises(DuplicateActiveApplication):
        claim.claim(second)
    claim.release(first)
    claim.claim(second)
    assert claim.holder == second


def test_identifiers_from_an_iin_depend_on_the_secret_key() -> None:
    iin = "900101300015"
    one, other = IdentityKey(b"k" * 32), IdentityKey(b"j" * 32)
    assert one.claim_id(iin, "almaty", "orphans") != other.claim_id(iin, "almaty", "orphans")
    assert one.claim_id(iin, "almaty", "orphans") != one.claim_id(iin, "astana", "orphans")
    assert iin not in one.applicant_ref(iin)
    with pytest.raises(ValueError, match="at least 32 bytes"):
        IdentityKey(b"short")


def test_a_change_recorded_by_a_process_whose_clock_lags_is_stamped_no_earlier_than_the_last() -> (
    None
):
    with recording(Recording(T0 + timedelta(seconds=1))):  # a process a second ahead
        queue = QueueList.open("almaty", "socially_vulnerable")
        queue.join(key(10), application_version=5, effective_at=T0, cause="Registered")
    with recording(Recording(T0 + timedelta(milliseconds=500))):  # the next, behind it
        queue.join(key(20), application_version=5, effective_at=T0, cause="Registered")
    stamps = [e.timestamp for e in queue.collect_events()]
    assert stamps == [T0 + timedelta(seconds=1)] * 3
