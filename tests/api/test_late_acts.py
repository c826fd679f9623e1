"""Acts the law still requires after their term (§13, §14), over HTTP on both stores: recorded
as late, with the reason, and shown as missed in the audit trail and the deadline monitor."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from demo.synthetic import make_form
from domain.values import Check
from tests.api.conftest import Tokens
from tests.api.walk import Walk, at


@pytest.fixture
def walk(client: TestClient, tokens: Tokens) -> Walk:
    return Walk(client, tokens)


def april(day: int, time: str = "10:00") -> str:
    return f"2024-04-{day:02d}T{time}:00+05:00"


def notice(day: int, late_because: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ground": "non_compliance",
        "reasons": "The register shows a flat owned by the applicant.",
        "notice": {"hearing_at": april(day, "15:00"), "place": "Almaty CSC, room 214"},
    }
    if late_because is not None:
        body["late_because"] = late_because
    return body


def missed(kind: str, due_on: str, late_by: int) -> dict[str, Any]:
    """The deadline of an audit entry shown missed by `late_by` working days."""
    return {"kind": kind, "due_on": due_on, "status": "missed", "late_by": late_by}


def audit(walk: Walk, app_id: str) -> dict[str, dict[str, Any]]:
    response = walk.client.get(f"/v1/applications/{app_id}/audit", headers=walk.officer)
    assert response.status_code == 200, response.text
    return {a["event"]: a for a in response.json()["acts"]}


def test_grounds_found_after_the_last_notice_day_are_heard_late_and_decided(walk: Walk) -> None:
    """§13: received 18 March 2024, term ends 11 April, last notice day 8 April; the
    verification finds grounds on 9 April. The notice is refused without a reason for its
    lateness (409, §13), recorded with one, and the refusal follows the hearing."""
    app_id = walk.file(make_form(41), at("18"))
    walk.act(app_id, "accept", walk.officer, effective_at=at("18", "12:00"))
    walk.act(app_id, "find-complete", walk.officer, effective_at=at("18", "12:01"))
    checks = walk.checks(app_id, failing=Check.NO_HOUSING_OWNED)
    walk.act(app_id, "verify?wait=true", walk.officer, effective_at=april(9), checks=checks)
    opened = walk.client.get(
        "/v1/providers/almaty/deadlines?as_of=2024-04-09", headers=walk.officer
    ).json()
    (term,) = [d for d in opened["deadlines"] if d["kind"] == "hearing_notice"]
    assert (term["due_on"], term["overdue_when_opened"]) == ("2024-04-08", 1)
    walk.broken_rule(
        app_id,
        "schedule-hearing",
        walk.officer,
        "HearingNoticeTooLate",
        "§13",
        effective_at=april(9, "11:00"),
        **notice(10),
    )
    late = notice(10, "The income register answered only on 9 April.")
    walk.act(app_id, "schedule-hearing", walk.officer, effective_at=april(9, "11:00"), **late)
    record = {"applicant_position": "I own no flat.", "outcome": "refusal", "reasons": "It is."}
    walk.act(app_id, "hold-hearing", walk.officer, effective_at=april(10, "15:30"), **record)
    refused = walk.act(
        app_id,
        "refuse?wait=true",
        walk.head,
        effective_at=april(10, "16:00"),
        ground="non_compliance",
        reasons="Owns a flat.",
    )
    assert refused["status"] == "refused"
    trail = audit(walk, app_id)
    scheduled = trail["HearingScheduled"]
    assert scheduled["deadline"] == {
        "kind": "hearing_notice",
        "due_on": "2024-04-08",
        "status": "missed",
        "late_by": 1,
    }
    assert "late because: The income register answered only on 9 April." in scheduled["reasons"]
    assert trail["Refused"]["deadline"]["status"] == "met"


def test_a_complaint_forwarded_after_three_working_days_is_recorded_late(walk: Walk) -> None:
    """§14: a complaint filed with the provider on 19 March is forwarded by the 27th (20th,
    the 21st-25th off, 26th, 27th). On the 28th it is refused without a reason (409, §14),
    then recorded with one; the audit trail shows the forward missed by a working day."""
    app_id = walk.registered(make_form(42))
    complaint = {"subject": "inaction", "filed_with": "provider", "text": "No answer."}
    walk.act(
        app_id,
        "complaints",
        walk.applicant(app_id),
        status=201,
        effective_at=at("19"),
        complaint=complaint,
    )
    case_file = {"reference": "exports/almaty/case.zip", "sha256": "0" * 64, "up_to_version": 5}
    sent: dict[str, Any] = {"to_body": "quality_body", "administrative_file": case_file}
    walk.broken_rule(
        app_id,
        "complaints/c1/forward",
        walk.officer,
        "ComplaintForwardTooLate",
        "§14",
        effective_at=at("28"),
        **sent,
    )
    walk.act(
        app_id,
        "complaints/c1/forward?wait=true",
        walk.officer,
        effective_at=at("28"),
        late_because="The officer was on leave.",
        **sent,
    )
    forwarded = audit(walk, app_id)["ComplaintForwarded"]
    assert forwarded["deadline"] == {
        "kind": "complaint_forward",
        "due_on": "2024-03-27",
        "status": "missed",
        "late_by": 1,
    }
    assert forwarded["reasons"] == "(late because: The officer was on leave.)"


def test_an_acceptance_after_the_reception_day_is_missed_and_the_head_assigns(
    walk: Walk,
) -> None:
    """§7: filed on 18 March, accepted on the 19th: the acceptance term is missed by a
    working day. §10 ¶1: the head sends the application to an officer (an act of record)."""
    app_id = walk.file(make_form(43), at("18"))
    walk.act(app_id, "accept", walk.officer, effective_at=at("19"))
    walk.fails(app_id, "assign", walk.officer, 403, officer_id="officer-almaty-3")
    walk.act(app_id, "assign?wait=true", walk.head, officer_id="officer-almaty-3")
    trail = audit(walk, app_id)
    assert trail["Accepted"]["deadline"] == {
        "kind": "acceptance",
        "due_on": "2024-03-18",
        "status": "missed",
        "late_by": 1,
    }
    assert trail["Assigned"]["basis"] == "§10"


def test_a_hearing_held_after_its_two_working_days_is_recorded_late(walk: Walk) -> None:
    """§13: notified on Tuesday 2 April 2024 of a hearing on the 3rd, the hearing is due by the
    4th. Held on the 5th it is refused without a reason (409, §13), then recorded with one; the
    audit trail shows the hearing missed by a working day, and the decision follows (§12)."""
    app_id = walk.file(make_form(44), at("18"))
    walk.act(app_id, "accept", walk.officer, effective_at=at("18", "12:00"))
    walk.act(app_id, "find-complete", walk.officer, effective_at=at("18", "12:01"))
    checks = walk.checks(app_id, failing=Check.NO_HOUSING_OWNED)
    walk.act(app_id, "verify", walk.officer, effective_at=april(1), checks=checks)
    walk.act(app_id, "schedule-hearing", walk.officer, effective_at=april(2), **notice(3))
    record = {"applicant_position": "I own no flat.", "outcome": "refusal", "reasons": "It is."}
    walk.broken_rule(
        app_id, "hold-hearing", walk.officer, "HearingTooLate", "§13",
        effective_at=april(5), **record,
    )  # fmt: skip
    late = "The applicant was ill on the 3rd; told of the 5th by phone on the 2nd."
    walk.act(
        app_id, "hold-hearing?wait=true", walk.officer, effective_at=april(5),
        late_because=late, **record,
    )  # fmt: skip
    held = audit(walk, app_id)["HearingHeld"]
    assert held["deadline"] == missed("hearing", "2024-04-04", late_by=1)
    assert f"late because: {late}" in held["reasons"]
    refused = walk.act(
        app_id, "refuse", walk.head, effective_at=april(5, "16:00"),
        ground="non_compliance", reasons="Owns a flat.",
    )  # fmt: skip
    assert refused["status"] == "refused"
