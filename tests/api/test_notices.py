"""§8, §10-§14, Std 5: over HTTP, on both stores, every act the Rules communicate leaves its
notice in the applicant's personal account (and an SMS where declared), in the act's own
transaction; the applicant sees only their own; no other role reads the account."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from api.notice_delivery import Deliverer
from api.sms_gateway import FileSink, HttpGateway
from demo.synthetic import document, make_form
from domain import acts
from domain.values import Check, DocumentKind, Role
from tests.api.conftest import Tokens
from tests.api.test_complaints import complaint, forward
from tests.api.test_consideration import hearing_held, hearing_notice, sanitary
from tests.api.test_list_acts import flat
from tests.api.walk import APPENDIX_3_SIGNED, MISSING, Walk, at
from tests.integration.sms_gateway import Gateway, running_gateway

DECIDED = {"outcome": "upheld", "reasons": "Unlawful request.", "remedy": "none"}


def declared_and_written(
    walk: Walk, app_id: str
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per version of the application: the channels its act declares, and the outbox's."""
    wl = walk.tokens.services.waiting_list
    declared: dict[int, set[str]] = defaultdict(set)
    for event in wl.events.get(UUID(app_id)):
        act = acts.BY_EVENT[type(event).__name__]
        if act.notice is not None:
            declared[event.originator_version] = {c.value for c in act.notice.channels}
    written: dict[int, set[str]] = defaultdict(set)
    for row in wl.recorder.outbox.of_application(app_id):  # type: ignore[attr-defined]
        written[row["version"]] = {"account", "sms"} if row["sms_status"] else {"account"}
    return dict(declared), dict(written)


def written_rows(walk: Walk, app_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = walk.tokens.services.waiting_list.recorder.outbox.of_application(  # type: ignore[attr-defined]
        app_id
    )
    return rows


def subjects(walk: Walk, app_id: str) -> list[str]:
    answer = walk.client.get("/v1/me/notices", headers=walk.applicant(app_id))
    assert answer.status_code == 200, answer.text
    return [n["subject"] for n in answer.json()["notices"] if n["application_id"] == app_id]


def test_every_communicated_act_leaves_its_notice_in_the_account_p8_p13_std5(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    body = tokens.reader(Role.COMPLAINT_BODY)
    seen: set[str] = set()

    # Registered, updated, complained, offered and housed.
    form = make_form(1)
    housed = walk.registered(form)
    mine = walk.applicant(housed)
    update = {
        "applicant_iin": form.applicant_iin, "reason": "New job.", "grounds_arose_on": "2024-03-15",
        "documents": [document(DocumentKind.OTHER, "work record").model_dump(mode="json")],
        **APPENDIX_3_SIGNED,
    }  # fmt: skip
    walk.act(housed, "update-data", mine, effective_at=at("19"), update=update)
    walk.act(housed, "complaints", mine, status=201, complaint=complaint())
    walk.act(housed, "complaints/c1/satisfy", walk.officer, action_taken="Withdrawn.")
    walk.act(housed, "complaints", mine, status=201, complaint=complaint())
    walk.act(housed, "complaints/c2/forward", walk.head, **forward())
    walk.act(housed, "complaints/c2/decide", body, **DECIDED)
    walk.act(housed, "offers", walk.officer, status=201, effective_at=at("20"), dwelling=flat())
    walk.act(housed, "offers/o1/provide", walk.head, effective_at=at("20", "11:00"), reasons="Ok.")

    # Incomplete, corrected, still incomplete, not considered further.
    ended = walk.accepted_incomplete(2)
    walk.act(
        ended, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"), missing=MISSING
    )
    walk.act(ended, "correct", walk.applicant(ended), effective_at=at("19"), documents=[sanitary()])
    walk.act(
        ended,
        "find-still-incomplete",
        walk.officer,
        effective_at=at("19", "11:00"),
        missing=MISSING,
    )
    reasons = {"reasons": "Not corrected."}
    walk.act(ended, "refuse-further-consideration", walk.head, effective_at=at("26"), **reasons)

    # Grounds found, heard, refused.
    refused = walk.verified(make_form(3), failing=Check.NO_HOUSING_OWNED)
    walk.act(
        refused,
        "schedule-hearing",
        walk.officer,
        effective_at=at("18", "13:00"),
        **hearing_notice(),
    )
    record = hearing_held("I do not own it.", "refusal", "The register is clear.")
    walk.act(refused, "hold-hearing", walk.head, effective_at=at("19", "15:30"), **record)
    refusal = {"ground": "non_compliance", "reasons": "Owns a flat."}
    walk.act(refused, "refuse", walk.head, effective_at=at("19", "16:00"), **refusal)

    # Registered, then taken off the list.
    # Registered, passed to the spouse (who is told, on their own phone), taken off the list.
    family = make_form(4, family_size=1)
    gone = walk.registered(family, filed="10:30")
    spouse = family.family[0].iin
    walk.act(gone, "pass-place", walk.head, cause="death", successor_iin=spouse,
             reasons="Died.", successor_phone="+77019998877")  # fmt: skip
    walk.act(gone, "deregister", walk.head, ground="moved_away", reasons="Moved away.")
    walk.forms[gone] = family.model_copy(update={"applicant_iin": spouse})
    (passed,) = [r for r in written_rows(walk, gone) if r["subject"] == "place_passed"]
    assert passed["phone"] == "+77019998877"
    assert passed["addressee"] == tokens.services.waiting_list.identity.applicant_ref(spouse)

    for app_id in (housed, ended, refused, gone):
        declared, written = declared_and_written(walk, app_id)
        assert written == declared
        seen |= set(subjects(walk, app_id))
    expected = {a.notice.subject for a in acts.ALL if a.notice is not None} | {"grounds_found"}
    assert seen == expected
    assert "notice.registered" not in str(subjects(walk, gone))  # words, not message ids


def test_an_applicant_reads_only_their_own_notices_and_opens_them_once_p11(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    first = walk.registered(make_form(1))
    second = walk.registered(make_form(2), filed="10:30")
    mine, theirs = walk.applicant(first), walk.applicant(second)

    page = client.get("/v1/me/notices?limit=2", headers=mine).json()
    assert page["unread"] == 3
    assert [n["subject"] for n in page["notices"]] == ["registered", "verified"]
    assert {n["application_id"] for n in page["notices"]} == {first}
    assert page["notices"][0]["sms"]["status"] == "pending"
    assert "queue" in page["notices"][0]["body"] or "кезек" in page["notices"][0]["body"]
    rest = client.get(f"/v1/me/notices?limit=2&cursor={page['next_cursor']}", headers=mine)
    assert [n["subject"] for n in rest.json()["notices"]] == ["accepted"]
    assert rest.json()["next_cursor"] is None

    notice = page["notices"][0]["notice_id"]
    assert client.post(f"/v1/me/notices/{notice}/read", headers=theirs).status_code == 404
    opened = client.post(f"/v1/me/notices/{notice}/read", headers=mine)
    assert opened.status_code == 200, opened.text
    again = client.post(f"/v1/me/notices/{notice}/read", headers=mine)
    assert again.json()["opened_at"] == opened.json()["opened_at"]
    after = client.get("/v1/me/notices", headers=mine).json()
    assert after["unread"] == 2
    assert after["notices"][0]["opened_at"] == opened.json()["opened_at"]


def test_no_role_but_the_applicant_reads_a_personal_account(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.registered(make_form(1))
    notice = client.get("/v1/me/notices", headers=walk.applicant(app_id)).json()["notices"][0]
    for role in (Role.OFFICER, Role.HEAD, Role.AUDITOR, Role.COURT, Role.COMPLAINT_BODY):
        headers = tokens.staff(role) if role in (Role.OFFICER, Role.HEAD) else tokens.reader(role)
        assert client.get("/v1/me/notices", headers=headers).status_code == 403
        read = client.post(f"/v1/me/notices/{notice['notice_id']}/read", headers=headers)
        assert read.status_code == 403
    assert client.get("/v1/me/notices").status_code == 401
    assert (
        client.get("/v1/me/notices?cursor=nonsense!", headers=walk.applicant(app_id)).status_code
        == 422
    )


def test_staff_and_courts_see_which_notice_went_out_and_when_it_was_received_p11(
    client: TestClient, tokens: Tokens, tmp_path: Path
) -> None:
    walk = Walk(client, tokens)
    registered = walk.registered(make_form(1))
    ledger = tokens.services.waiting_list
    Deliverer(ledger, FileSink(tmp_path / "sms.jsonl")).run_once()  # registration's SMS
    incomplete = walk.accepted_incomplete(2)
    walk.act(incomplete, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"),
             missing=MISSING)  # fmt: skip
    with running_gateway(Gateway(status=400)) as refusing:  # the incompleteness SMS: refused
        gateway = HttpGateway(refusing.url)
        Deliverer(ledger, gateway).run_once()
        gateway.close()
    mine = walk.applicant(registered)
    newest = client.get("/v1/me/notices", headers=mine).json()["notices"][0]
    opened = client.post(f"/v1/me/notices/{newest['notice_id']}/read", headers=mine).json()

    head = ledger.recorder.max_notification_id()
    trail = client.get(f"/v1/applications/{registered}/audit?at_least={head}", headers=walk.officer)
    notices = {a["event"]: a["notice"] for a in trail.json()["acts"]}
    assert notices["Applied"] is None
    assert (notices["Accepted"]["subject"], notices["Accepted"]["sms"]) == ("accepted", "")
    sent = notices["Registered"]
    assert (sent["sms"], sent["sms_attempts"], sent["opened_at"]) == (
        "delivered", 1, opened["opened_at"]
    )  # fmt: skip
    other = client.get(f"/v1/applications/{incomplete}/audit", headers=walk.officer).json()
    told = next(a["notice"] for a in other["acts"] if a["event"] == "NotifiedIncomplete")
    assert told["sms"] == "not delivered"
    assert "400" in told["sms_failure"]
    assert told["term_from_receipt"].startswith("correction term to 2024-03-20, counted from its")

    bundle = client.get(f"/v1/applications/{registered}/export", headers=tokens.reader(Role.COURT))
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as files:
        page = files.read("rendered/audit-trail.html").decode()
    assert "registered: personal account" in page
    assert "SMS delivered" in page
    assert "not opened" in page  # the acceptance's notice
