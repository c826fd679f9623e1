"""Fixtures that build real applications on real stores: a SQLite file and a PostgreSQL server.

PostgreSQL is never skipped: `make test` makes sure a server is there, and a test that cannot
reach it fails with the reason.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, settings

from demo import run_demo
from demo.result import DemoResult
from domain.calendar import ESTIMATES_ENV, EstimatePolicy
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.projection import Projection
from projections.runner import CatchUpRunner
from replay.catalog import LedgerViews, live_projections
from tests.keys import IDENTITY_KEY_HEX

POSTGRES_URL = os.environ.get(
    "KEZEK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgres"]

# No test may rest on a day off that `holidays` only estimates (Kurban Ait of a year the calendar
# data does not confirm): the calendar refuses to count across one, in this process and in the
# servers and CLIs the tests start (docs/domain.md, "Reference data and the calendar").
os.environ[ESTIMATES_ENV] = EstimatePolicy.REFUSE.value


def postgres_connect() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return ViewDatabase(POSTGRES_URL).connect_postgres(autocommit=True)
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL at {POSTGRES_URL} is unreachable ({error}); run `make test`, which "
            "starts or installs it, or set KEZEK_TEST_POSTGRES_URL"
        )


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A fresh schema for one test, dropped afterwards."""
    schema = f"kezek_test_{uuid.uuid4().hex[:12]}"
    with postgres_connect() as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with postgres_connect() as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kezek.db'}"
    schema = request.getfixturevalue("postgres_schema")
    return f"{POSTGRES_URL}?schema={schema}"


@pytest.fixture
def identity_key() -> IdentityKey:
    return IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))


@contextmanager
def fresh_store(backend: str) -> Iterator[str]:
    """A store of its own for a test that makes many (hypothesis examples): no fixture reuse."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'kezek.db'}"
        return
    schema = f"kezek_test_{uuid.uuid4().hex[:12]}"
    with postgres_connect() as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        with postgres_connect() as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def store_examples(max_examples: int) -> settings:
    """Hypothesis settings for a test whose examples each walk a store of their own."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def walk_demo(url: str, key: IdentityKey, applications: int, seed: int) -> DemoResult:
    """The demo's walk of `applications` citizens, quietly, beside what the store holds."""
    return run_demo(
        database_url=url,
        key=key,
        applications=applications,
        seed=seed,
        fresh=False,
        echo=lambda _: None,
    )


def open_waiting_list(url: str, key: IdentityKey) -> WaitingList:
    return WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": url}, identity_key=key)


def runner_for(
    wl: WaitingList,
    database: ViewDatabase,
    *projections: Projection,
    batch_size: int = 1000,
    poll_interval: float = 0.2,
) -> CatchUpRunner:
    """A catch-up runner of `projections`, their tables set up."""
    runner = CatchUpRunner(
        wl, list(projections), database, batch_size=batch_size, poll_interval=poll_interval
    )
    runner.setup()
    return runner


@contextmanager
def open_service(url: str, key: IdentityKey) -> Iterator[LedgerViews]:
    """The ledger at `url` and a runner of every live view, set up, closed afterwards."""
    waiting_list = open_waiting_list(url, key)
    database = ViewDatabase(url)
    runner = runner_for(waiting_list, database, *live_projections(database))
    try:
        yield LedgerViews(waiting_list, database, runner)
    finally:
        database.close()
        waiting_list.close()


@pytest.fixture
def waiting_list(database_url: str, identity_key: IdentityKey) -> Iterator[WaitingList]:
    app = open_waiting_list(database_url, identity_key)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def database(database_url: str) -> Iterator[ViewDatabase]:
    """The views' database on the test's store, closed afterwards."""
    database = ViewDatabase(database_url)
    try:
        yield database
    finally:
        database.close()
