"""Facts a caller cannot bend (issue 13), over HTTP on both stores: the server's time, acts
dated back only by staff and only so far, and decisions within the bounds of the Rules. Every
refused request writes nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.auth import Principal
from demo.synthetic import make_form
from domain.clock import ScenarioClock
from domain.iin import make_iin
from domain.values import Role
from tests.api.conftest import Tokens
from tests.api.test_complaints import forward
from tests.api.test_consideration import hearing_notice, sanitary
from tests.api.walk import MISSING, Walk, at


@pytest.fixture
def walk(client: TestClient, tokens: Tokens) -> Walk:
    return Walk(client, tokens)


@pytest.fixture
def raw(raw_client: TestClient, tokens: Tokens) -> Walk:
    """Bodies sent as written: the moments in them reach the service."""
    return Walk(raw_client, tokens)


def stand_at(clock: ScenarioClock, moment: str) -> None:
    """The service's clock stands at `moment` and no longer follows what is asked."""
    clock.follows = False
    clock.set(datetime.fromisoformat(moment))


def refused_filing(walk: Walk, headers: dict[str, str], status: int, **extra: Any) -> Any:
    before = walk.written()
    body = {"provider": "almaty", "form": make_form(40).model_dump(mode="json"), **extra}
    response = walk.client.post("/v1/applications", json=body, headers=headers)
    assert response.status_code == status, response.text
    assert walk.written() == before
    return response.json()


def test_an_applicant_cannot_date_the_filing_that_fixes_their_priority(
    raw: Walk, tokens: Tokens
) -> None:
    applicant = tokens.applicant(make_form(40).applicant_iin)
    problem = refused_filing(raw, applicant, 422, filed_at="2023-01-10T10:00:00+05:00")
    assert problem["errors"][0]["field"] == "body.filed_at"
    problem = refused_filing(raw, applicant, 422, received_at="2024-03-18T10:00:00+05:00")
    assert problem["errors"][0]["field"] == "body.received_at"


def test_the_portal_states_its_receipt_at_most_24_hours_back(
    raw: Walk, tokens: Tokens, clock: ScenarioClock
) -> None:
    stand_at(clock, at("19", "09:00"))
    portal = tokens.header(Principal(subject="egov-portal", role=Role.PORTAL))
    refused_filing(raw, portal, 409, received_at=at("18", "08:59"))
    body = {"provider": "almaty", "received_at": at("18", "20:00")}
    body["form"] = make_form(40).model_dump(mode="json")
    filed = raw.client.post("/v1/applications", json=body, headers=portal)
    assert filed.status_code == 201, filed.text
    app = raw.state(filed.json()["application_id"])
    assert app["filed_at"].startswith("2024-03-18T15:00")  # 20:00 in Almaty, as UTC
    assert app["priority_moment"] == app["filed_at"]


def test_an_applicants_act_carries_no_moment(walk: Walk, raw: Walk) -> None:
    app_id = walk.accepted_incomplete(41)
    walk.act(app_id, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"),
             missing=MISSING)  # fmt: skip
    raw.forms = walk.forms
    problem = raw.fails(app_id, "correct", raw.applicant(app_id), 422,
                        effective_at=at("19"), documents=[sanitary()])  # fmt: skip
    assert problem["errors"][0]["field"] == "body.effective_at"


def test_staff_date_a_paper_act_back_only_with_a_reason_and_only_three_working_days(
    walk: Walk, raw: Walk, clock: ScenarioClock
) -> None:
    app_id = walk.file(make_form(42), at("11"))
    stand_at(clock, at("15", "12:00"))  # Friday; 3 working days back is Tuesday the 12th
    raw.broken_rule(app_id, "accept", raw.officer, "BackdatingWithoutReason", "time policy",
                    effective_at=at("12", "10:00"))  # fmt: skip
    raw.broken_rule(app_id, "accept", raw.officer, "BackdatedTooFar", "time policy",
                    effective_at=at("11", "12:00"), backdating_reason="on paper")  # fmt: skip
    raw.act(app_id, "accept?wait=true", raw.officer, effective_at=at("12", "10:00"),
            backdating_reason="accepted on paper while the system was down")  # fmt: skip
    (accepted,) = [a for a in audit(walk, app_id) if a["event"] == "Accepted"]
    assert accepted["effective_at"].startswith("2024-03-12T05:00")
    assert accepted["recorded_at"].startswith("2024-03-15T07:00")
    assert accepted["backdated_because"] == "accepted on paper while the system was down"


def audit(walk: Walk, app_id: str) -> list[dict[str, Any]]:
    response = walk.client.get(f"/v1/applications/{app_id}/audit", headers=walk.head)
    assert response.status_code == 200, response.text
    acts: list[dict[str, Any]] = response.json()["acts"]
    return acts


def test_backdating_never_rescues_a_term_and_the_auditors_report_shows_who_and_why(
    walk: Walk, raw: Walk, clock: ScenarioClock, tokens: Tokens
) -> None:
    app_id = walk.file(make_form(43), at("18"))
    walk.act(app_id, "accept", walk.officer, effective_at=at("18", "11:00"))
    # The completeness check was due on the 20th; recorded on the 26th, dated the 20th.
    stand_at(clock, at("26", "10:00"))
    raw.act(app_id, "find-complete?wait=true", raw.officer, effective_at=at("20", "17:00"),
            backdating_reason="checked on paper on the 20th")  # fmt: skip
    (found,) = [a for a in audit(walk, app_id) if a["event"] == "FoundComplete"]
    assert found["deadline"]["kind"] == "completeness_check"
    assert found["deadline"]["status"] == "missed"  # judged on the day it was recorded
    report = walk.client.get("/v1/audit/recorded-apart", headers=tokens.reader(Role.AUDITOR))
    assert report.status_code == 200, report.text
    (gap,) = [a for a in report.json()["acts"] if a["application_id"] == app_id]
    assert gap["event"] == "FoundComplete"
    assert gap["who"]["id"] == "officer-1"
    assert gap["backdated_because"] == "checked on paper on the 20th"
    assert gap["apart_seconds"] > 3600
    astana = walk.client.get(
        "/v1/audit/recorded-apart?provider=astana", headers=tokens.reader(Role.COURT)
    )
    assert [a for a in astana.json()["acts"] if a["application_id"] == app_id] == []


def test_no_hearing_before_the_time_its_notice_gave(walk: Walk) -> None:
    app_id = walk.verified(make_form(44), failing=_housing())
    walk.act(app_id, "schedule-hearing", walk.officer, effective_at=at("19", "11:00"),
             **hearing_notice("20"))  # fmt: skip
    walk.broken_rule(app_id, "hold-hearing", walk.officer, "HearingBeforeItsTime", "§13",
                     effective_at=at("20", "09:00"), **_held())  # fmt: skip


def _housing() -> Any:
    from domain.values import Check

    return Check.NO_HOUSING_OWNED


def _held() -> dict[str, Any]:
    return {"applicant_position": "sold", "outcome": "refusal", "reasons": "not registered"}


def test_a_refusal_rests_on_the_ground_that_was_heard(walk: Walk) -> None:
    app_id = walk.verified(make_form(45), failing=_housing())
    notice = hearing_notice("20")
    walk.act(app_id, "schedule-hearing", walk.officer, effective_at=at("19", "11:00"), **notice)
    held_at = notice["notice"]["hearing_at"]
    walk.act(app_id, "hold-hearing", walk.officer, effective_at=held_at, **_held())
    other = (
        "unreliable_documents" if notice["ground"] != "unreliable_documents" else "non_compliance"
    )
    walk.broken_rule(app_id, "refuse", walk.head, "RefusalOnUnheardGround", "§13",
                     effective_at=at("20", "16:00"), ground=other, reasons="no")  # fmt: skip


def test_a_correction_must_bring_what_the_notice_named_and_the_officer_finds_it(
    walk: Walk,
) -> None:
    app_id = walk.accepted_incomplete(46)
    walk.act(app_id, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"),
             missing=MISSING)  # fmt: skip
    photo = {"kind": "other", "title": "holiday photo", "sha256": "a" * 64}
    walk.broken_rule(app_id, "correct", walk.applicant(app_id), "CorrectionBringsNothingNamed",
                     "§10", effective_at=at("19"), documents=[photo])  # fmt: skip
    walk.act(app_id, "correct", walk.applicant(app_id), effective_at=at("19"),
             documents=[sanitary()])  # fmt: skip
    still = walk.act(app_id, "find-still-incomplete", walk.officer,
                     effective_at=at("19", "12:00"), missing=MISSING)  # fmt: skip
    assert still["status"] == "incomplete"


def test_complaints_are_about_the_providers_acts_and_decided_by_their_body(
    walk: Walk, tokens: Tokens
) -> None:
    app_id = walk.registered(make_form(47))
    mine = walk.applicant(app_id)
    own = {"subject": "action", "filed_with": "provider", "text": "no", "concerns_version": 1}
    walk.broken_rule(app_id, "complaints", mine, "ComplaintAboutOwnAct", "§14",
                     effective_at=at("19"), complaint=own)  # fmt: skip
    theirs = {**own, "concerns_version": 2, "filed_with": "provider"}
    walk.act(app_id, "complaints", mine, status=201, effective_at=at("19"), complaint=theirs)
    walk.act(app_id, "complaints/c1/forward", walk.head, effective_at=at("19", "11:00"),
             **{**forward(), "to_body": "higher_body"})  # fmt: skip
    decision = {"outcome": "rejected", "reasons": "lawful", "effective_at": at("20")}
    walk.fails(app_id, "complaints/c1/decide", tokens.reader(Role.COMPLAINT_BODY), 403, **decision)
    higher = tokens.header(Principal(subject="higher-body:almaty", role=Role.COMPLAINT_BODY))
    walk.act(app_id, "complaints/c1/decide", higher, **decision)


def test_a_priority_remedy_stays_within_what_the_record_supports(
    walk: Walk, tokens: Tokens
) -> None:
    born_2000 = make_iin(date(2000, 5, 5), "male", 48)  # of age on 5 May 2018
    app_id = walk.registered(make_form(48).model_copy(update={"applicant_iin": born_2000}))
    complaint = {"subject": "decision", "filed_with": "provider", "text": "earlier"}
    walk.act(app_id, "complaints", walk.applicant(app_id), status=201, effective_at=at("19"),
             complaint=complaint)  # fmt: skip
    remedy = {"outcome": "upheld", "reasons": "lost", "remedy": "correct_priority",
              "effective_at": at("20")}  # fmt: skip
    walk.broken_rule(app_id, "complaints/c1/decide", walk.head, "RemedyNotApplicable", "§14",
                     corrected_priority="1990-01-01T10:00:00+05:00", **remedy)  # fmt: skip
    walk.broken_rule(app_id, "complaints/c1/decide", walk.head, "RemedyNotApplicable", "§14",
                     restores_version=1, corrected_priority="1990-01-01T10:00:00+05:00",
                     earlier_than_filing_because="lost", **remedy)  # fmt: skip
    walk.broken_rule(app_id, "complaints/c1/decide", walk.head, "RemedyNotApplicable", "§14",
                     restores_version=1, corrected_priority=at("01"), **remedy)  # fmt: skip
    decided = walk.act(app_id, "complaints/c1/decide", walk.head, restores_version=1,
                       corrected_priority=at("01"), earlier_than_filing_because="paper filing",
                       **remedy)  # fmt: skip
    assert decided["queue_number"] == 1
