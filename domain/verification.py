"""What a complete verification against the state information systems covers (§11, §5)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import ResidenceRuleNotChecked, VerificationIncomplete
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
