"""Housing Relations Art. 73-75: an offer of housing that meets the norm and the applicant's own
choices (Appendix 1 item 12, the stock) refused without a valid reason is recorded as such; the
citizen keeps the place, and after the second such refusal a ground to take them off the list
is open to the head (docs/domain.md, "Refused offers"). A valid reason, from a closed list, is
shown by a document; a dwelling below the norm may always be refused. No I/O."""

from __future__ import annotations

from typing import Any

import pytest

from demo.synthetic import document, head, make_form, officer
from domain.errors import DeregistrationGroundNotMet, RefusalReasonUnsupported
from domain.housing_application import HousingApplication
from domain.records import Dwelling
from domain.values import DeregistrationGround, DocumentKind, OfferRefusalReason, Status
from tests.unit.cases import applicant_of, local
from tests.unit.test_offers_as_chosen import registered_with

FLAT = {"address": "Abay 1-2", "rooms": 3}


def offered(app: HousingApplication, day: int, area: int = 60) -> str:
    flat = Dwelling(useful_area_m2=area, **FLAT)  # type: ignore[arg-type]
    at = local(2024, 4, day)
    return app.offer_housing(actor=officer("almaty"), effective_at=at, dwelling=flat)


def decline(app: HousingApplication, offer_id: str, day: int, **answer: Any) -> Any:
    consequence = app.decline_offer(
        actor=applicant_of(app), effective_at=local(2024, 4, day, 12), offer_id=offer_id, **answer
    )
    return consequence, app.pending_events[-1]


def test_an_unjustified_refusal_is_recorded_and_the_place_kept_art_73_75() -> None:
    app = registered_with(make_form(101))
    consequence, event = decline(app, offered(app, 1), 2, reason=OfferRefusalReason.NO_VALID_REASON)
    assert isinstance(event, HousingApplication.OfferDeclined)
    assert event.unjustified
    assert app.status is Status.REGISTERED
    assert app.unjustified_refusals == 1
    assert "1 of 2" in consequence


def test_the_second_unjustified_refusal_opens_a_ground_for_deregistration_art_73() -> None:
    app = registered_with(make_form(102))
    with pytest.raises(DeregistrationGroundNotMet) as error:
        app.deregister(
            actor=head("almaty"), effective_at=local(2024, 4, 1),
            ground=DeregistrationGround.OFFERS_REFUSED, reasons="refused",
        )  # fmt: skip
    assert "Art. 73" in error.value.paragraph
    decline(app, offered(app, 1), 2, reason=OfferRefusalReason.NO_VALID_REASON)
    consequence, _ = decline(app, offered(app, 3), 4, reason=OfferRefusalReason.NO_VALID_REASON)
    assert "ground for deregistration" in consequence
    app.deregister(
        actor=head("almaty"), effective_at=local(2024, 4, 5),
        ground=DeregistrationGround.OFFERS_REFUSED, reasons="two offers refused without reason",
    )  # fmt: skip
    assert app.status is Status.DEREGISTERED


def test_a_valid_reason_is_shown_by_a_document_and_does_not_count_art_74() -> None:
    app = registered_with(make_form(103))
    offer_id = offered(app, 1)
    with pytest.raises(RefusalReasonUnsupported):
        decline(app, offer_id, 2, reason=OfferRefusalReason.HEALTH)
    proof = document(DocumentKind.OTHER, "medical conclusion: no stairs")
    consequence, event = decline(app, offer_id, 2, reason=OfferRefusalReason.HEALTH, document=proof)
    assert not event.unjustified
    assert app.unjustified_refusals == 0
    assert "valid reason" in consequence


def test_a_dwelling_below_the_norm_may_be_refused_without_consequence_art_75() -> None:
    app = registered_with(make_form(104, family_size=2))  # 3 persons: the norm is 45 m2
    _, event = decline(app, offered(app, 1, area=30), 2, reason=OfferRefusalReason.NO_VALID_REASON)
    assert not event.unjustified
    assert app.unjustified_refusals == 0


def test_refusals_recorded_before_reasons_existed_count_for_nothing() -> None:
    app = registered_with(make_form(105))
    _, event = decline(app, offered(app, 1), 2)
    assert (event.reason, event.unjustified) == (None, False)
    assert app.unjustified_refusals == 0
