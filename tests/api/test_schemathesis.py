"""schemathesis against the service's own OpenAPI document, on both stores.

Every operation of the document runs with generated data: its examples, valid cases and
invalid ones, as a caller each case draws (the head or an officer of almaty, a complaint body,
the applicant of a seeded application, or nobody), on a path id that is a seeded application's
more often than a generated one. No answer is a 5xx, a documented answer fits its schema and
an error is problem+json; that every answer is documented is pinned below as an expected
failure until the routes declare their problem responses.

The service is the `client` fixture's (its lifespan opened the WaitingList and the runner).
schemathesis loads the document the app serves at /openapi.json and reaches the same ASGI app
in process, without a lifespan of its own: `schemathesis.openapi.from_asgi` would start the
lifespan a second time (a second WaitingList and runner replacing app.state.services), and
`schemathesis.pytest.from_fixture` does not run on pytest 9.2 (it sets `Node._nodeid`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.auth import Principal
from api.services import Services
from cli.maintenance import sign
from demo.synthetic import complaint_body, make_form, officer
from domain import acts
from domain.records import ComplaintForm, Dwelling
from domain.values import ComplaintBody, ComplaintSubject, Role
from tests.integration.walk import local, register, submit

EXAMPLES = 10  # cases an operation
BASE_URL = "http://testserver"
PROBLEM = "application/problem+json"
CALLERS = ("head", "officer", "complaint_body", "applicant", "nobody")
# The seeded applications, the registered one twice as often, and a generated id.
TARGETS = ("generated", "filed", "registered", "registered", "offered")
SERIALS = {"filed": 1, "registered": 2, "offered": 3}  # make_form's serial of each


@dataclass
class Seeded:
    """A few applications in the service, and the tokens of the callers."""

    apps: dict[str, UUID]
    tokens: dict[str, str]  # by caller; "applicant:<target>" for each seeded applicant

    def headers(self, caller: str, target: str) -> dict[str, str]:
        if caller == "nobody":
            return {}
        if caller == "applicant":  # the applicant of the application aimed at
            caller = f"applicant:{target if target in self.apps else 'registered'}"
        return {"Authorization": f"Bearer {self.tokens[caller]}"}


def seed(services: Services) -> Seeded:
    """Filed; registered with complaint c1; registered on another list with offer o1; a signed
    checkpoint."""
    wl = services.waiting_list
    day = local(2024, 3, 18, 10)
    apps = {
        "filed": submit(wl, SERIALS["filed"], filed_at=day),
        "registered": submit(wl, SERIALS["registered"], filed_at=day),
        "offered": submit(wl, SERIALS["offered"], filed_at=day, list_code="large_families"),
    }
    applicants = {name: wl.applicant(make_form(n).applicant_iin) for name, n in SERIALS.items()}
    register(wl, apps["registered"], day=day + timedelta(hours=1))
    complaint = ComplaintForm(
        subject=ComplaintSubject.ACTION, filed_with=ComplaintBody.PROVIDER, text="Needless."
    )
    wl.perform(
        acts.FILE_COMPLAINT,
        apps["registered"],
        actor=applicants["registered"],
        effective_at=day + timedelta(hours=3),
        complaint=complaint,
    )
    register(wl, apps["offered"], day=day + timedelta(hours=1))
    flat = Dwelling(address="Almaty, Samal, block 12", rooms=2, useful_area_m2=Decimal("48.50"))
    wl.perform(
        acts.OFFER_HOUSING,
        apps["offered"],
        actor=officer("almaty"),
        effective_at=day + timedelta(hours=2),
        dwelling=flat,
    )
    principals = {
        "head": Principal("head-almaty", Role.HEAD, "almaty"),
        "officer": Principal("officer-almaty", Role.OFFICER, "almaty"),
        "complaint_body": Principal(complaint_body().id, Role.COMPLAINT_BODY),
        **{f"applicant:{name}": Principal(a.id, Role.APPLICANT) for name, a in applicants.items()},
    }
    head = wl.recorder.max_notification_id()
    assert head is not None
    assert services.wait_for(head, 10)
    sign(wl, services.database, lambda _: None)  # a checkpoint of the transparency log
    return Seeded(
        apps=apps, tokens={name: services.tokens.issue(p) for name, p in principals.items()}
    )


def aim(case: schemathesis.Case[Any], seeded: Seeded, target: str) -> None:
    """Point the case's path at a seeded application (its offer o1, its complaint c1)."""
    if target not in seeded.apps:
        return
    seeded_ids = {
        "application_id": str(seeded.apps[target]),
        "offer_id": "o1",
        "complaint_id": "c1",
    }
    for name, value in seeded_ids.items():
        if name in case.path_parameters:
            case.path_parameters[name] = value


# Requests that once answered 500 (fixed in api/routes/replaying.py: bounded ints and moments);
# kept as regression cases: each must now answer a 4xx problem.
FORMER_500S = {
    "inclusion past a SQLite INTEGER": (
        "/v1/transparency/inclusion?position=9223372036854775808&size=1"
    ),
    "a list as of year 1 east of UTC": (
        "/v1/queues/almaty/socially_vulnerable/as-of?at=0001-01-01T00:00:00%2B05:00"
    ),
    "an application as of year 9999 west of UTC": (
        "/v1/applications/{registered}/as-of?at=9999-12-31T23:59:59-05:00"
    ),
    "a position as of year 1 east of UTC": (
        "/v1/applications/{registered}/position/as-of?at=0001-01-01T00:00:00%2B05:00"
    ),
}


@pytest.fixture(autouse=True)
def signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEZEK_SIGNING_KEY", "22" * 32)  # for tests only: the checkpoint's key


def problem_fault(response: schemathesis.Response) -> str | None:
    """An error that is not problem+json naming its own status (api/problems.py), or None."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    if content_type != PROBLEM:
        return f"{response.status_code} answered as {content_type}"
    body = response.json()
    if not isinstance(body, dict) or body.get("status") != response.status_code:
        return f"{response.status_code} answered with {body}"
    if not all(isinstance(body.get(key), str) for key in ("type", "title", "detail")):
        return f"{response.status_code} answered with {body}"
    return None


def exercise(client: TestClient, services: Services, checks: list[Any], examples: int) -> list[str]:
    """Run every operation of the served document; what failed, one entry an operation."""
    document: dict[str, Any] = client.get("/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    seeded = seed(services)
    # Not entered (no lifespan of its own): the client fixture's runs the service.
    session = asgi.get_client(cast(Any, client.app))
    failures: list[str] = []
    operations = 0
    # The reads first, while the seeded applications are as seeded; then the acts.
    all_operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        all_operations.append(result.ok())
    for operation in sorted(all_operations, key=lambda op: op.method.upper() != "GET"):
        operations += 1
        cases = st.one_of(
            *schema.get_strategies_from_examples(operation),
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=cases, caller=st.sampled_from(CALLERS), target=st.sampled_from(TARGETS))
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case[Any], caller: str, target: str) -> None:
            aim(case, seeded, target)
            headers = seeded.headers(caller, target)
            try:
                response = case.call(base_url=BASE_URL, session=session, headers=headers)
            except Exception as error:  # the app raised: a real server answers 500
                curl = case.as_curl_command(headers, base_url=BASE_URL)
                raise AssertionError(f"500: the app raised {error!r}\n{curl}") from error
            case.validate_response(response, checks=checks)
            fault = problem_fault(response)
            assert fault is None, f"{fault}\n{case.as_curl_command(headers, base_url=BASE_URL)}"

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # every operation's failures
            failures.append(f"{operation.label}: {error}")
    assert operations == sum(len(methods) for methods in document["paths"].values())
    return failures


def test_no_operation_fails_or_answers_outside_its_schema(
    client: TestClient, services: Services
) -> None:
    """No 5xx; a documented answer fits its schema; an error is problem+json."""
    failures = exercise(
        client, services, [not_a_server_error, response_schema_conformance], EXAMPLES
    )
    assert not failures, "\n\n".join(failures)


def test_every_answer_is_declared_in_the_document(client: TestClient, services: Services) -> None:
    """Each status code and media type answered is one the operation declares."""
    failures = exercise(
        client, services, [status_code_conformance, content_type_conformance], EXAMPLES
    )
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("name", list(FORMER_500S))
def test_requests_that_once_answered_500_are_now_refused_as_bad_input(
    name: str, client: TestClient, services: Services
) -> None:
    """The minimal requests that answered 500 before their fix."""
    seeded = seed(services)
    response = client.get(
        FORMER_500S[name].format(registered=seeded.apps["registered"]),
        headers=seeded.headers("head", "registered"),
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
