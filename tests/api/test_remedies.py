"""Remedies that take effect (§11, §14), over HTTP on both stores: a refusal reopened by a
complaint body, a refusal to consider further remedied by the provider itself."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from demo.synthetic import make_form
from domain.values import Check, Role
from tests.api.conftest import Tokens
from tests.api.walk import MISSING, Walk, at


@pytest.fixture
def walk(client: TestClient, tokens: Tokens) -> Walk:
    return Walk(client, tokens)


def complaint(filed_with: str) -> dict[str, Any]:
    return {"subject": "decision", "filed_with": filed_with, "text": "The decision is unfounded."}


def test_a_refusal_is_reopened_at_verification_and_then_registered(
    walk: Walk, tokens: Tokens
) -> None:
    """§14: the quality body upholds the complaint and sends the case back to verification;
    the application is complete again and goes on to registration."""
    app_id = walk.verified(make_form(61), failing=Check.NO_HOUSING_OWNED)
    notice = {"hearing_at": at("19", "15:00"), "place": "Almaty CSC, room 214"}
    walk.act(
        app_id, "schedule-hearing", walk.officer, effective_at=at("18", "13:00"),
        ground="non_compliance", reasons="Owns a flat.", notice=notice,
    )  # fmt: skip
    heard = {"applicant_position": "Sold.", "outcome": "refusal", "reasons": "Not proven."}
    walk.act(app_id, "hold-hearing", walk.officer, effective_at=at("19", "15:30"), **heard)
    walk.act(
        app_id, "refuse", walk.head, effective_at=at("19", "16:00"), ground="non_compliance",
        reasons="Owns a flat.",
    )  # fmt: skip
    walk.act(
        app_id, "complaints", walk.applicant(app_id), status=201, effective_at=at("20"),
        complaint=complaint("quality_body"),
    )  # fmt: skip
    decision: dict[str, Any] = {
        "outcome": "upheld",
        "reasons": "The sale in 2023 is registered; verify again.",
        "remedy": "reopen",
        "effective_at": at("26"),
    }
    body = tokens.reader(Role.COMPLAINT_BODY)
    walk.broken_rule(app_id, "complaints/c1/decide", body, "RemedyNotApplicable", "§14", **decision)
    reopened = walk.act(app_id, "complaints/c1/decide", body, reopen_at="complete", **decision)
    assert reopened["status"] == "complete"
    checks = walk.checks(app_id)
    walk.act(app_id, "verify", walk.officer, effective_at=at("27"), checks=checks)
    registered = walk.act(app_id, "register", walk.officer, effective_at=at("27", "11:00"))
    assert (registered["status"], registered["queue_number"]) == ("registered", 1)


def test_the_provider_satisfies_a_complaint_by_registering_one_not_considered(
    walk: Walk,
) -> None:
    """§11, §14: the provider meets the complaint against its refusal to consider further
    itself, within 3 working days: the citizen is registered with the priority they had."""
    app_id = walk.accepted_incomplete(62)
    walk.act(
        app_id, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"), missing=MISSING
    )
    walk.act(
        app_id, "refuse-further-consideration", walk.head, effective_at=at("26"),
        reasons="Not corrected.",
    )  # fmt: skip
    walk.act(
        app_id, "complaints", walk.applicant(app_id), status=201, effective_at=at("26", "12:00"),
        complaint=complaint("provider"),
    )  # fmt: skip
    satisfied = walk.act(
        app_id, "complaints/c1/satisfy?wait=true", walk.head, effective_at=at("27"),
        action_taken="The conclusion was in the state systems (§9); registered.",
        remedy="restore_place",
    )  # fmt: skip
    assert (satisfied["status"], satisfied["queue_number"]) == ("registered", 1)
    assert walk.state(app_id)["priority_moment"].startswith("2024-03-18T05:00")
    trail = walk.client.get(f"/v1/applications/{app_id}/audit", headers=walk.officer).json()
    (act,) = [a for a in trail["acts"] if a["event"] == "ComplaintSatisfied"]
    assert act["summary"].endswith("remedy restore_place; queue number 1")


def test_a_courts_decision_is_recorded_by_the_court_and_restores_the_place(
    walk: Walk, tokens: Tokens
) -> None:
    """§15: a court annuls the deregistration; its token records the decision with its
    number, date and court, and the citizen is back on the list; a complaint body may not
    record it (403), nor a decision dated after its recording (409, §15)."""
    app_id = walk.registered(make_form(63))
    walk.act(
        app_id, "deregister", walk.head, effective_at=at("19"), ground="grounds_ceased",
        reasons="Income above the threshold.",
    )  # fmt: skip
    decision: dict[str, Any] = {
        "court": "Specialised inter-district administrative court of Almaty",
        "decision_number": "7599-24-00-4a/112",
        "decided_on": "2024-03-27",
        "outcome": "upheld",
        "operative_part": "The deregistration of 19 March 2024 is annulled.",
        "remedy": "restore_place",
        "effective_at": at("28"),
    }
    court = tokens.reader(Role.COURT)
    walk.fails(app_id, "court-decisions", tokens.reader(Role.COMPLAINT_BODY), 403, **decision)
    walk.broken_rule(
        app_id, "court-decisions", court, "CourtDecisionOutOfRecord", "§15",
        **{**decision, "decided_on": "2024-03-29"},
    )  # fmt: skip
    restored = walk.act(app_id, "court-decisions?wait=true", court, status=201, **decision)
    assert (restored["status"], restored["queue_number"]) == ("registered", 1)
    trail = walk.client.get(f"/v1/applications/{app_id}/audit", headers=walk.officer).json()
    (act,) = [a for a in trail["acts"] if a["event"] == "CourtDecided"]
    assert act["summary"].startswith("court decision 7599-24-00-4a/112 of 2024-03-27")
    assert act["summary"].endswith("remedy restore_place; queue number 1")
    assert act["basis"] == "§15"
