"""Unit tests of the domain do no I/O: any attempt to reach a database or the network fails."""

from __future__ import annotations

import socket
import sqlite3
from typing import Any, NoReturn

import psycopg
import pytest

from tests.unit.bundle_fixtures import synthetic_bundle


def _forbidden(*_: Any, **__: Any) -> NoReturn:
    raise AssertionError("a unit test tried to reach a database or the network")


@pytest.fixture(scope="module")
def bundle() -> bytes:
    """The synthetic court bundle of tests/unit/bundle_fixtures.py, made once per module."""
    return synthetic_bundle()


@pytest.fixture(autouse=True)
def no_io(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _forbidden)
    monkeypatch.setattr(sqlite3, "connect", _forbidden)
    monkeypatch.setattr(psycopg, "connect", _forbidden)
