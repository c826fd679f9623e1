"""Lists and strings over their stated limits (domain/limits.py) and text with control or
bidirectional characters (domain/text.py) are 422 over HTTP, on both stores, and write nothing;
a 422 answers at most the first problems, in a small body, never echoing the bad value."""

from __future__ import annotations

import unicodedata
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from demo.synthetic import make_form
from domain import limits
from tests.api.conftest import Tokens
from tests.api.walk import MISSING, Walk, at

SHA = "b5f273b8409ccdab5dffaf525942dfa1312df9dd822794067dbee81bfdd66f94"
DOCUMENT = {"kind": "other", "title": "Birth certificate", "sha256": SHA}


@pytest.fixture
def walk(client: TestClient, tokens: Tokens) -> Walk:
    walk = Walk(client, tokens)
    walk.file(make_form(9))  # the store has a head that a refused request must not move
    return walk


def filing(**form_changes: Any) -> dict[str, Any]:
    form = make_form(1).model_dump(mode="json")
    form.update(form_changes)
    return {"provider": "almaty", "filed_at": at("18"), "form": form}


def refused_filing(walk: Walk, body: dict[str, Any]) -> dict[str, Any]:
    """The filing is 422 problem+json, small, and nothing is written."""
    before = walk.written()
    response = walk.client.post(
        "/v1/applications", json=body, headers=walk.tokens.applicant(make_form(1).applicant_iin)
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert len(response.content) < 8 * 1024
    assert walk.written() == before
    problem: dict[str, Any] = response.json()
    return problem


@pytest.mark.parametrize("count", [limits.DOCUMENTS + 1, 501])
def test_a_form_with_more_documents_than_the_limit_is_422(walk: Walk, count: int) -> None:
    problem = refused_filing(walk, filing(documents=[DOCUMENT] * count))
    assert problem["errors"] == [
        {
            "field": "body.form.documents",
            "message": f"List should have at most {limits.DOCUMENTS} items, not {count}",
        }
    ]


def test_a_family_over_the_limit_is_422(walk: Walk) -> None:
    member = {"iin": "050104600003", "full_name": "A. B.", "relation": "child"}
    problem = refused_filing(walk, filing(family=[member] * (limits.FAMILY_MEMBERS + 1)))
    assert problem["errors"][0]["field"] == "body.form.family"


@pytest.mark.parametrize(
    "char", ["\x00", "\x1b", "\u202e", "\u2066", "\u200f", "\u061c", "\x85", "\x7f", "\n", "\t"]
)
def test_a_name_with_a_control_or_bidirectional_character_is_422_naming_its_code_point(
    walk: Walk, char: str
) -> None:
    name = f"Aigerim{char}Nurlanovna Sadykova"
    problem = refused_filing(walk, filing(applicant_name=name))
    [error] = problem["errors"]
    assert error["field"] == "body.form.applicant_name"
    assert f"U+{ord(char):04X}" in error["message"]
    assert "Aigerim" not in str(problem)  # the text itself is never echoed


def test_a_string_over_its_limit_is_422(walk: Walk) -> None:
    problem = refused_filing(walk, filing(applicant_name="A" * (limits.LINE_CHARS + 1)))
    assert problem["errors"] == [
        {
            "field": "body.form.applicant_name",
            "message": f"String should have at most {limits.LINE_CHARS} characters",
        }
    ]


def test_a_phone_in_other_digits_than_ascii_is_422(walk: Walk) -> None:
    problem = refused_filing(walk, filing(phone="+7" + "\u0661" * 10))  # Arabic-Indic one
    assert problem["errors"][0]["field"] == "body.form.phone"


def test_reasons_over_their_limit_or_with_a_control_character_are_422_and_write_nothing(
    walk: Walk,
) -> None:
    app_id = walk.file(make_form(2))
    applicant = walk.applicant(app_id)
    too_long = walk.fails(
        app_id, "withdraw", applicant, 422, reasons="x" * (limits.PROSE_CHARS + 1)
    )
    assert "at most 5000 characters" in too_long["detail"]
    escaped = walk.fails(app_id, "withdraw", applicant, 422, reasons="We moved.\x1b[2J")
    assert "U+001B" in escaped["detail"]
    assert "moved" not in escaped["detail"]


def test_reasons_keep_their_lines_and_tabs(walk: Walk) -> None:
    app_id = walk.file(make_form(2))
    reasons = "We bought a flat.\n\tThe contract is attached."
    walk.act(app_id, "withdraw", walk.applicant(app_id), reasons=reasons)
    withdrawn = walk.tokens.services.waiting_list.application(UUID(app_id))
    assert withdrawn.status.value == "withdrawn"


def test_a_name_sent_decomposed_is_recorded_in_nfc(walk: Walk) -> None:
    composed = "Айгерім Жүсіпова"  # й is и with a breve (U+0306) in NFD
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    form = make_form(3).model_dump(mode="json") | {"applicant_name": decomposed}
    response = walk.client.post(
        "/v1/applications",
        json={"provider": "almaty", "filed_at": at("18"), "form": form},
        headers=walk.tokens.applicant(make_form(3).applicant_iin),
    )
    assert response.status_code == 201, response.text
    app_id = UUID(response.json()["application_id"])
    recorded = walk.tokens.services.waiting_list.application(app_id).form.applicant_name
    assert recorded == composed


def test_more_missing_items_than_the_limit_is_422_and_writes_nothing(walk: Walk) -> None:
    app_id = walk.accepted_incomplete(4)
    too_many = {"effective_at": at("18", "11:30"), "missing": MISSING * (limits.MISSING_ITEMS + 1)}
    walk.fails(app_id, "notify-incomplete", walk.officer, 422, **too_many)


def test_a_thousand_unknown_fields_answer_at_most_twenty_problems_in_a_small_body(
    walk: Walk,
) -> None:
    marker = "\u202e" + "k" * 500
    body = filing() | {f"{marker}{n}": n for n in range(1000)}
    problem = refused_filing(walk, body)
    assert problem["problems"] == 1000
    assert len(problem["errors"]) <= limits.PROBLEMS_LISTED
    assert problem["detail"].startswith("1000 problems")
    for error in problem["errors"]:
        assert len(error["field"]) <= limits.PROBLEM_CHARS
        assert "\u202e" not in error["field"]
    assert marker not in str(problem)


def test_a_hundred_documents_each_wrong_thrice_answer_at_most_twenty_problems(
    walk: Walk,
) -> None:
    bad = {"kind": "scan", "title": "\x00", "sha256": "not a digest"}
    problem = refused_filing(walk, filing(documents=[bad] * limits.DOCUMENTS))
    assert problem["problems"] == 3 * limits.DOCUMENTS
    assert len(problem["errors"]) == limits.PROBLEMS_LISTED


def test_the_document_states_the_limits(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    form = schemas["ApplicationForm"]["properties"]
    assert form["documents"]["maxItems"] == limits.DOCUMENTS
    assert form["family"]["maxItems"] == limits.FAMILY_MEMBERS
    assert form["applicant_name"]["maxLength"] == limits.LINE_CHARS
    assert "\\u202a-\\u202e" in form["applicant_name"]["pattern"]
    assert schemas["WithdrawalCreate"]["properties"]["reasons"]["maxLength"] == limits.PROSE_CHARS
