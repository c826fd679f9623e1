"""Registration and life on the list (§12.1, Art. 73-75) over HTTP, on both stores."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from demo.synthetic import document, make_form
from domain.acts import requests as schemas_acts
from domain.values import DocumentKind, Role
from tests.api.conftest import Tokens
from tests.api.walk import APPENDIX_3_SIGNED, UNKNOWN, Walk, at


def flat(area: str = "48.50") -> dict[str, Any]:
    return {"address": "Almaty, Samal, block 12, flat 48", "rooms": 2, "useful_area_m2": area}


def test_a_citizen_updates_data_passes_the_place_and_the_successor_is_housed(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    form = make_form(1, family_size=1)
    spouse = form.family[0].iin
    app_id = walk.verified(form)
    registered = walk.act(app_id, "register?wait=true", walk.head, effective_at=at("18", "12:03"))
    assert (registered["status"], registered["queue_number"]) == ("registered", 1)
    assert registered["projections_caught_up"] is True
    update = {
        "applicant_iin": form.applicant_iin,
        "family_member_iin": spouse,
        "reason": "My spouse changed jobs.",
        "grounds_arose_on": "2024-03-15",
        "documents": [document(DocumentKind.OTHER, "work record").model_dump(mode="json")],
        **APPENDIX_3_SIGNED,
    }
    updated = walk.act(
        app_id, "update-data", walk.applicant(app_id), effective_at=at("19"), update=update
    )
    assert updated["status"] == "registered"
    succession: dict[str, Any] = {
        "cause": "death",
        "successor_iin": spouse,
        "reasons": "Died on 18 March.",
    }
    walk.fails(
        app_id, "pass-place", walk.officer, 403, effective_at=at("19", "11:00"), **succession
    )
    walk.act(app_id, "pass-place", walk.head, effective_at=at("19", "11:00"), **succession)
    walk.fails(app_id, "update-data", walk.applicant(app_id), 403, update=update)
    successor = tokens.applicant(spouse)
    offered = walk.act(
        app_id, "offers", walk.officer, status=201, effective_at=at("20"), dwelling=flat()
    )
    assert (offered["status"], offered["offer_id"]) == ("offered", "o1")
    refusal = {"reason": "no_valid_reason"}
    walk.fails(app_id, "offers/o1/decline", walk.applicant(app_id), 403, **refusal)
    declined = walk.act(
        app_id, "offers/o1/decline", successor, effective_at=at("20", "11:00"), **refusal
    )
    assert declined["status"] == "registered"
    again = walk.act(
        app_id, "offers", walk.head, status=201, effective_at=at("26"), dwelling=flat()
    )
    assert again["offer_id"] == "o2"
    provision: dict[str, Any] = {"effective_at": at("26", "11:00"), "reasons": "Offer o2 accepted."}
    walk.broken_rule(app_id, "offers/o1/provide", walk.head, "OfferNotOpen", "Art. 75", **provision)
    walk.fails(app_id, "offers/o7/provide", walk.head, 404, **provision)
    walk.fails(app_id, "offers/o2/provide", walk.officer, 403, **provision)
    walk.fails(app_id, "offers/o2/provide", successor, 403, **provision)
    housed = walk.act(app_id, "offers/o2/provide", walk.head, **provision)
    assert housed["status"] == "housed"
    assert walk.state(app_id)["open_offer"] is None


def test_housing_goes_in_the_order_of_the_list_and_citizens_leave_it(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    first = walk.registered(make_form(2), filed="10:00")
    second = walk.registered(make_form(3), filed="10:05")
    third = walk.registered(make_form(4), filed="10:10")
    assert walk.state(third)["queue_number_at_registration"] == 3
    walk.broken_rule(
        second, "offers", walk.officer, "NotHeadOfList", "Art. 74 para 1", dwelling=flat()
    )
    withdrawn = walk.act(first, "withdraw", walk.applicant(first), reasons="Bought a flat.")
    assert withdrawn["status"] == "withdrawn"
    walk.fails(second, "deregister", walk.officer, 403, ground="moved_away", reasons="Moved.")
    walk.fails(
        second,
        "deregister",
        tokens.staff(Role.HEAD, "astana"),
        403,
        ground="moved_away",
        reasons="Moved.",
    )
    gone = walk.act(second, "deregister", walk.head, ground="moved_away", reasons="Moved away.")
    assert gone["status"] == "deregistered"
    walk.broken_rule(
        second, "pass-place", walk.head, "NotOnTheList", "Art. 73", cause="death",
        successor_iin=make_form(3, family_size=1).family[0].iin, reasons="Died.",
    )  # fmt: skip
    offered = walk.act(third, "offers", walk.officer, status=201, dwelling=flat())
    assert offered["offer_id"] == "o1"


def test_list_acts_refuse_wrong_callers_unknown_ids_and_malformed_bodies(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    app_id = walk.verified(make_form(5, family_size=1))
    moment: dict[str, Any] = {"effective_at": at("18", "12:03")}
    walk.fails(app_id, "register", walk.applicant(app_id), 403, **moment)
    walk.fails(app_id, "register", tokens.staff(Role.OFFICER, "astana"), 403, **moment)
    walk.fails(UNKNOWN, "register", walk.officer, 404, **moment)
    walk.fails(app_id, "register", walk.officer, 422, effective_at="yesterday")
    walk.act(app_id, "register", walk.officer, **moment)
    other = tokens.applicant(make_form(6).applicant_iin)
    walk.fails(app_id, "withdraw", other, 403)
    walk.fails(app_id, "withdraw", walk.officer, 403)
    walk.fails(UNKNOWN, "withdraw", walk.applicant(app_id), 404)
    walk.fails(app_id, "offers", walk.applicant(app_id), 403, dwelling=flat())
    walk.fails(app_id, "offers", walk.officer, 422, dwelling=flat("-3"))
    bad_iin = "990101300001"
    problem = walk.fails(
        app_id, "pass-place", walk.head, 422, cause="death", successor_iin=bad_iin, reasons="x"
    )
    assert "successor_iin" in problem["detail"]
    assert bad_iin not in problem["detail"]
    walk.fails(app_id, "update-data", walk.applicant(app_id), 422, update={"reason": "x"})


def test_every_act_shows_an_example_body_the_api_accepts(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    bodies = []
    for path, operations in spec["paths"].items():
        operation = operations.get("post", {})
        if not set(operation.get("tags", ())) & {"consideration", "on the list", "complaints"}:
            continue
        assert path.startswith("/v1/applications/{application_id}/"), path
        assert operation["description"], path
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = ref.rsplit("/", 1)[-1]
        model = getattr(schemas_acts, name)
        (example,) = schemas[name]["examples"]
        model.model_validate(example)
        bodies.append(name)
    assert len(bodies) == 22  # the court's decision (§15) is among the complaints
