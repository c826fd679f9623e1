"""GET /v1/applications/{id}/position on both stores, answered from the queue view's index:
the answer after acts that change the list and one that does not, after a succession and a
rebuild, and who may read it."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.services import Services
from demo.synthetic import appendix_3, document, make_form
from domain import acts
from domain.values import DocumentKind, Role
from projections.queue import QueueProjection
from projections.rebuild import rebuild
from tests.api.conftest import Tokens
from tests.integration.test_queue_projection import DAY
from tests.integration.walk import deregister, local, pass_place, register, submit

MISSING = "00000000-0000-4000-8000-000000000000"


def caught_up(services: Services) -> None:
    head = services.waiting_list.recorder.max_notification_id()
    assert head is not None
    assert services.wait_for(head, 10)


@pytest.fixture
def three(services: Services) -> list[UUID]:
    """Three applications of Almaty's list, registered in the order of their filing."""
    wl = services.waiting_list
    ids = [submit(wl, n, filed_at=local(2024, 3, 18, 9 + n)) for n in (1, 2, 3)]
    for n, app_id in enumerate(ids):
        register(wl, app_id, day=DAY + timedelta(minutes=5 * n))
    caught_up(services)
    return ids


def applicant(tokens: Tokens, serial: int) -> dict[str, str]:
    return tokens.applicant(make_form(serial).applicant_iin)


def position(client: TestClient, app_id: UUID | str, headers: dict[str, str]) -> Any:
    return client.get(f"/v1/applications/{app_id}/position", headers=headers)


def expected(services: Services, app_id: UUID) -> dict[str, Any]:
    """The answer as the application and the write side's list state it."""
    app = services.waiting_list.application(app_id)
    found = services.waiting_list.position(app_id)
    assert found is not None
    return {
        "application_id": str(app_id),
        "provider": app.provider,
        "list_code": app.form.list_code,
        "position": found[0],
        "out_of": found[1],
        "priority_moment": app.priority_moment.isoformat().replace("+00:00", "Z"),
    }


def test_the_answer_is_the_applications_own_list_position_and_priority(
    client: TestClient, tokens: Tokens, services: Services, three: list[UUID]
) -> None:
    for serial, app_id in enumerate(three, start=1):
        response = position(client, app_id, applicant(tokens, serial))
        assert response.status_code == 200, response.text
        assert response.json() == expected(services, app_id)
        shown = client.get(f"/v1/applications/{app_id}", headers=tokens.staff(Role.OFFICER))
        assert response.json()["priority_moment"] == shown.json()["priority_moment"]


def test_a_data_update_leaves_the_answer_and_a_deregistration_makes_it_404(
    client: TestClient, tokens: Tokens, services: Services, three: list[UUID]
) -> None:
    wl = services.waiting_list
    first, second, third = three
    iin = wl.application(second).form.applicant_iin
    update = appendix_3(
        applicant_iin=iin,
        reason="a child was born",
        grounds_arose_on=date(2024, 4, 1),
        documents=(document(DocumentKind.OTHER),),
    )
    wl.perform(
        acts.UPDATE_DATA,
        second,
        actor=wl.applicant(iin),
        effective_at=local(2024, 4, 2),
        update=update,
    )
    caught_up(services)
    answer = position(client, second, applicant(tokens, 2)).json()
    assert answer == expected(services, second)
    assert answer["position"] == 2

    deregister(wl, first, local(2024, 4, 3, 15))
    caught_up(services)
    gone = position(client, first, applicant(tokens, 1))
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"
    assert gone.json()["type"] == "https://kezek.kz/problems/not-found"
    assert position(client, third, applicant(tokens, 3)).json() == expected(services, third)
    assert expected(services, third)["position"] == 2


def test_after_a_succession_the_successor_reads_the_position_and_the_former_holder_may_not(
    client: TestClient, tokens: Tokens, services: Services, three: list[UUID]
) -> None:
    wl = services.waiting_list
    successor_iin = wl.application(three[0]).family[0].iin
    pass_place(wl, three[0], local(2024, 4, 2))
    caught_up(services)
    response = position(client, three[0], tokens.applicant(successor_iin))
    assert response.status_code == 200, response.text
    assert response.json() == expected(services, three[0])
    assert position(client, three[0], applicant(tokens, 1)).status_code == 403


def test_a_rebuilt_generation_made_live_answers_the_same(
    client: TestClient, tokens: Tokens, services: Services, three: list[UUID]
) -> None:
    pass_place(services.waiting_list, three[1], local(2024, 4, 2))
    caught_up(services)
    before = [position(client, app_id, tokens.reader(Role.AUDITOR)).json() for app_id in three]
    report = rebuild(services.waiting_list, services.database, QueueProjection)
    assert report.switched
    # The writer writes it: adopted here, or already by the runner's own thread under load.
    assert services.runner.adopt_live_generations() in (["queue"], [])
    services.queue.advance()  # and the process's index follows it (its thread does so too)
    assert services.queue.view.generation == report.new_generation
    assert services.view(QueueProjection).generation == report.new_generation
    after = [position(client, app_id, tokens.reader(Role.AUDITOR)).json() for app_id in three]
    assert after == before == [expected(services, app_id) for app_id in three]
    successor = services.waiting_list.application(three[1]).holder_iin
    assert position(client, three[1], tokens.applicant(successor)).status_code == 200
    assert position(client, three[1], applicant(tokens, 2)).status_code == 403


def test_staff_of_another_provider_and_another_applicant_are_refused(
    client: TestClient, tokens: Tokens, three: list[UUID]
) -> None:
    for headers in (
        tokens.staff(Role.OFFICER, provider="astana"),
        tokens.staff(Role.HEAD, provider="astana"),
        applicant(tokens, 2),
    ):
        response = position(client, three[0], headers)
        assert response.status_code == 403, response.text
        assert response.json()["type"] == "https://kezek.kz/problems/forbidden"
    for role in (Role.OFFICER, Role.HEAD):
        assert position(client, three[0], tokens.staff(role)).status_code == 200
    for role in (Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR):
        assert position(client, three[0], tokens.reader(role)).status_code == 200


def test_an_unknown_id_is_404_for_a_reader_and_401_for_a_role_no_token_is_issued_for(
    client: TestClient, tokens: Tokens, three: list[UUID]
) -> None:
    unknown = position(client, MISSING, tokens.reader(Role.AUDITOR))
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "https://kezek.kz/problems/not-found"
    now = int(time.time())
    system = tokens.signed(
        {"iss": "kezek", "sub": "system-1", "role": "system", "provider": "almaty", "jti": "s"}
        | {"iat": now, "nbf": now, "exp": now + 600}
    )
    for app_id in (MISSING, str(three[0])):
        refused = position(client, app_id, system)
        assert refused.status_code == 401
        assert refused.json()["type"] == "https://kezek.kz/problems/unauthenticated"
    assert position(client, three[0], {}).status_code == 401
