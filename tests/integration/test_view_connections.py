"""A process's views hold a bounded number of PostgreSQL connections, however many threads
read them: a server's connections are shared by every process on the store."""

from __future__ import annotations

import threading
import time

import pytest

from projections.database import VIEW_CONNECTIONS, ViewDatabase
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.postgres


def test_forty_threads_reading_at_once_open_no_more_than_the_bound(postgres_schema: str) -> None:
    database = ViewDatabase(f"{POSTGRES_URL}?schema={postgres_schema}")
    barrier = threading.Barrier(40, timeout=60)
    answers: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            barrier.wait()
            with database.transaction(write=False) as tx:
                time.sleep(0.05)  # held a while, so that the threads overlap
                row = tx.fetchone("SELECT pg_backend_pid()")
                assert row is not None
                answers.append(int(row[0]))
        except BaseException as error:  # counted below
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(40)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert len(answers) == 40
        assert len(set(answers)) <= VIEW_CONNECTIONS
    finally:
        database.close()


def test_a_transaction_inside_another_on_the_same_thread_uses_its_connection(
    postgres_schema: str,
) -> None:
    database = ViewDatabase(f"{POSTGRES_URL}?schema={postgres_schema}")
    try:
        with database.transaction() as outer:
            outer.execute("CREATE TABLE kezek_probe (n INTEGER)")
            outer.execute("INSERT INTO kezek_probe VALUES (1)")
            with database.transaction(write=False) as inner:  # sees the outer's own rows
                assert inner.fetchone("SELECT COUNT(*) FROM kezek_probe") == (1,)
        with database.transaction(write=False) as later:
            assert later.fetchone("SELECT COUNT(*) FROM kezek_probe") == (1,)
    finally:
        database.close()
