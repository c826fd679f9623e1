"""Filing and acceptance over HTTP, with the errors a caller can meet."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from demo.synthetic import make_form
from domain.values import Role
from tests.api.conftest import Tokens

FILED = "2024-03-18T10:00:00+05:00"


def body(serial: int = 1, provider: str = "almaty") -> dict[str, object]:
    return {
        "provider": provider,
        "filed_at": FILED,
        "form": make_form(serial).model_dump(mode="json"),
    }


def test_an_applicant_files_and_an_officer_accepts(client: TestClient, tokens: Tokens) -> None:
    form = make_form(1)
    filed = client.post(
        "/v1/applications", json=body(1), headers=tokens.applicant(form.applicant_iin)
    )
    assert filed.status_code == 201, filed.text
    app_id = filed.json()["application_id"]
    assert filed.json()["status"] == "submitted"
    accepted = client.post(
        f"/v1/applications/{app_id}/accept?wait=true",
        json={"effective_at": "2024-03-18T11:00:00+05:00"},
        headers=tokens.staff(Role.OFFICER),
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["projections_caught_up"] is True
    state = client.get(f"/v1/applications/{app_id}", headers=tokens.applicant(form.applicant_iin))
    assert state.json()["consideration_due"]["due_on"] == "2024-04-11"


def test_filing_without_a_token_is_401_and_writes_nothing(
    client: TestClient, tokens: Tokens
) -> None:
    response = client.post("/v1/applications", json=body(1))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert tokens.services.waiting_list.recorder.max_notification_id() in (None, 0)


def test_filing_for_another_citizen_is_403(client: TestClient, tokens: Tokens) -> None:
    response = client.post(
        "/v1/applications", json=body(1), headers=tokens.applicant(make_form(2).applicant_iin)
    )
    assert response.status_code == 403


def test_a_malformed_iin_is_422_naming_the_field(client: TestClient, tokens: Tokens) -> None:
    bad = body(1)
    bad["form"]["applicant_iin"] = "123"  # type: ignore[index]
    response = client.post("/v1/applications", json=bad, headers=tokens.applicant("x"))
    assert response.status_code == 422
    assert "form.applicant_iin" in response.json()["detail"]
    assert "123" not in response.text.replace('"status":422', "")


def test_a_broken_rule_is_409_naming_rule_and_paragraph(client: TestClient, tokens: Tokens) -> None:
    form = make_form(1)
    filed = client.post(
        "/v1/applications", json=body(1), headers=tokens.applicant(form.applicant_iin)
    )
    app_id = filed.json()["application_id"]
    early = client.post(
        f"/v1/applications/{app_id}/accept",
        json={"effective_at": "2024-03-17T11:00:00+05:00"},
        headers=tokens.staff(Role.OFFICER),
    )
    assert early.status_code == 409
    assert early.json()["paragraph"]
    assert early.json()["rule"]


def test_staff_of_another_provider_get_403_and_unknown_ids_404(
    client: TestClient, tokens: Tokens
) -> None:
    form = make_form(1)
    filed = client.post(
        "/v1/applications", json=body(1), headers=tokens.applicant(form.applicant_iin)
    )
    app_id = filed.json()["application_id"]
    other = client.post(
        f"/v1/applications/{app_id}/accept", json={}, headers=tokens.staff(Role.OFFICER, "astana")
    )
    assert other.status_code == 403
    missing = client.post(
        "/v1/applications/00000000-0000-4000-8000-000000000000/accept",
        json={},
        headers=tokens.staff(Role.OFFICER),
    )
    assert missing.status_code == 404


def test_the_readmes_example_application_is_filed_by_its_applicant(
    client: TestClient, tokens: Tokens
) -> None:
    """README's first write request files docs/examples/application.json as it stands."""
    example = Path(__file__).parents[2] / "docs" / "examples" / "application.json"
    sent = json.loads(example.read_text(encoding="utf-8"))
    iin = sent["form"]["applicant_iin"]
    filed = client.post("/v1/applications", json=sent, headers=tokens.applicant(iin))
    assert filed.status_code == 201, filed.text
    assert filed.json()["status"] == "submitted"
