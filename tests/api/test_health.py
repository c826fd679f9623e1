"""/health on both stores: the store, the head of the log, each view's lag, and 503 when the
database cannot be reached (the event log's pool closed, or the views' connections cut off)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services
from config.settings import Settings
from domain.clock import ScenarioClock
from replay.catalog import PROJECTIONS
from tests.integration.walk import DAY_ONE, submit

VIEWS = {projection.name for projection in PROJECTIONS}


@pytest.fixture
def idle(settings: Settings) -> Iterator[TestClient]:
    """A service whose runner does not follow the log: the lag stays until caught up."""
    with TestClient(
        create_app(settings, follow=False, clock=ScenarioClock()), raise_server_exceptions=False
    ) as client:
        yield client


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def dead_port() -> int:
    """A local port nothing listens on (bound for a moment, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_health_reports_the_store_the_head_and_each_views_lag(idle: TestClient) -> None:
    services = services_of(idle)
    empty = idle.get("/health")
    assert empty.status_code == 200, empty.text
    body = empty.json()
    assert {k: body[k] for k in ("status", "store", "head", "projection_lag", "runner_error")} == {
        "status": "ok",
        "store": services.database.dialect,
        "head": 0,
        "projection_lag": dict.fromkeys(VIEWS, 0),
        "runner_error": None,
    }
    assert body["process_id"] == services.serving.process_id
    assert body["writer"] is False  # not following: it never took the writer's lease
    for serial in (1, 2):
        submit(services.waiting_list, serial, filed_at=DAY_ONE)
    head = services.waiting_list.recorder.max_notification_id()
    assert head
    behind = idle.get("/health").json()
    assert behind["head"] == head
    assert behind["projection_lag"] == dict.fromkeys(VIEWS, head)
    services.runner.catch_up()
    assert idle.get("/health").json()["projection_lag"] == dict.fromkeys(VIEWS, 0)


def test_health_needs_no_token_and_follows_the_runner(client: TestClient) -> None:
    services = services_of(client)
    submit(services.waiting_list, 1, filed_at=DAY_ONE)
    head = services.waiting_list.recorder.max_notification_id()
    assert head is not None
    assert services.wait_for(head, 10)
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["head"] == head
    assert set(body["projection_lag"].values()) == {0}


@pytest.mark.parametrize("lost", ["event log", "views"])
def test_health_is_503_problem_json_when_the_database_is_unreachable(
    idle: TestClient, tmp_path: Path, lost: str
) -> None:
    services = services_of(idle)
    assert idle.get("/health").status_code == 200
    if lost == "event log":
        pool = services.waiting_list.recorder.datastore.pool  # type: ignore[attr-defined]
        pool.close()  # a closed pool cannot be reopened: as good as a server gone
    else:
        database = services.database
        database.close()
        if database.dialect == "sqlite":
            database.env["SQLITE_DBNAME"] = str(tmp_path / "gone" / "kezek.db")
        else:
            database.env["POSTGRES_PORT"] = str(dead_port())
    response = idle.get("/health")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"]
    assert response.json()["detail"] == "the database is unreachable"
