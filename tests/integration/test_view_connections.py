"""A process's views hold a bounded number of PostgreSQL connections, however many threads
read them: a server's connections are shared by every process on the store."""

from __future__ import annotations

import threading
import time

import pytest

from projections.database import VIEW_CONNECTIONS, Tx, ViewDatabase
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


def test_a_start_that_deadlocks_with_a_writer_creates_its_tables_once_the_writer_is_done(
    postgres_schema: str,
) -> None:
    database = ViewDatabase(f"{POSTGRES_URL}?schema={postgres_schema}")
    tables = ("kezek_probe_x", "kezek_probe_y")
    try:
        for table in tables:
            with database.transaction() as tx:
                tx.execute(f"CREATE TABLE {table} (n INTEGER)")
                tx.execute(f"CREATE INDEX {table}_n ON {table} (n)")
        started, written = threading.Event(), threading.Event()
        errors: list[BaseException] = []

        def write() -> None:  # a runner's batch: one view's table, then the other's
            try:
                with database.transaction() as tx:
                    tx.execute("INSERT INTO kezek_probe_y VALUES (1)")
                    started.set()
                    time.sleep(0.5)  # the start has locked x meanwhile and waits for y
                    tx.execute("INSERT INTO kezek_probe_x VALUES (1)")
                written.set()
            except BaseException as error:  # counted below
                errors.append(error)

        def create(tx: Tx) -> None:
            for table in tables:  # locks x, then waits for y: a cycle with the writer
                tx.execute(f"CREATE INDEX IF NOT EXISTS {table}_n ON {table} (n)")

        writer = threading.Thread(target=write)
        writer.start()
        assert started.wait(10)
        database.create(create)
        writer.join(30)
        assert errors == []
        assert written.is_set()
    finally:
        database.close()
