"""Appendix 1 item 4: the income declared is "for the last twelve months before applying".

The form states the twelve months (`income_period`, domain.forms); the filing checks they are
the last ones: they end before the filing day, and no earlier than the last day of the month
before last (the state systems hold a month's income some weeks after it ends, so a statement
of whole months may stop one month short). A form that declares income states its period.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.errors import IncomePeriodNotTheLastYear
from domain.forms import ApplicationForm


def earliest_end(filed_on: date) -> date:
    """The last day of the month before last: the earliest the twelve months may end."""
    first_of_last_month = (filed_on.replace(day=1) - timedelta(days=1)).replace(day=1)
    return first_of_last_month - timedelta(days=1)


def require_income_of_last_year(form: ApplicationForm, filed_on: date) -> None:
    if not form.income:
        return
    period = form.income_period
    if period is None:
        raise IncomePeriodNotTheLastYear("the income declared states its twelve months")
    latest, earliest = filed_on - timedelta(days=1), earliest_end(filed_on)
    if not earliest <= period.ends_on <= latest:
        raise IncomePeriodNotTheLastYear(
            f"the twelve months end on {period.ends_on}; filed on {filed_on}, they end between"
            f" {earliest} and {latest}"
        )
