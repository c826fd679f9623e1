"""Appendix 1: the applicant chooses state housing stock or housing rented from the private
stock, and (item 12) the floors they accept; offers honour both (Art. 74 para 1, Art. 75).
No I/O."""

from __future__ import annotations

from uuid import UUID

import pytest

from demo.synthetic import checks_for, make_form, officer
from domain.errors import HousingNotAsChosen, NotHeadOfList
from domain.forms import ApplicationForm
from domain.housing_application import HousingApplication
from domain.priority import key_application
from domain.queue_list import QueueList
from domain.records import Dwelling
from domain.values import HousingStock, StockChoice
from tests.unit.cases import file, local
from tests.unit.test_queue_list import T0, key


def registered_with(form: ApplicationForm) -> HousingApplication:
    app = file(form=form)
    staff = officer("almaty")
    app.accept(actor=staff, effective_at=local(2024, 3, 18, 11))
    app.find_complete(actor=staff, effective_at=local(2024, 3, 19))
    app.verify(actor=staff, effective_at=local(2024, 3, 20), checks=checks_for(form, "almaty"))
    app.register(actor=staff, effective_at=local(2024, 3, 20, 12), queue_number=1)
    return app


def offer(app: HousingApplication, **dwelling: object) -> str:
    flat = Dwelling(address="Abay 1-2", rooms=3, useful_area_m2=60, **dwelling)  # type: ignore[arg-type]
    return app.offer_housing(actor=officer("almaty"), effective_at=local(2024, 4, 1), dwelling=flat)


def test_a_citizen_who_chose_state_stock_is_not_offered_rented_housing_appendix_1() -> None:
    form = make_form(81).model_copy(update={"stock": StockChoice.STATE})
    app = registered_with(form)
    with pytest.raises(HousingNotAsChosen) as error:
        offer(app, stock=HousingStock.PRIVATE_RENTED, floor=2)
    assert "Appendix 1" in error.value.paragraph
    assert offer(app, stock=HousingStock.STATE, floor=2) == "o1"


def test_the_floors_the_applicant_accepts_are_honoured_appendix_1_item_12() -> None:
    form = make_form(82).model_copy(update={"accepted_floors": (1, 2, 3)})
    app = registered_with(form)
    for floor in (9, None):
        with pytest.raises(HousingNotAsChosen):
            offer(app, floor=floor)
    assert offer(app, floor=3) == "o1"


def test_older_forms_accept_either_stock_and_any_floor() -> None:
    app = registered_with(make_form(83))
    assert (app.form.stock, app.form.accepted_floors) == (StockChoice.EITHER, ())
    assert offer(app, stock=HousingStock.PRIVATE_RENTED) == "o1"


def test_the_list_passes_over_citizens_ahead_for_whom_the_dwelling_is_not_as_chosen() -> None:
    """Art. 74 para 1: the dwelling goes to the first citizen it may be offered to."""
    queue = QueueList.open("almaty", "orphans")
    chose_state, candidate = key(0), key(1)
    for k in (chose_state, candidate):
        queue.join(k, application_version=5, effective_at=T0, cause="Registered")

    def not_as_chosen_by(app_id: UUID) -> bool:
        return app_id == key_application(chose_state)

    with pytest.raises(NotHeadOfList):
        queue.open_offer(
            candidate, below_norm_for=lambda _: False, application_version=6, effective_at=T0
        )
    queue.open_offer(
        candidate,
        below_norm_for=lambda _: False,
        not_as_chosen_by=not_as_chosen_by,
        application_version=6,
        effective_at=T0,
    )
