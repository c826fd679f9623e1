"""Complaints (§14) over HTTP, on both stores: filed, satisfied, forwarded and decided."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api.auth import Principal
from demo.synthetic import make_form
from domain.values import Role
from tests.api.conftest import Tokens
from tests.api.walk import UNKNOWN, Walk, at

SHA = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"


def complaint(filed_with: str = "provider", subject: str = "action") -> dict[str, Any]:
    text = "The officer asked for a certificate the state systems hold."
    return {"subject": subject, "filed_with": filed_with, "text": text}


def forward(version: int = 5) -> dict[str, Any]:
    case_file = {"reference": "exports/almaty/case.zip", "sha256": SHA, "up_to_version": version}
    return {"to_body": "quality_body", "administrative_file": case_file}


DECISION: dict[str, Any] = {"outcome": "upheld", "reasons": "The request was unlawful (§9, §12)."}


def test_complaints_are_satisfied_forwarded_and_decided(client: TestClient, tokens: Tokens) -> None:
    walk = Walk(client, tokens)
    app_id = walk.registered(make_form(1))
    mine = walk.applicant(app_id)
    body = tokens.reader(Role.COMPLAINT_BODY)

    first = walk.act(
        app_id, "complaints?wait=true", mine, status=201, effective_at=at("19"),
        complaint=complaint(),
    )  # fmt: skip
    assert (first["complaint_id"], first["status"]) == ("c1", "registered")
    assert first["projections_caught_up"] is True
    walk.act(
        app_id, "complaints/c1/satisfy", walk.officer, effective_at=at("19", "11:00"),
        action_taken="The request for the certificate was withdrawn.",
    )  # fmt: skip

    second = walk.act(app_id, "complaints", mine, status=201, complaint=complaint())
    assert second["complaint_id"] == "c2"
    walk.act(app_id, "complaints/c2/forward", walk.head, **forward())
    walk.fails(app_id, "complaints/c2/decide", walk.head, 409, **DECISION)
    # Forwarded to the quality body: the higher body's token is not that body's (§14).
    higher = tokens.header(Principal(subject="higher-body:almaty", role=Role.COMPLAINT_BODY))
    walk.fails(app_id, "complaints/c2/decide", higher, 403, **DECISION)
    walk.act(app_id, "complaints/c2/decide", body, outcome="rejected", reasons="Lawful request.")

    walk.act(app_id, "complaints", mine, status=201, complaint=complaint(subject="inaction"))
    walk.fails(app_id, "complaints/c3/decide", body, 403, **DECISION)  # before the provider
    walk.fails(app_id, "complaints/c3/decide", walk.officer, 403, **DECISION)
    walk.fails(app_id, "complaints/c3/decide", tokens.staff(Role.HEAD, "astana"), 403, **DECISION)
    walk.fails(app_id, "complaints/c3/decide", mine, 403, **DECISION)
    decided = walk.act(app_id, "complaints/c3/decide", walk.head, **DECISION)
    assert decided["status"] == "registered"
    walk.broken_rule(
        app_id, "complaints/c3/decide", walk.head, "ComplaintAlreadyClosed", "§14", **DECISION
    )
    walk.fails(app_id, "complaints/c9/satisfy", walk.officer, 404, action_taken="Nothing.")
    assert walk.state(app_id)["complaints"] == {"c1": "satisfied", "c2": "decided", "c3": "decided"}


def test_a_complaint_body_restores_a_place_taken_away(client: TestClient, tokens: Tokens) -> None:
    walk = Walk(client, tokens)
    app_id = walk.registered(make_form(2), filed="10:00")
    walk.registered(make_form(3), filed="10:05")
    walk.act(
        app_id, "deregister", walk.head, effective_at=at("19"), ground="grounds_ceased",
        reasons="Income above the threshold.",
    )  # fmt: skip
    filed = walk.act(
        app_id, "complaints", walk.applicant(app_id), status=201, effective_at=at("19", "12:00"),
        complaint=complaint("quality_body", "decision"),
    )  # fmt: skip
    assert filed["status"] == "deregistered"
    walk.broken_rule(
        app_id, "complaints/c1/forward", walk.officer, "ComplaintNotBeforeBody", "§14", **forward()
    )
    restored = walk.act(
        app_id, "complaints/c1/decide", tokens.reader(Role.COMPLAINT_BODY),
        effective_at=at("26"), remedy="restore_place", **DECISION,
    )  # fmt: skip
    assert (restored["status"], restored["queue_number"]) == ("registered", 1)


def test_a_complaint_is_forwarded_within_three_working_days(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.registered(make_form(4))
    walk.act(
        app_id, "complaints", walk.applicant(app_id), status=201, effective_at=at("19"),
        complaint=complaint(),
    )  # fmt: skip
    walk.broken_rule(
        app_id, "complaints/c1/forward", walk.officer, "ComplaintForwardTooLate", "§14",
        effective_at=at("28"), **forward(),
    )  # fmt: skip
    walk.fails(app_id, "complaints/c1/forward", walk.applicant(app_id), 403, **forward())
    walk.fails(
        app_id, "complaints/c1/forward", tokens.staff(Role.OFFICER, "astana"), 403, **forward()
    )
    walk.fails(UNKNOWN, "complaints/c1/forward", walk.officer, 404, **forward())
    walk.fails(app_id, "complaints/c1/forward", walk.officer, 422, to_body="court")
    walk.act(app_id, "complaints/c1/forward", walk.officer, effective_at=at("26"), **forward())


def test_only_the_applicant_files_a_well_formed_complaint(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.registered(make_form(5))
    other = tokens.applicant(make_form(6).applicant_iin)
    walk.fails(app_id, "complaints", other, 403, complaint=complaint())
    walk.fails(app_id, "complaints", walk.officer, 403, complaint=complaint())
    walk.fails(app_id, "complaints", tokens.reader(Role.COMPLAINT_BODY), 403, complaint=complaint())
    walk.fails(UNKNOWN, "complaints", walk.applicant(app_id), 404, complaint=complaint())
    bad = walk.fails(
        app_id, "complaints", walk.applicant(app_id), 422, complaint=complaint("the_president")
    )
    assert "complaint.filed_with" in bad["detail"]
    walk.broken_rule(
        app_id, "complaints", walk.applicant(app_id), "ActOutOfOrder", "§7-§14",
        complaint={**complaint(), "concerns_version": 99},
    )  # fmt: skip
