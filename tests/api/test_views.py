"""The query endpoints on both stores: position history, audit trail, the public list and the
provider's deadlines, with who may read them and the errors a caller can meet."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.services import Services
from demo.synthetic import make_form, officer
from domain import acts
from domain.values import Role
from tests.api.conftest import Tokens
from tests.integration.walk import deregister, local, register, submit

MISSING = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Ledger:
    a: UUID  # registered, moved back by b, forward again when b leaves
    b: UUID  # filed earlier than a, registered after it, then deregistered
    late: UUID  # its completeness check done after the term
    idle: UUID  # accepted, then nothing: its terms run on


@pytest.fixture
def ledger(services: Services) -> Ledger:
    wl = services.waiting_list
    a = submit(wl, 1, filed_at=local(2024, 3, 18, 10))
    b = submit(wl, 2, filed_at=local(2024, 3, 18, 9))
    register(wl, a, day=local(2024, 3, 18, 11))
    register(wl, b, day=local(2024, 3, 18, 12))
    deregister(wl, b, local(2024, 4, 1, 15))
    late = submit(wl, 3, filed_at=local(2024, 4, 1, 10))
    wl.perform(acts.ACCEPT, late, actor=officer("almaty"), effective_at=local(2024, 4, 1, 11))
    wl.perform(
        acts.FIND_COMPLETE, late, actor=officer("almaty"), effective_at=local(2024, 4, 8, 11)
    )
    idle = submit(wl, 4, filed_at=local(2024, 4, 1, 10), provider="almaty")
    wl.perform(acts.ACCEPT, idle, actor=officer("almaty"), effective_at=local(2024, 4, 1, 11))
    head = wl.recorder.max_notification_id()
    assert head is not None
    assert services.wait_for(head, 10)
    return Ledger(a, b, late, idle)


def applicant(tokens: Tokens, serial: int) -> dict[str, str]:
    return tokens.applicant(make_form(serial).applicant_iin)


# -- position history ---------------------------------------------------------------------


def test_the_history_names_every_change_and_its_cause(
    client: TestClient, tokens: Tokens, ledger: Ledger
) -> None:
    response = client.get(f"/v1/applications/{ledger.a}/history", headers=applicant(tokens, 1))
    assert response.status_code == 200, response.text
    changes = response.json()["changes"]
    steps = [
        (c["old_position"], c["new_position"], c["cause"], c["other_application_id"])
        for c in changes
    ]
    assert steps == [
        (None, 1, "Registered", None),
        (1, 2, "Registered", str(ledger.b)),
        (2, 1, "Deregistered:moved_away", str(ledger.b)),
    ]
    assert [c["event_version"] for c in changes] == [5, 5, 6]
    assert [c["own"] for c in changes] == [True, False, False]
    assert changes[2]["effective_at"].startswith("2024-04-01T10:00")  # 15:00 in Almaty
    assert changes[0]["seq"] < changes[1]["seq"] < changes[2]["seq"]
    assert changes[2]["recorded_at"] >= changes[2]["effective_at"]


def test_the_history_is_for_its_readers_only(
    client: TestClient, tokens: Tokens, ledger: Ledger
) -> None:
    url = f"/v1/applications/{ledger.a}/history"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=applicant(tokens, 2)).status_code == 403
    assert client.get(url, headers=tokens.staff(Role.OFFICER, "astana")).status_code == 403
    for reader in (tokens.staff(Role.HEAD), tokens.reader(Role.COURT)):
        assert client.get(url, headers=reader).status_code == 200
    missing = client.get(f"/v1/applications/{MISSING}/history", headers=applicant(tokens, 1))
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    malformed = client.get("/v1/applications/not-a-uuid/history", headers=applicant(tokens, 1))
    assert malformed.status_code == 422


# -- audit trail --------------------------------------------------------------------------


def test_the_audit_trail_says_who_did_what_when_and_whether_on_time(
    client: TestClient, tokens: Tokens, ledger: Ledger
) -> None:
    response = client.get(
        f"/v1/applications/{ledger.late}/audit", headers=tokens.reader(Role.AUDITOR)
    )
    assert response.status_code == 200, response.text
    acts = response.json()["acts"]
    assert [a["event"] for a in acts] == ["Applied", "Accepted", "FoundComplete"]
    applied, accepted, complete = acts
    assert applied["who"]["role"] == "applicant"
    assert applied["who"]["id"].startswith("app-")  # the keyed reference, never the IIN
    assert accepted["who"] == {"id": "officer-almaty-1", "role": "officer", "provider": "almaty"}
    assert accepted["basis"]
    assert complete["deadline"] == {
        "kind": "completeness_check",
        "due_on": "2024-04-03",
        "status": "missed",
        "late_by": 3,  # 4, 5 and 8 April
    }
    assert complete["effective_at"] == "2024-04-08T06:00:00Z"  # 11:00 in Almaty (UTC+5)
    assert [a["version"] for a in acts] == [1, 2, 3]
    assert make_form(3).applicant_iin not in response.text


def test_the_audit_trail_keeps_decision_reasons(
    client: TestClient, tokens: Tokens, ledger: Ledger
) -> None:
    response = client.get(f"/v1/applications/{ledger.b}/audit", headers=applicant(tokens, 2))
    assert response.status_code == 200, response.text
    last = response.json()["acts"][-1]
    assert last["event"] == "Deregistered"
    assert last["reasons"] == "moved to Astana"
    assert last["who"]["role"] == "head"


def test_the_audit_trail_is_for_its_readers_only(
    client: TestClient, tokens: Tokens, ledger: Ledger
) -> None:
    url = f"/v1/applications/{ledger.a}/audit"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer forged"}).status_code == 401
    assert client.get(url, headers=applicant(tokens, 2)).status_code == 403
    assert client.get(url, headers=tokens.staff(Role.OFFICER, "astana")).status_code == 403
    for reader in (
        applicant(tokens, 1),
        tokens.staff(Role.OFFICER),
        tokens.reader(Role.COMPLAINT_BODY),
        tokens.reader(Role.COURT),
        tokens.reader(Role.AUDITOR),
    ):
        assert client.get(url, headers=reader).status_code == 200
    missing = client.get(f"/v1/applications/{MISSING}/audit", headers=tokens.reader(Role.COURT))
    assert missing.status_code == 404


# -- the public list ----------------------------------------------------------------------


def test_the_public_list_needs_no_token_and_shows_no_one(
    client: TestClient, ledger: Ledger
) -> None:
    response = client.get("/v1/queues/almaty/socially_vulnerable")
    assert response.status_code == 200, response.text
    page = response.json()
    assert (page["total"], page["pages"], page["page"], page["size"]) == (1, 1, 1, 50)
    assert page["lines"] == [
        {
            "position": 1,
            "application_id": str(ledger.a),
            "priority_moment": "2024-03-18T05:00:00Z",
            "category_code": make_form(1).category_code,
            "offer_open": False,
        }
    ]
    for serial in (1, 2):
        form = make_form(serial)
        assert form.applicant_iin not in response.text
        assert form.applicant_name not in response.text


def test_the_public_list_pages(client: TestClient, services: Services) -> None:
    wl = services.waiting_list
    ids = [submit(wl, n, filed_at=local(2024, 3, 18, 9, n)) for n in range(1, 6)]
    for app_id in ids:
        register(wl, app_id, day=local(2024, 3, 18, 11))
    assert services.wait_for(wl.recorder.max_notification_id() or 0, 10)
    second = client.get("/v1/queues/almaty/socially_vulnerable?page=2&size=2").json()
    assert (second["total"], second["pages"]) == (5, 3)
    assert [line["position"] for line in second["lines"]] == [3, 4]
    assert [line["application_id"] for line in second["lines"]] == [str(i) for i in ids[2:4]]
    beyond = client.get("/v1/queues/almaty/socially_vulnerable?page=4&size=2").json()
    assert beyond["lines"] == []
    empty = client.get("/v1/queues/astana/veterans").json()
    assert (empty["total"], empty["lines"]) == (0, [])


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/v1/queues/nowhere/socially_vulnerable", 404),
        ("/v1/queues/almaty/no_such_list", 404),
        ("/v1/queues/almaty/socially_vulnerable?page=0", 422),
        ("/v1/queues/almaty/socially_vulnerable?size=0", 422),
        ("/v1/queues/almaty/socially_vulnerable?size=501", 422),
        ("/v1/queues/almaty/socially_vulnerable?page=one", 422),
    ],
)
def test_the_public_list_errors(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


# -- deadlines ----------------------------------------------------------------------------


def test_running_and_overdue_deadlines_of_a_provider(
    client: TestClient, tokens: Tokens, ledger: Ledger
) -> None:
    url = "/v1/providers/almaty/deadlines"
    officer_token = tokens.staff(Role.OFFICER)
    running = client.get(f"{url}?as_of=2024-04-02", headers=officer_token)
    assert running.status_code == 200, running.text
    body = running.json()
    assert (body["provider"], body["overdue"], body["as_of"]) == ("almaty", False, "2024-04-02")
    terms = {(d["application_id"], d["kind"]): d for d in body["deadlines"]}
    assert set(terms) == {
        (str(ledger.idle), "completeness_check"),
        (str(ledger.idle), "consideration"),
        (str(ledger.late), "verification"),
        (str(ledger.late), "consideration"),
    }
    assert [d["due_on"] for d in body["deadlines"]] == sorted(d["due_on"] for d in terms.values())
    check = terms[(str(ledger.idle), "completeness_check")]
    assert (check["due_on"], check["working_days"], check["overdue_by"]) == ("2024-04-03", 2, None)
    assert check["party"] == "provider"
    overdue = client.get(f"{url}?overdue=true&as_of=2024-04-10", headers=officer_token).json()
    assert [(d["kind"], d["overdue_by"]) for d in overdue["deadlines"]] == [
        ("completeness_check", 5)  # 4, 5, 8, 9 and 10 April
    ]
    today = client.get(f"{url}?overdue=true", headers=officer_token).json()
    assert len(today["deadlines"]) == 4  # today (no as_of): every one of them long overdue
    assert all(d["overdue_by"] > 0 for d in today["deadlines"])


def test_deadlines_are_for_oversight_only(
    client: TestClient, tokens: Tokens, ledger: Ledger
) -> None:
    url = "/v1/providers/almaty/deadlines"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=applicant(tokens, 1)).status_code == 403
    assert client.get(url, headers=tokens.staff(Role.OFFICER, "astana")).status_code == 403
    for reader in (
        tokens.staff(Role.HEAD),
        tokens.reader(Role.COMPLAINT_BODY),
        tokens.reader(Role.COURT),
        tokens.reader(Role.AUDITOR),
    ):
        assert client.get(url, headers=reader).status_code == 200
    court = tokens.reader(Role.COURT)
    assert client.get("/v1/providers/nowhere/deadlines", headers=court).status_code == 404
    assert client.get(f"{url}?overdue=maybe", headers=court).status_code == 422
    assert client.get(f"{url}?as_of=yesterday", headers=court).status_code == 422
    assert client.get(f"{url}?as_of=9999-12-31", headers=court).status_code == 422


def test_the_views_answer_503_when_the_database_is_gone(
    client: TestClient, services: Services, ledger: Ledger
) -> None:
    database = services.database
    services.runner.stop()
    database.close()
    if database.dialect == "sqlite":
        database.env["SQLITE_DBNAME"] = "/nonexistent/dir/kezek.db"
    else:
        database.env["POSTGRES_PORT"] = "1"
    response = client.get("/v1/queues/almaty/socially_vulnerable")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
