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

from domain.claims import IdentityKey
from domain.store_url import persistence_env
from domain.waiting_list import WaitingList
from tests.keys import IDENTITY_KEY_HEX

POSTGRES_URL = os.environ.get(
    "KEZEK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgres"]


def postgres_connect() -> psycopg.Connection[tuple[object, ...]]:
    env = persistence_env(POSTGRES_URL)
    try:
        return psycopg.connect(
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            dbname=env["POSTGRES_DBNAME"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            autocommit=True,
            connect_timeout=5,
        )
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


def open_waiting_list(url: str, key: IdentityKey) -> WaitingList:
    return WaitingList(env={"KEZEK_DATABASE_URL": url}, identity_key=key)


@pytest.fixture
def waiting_list(database_url: str, identity_key: IdentityKey) -> Iterator[WaitingList]:
    app = open_waiting_list(database_url, identity_key)
    try:
        yield app
    finally:
        app.close()
