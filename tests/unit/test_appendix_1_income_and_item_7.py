"""Appendix 1 item 4: income is declared "for the last twelve months before applying", so the
form records the period and the filing checks it; item 7: the form records what is underlined
(disability, the elderly, cardiovascular or another serious disease) for each person named.
No I/O."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from demo.synthetic import make_form
from domain.errors import IncomePeriodNotTheLastYear
from domain.forms import ApplicationForm, IncomeItem, IncomePeriod, twelve_months_to
from domain.reference import SERIOUS_CONDITIONS
from domain.values import IncomeKind
from tests.unit.cases import file, local

WAGES = IncomeItem(kind=IncomeKind.WAGES, amount_kzt=Decimal("1800000"))


def with_income(period: IncomePeriod | None, serial: int = 71) -> ApplicationForm:
    base = make_form(serial).model_dump()
    return ApplicationForm.model_validate({**base, "income": (WAGES,), "income_period": period})


def test_the_income_period_is_twelve_months_appendix_1_item_4() -> None:
    IncomePeriod(starts_on=date(2023, 3, 1), ends_on=date(2024, 2, 29))
    IncomePeriod(starts_on=date(2023, 3, 18), ends_on=date(2024, 3, 17))
    for starts, ends in (
        (date(2023, 1, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 2, 1)),
    ):
        with pytest.raises(ValidationError, match="Appendix 1 item 4"):
            IncomePeriod(starts_on=starts, ends_on=ends)


def test_declared_income_states_its_period_appendix_1_item_4() -> None:
    with pytest.raises(IncomePeriodNotTheLastYear, match="states its twelve months"):
        file(form=with_income(None), at=local(2024, 3, 18, 10))


@pytest.mark.parametrize(
    ("ends_on", "accepted"),
    [
        (date(2024, 3, 17), True),  # the day before filing
        (date(2024, 2, 29), True),  # the last whole month
        (date(2024, 1, 31), True),  # the month before it: what the state systems already hold
        (date(2023, 12, 31), False),  # older: not the last twelve months
        (date(2024, 3, 18), False),  # the filing day itself is not before applying
    ],
)
def test_the_income_is_of_the_twelve_months_before_applying_appendix_1_item_4(
    ends_on: date, accepted: bool
) -> None:
    form = with_income(IncomePeriod(starts_on=twelve_months_to(ends_on), ends_on=ends_on))
    if accepted:
        assert file(form=form, at=local(2024, 3, 18, 10)).form.income_period is not None
        return
    with pytest.raises(IncomePeriodNotTheLastYear) as error:
        file(form=form, at=local(2024, 3, 18, 10))
    assert "Appendix 1 item 4" in error.value.paragraph


def item_7(conditions: Any, serial: int = 72) -> ApplicationForm:
    base = make_form(serial, family_size=1).model_dump()
    named = (base["applicant_iin"], base["family"][0]["iin"])
    return ApplicationForm.model_validate(
        {**base, "disability_elderly_or_serious_disease": named, "serious_conditions": conditions}
    )


def test_item_7_records_what_is_underlined_for_each_person_appendix_1_item_7() -> None:
    form = item_7((("elderly",), ("disability", "cardiovascular_disease")))
    assert form.serious_conditions[1] == ("disability", "cardiovascular_disease")
    assert {"disability", "elderly", "cardiovascular_disease"} <= SERIOUS_CONDITIONS
    for wrong in ((("elderly",),), (("elderly",), ("flu",)), (("elderly",), ())):
        with pytest.raises(ValidationError, match="item 7"):
            item_7(wrong)


def test_forms_filed_before_read_no_period_and_no_conditions() -> None:
    stored = make_form(73).model_dump(mode="json")
    for field in ("income_period", "serious_conditions"):
        stored.pop(field, None)
    form = ApplicationForm.model_validate(stored, context={"kezek.stored": True})
    assert (form.income_period, form.serious_conditions) == (None, ())
