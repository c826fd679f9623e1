"""What a complete verification against the state information systems covers (§11, §5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.errors import (
    ResidenceRuleNotChecked,
    VerificationIncomplete,
    WorseningOutsideFiveYears,
)
from domain.forms import ApplicationForm
from domain.records import CheckResult
from domain.reference import get_list_kind, get_provider
from domain.values import Check, CheckOutcome

ALWAYS = frozenset(
    {
        Check.PERMANENT_REGISTRATION,
        Check.CATEGORY,
        Check.NO_HOUSING_OWNED,
        Check.NO_DELIBERATE_WORSENING,
    }
)
RESIDENCE_YEARS = 3  # §5: Astana, Almaty, Shymkent


def required_checks(form: ApplicationForm) -> frozenset[Check]:
    category = get_list_kind(form.list_code).category(form.category_code)
    return ALWAYS | {Check.INCOME} if category.income_test else ALWAYS


def require_every_check(
    form: ApplicationForm, provider: str, checks: Sequence[CheckResult]
) -> None:
    done = [c.check for c in checks]
    if len(done) != len(set(done)):
        raise VerificationIncomplete("a check is reported twice")
    missing = required_checks(form) - set(done)
    if missing:
        names = ", ".join(sorted(c.value for c in missing))
        raise VerificationIncomplete(f"checks not reported: {names}")
    if get_provider(provider).three_year_residence:
        residence = next(c for c in checks if c.check is Check.PERMANENT_REGISTRATION)
        if residence.residence_years is None:
            raise ResidenceRuleNotChecked("the years of permanent registration are not stated")
        if residence.outcome is CheckOutcome.PASSED and residence.residence_years < RESIDENCE_YEARS:
            raise ResidenceRuleNotChecked(
                f"{residence.residence_years} year(s) of residence cannot pass the 3-year rule"
            )


WORSENING_YEARS = 5  # §11: "over the past five years"


def require_worsening_in_period(
    checks: Sequence[CheckResult], filed_on: date, verified_on: date
) -> None:
    """§11: a deliberate worsening is a ground only within the five years before the filing
    (the need the application states arose then); the verification dates what it found."""
    for check in checks:
        if check.check is not Check.NO_DELIBERATE_WORSENING:
            continue
        if check.outcome is not CheckOutcome.FAILED:
            continue
        if check.found_on is None:
            raise WorseningOutsideFiveYears("a worsening found states the day it happened")
        earliest = years_before(filed_on, WORSENING_YEARS)
        if not earliest <= check.found_on <= verified_on:
            raise WorseningOutsideFiveYears(
                f"the worsening of {check.found_on} lies outside {earliest} to {verified_on}"
            )


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 3, 1)
