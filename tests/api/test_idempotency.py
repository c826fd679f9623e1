"""Idempotency-Key on every write, on both stores: the first request records the act, a repeat
answers the first answer again (through any process), another request under the key is 422."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from config.settings import Settings
from demo.synthetic import make_form
from domain.clock import ScenarioClock
from domain.values import Role
from tests.api.conftest import ScenarioClient, Tokens
from tests.api.walk import Walk, at

KEY = {"Idempotency-Key": "3f1c9e0a-retry-me"}


def filing(serial: int) -> dict[str, Any]:
    form = make_form(serial)
    return {"provider": "almaty", "filed_at": at("18"), "form": form.model_dump(mode="json")}


def post(
    client: TestClient, path: str, body: dict[str, Any], headers: dict[str, str]
) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = client.post(path, json=body, headers=headers)
    return response.status_code, response.json(), dict(response.headers)


@pytest.fixture
def second(settings: Settings, clock: ScenarioClock) -> Iterator[TestClient]:
    """A second service process on the same store (it does not write the views), its clock
    at the scenario's moment."""
    with ScenarioClient(create_app(settings, clock=clock), clock) as client:
        yield client


def test_a_repeated_filing_with_its_key_answers_the_first_answer_and_records_once(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    body = filing(1)
    headers = {**tokens.applicant(body["form"]["applicant_iin"]), **KEY}
    status, first, first_headers = post(client, "/v1/applications", body, headers)
    assert status == 201, first
    written = walk.written()
    assert "idempotent-replayed" not in first_headers
    status, again, again_headers = post(client, "/v1/applications", body, headers)
    assert (status, again) == (201, first)
    assert again_headers["idempotent-replayed"] == "true"
    assert walk.written() == written


def test_the_same_key_with_another_body_is_422_and_writes_nothing(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.file(make_form(2))
    accept = {"effective_at": at("18", "12:00")}
    status, _, _ = post(
        client, f"/v1/applications/{app_id}/accept", accept, {**walk.officer, **KEY}
    )
    assert status == 200
    written = walk.written()
    other = {"effective_at": at("18", "12:30"), "backdating_reason": "another body"}
    status, problem, headers = post(
        client, f"/v1/applications/{app_id}/accept", other, {**walk.officer, **KEY}
    )
    assert status == 422, problem
    assert headers["content-type"] == "application/problem+json"
    assert "another request" in problem["detail"]
    assert walk.written() == written


def test_a_retried_registration_is_not_an_act_out_of_order(
    client: TestClient, tokens: Tokens, second: TestClient
) -> None:
    """The retry after a lost answer goes through another process: the first answer again,
    where without the key it is a 409 (registered twice)."""
    walk = Walk(client, tokens)
    app_id = walk.verified(make_form(3))
    path = f"/v1/applications/{app_id}/register"
    body = {"effective_at": at("18", "12:03")}
    status, first, _ = post(client, path, body, {**walk.officer, **KEY})
    assert status == 200, first
    assert first["queue_number"] == 1
    assert first["log_position"] > first["notification_id"]  # the list's event came after
    written = walk.written()
    status, again, headers = post(second, path, body, {**walk.officer, **KEY})
    assert (status, again) == (200, first)
    assert headers["idempotent-replayed"] == "true"
    assert walk.written() == written
    status, unkeyed, _ = post(second, path, body, walk.officer)
    assert status == 409
    assert unkeyed["error"] == "ActOutOfOrder"


def test_a_key_is_scoped_to_its_caller(client: TestClient, tokens: Tokens) -> None:
    """Two applicants who happen to pick the same key each file their own application."""
    answers = []
    for serial in (4, 5):
        body = filing(serial)
        headers = {**tokens.applicant(body["form"]["applicant_iin"]), **KEY}
        status, answer, _ = post(client, "/v1/applications", body, headers)
        assert status == 201, answer
        answers.append(answer["application_id"])
    assert answers[0] != answers[1]


def test_concurrent_requests_with_one_key_record_one_act(
    client: TestClient, tokens: Tokens, second: TestClient
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.verified(make_form(6))
    path = f"/v1/applications/{app_id}/register"
    body = {"effective_at": at("18", "12:03")}
    before = walk.written() or 0
    answers: list[tuple[int, dict[str, Any]]] = []

    def send(target: TestClient) -> None:
        status, answer, _ = post(target, path, body, {**walk.officer, **KEY})
        answers.append((status, answer))

    threads = [threading.Thread(target=send, args=(c,)) for c in (client, second) * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ in answers} == {200}
    assert len({str(answer) for _, answer in answers}) == 1
    (only,) = {answer["log_position"] for _, answer in answers}
    assert walk.written() == only  # one act's events (the list's too), nothing after them
    assert only - before <= 3  # registered, joined, and the list opened on its first join


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "кириллица"])
def test_an_unusable_key_is_422_and_writes_nothing(
    client: TestClient, tokens: Tokens, key: str
) -> None:
    walk = Walk(client, tokens)
    body = filing(7)
    headers = {**tokens.applicant(body["form"]["applicant_iin"])}
    before = walk.written()
    response = client.post(
        "/v1/applications",
        json=body,
        headers=[*headers.items(), ("Idempotency-Key", key.encode())],
    )
    assert response.status_code == 422, response.text
    assert walk.written() == before


def test_a_read_after_a_write_through_another_process_waits_for_its_position(
    client: TestClient, tokens: Tokens, second: TestClient
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.verified(make_form(8))
    receipt = walk.act(app_id, "register", walk.officer, effective_at=at("18", "12:03"))
    reader = tokens.staff(Role.OFFICER)
    position = receipt["log_position"]
    response = second.get(f"/v1/applications/{app_id}/position?at_least={position}", headers=reader)
    assert response.status_code == 200, response.text
    assert int(response.headers["kezek-log-position"]) >= position
    assert response.json()["position"] == 1
    audit = second.get(f"/v1/applications/{app_id}/audit?at_least={position}", headers=reader)
    assert audit.status_code == 200
    assert int(audit.headers["kezek-log-position"]) >= position
    assert audit.json()["acts"][-1]["event"] == "Registered"
    beyond = second.get(
        f"/v1/applications/{app_id}/audit?at_least={position + 10**6}", headers=reader
    )
    assert beyond.status_code == 422


def test_keys_are_forgotten_only_past_their_keeping(client: TestClient, tokens: Tokens) -> None:
    walk = Walk(client, tokens)
    body = filing(9)
    headers = {**tokens.applicant(body["form"]["applicant_iin"]), **KEY}
    assert post(client, "/v1/applications", body, headers)[0] == 201
    recorder = walk.tokens.services.waiting_list.recorder
    assert recorder.forget_keys_older_than(24) == 0  # type: ignore[attr-defined]
    assert recorder.forget_keys_older_than(-1) == 1  # type: ignore[attr-defined]
    status, again, _ = post(client, "/v1/applications", body, headers)
    assert status == 409, again  # decided anew: this citizen already has an open application
