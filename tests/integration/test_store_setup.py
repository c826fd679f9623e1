"""Processes setting up a new PostgreSQL store at once take turns: CREATE statements run
under one lock per schema, so two never race in the catalogue ("tuple concurrently updated")."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from domain.claims import IdentityKey
from projections.database import ViewDatabase
from projections.runner import CatchUpRunner
from replay.catalog import live_projections
from store.keeping import ddl_lock_number
from tests.conftest import POSTGRES_URL, open_waiting_list, postgres_connect
from tests.integration.concurrent_acts import open_list

pytestmark = pytest.mark.postgres


def waits_for_the_ddl_lock(schema: str, set_up: Callable[[], None]) -> tuple[bool, bool]:
    """Whether `set_up` was still waiting while another session held the schema's DDL lock,
    and whether it finished once the lock was let go."""
    done = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            set_up()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            done.set()

    with postgres_connect() as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (ddl_lock_number(schema),))
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        waited = not done.wait(1.0)
        holder.execute("SELECT pg_advisory_unlock(%s)", (ddl_lock_number(schema),))
    finished = done.wait(30)
    assert errors == []
    return waited, finished


def test_the_event_store_creates_its_tables_under_the_schemas_ddl_lock(
    postgres_schema: str,
) -> None:
    url = f"{POSTGRES_URL}?schema={postgres_schema}"
    assert waits_for_the_ddl_lock(postgres_schema, lambda: open_list(url).close()) == (True, True)


def test_views_create_their_tables_under_the_same_lock(postgres_schema: str) -> None:
    database = ViewDatabase(f"{POSTGRES_URL}?schema={postgres_schema}")

    def create() -> None:
        with database.creating() as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS kezek_probe (n INTEGER)")

    try:
        assert waits_for_the_ddl_lock(postgres_schema, create) == (True, True)
    finally:
        database.close()


def failures_of_eight_at_once(work: Callable[[], None]) -> list[BaseException]:
    """Run `work` in 8 threads released together; what each raised."""
    barrier = threading.Barrier(8, timeout=60)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except BaseException as error:  # returned
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


def test_eight_processes_opening_a_new_store_at_once_all_succeed(postgres_schema: str) -> None:
    url = f"{POSTGRES_URL}?schema={postgres_schema}"
    assert failures_of_eight_at_once(lambda: open_list(url).close()) == []


def test_eight_services_starting_at_once_on_a_new_store_set_up_every_view(
    postgres_schema: str, identity_key: IdentityKey
) -> None:
    """As `Services.open` does: the ledger, the live generation of every view, the runner."""
    url = f"{POSTGRES_URL}?schema={postgres_schema}"

    def start() -> None:
        ledger, database = open_waiting_list(url, identity_key), ViewDatabase(url)
        try:
            CatchUpRunner(ledger, live_projections(database, index=False), database).setup()
        finally:
            database.close()
            ledger.close()

    assert failures_of_eight_at_once(start) == []
