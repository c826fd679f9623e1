"""Personal data by role over HTTP, on both stores: the export route makes the bundle for the
token's role (courts and the provider's staff whole; auditors and complaint bodies without IINs
and names), every one verifies offline with the operator's key, staff of another provider are
refused, and an administrative file reaches a complaint body cut, naming the file it was cut
from."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.services import Services
from domain.values import Role
from replay.bundle import MANIFEST, read_zip, sha256_hex
from replay.checkpoints import load_signing_key
from replay.verify import verify_bundle_bytes
from tests.api.conftest import Tokens
from tests.integration.personal_case import (
    Household,
    every_piece_in,
    family_case,
    personal_data_in,
)

SIGNING_SEED = "44" * 32


@pytest.fixture(autouse=True)
def signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEZEK_SIGNING_KEY", SIGNING_SEED)


@pytest.fixture
def household(services: Services) -> Household:
    return family_case(services.waiting_list)


def operator_key() -> str:
    return load_signing_key({"KEZEK_SIGNING_KEY": SIGNING_SEED}).verifier_key


def _made_for(bundle: bytes) -> str:
    made_for: str = json.loads(read_zip(bundle)[MANIFEST])["made_for"]
    return made_for


@pytest.mark.parametrize(
    ("role", "whole"),
    [
        (Role.COURT, True),
        (Role.OFFICER, True),
        (Role.HEAD, True),
        (Role.AUDITOR, False),
        (Role.COMPLAINT_BODY, False),
    ],
)
def test_the_export_route_makes_the_bundle_for_the_tokens_role(
    client: TestClient, tokens: Tokens, household: Household, role: Role, whole: bool
) -> None:
    staff = role in (Role.OFFICER, Role.HEAD)
    headers = tokens.staff(role) if staff else tokens.reader(role)
    response = client.get(f"/v1/applications/{household.application_id}/export", headers=headers)
    assert response.status_code == 200, response.text
    bundle = response.content
    assert _made_for(bundle) == role.value
    if whole:
        assert every_piece_in(bundle, household)
    else:
        assert personal_data_in(bundle, household) == []
    report = verify_bundle_bytes(bundle, operator_key())
    assert report.ok, report.lines()
    assert bool(report.notes) is not whole


def test_staff_of_another_provider_may_not_export_the_case(
    client: TestClient, tokens: Tokens, household: Household
) -> None:
    for role in (Role.OFFICER, Role.HEAD):
        response = client.get(
            f"/v1/applications/{household.application_id}/export",
            headers=tokens.staff(role, provider="astana"),
        )
        assert response.status_code == 403, response.text
        assert response.json()["detail"] == "the token is for staff of another service provider"


def test_an_administrative_file_reaches_a_complaint_body_cut_and_a_court_whole(
    client: TestClient, tokens: Tokens, services: Services, household: Household
) -> None:
    app_id = household.application_id
    holder = services.waiting_list.application(app_id).holder_iin  # the spouse, by now
    filed = client.post(
        f"/v1/applications/{app_id}/complaints",
        json={
            "effective_at": "2024-04-11T10:00:00+05:00",
            "complaint": {"subject": "decision", "filed_with": "provider", "text": "unfair"},
        },
        headers=tokens.applicant(holder),
    )
    assert filed.status_code == 201, filed.text
    forwarded = client.post(
        f"/v1/applications/{app_id}/complaints/c1/forward",
        json={"effective_at": "2024-04-12T10:00:00+05:00", "to_body": "quality_body"},
        headers=tokens.staff(Role.OFFICER),
    )
    assert forwarded.status_code == 200, forwarded.text
    sent = list(services.waiting_list.events.get(UUID(str(app_id))))[-1]
    sha = sent.administrative_file.sha256  # type: ignore[attr-defined]

    kept = client.get(f"/v1/administrative-files/{sha}", headers=tokens.reader(Role.COURT))
    assert sha256_hex(kept.content) == sha
    assert every_piece_in(kept.content, household)
    for role in (Role.COMPLAINT_BODY, Role.AUDITOR):
        cut = client.get(f"/v1/administrative-files/{sha}", headers=tokens.reader(role)).content
        assert personal_data_in(cut, household) == []
        manifest = json.loads(read_zip(cut)[MANIFEST])
        assert manifest["made_for"] == role.value
        assert manifest["subject"]["cut_from"] == sha
        report = verify_bundle_bytes(cut, operator_key())
        assert report.ok, report.lines()
        assert report.notes
