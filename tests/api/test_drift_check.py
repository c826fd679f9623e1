"""`kezek rebuild --check` on both stores: no drift when every process's index and every view
agree with a fresh build, and a report naming the process whose index was fed an event twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.services import Services
from cli.main import app as cli
from config.settings import Settings
from demo.synthetic import make_form
from domain.queue_list import QueueList
from projections.queue import index_changes
from tests.api.conftest import Tokens
from tests.api.walk import Walk, at


@pytest.fixture
def second(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def check(settings: Settings) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["rebuild", "--check", "--database-url", settings.database_url]
    )
    return result.exit_code, result.output


def settle(*clients: TestClient) -> None:
    for client in clients:
        services = services_of(client)
        head = services.waiting_list.recorder.max_notification_id() or 0
        assert services.wait_for(head, 10)
        services.serving.report()


def test_two_processes_agree_and_the_check_finds_no_drift(
    client: TestClient, second: TestClient, tokens: Tokens, settings: Settings
) -> None:
    walk = Walk(client, tokens)
    for serial in range(1, 5):
        walk.registered(make_form(serial), filed=f"10:0{serial}")
    settle(client, second)
    first, other = services_of(client), services_of(second)
    assert first.serving.writing != other.serving.writing  # exactly one writes the views
    assert first.queue.digest() == other.queue.digest()
    status, output = check(settings)
    assert status == 0, output
    assert output.count("index equal to a fresh fold") == 2
    assert "no drift" in output


def test_an_index_fed_one_event_twice_is_reported_as_drift(
    client: TestClient, second: TestClient, tokens: Tokens, settings: Settings
) -> None:
    walk = Walk(client, tokens)
    leaving = walk.registered(make_form(1), filed="10:01")
    walk.registered(make_form(2), filed="10:02")
    walk.act(leaving, "withdraw", walk.applicant(leaving), effective_at=at("19"))
    settle(client, second)
    drifted = services_of(second)
    # The join of the withdrawn application, applied again after its leave.
    wl = drifted.waiting_list
    joined = next(
        e
        for n in wl.recorder.select_notifications(start=1, limit=1000)
        if isinstance(e := wl.mapper.to_domain_event(n), QueueList.Joined)
        and str(e.application_id) == leaving
    )
    holders = {leaving: wl.application(joined.application_id).applicant_ref}
    drifted.queue.index.apply(index_changes([joined], drifted.queue._lists, holders))
    drifted.serving.report()
    status, output = check(settings)
    assert status == 1, output
    assert f"process {drifted.serving.process_id}" in output
    assert "DRIFT: its index holds 2 entries" in output
    assert f"process {services_of(client).serving.process_id}" in output
    assert output.count("index equal to a fresh fold") == 1
