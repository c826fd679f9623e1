"""§11: the verification looks for a deliberate worsening of living conditions over the past
five years; it records when what it found happened, and one older than that is no ground.
No I/O."""

from __future__ import annotations

from datetime import date

import pytest

from demo.synthetic import checks_for, officer
from domain.errors import WorseningOutsideFiveYears
from domain.housing_application import HousingApplication
from domain.values import Check, CheckOutcome, Status
from tests.unit.cases import complete, local


def verify_worsening(app: HousingApplication, found_on: date | None) -> None:
    checks = [
        c.model_copy(update={"found_on": found_on})
        if c.check is Check.NO_DELIBERATE_WORSENING
        else c
        for c in checks_for(app.form, app.provider, failing=Check.NO_DELIBERATE_WORSENING)
    ]
    app.verify(actor=officer(app.provider), effective_at=local(2024, 3, 27), checks=checks)


def test_a_worsening_six_years_before_the_filing_is_no_ground_par_11() -> None:
    """Filed on 18 March 2024: a flat given away on 1 March 2018 lies outside the five years."""
    app = complete()
    with pytest.raises(WorseningOutsideFiveYears) as error:
        verify_worsening(app, date(2018, 3, 1))
    assert error.value.paragraph == "§11"
    assert app.status is Status.COMPLETE


def test_a_worsening_within_five_years_is_a_ground_and_its_date_is_recorded_par_11() -> None:
    app = complete()
    verify_worsening(app, date(2019, 3, 18))  # five years to the day before the filing
    assert app.status is Status.GROUNDS_FOUND
    (found,) = [c for c in app.checks if c.check is Check.NO_DELIBERATE_WORSENING]
    assert (found.outcome, found.found_on) == (CheckOutcome.FAILED, date(2019, 3, 18))


def test_a_worsening_found_without_its_date_or_after_the_verification_is_refused() -> None:
    for found_on in (None, date(2024, 3, 28)):
        app = complete()
        with pytest.raises(WorseningOutsideFiveYears):
            verify_worsening(app, found_on)
