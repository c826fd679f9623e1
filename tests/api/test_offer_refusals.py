"""Refused offers over HTTP, on both stores (Art. 73-75): the reason is a code of a closed list,
a valid one comes with its document, a refusal without one counts, and after two the head may
take the citizen off the list on that ground."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from demo.synthetic import document, make_form
from domain.values import DocumentKind
from tests.api.conftest import Tokens
from tests.api.walk import Walk, at

FLAT = {"address": "Almaty, Samal, block 12, flat 48", "rooms": 2, "useful_area_m2": "48.50"}


def offer(walk: Walk, app_id: str, day: str) -> str:
    made = walk.act(app_id, "offers", walk.officer, status=201, effective_at=at(day), dwelling=FLAT)
    offer_id: str = made["offer_id"]
    return offer_id


def test_two_offers_refused_without_a_valid_reason_open_a_ground_to_deregister_art_73(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.registered(make_form(111))
    me = walk.applicant(app_id)
    ground: dict[str, Any] = {"ground": "offers_refused", "reasons": "Two offers refused."}
    walk.broken_rule(
        app_id, "deregister", walk.head, "DeregistrationGroundNotMet", "Art. 73",
        effective_at=at("19"), **ground,
    )  # fmt: skip
    first = offer(walk, app_id, "19")
    walk.fails(app_id, f"offers/{first}/decline", me, 422, reasons="no code")
    walk.broken_rule(
        app_id, f"offers/{first}/decline", me, "RefusalReasonUnsupported", "Art. 74",
        reason="health",
    )  # fmt: skip
    declined = walk.act(app_id, f"offers/{first}/decline", me, reason="no_valid_reason")
    assert declined["status"] == "registered"
    assert "1 of 2" in declined["consequence"]
    second = offer(walk, app_id, "20")
    proof = document(DocumentKind.OTHER, "medical conclusion").model_dump(mode="json")
    valid = walk.act(app_id, f"offers/{second}/decline", me, reason="health", document=proof)
    assert "valid reason" in valid["consequence"]
    third = offer(walk, app_id, "26")
    last = walk.act(app_id, f"offers/{third}/decline", me, reason="no_valid_reason")
    assert "ground for deregistration" in last["consequence"]
    taken_off = walk.act(app_id, "deregister", walk.head, effective_at=at("27"), **ground)
    assert taken_off["status"] == "deregistered"
