"""Appendix 1: offers honour the stock asked for and the floors accepted, over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from demo.synthetic import make_form
from domain.values import StockChoice
from tests.api.conftest import Tokens
from tests.api.walk import Walk, at


def test_an_offer_not_of_the_stock_or_floor_asked_for_is_refused(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    form = make_form(91).model_copy(
        update={"stock": StockChoice.STATE, "accepted_floors": (1, 2, 3)}
    )
    app_id = walk.registered(form)
    flat = {"address": "Almaty, Samal, block 12, flat 48", "rooms": 2, "useful_area_m2": "48.50"}
    for wrong in ({"stock": "private_rented", "floor": 2}, {"stock": "state", "floor": 9}):
        walk.broken_rule(
            app_id,
            "offers",
            walk.officer,
            "HousingNotAsChosen",
            "Appendix 1",
            effective_at=at("20"),
            dwelling={**flat, **wrong},
        )
    offered = walk.act(
        app_id, "offers", walk.officer, status=201, effective_at=at("20"),
        dwelling={**flat, "stock": "state", "floor": 2},
    )  # fmt: skip
    assert offered["offer_id"] == "o1"
