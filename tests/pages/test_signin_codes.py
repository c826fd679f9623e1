"""The applicant's sign-in by a one-time code sent by SMS to the phone on the application:
6 digits, 5 minutes, at most 5 tries, 3 codes an hour per IIN, and the same answer whether or
not the IIN has an application (docs/pages.md, "Signing in")."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.services import Services
from demo.synthetic import make_form
from domain.forms import ApplicationForm
from tests.api.conftest import Tokens
from tests.api.walk import Walk
from tests.pages.session import csrf_of, sent

CODE = re.compile(r"\b([0-9]{6})\b")


def filed(walk: Walk, *serials: int) -> list[ApplicationForm]:
    """Applications filed, and in the views (where the sign-in finds the phone)."""
    forms = [make_form(n) for n in serials]
    for form in forms:
        walk.file(form)
    services = walk.tokens.services
    assert services.wait_for(services.waiting_list.recorder.max_notification_id() or 0, 10)
    return forms


def ask(client: TestClient, iin: str) -> str:
    answer = client.post("/signin/code", data={"csrf": csrf_of(client, "/signin"), "iin": iin})
    assert answer.status_code == 200, answer.text
    return answer.text


def enter(client: TestClient, iin: str, code: str) -> int:
    data = {"csrf": csrf_of(client, "/signin"), "iin": iin, "code": code}
    return client.post("/signin/verify", data=data, follow_redirects=False).status_code


def test_the_code_goes_to_the_phone_on_the_application_and_signs_the_applicant_in(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    walk = Walk(client, tokens)
    (form,) = filed(walk, 7)
    ask(client, form.applicant_iin)
    (message,) = sent(services)
    assert message["to"] == form.phone
    assert form.applicant_iin not in message["text"]
    code = CODE.search(message["text"])
    assert code is not None
    assert enter(client, form.applicant_iin, code.group(1)) == 303
    assert client.get("/me").status_code == 200
    assert enter(client, form.applicant_iin, code.group(1)) == 401  # used up


def test_an_unknown_iin_gets_the_same_answer_and_no_sms(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    walk = Walk(client, tokens)
    (known,) = filed(walk, 8)
    unknown = make_form(9)
    said_known = ask(client, known.applicant_iin).replace(known.applicant_iin, "IIN")
    said_unknown = ask(client, unknown.applicant_iin).replace(unknown.applicant_iin, "IIN")
    assert CSRF_FREE(said_known) == CSRF_FREE(said_unknown)
    assert [m["to"] for m in sent(services)] == [known.phone]


def CSRF_FREE(page: str) -> str:  # noqa: N802
    return re.sub(r'name="(csrf|idempotency_key)" value="[^"]+"', "", page)


def test_three_codes_an_hour_then_none_and_five_tries_a_code(
    client: TestClient, tokens: Tokens, services: Services
) -> None:
    walk = Walk(client, tokens)
    (form,) = filed(walk, 10)
    for _ in range(4):
        ask(client, form.applicant_iin)
    assert len(sent(services)) == 3
    code = CODE.search(sent(services)[-1]["text"])
    assert code is not None
    wrong = f"{(int(code.group(1)) + 1) % 10**6:06d}"
    for _ in range(5):
        assert enter(client, form.applicant_iin, wrong) == 401
    assert enter(client, form.applicant_iin, code.group(1)) == 401  # no sixth try
    with services.database.transaction(write=False) as tx:
        kept = tx.fetchall("SELECT code_hash FROM kezek_signin_codes")
    assert all(code.group(1) not in str(row) for row in kept)
