"""Pages act through the same checks as the API: a form without this browser's CSRF token,
or posted by a role the act is not for, is refused and writes nothing (§10, §11 for the
correction walked here); the applicant's own correction through the form is recorded."""

from __future__ import annotations

from uuid import UUID

from fastapi.testclient import TestClient

from api.auth import Principal
from api.revocations import revoke
from api.services import Services
from domain.values import Role
from tests.api.conftest import Tokens
from tests.api.walk import MISSING, Walk, at
from tests.pages.session import csrf_of, sign_in_as

DOCUMENT = {
    "documents.0.kind": "sanitary_conclusion",
    "documents.0.title": "Sanitary conclusion",
}


def incomplete_case(client: TestClient, tokens: Tokens) -> tuple[Walk, str]:
    walk = Walk(client, tokens)
    app_id = walk.accepted_incomplete(1)
    walk.act(
        app_id, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"), missing=MISSING
    )
    return walk, app_id


def as_applicant(client: TestClient, services: Services, walk: Walk, app_id: str) -> None:
    ref = services.waiting_list.identity.applicant_ref(walk.forms[app_id].applicant_iin)
    sign_in_as(client, services.tokens.issue(Principal(subject=ref, role=Role.APPLICANT)))


def as_officer(client: TestClient, services: Services, subject: str, provider: str) -> None:
    officer = Principal(subject=subject, role=Role.OFFICER, provider=provider)
    sign_in_as(client, services.tokens.issue(officer))


def correct(client: TestClient, app_id: str, csrf: str | None) -> int:
    data = dict(DOCUMENT, idempotency_key="k-1")
    if csrf is not None:
        data["csrf"] = csrf
    files = {
        "documents.0.sha256": ("conclusion.pdf", b"%PDF-1.4 the conclusion", "application/pdf")
    }
    answer = client.post(
        f"/cases/{app_id}/acts/correct", data=data, files=files, follow_redirects=False
    )
    return answer.status_code


def test_a_correction_posted_without_the_forms_csrf_token_is_refused_and_writes_nothing(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    walk, app_id = incomplete_case(client, tokens)
    as_applicant(client, services, walk, app_id)
    before = walk.written()
    assert correct(client, app_id, None) == 403
    assert correct(client, app_id, "not-this-browsers-token") == 403
    assert walk.written() == before
    assert walk.state(app_id)["status"] == "incomplete"


def test_an_officer_posting_the_applicants_correction_is_refused_and_writes_nothing(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    walk, app_id = incomplete_case(client, tokens)
    as_officer(client, services, "officer-1", "almaty")
    before = walk.written()
    assert correct(client, app_id, csrf_of(client, "/work")) == 403
    assert walk.written() == before


def test_the_applicant_corrects_the_package_through_the_form_and_the_stage_moves(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    walk, app_id = incomplete_case(client, tokens)
    as_applicant(client, services, walk, app_id)
    assert correct(client, app_id, csrf_of(client, f"/cases/{app_id}/acts/correct")) == 303
    assert walk.state(app_id)["status"] == "corrected"
    me = client.get("/me?lang=en")
    assert "Corrected" in me.text


def test_a_page_for_another_role_is_refused_and_without_a_session_asks_to_sign_in(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    assert client.get("/work", follow_redirects=False).headers["location"] == "/signin"
    walk, app_id = incomplete_case(client, tokens)
    as_applicant(client, services, walk, app_id)
    assert client.get("/work").status_code == 403
    assert client.get(f"/cases/{app_id}").status_code == 403


def test_a_session_ends_at_sign_out_and_with_its_revoked_token(
    client: TestClient, services: Services
) -> None:
    officer = Principal(subject="officer-1", role=Role.OFFICER, provider="almaty")
    sign_in_as(client, services.tokens.issue(officer))
    cookie = client.cookies.get("kezek_session")
    assert cookie
    assert client.get("/work").status_code == 200
    client.post("/signout", data={"csrf": csrf_of(client, "/work")}, follow_redirects=False)
    client.cookies.set("kezek_session", cookie)  # the old cookie, replayed
    assert client.get("/work", follow_redirects=False).status_code == 303
    token = services.tokens.issue(officer)
    sign_in_as(client, token)
    assert client.get("/work").status_code == 200
    revoke(services.database, services.tokens.verify(token).jti)
    services.revocations.refresh()
    assert client.get("/work", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_httponly_and_lax_and_no_token_is_in_a_url(
    client: TestClient, services: Services
) -> None:
    officer = Principal(subject="officer-1", role=Role.OFFICER, provider="almaty")
    token = services.tokens.issue(officer)
    answer = client.post(
        "/signin/token",
        data={"csrf": csrf_of(client, "/signin"), "token": token},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert token not in answer.headers["location"]


def test_an_act_form_of_another_providers_case_is_refused(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    _, app_id = incomplete_case(client, tokens)
    as_officer(client, services, "officer-9", "astana")
    assert client.get(f"/cases/{app_id}/acts/find-complete").status_code == 403


def test_a_correction_form_takes_several_documents_and_records_each(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    """§11: the corrected package may bring more than one document; the form offers slots."""
    walk, app_id = incomplete_case(client, tokens)
    as_applicant(client, services, walk, app_id)
    form = client.get(f"/cases/{app_id}/acts/correct?lang=en").text
    assert 'name="documents.2.title"' in form
    assert 'name="documents.3.title"' not in form
    data = dict(
        DOCUMENT, idempotency_key="k-2", csrf=csrf_of(client, f"/cases/{app_id}/acts/correct")
    )
    data |= {"documents.1.kind": "certificate_from_work", "documents.1.title": "From work"}
    files = {
        "documents.0.sha256": ("conclusion.pdf", b"%PDF-1.4 the conclusion", "application/pdf"),
        "documents.1.sha256": ("income.pdf", b"%PDF-1.4 the income", "application/pdf"),
    }
    answer = client.post(
        f"/cases/{app_id}/acts/correct", data=data, files=files, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    app = services.waiting_list.application(UUID(app_id))
    titles = {d.title for d in app.documents}
    assert {"Sanitary conclusion", "From work"} <= titles
