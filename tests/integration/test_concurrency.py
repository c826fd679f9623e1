"""Concurrent officers on PostgreSQL: queue numbers and claims stay true under contention."""

from __future__ import annotations

import multiprocessing
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from uuid import UUID

import pytest

from demo.synthetic import make_form, officer
from domain import acts
from domain.claims import IdentityKey
from domain.errors import DuplicateActiveApplication
from domain.queue_list import QueueList
from domain.waiting_list import WaitingList
from tests.conftest import POSTGRES_URL
from tests.integration.concurrent_acts import open_list, register_all
from tests.integration.walk import local, register, replayed_queue_numbers, submit, verify
from tests.keys import IDENTITY_KEY_HEX

pytestmark = pytest.mark.postgres
DAY = local(2024, 4, 1)
REGISTER_AT = local(2024, 4, 2)
LIST = "socially_vulnerable"


@pytest.fixture
def postgres_url(postgres_schema: str) -> str:
    return f"{POSTGRES_URL}?schema={postgres_schema}"


def prepare(url: str, count: int, registered_first: int) -> tuple[list[UUID], list[UUID]]:
    """`count` verified applications filed in random order; the first few already registered."""
    wl = open_list(url)
    try:
        rng = random.Random(count)
        minutes = rng.sample(range(10_000), count)
        ids = [
            submit(wl, n, filed_at=local(2024, 3, 1) + timedelta(minutes=m))
            for n, m in enumerate(minutes)
        ]
        for app_id in ids[:registered_first]:
            register(wl, app_id, day=DAY)
        for app_id in ids[registered_first:]:
            verify(wl, app_id, day=DAY)
        return ids[:registered_first], ids[registered_first:]
    finally:
        wl.close()


def slices(registered: list[UUID], waiting: list[UUID], workers: int) -> list[list[str]]:
    work = [str(i) for i in waiting] + [f"-{i}" for i in registered[::2]]
    random.Random(7).shuffle(work)
    return [work[n::workers] for n in range(workers)]


def assert_numbers_match_a_sequential_replay(url: str, expected_registrations: int) -> None:
    wl = open_list(url)
    try:
        checked = replayed_queue_numbers(wl)
        assert len(checked) == expected_registrations
        wrong = [(stated, computed) for _, stated, computed in checked if stated != computed]
        assert wrong == []
        queue = wl.queue("almaty", "socially_vulnerable")
        assert queue is not None
        assert queue.keys == sorted(queue.keys)
        assert len(set(queue.keys)) == len(queue.keys)
    finally:
        wl.close()


def test_threads_registering_into_one_list_get_the_numbers_of_a_sequential_replay(
    postgres_url: str,
) -> None:
    registered, waiting = prepare(postgres_url, 60, registered_first=12)
    barrier = threading.Barrier(6, timeout=60)

    def work(ids: list[str]) -> list[int]:
        barrier.wait()
        return register_all(postgres_url, ids, REGISTER_AT)

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = [n for result in pool.map(work, slices(registered, waiting, 6)) for n in result]
    assert len(numbers) == len(waiting)
    assert_numbers_match_a_sequential_replay(postgres_url, 60)


def test_processes_registering_into_one_list_get_the_numbers_of_a_sequential_replay(
    postgres_url: str,
) -> None:
    registered, waiting = prepare(postgres_url, 40, registered_first=8)
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(
            register_all,
            [(postgres_url, ids, REGISTER_AT) for ids in slices(registered, waiting, 4)],
        )
    assert sum(len(r) for r in results) == len(waiting)
    assert_numbers_match_a_sequential_replay(postgres_url, 40)


def test_concurrent_filings_of_the_same_citizen_for_one_list_admit_exactly_one(
    postgres_url: str,
) -> None:
    form = make_form(42)
    barrier = threading.Barrier(8, timeout=60)

    def file_once(n: int) -> str:
        wl: WaitingList = open_list(postgres_url)
        try:
            barrier.wait()
            submit(wl, 42, filed_at=local(2024, 3, 18) + timedelta(seconds=n), form=form)
            return "filed"
        except DuplicateActiveApplication:
            return "refused"
        finally:
            wl.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(file_once, range(8)))
    assert outcomes.count("filed") == 1
    assert outcomes.count("refused") == 7


def test_acts_that_waited_for_the_lists_lock_are_recorded_after_those_they_waited_for(
    postgres_url: str,
) -> None:
    """On the system clock, five writers register into one list at once: each act's moment is
    taken once it holds the list, so the list's record never runs backwards (the as-of
    answers by recording time rely on it)."""
    _, waiting = prepare(postgres_url, 30, registered_first=0)
    barrier = threading.Barrier(5, timeout=60)

    def work(ids: list[UUID]) -> None:
        wl = WaitingList(
            env={"KEZEK_DATABASE_URL": postgres_url, "POSTGRES_POOL_SIZE": "2"},
            identity_key=IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX)),
        )  # the system clock
        try:
            barrier.wait()
            for app_id in ids:
                wl.perform(acts.REGISTER, app_id, actor=officer("almaty"))
        finally:
            wl.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        list(pool.map(work, [waiting[n::5] for n in range(5)]))
    wl = open_list(postgres_url)
    try:
        stamps = [e.timestamp for e in wl.events.get(QueueList.id_for("almaty", LIST))]
        assert len(stamps) > len(waiting)
        assert stamps == sorted(stamps), "a later version of the list was recorded earlier"
    finally:
        wl.close()
