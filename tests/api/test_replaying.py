"""Checkpoints, proofs and answers as of a moment, over HTTP, on both stores."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.services import Services
from cli.export import verify_bundle
from cli.maintenance import sign
from demo.synthetic import make_form
from domain.values import Role
from replay.bundle import MANIFEST, read_zip
from replay.checkpoints import verify_checkpoint, verify_consistency_proof
from replay.transparency import ConsistencyProof
from tests.api.conftest import Tokens
from tests.api.walk import Walk


@pytest.fixture(autouse=True)
def signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEZEK_SIGNING_KEY", "22" * 32)


def test_the_checkpoint_and_its_proofs_are_public_and_verify(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    assert client.get("/v1/transparency/checkpoint").status_code == 404
    walk = Walk(client, tokens)
    walk.registered(make_form(1), filed="10:00")
    sign(services.waiting_list, services.database, lambda _: None)
    first = client.get("/v1/transparency/checkpoint").json()
    old = verify_checkpoint(first["note"], first["verifier_key"])
    walk.registered(make_form(2), filed="11:00")
    sign(services.waiting_list, services.database, lambda _: None)
    second = client.get("/v1/transparency/checkpoint").json()
    new = verify_checkpoint(second["note"], second["verifier_key"])
    proof = client.get(
        "/v1/transparency/consistency", params={"old": old.size, "new": new.size}
    ).json()
    verify_consistency_proof(ConsistencyProof(old.size, new.size, tuple(proof["path"])), old, new)
    inclusion = client.get("/v1/transparency/inclusion", params={"position": 1, "size": new.size})
    assert inclusion.status_code == 200
    assert inclusion.json()["leaf_index"] == 0
    assert (
        client.get("/v1/transparency/inclusion", params={"position": 1, "size": 0}).status_code
        == 422
    )


def test_an_application_and_its_list_as_they_stood(client: TestClient, tokens: Tokens) -> None:
    walk = Walk(client, tokens)
    app_id = walk.registered(make_form(1), filed="10:00")
    before = client.get(
        f"/v1/applications/{app_id}/as-of",
        params={"at": "2024-03-18T09:00:00+05:00"},
        headers=tokens.staff(Role.OFFICER),
    )
    assert before.status_code == 404
    now = client.get(
        f"/v1/applications/{app_id}/as-of",
        params={"at": "2030-01-01T00:00:00+05:00"},
        headers=tokens.staff(Role.OFFICER),
    )
    assert now.json()["status"] == "registered"
    position = client.get(
        f"/v1/applications/{app_id}/position/as-of",
        params={"at": "2030-01-01T00:00:00+05:00", "by": "recorded"},
        headers=tokens.reader(Role.COURT),
    )
    assert position.json()["position"] == 1
    listed = client.get(
        "/v1/queues/almaty/socially_vulnerable/as-of", params={"at": "2030-01-01T00:00:00Z"}
    )
    assert listed.json()["total"] == 1
    assert (
        client.get(
            f"/v1/applications/{app_id}/as-of",
            params={"at": "2030-01-01T00:00:00"},
            headers=tokens.staff(Role.OFFICER),
        ).status_code
        == 422
    )
    assert (
        client.get(
            f"/v1/applications/{app_id}/as-of", params={"at": "2030-01-01T00:00:00Z"}
        ).status_code
        == 401
    )


def test_a_court_downloads_a_case_bundle_that_verifies_offline(
    client: TestClient, tokens: Tokens, tmp_path: Path
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.registered(make_form(1), filed="10:00")
    assert client.get(f"/v1/applications/{app_id}/export").status_code == 401
    denied = client.get(
        f"/v1/applications/{app_id}/export", headers=tokens.applicant(make_form(1).applicant_iin)
    )
    assert denied.status_code == 403
    response = client.get(f"/v1/applications/{app_id}/export", headers=tokens.reader(Role.COURT))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    bundle = tmp_path / "case.zip"
    bundle.write_bytes(response.content)
    lines: list[str] = []
    assert verify_bundle(bundle, echo=lines.append) == 2  # nothing pinned: nothing shown
    # The court pins the operator's key as published, not the one the bundle carries.
    key = client.get("/v1/transparency/checkpoint").json()["verifier_key"]
    assert verify_bundle(bundle, key, echo=lines.append) == 0, lines
    listed = client.get(
        "/v1/queues/almaty/socially_vulnerable/export",
        params={"at": "2030-01-01T00:00:00Z"},
        headers=tokens.reader(Role.AUDITOR),
    )
    assert listed.status_code == 200
    (tmp_path / "list.zip").write_bytes(listed.content)
    assert verify_bundle(tmp_path / "list.zip", key, echo=lines.append) == 0, lines


def test_a_forwarded_complaint_carries_the_case_bundle_as_its_administrative_file(
    client: TestClient, tokens: Tokens, tmp_path: Path
) -> None:
    walk = Walk(client, tokens)
    form = make_form(1)
    app_id = walk.registered(form, filed="10:00")
    filed = client.post(
        f"/v1/applications/{app_id}/complaints",
        json={
            "effective_at": "2024-03-19T10:00:00+05:00",
            "complaint": {"subject": "decision", "filed_with": "provider", "text": "unfair"},
        },
        headers=tokens.applicant(form.applicant_iin),
    )
    assert filed.status_code == 201, filed.text
    late = client.post(
        f"/v1/applications/{app_id}/complaints/c1/forward",
        json={"effective_at": "2024-04-30T10:00:00+05:00", "to_body": "quality_body"},
        headers=tokens.staff(Role.OFFICER),
    )
    assert late.status_code == 409
    forwarded = client.post(
        f"/v1/applications/{app_id}/complaints/c1/forward",
        json={"effective_at": "2024-03-20T10:00:00+05:00", "to_body": "quality_body"},
        headers=tokens.staff(Role.OFFICER),
    )
    assert forwarded.status_code == 200, forwarded.text
    audit = client.get(f"/v1/applications/{app_id}/audit", headers=tokens.reader(Role.COURT))
    assert audit.status_code == 200
    events = tokens.services.waiting_list.events.get(UUID(app_id))
    sent = next(e for e in events if type(e).__name__ == "ComplaintForwarded")
    sha = sent.administrative_file.sha256  # type: ignore[attr-defined]
    bundle = client.get(f"/v1/administrative-files/{sha}", headers=tokens.reader(Role.COURT))
    assert bundle.status_code == 200
    assert hashlib.sha256(bundle.content).hexdigest() == sha
    (tmp_path / "file.zip").write_bytes(bundle.content)
    key = tokens.services.signing_key().verifier_key
    assert verify_bundle(tmp_path / "file.zip", key, echo=lambda _: None) == 0
    # The complaint body's copy is cut for it (tests/api/test_personal_data.py) and names this one.
    cut = client.get(f"/v1/administrative-files/{sha}", headers=tokens.reader(Role.COMPLAINT_BODY))
    assert json.loads(read_zip(cut.content)[MANIFEST])["subject"]["cut_from"] == sha
