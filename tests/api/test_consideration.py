"""Completeness, verification, hearing and refusal (§10-§13) over HTTP, on both stores.

Applications are driven through the API only (tests/api/walk.py). Dates are in March 2024 in
Almaty (UTC+5): 21, 22 and 25 March are Nauryz days off, so two working days after 18 March end
on the 20th and three on the 26th.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from demo.synthetic import document, make_form
from domain.values import Check, DocumentKind, Role
from tests.api.conftest import Tokens
from tests.api.walk import MISSING, UNKNOWN, Walk, at


@pytest.fixture
def walk(client: TestClient, tokens: Tokens) -> Walk:
    return Walk(client, tokens)


def sanitary() -> dict[str, Any]:
    return document(DocumentKind.SANITARY_CONCLUSION, "conclusion").model_dump(mode="json")


def hearing_held(position: str, outcome: str, reasons: str) -> dict[str, Any]:
    """What a hearing record states: the applicant's position, the outcome and its reasons."""
    return {"applicant_position": position, "outcome": outcome, "reasons": reasons}


def hearing_notice(day: str = "19") -> dict[str, Any]:
    return {
        "ground": "non_compliance",
        "reasons": "The register shows a flat owned by the applicant.",
        "notice": {"hearing_at": at(day, "15:00"), "place": "Almaty CSC, room 214"},
    }


def test_an_incomplete_package_is_corrected_heard_and_registered(walk: Walk) -> None:
    app_id = walk.accepted_incomplete(1)
    walk.broken_rule(
        app_id,
        "find-complete",
        walk.officer,
        "DocumentsStillMissing",
        "Std 8",
        effective_at=at("18", "11:30"),
    )
    notified = walk.act(
        app_id, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"), missing=MISSING
    )
    assert notified["status"] == "incomplete"
    corrected = walk.act(
        app_id,
        "correct?wait=true",
        walk.applicant(app_id),
        effective_at=at("19"),
        documents=[sanitary()],
    )
    assert corrected["status"] == "corrected"
    assert corrected["projections_caught_up"] is True
    found = walk.act(app_id, "find-complete", walk.officer, effective_at=at("19", "10:10"))
    assert found["status"] == "complete"
    checks = walk.checks(app_id, failing=Check.NO_HOUSING_OWNED)
    verified = walk.act(app_id, "verify", walk.head, effective_at=at("19", "10:30"), checks=checks)
    assert verified["status"] == "grounds_found"
    scheduled = walk.act(
        app_id,
        "schedule-hearing",
        walk.officer,
        effective_at=at("19", "11:00"),
        **hearing_notice("20"),
    )
    assert scheduled["status"] == "hearing_scheduled"
    record = hearing_held(
        "The flat was sold in 2023.",
        "positive",
        "The sale is confirmed; no ground for refusal remains.",
    )
    held = walk.act(app_id, "hold-hearing", walk.officer, effective_at=at("20", "15:30"), **record)
    assert held["status"] == "hearing_held"
    registered = walk.act(app_id, "register", walk.officer, effective_at=at("20", "16:00"))
    assert (registered["status"], registered["queue_number"]) == ("registered", 1)
    assert walk.state(app_id)["priority_moment"].startswith("2024-03-19T05:00")


def test_a_refusal_follows_a_hearing_and_is_signed_by_the_head(walk: Walk) -> None:
    app_id = walk.verified(make_form(2), failing=Check.NO_HOUSING_OWNED)
    refusal: dict[str, Any] = {
        "effective_at": at("18", "13:00"),
        "ground": "non_compliance",
        "reasons": "Owns a flat.",
    }
    walk.broken_rule(app_id, "refuse", walk.head, "RefusalWithoutHearing", "§13", **refusal)
    walk.act(
        app_id, "schedule-hearing", walk.officer, effective_at=at("18", "13:00"), **hearing_notice()
    )
    record = hearing_held("I do not own it.", "refusal", "The register is unambiguous.")
    walk.act(app_id, "hold-hearing", walk.head, effective_at=at("19", "15:30"), **record)
    refusal["effective_at"] = at("19", "16:00")
    walk.fails(app_id, "refuse", walk.officer, 403, **refusal)
    refused = walk.act(app_id, "refuse", walk.head, **refusal)
    assert refused["status"] == "refused"
    walk.broken_rule(
        app_id, "verify", walk.officer, "ActOutOfOrder", "§7-§14", checks=walk.checks(app_id)
    )


def test_a_package_not_corrected_in_time_is_not_considered(walk: Walk) -> None:
    app_id = walk.accepted_incomplete(3)
    walk.act(
        app_id, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"), missing=MISSING
    )
    reasons: dict[str, Any] = {"reasons": "The sanitary conclusion was not brought."}
    walk.broken_rule(
        app_id,
        "refuse-further-consideration",
        walk.head,
        "RefusalBeforeCorrectionDeadline",
        "§11",
        effective_at=at("20", "17:00"),
        **reasons,
    )
    walk.broken_rule(
        app_id,
        "correct",
        walk.applicant(app_id),
        "CorrectionAfterDeadline",
        "§10, §11",
        effective_at=at("26"),
        documents=[sanitary()],
    )
    walk.fails(
        app_id, "refuse-further-consideration", walk.officer, 403, effective_at=at("26"), **reasons
    )
    ended = walk.act(
        app_id, "refuse-further-consideration", walk.head, effective_at=at("26"), **reasons
    )
    assert ended["status"] == "not_considered"


def test_consideration_refuses_wrong_callers_unknown_ids_and_malformed_bodies(
    walk: Walk, tokens: Tokens
) -> None:
    app_id = walk.accepted_incomplete(4)
    notice: dict[str, Any] = {"effective_at": at("18", "11:30"), "missing": MISSING}
    walk.fails(app_id, "notify-incomplete", walk.applicant(app_id), 403, **notice)
    walk.fails(app_id, "notify-incomplete", tokens.staff(Role.OFFICER, "astana"), 403, **notice)
    walk.fails(app_id, "notify-incomplete", tokens.reader(Role.AUDITOR), 403, **notice)
    walk.fails(UNKNOWN, "notify-incomplete", walk.officer, 404, **notice)
    walk.fails(app_id, "notify-incomplete", {}, 401, **notice)
    bad = walk.fails(
        app_id, "notify-incomplete", walk.officer, 422, effective_at=at("18"), missing=[{}]
    )
    assert "missing.0.description" in bad["detail"]
    walk.fails(app_id, "notify-incomplete", walk.officer, 422, **notice, sent_by="post")
    walk.fails(
        app_id,
        "notify-incomplete",
        walk.officer,
        422,
        effective_at="2024-03-18T11:30:00",
        missing=MISSING,
    )
    walk.broken_rule(
        app_id,
        "notify-incomplete",
        walk.officer,
        "NothingMissing",
        "§10",
        effective_at=at("18", "11:30"),
        missing=[],
    )
    walk.act(app_id, "notify-incomplete", walk.officer, **notice)
    other = tokens.applicant(make_form(5).applicant_iin)
    walk.fails(app_id, "correct", other, 403, effective_at=at("19"), documents=[sanitary()])
    walk.fails(app_id, "correct", walk.officer, 403, effective_at=at("19"), documents=[sanitary()])
    walk.fails(app_id, "correct", walk.applicant(app_id), 422, effective_at=at("19"), documents=[])


def test_a_notice_demanding_what_the_state_systems_supply_is_refused_par_9(walk: Walk) -> None:
    """§9, §12 last paragraph: the income statement comes from the state systems; a notice
    naming it is 409 (§9), unless it says the system holds no data on it (Std 8)."""
    app_id = walk.accepted_incomplete(71)
    income = {"document": "income_statement", "description": "Income for 12 months"}
    walk.broken_rule(
        app_id,
        "notify-incomplete",
        walk.officer,
        "DocumentFromStateSystems",
        "§9",
        effective_at=at("18", "11:30"),
        missing=[income],
    )
    unheld = {**income, "not_in_state_system": "IS Income: no record for 2023"}
    notified = walk.act(
        app_id, "notify-incomplete", walk.officer, effective_at=at("18", "11:30"), missing=[unheld]
    )
    assert notified["status"] == "incomplete"


def test_a_worsening_older_than_five_years_is_no_ground_par_11(walk: Walk) -> None:
    """§11: filed on 18 March 2024, a worsening dated 2018 lies outside the five years: 409."""
    app_id = walk.file(make_form(72), at("18"))
    walk.act(app_id, "accept", walk.officer, effective_at=at("18", "12:00"))
    walk.act(app_id, "find-complete", walk.officer, effective_at=at("18", "12:01"))
    checks = walk.checks(app_id, failing=Check.NO_DELIBERATE_WORSENING)
    for check in checks:
        if check["check"] == "no_deliberate_worsening":
            check["found_on"] = "2018-03-01"
    walk.broken_rule(
        app_id,
        "verify",
        walk.officer,
        "WorseningOutsideFiveYears",
        "§11",
        effective_at=at("19"),
        checks=checks,
    )
