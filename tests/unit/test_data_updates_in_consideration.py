"""Appendix 3 and §11: the applicant updates, changes or supplements their data "from the moment
the grounds appear", during consideration as on the list; the form carries its two declarations
and its signature; an update that changes the category or the family recomputes what Std 8
then requires and says so. No I/O."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from demo.synthetic import checks_for, document, make_form, officer
from domain.errors import (
    CategoryNotOfTheList,
    DataUpdateWhileNotRegistered,
    GroundsNotYetArisen,
    UpdateWithoutDocuments,
)
from domain.forms import Consents, DataUpdateForm, FamilyMember
from domain.housing_application import HousingApplication
from domain.values import DocumentKind, Relation, Status
from tests.unit.cases import accepted, applicant_of, file, local, registered, verified

SIGNED: dict[str, Any] = {
    "consents": Consents(housing_check=True, protected_secret=True),
    "signature": "eds-signature-0123456789abcdef",
}


def update_of(app: HousingApplication, arose_on: date, **fields: Any) -> DataUpdateForm:
    given: dict[str, Any] = {
        "applicant_iin": app.holder_iin,
        "reason": "our circumstances changed",
        "grounds_arose_on": arose_on,
        "documents": (document(DocumentKind.OTHER),),
        **SIGNED,
    }
    return DataUpdateForm(**{**given, **fields})


def update(app: HousingApplication, form: DataUpdateForm, day: int = 28) -> Any:
    app.update_data(actor=applicant_of(app), effective_at=local(2024, 3, day, 12), update=form)
    return app.pending_events[-1]


@pytest.mark.parametrize("walk", [accepted, verified])
def test_the_applicant_updates_data_during_consideration_appendix_3(walk: Any) -> None:
    app = walk()
    stage = app.status
    event = update(app, update_of(app, date(2024, 3, 25)))
    assert isinstance(event, HousingApplication.DataUpdated)
    assert app.status is stage  # consideration goes on where it was
    assert event.update_due.due_on > date(2024, 3, 25)


def test_no_data_update_before_acceptance_nor_after_a_refusal_appendix_3() -> None:
    app = file()
    with pytest.raises(DataUpdateWhileNotRegistered) as error:
        update(app, update_of(app, date(2024, 3, 17)), day=18)
    assert "consideration" in error.value.rule


def test_the_appendix_3_form_carries_its_declarations_and_signature() -> None:
    app = registered()
    for missing in ("consents", "signature"):
        given = {k: v for k, v in SIGNED.items() if k != missing}
        with pytest.raises(ValidationError):
            DataUpdateForm(
                applicant_iin=app.holder_iin,
                reason="r",
                grounds_arose_on=date(2024, 3, 25),
                documents=(document(DocumentKind.OTHER),),
                **given,
            )


def test_grounds_do_not_arise_after_the_update_is_recorded_section_11() -> None:
    app = registered()
    with pytest.raises(GroundsNotYetArisen) as error:
        update(app, update_of(app, date(2024, 3, 29)), day=28)
    assert "§11" in error.value.paragraph
    update(app, update_of(app, date(2024, 3, 28)), day=28)  # the same day is fine


def state_employee() -> HousingApplication:
    form = make_form(91, list_code="state_employees", category_code="civil_servants")
    app = file(form=form)
    staff = officer("almaty")
    app.accept(actor=staff, effective_at=local(2024, 3, 18, 11))
    app.find_complete(actor=staff, effective_at=local(2024, 3, 19))
    app.verify(actor=staff, effective_at=local(2024, 3, 20), checks=checks_for(form, "almaty"))
    return app


def test_a_change_of_category_recomputes_the_documents_std_8_requires_appendix_3() -> None:
    app = state_employee()
    to_military = update_of(app, date(2024, 3, 25), category_code="military")
    with pytest.raises(UpdateWithoutDocuments) as error:
        update(app, to_military)
    assert "certificate_from_work" in str(error.value)
    docs = (document(DocumentKind.CERTIFICATE_FROM_WORK),)
    event = update(app, to_military.model_copy(update={"documents": docs}))
    assert app.category_code == "military"
    assert DocumentKind.CERTIFICATE_FROM_WORK in event.required_documents
    assert "civil_servants -> military" in event.recomputed
    assert "state_employees" in event.recomputed  # the list it stays on
    app.register(actor=officer("almaty"), effective_at=local(2024, 3, 29), queue_number=1)
    assert app.pending_events[-1].category_code == "military"


def test_a_category_of_another_list_is_another_application_art_74_para_2() -> None:
    app = state_employee()
    with pytest.raises(CategoryNotOfTheList) as error:
        update(app, update_of(app, date(2024, 3, 25), category_code="orphans"))
    assert "Art. 74" in error.value.paragraph


def test_a_change_of_family_recomputes_the_household_and_documents_appendix_3() -> None:
    app = registered()
    ward = FamilyMember(iin="050104600003", full_name="Ward", relation=Relation.RECOGNISED_BY_COURT)
    family = (*app.family, ward)
    with pytest.raises(UpdateWithoutDocuments):
        update(app, update_of(app, date(2024, 3, 25), family=family))
    docs = (document(DocumentKind.COURT_DECISION_FAMILY),)
    event = update(app, update_of(app, date(2024, 3, 25), family=family, documents=docs))
    assert len(app.family) == 3
    assert "3 -> 4 persons" in event.recomputed
    assert DocumentKind.COURT_DECISION_FAMILY in event.required_documents


def test_an_update_of_contacts_only_recomputes_nothing() -> None:
    app = registered()
    event = update(app, update_of(app, date(2024, 3, 25), phone="+77017654321"))
    assert event.recomputed == ""
    assert event.required_documents is None
    assert app.status is Status.REGISTERED
