"""The statutory terms of the procedure, in working days, computed once and stored in events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from domain.calendar import add_working_days
from domain.records import Deadline
from domain.values import ComplaintBody, DeadlineKind

COMPLETENESS_CHECK_DAYS = 2  # §10
CORRECTION_DAYS = 2  # §10, §11
VERIFICATION_DAYS = 10  # §11
CONSIDERATION_DAYS = 15  # §8, §12, Std 3
HEARING_NOTICE_LEAD_DAYS = 3  # §13: notice at least 3 working days before the term ends
HEARING_DAYS = 2  # §13: hearing no later than 2 working days after the notice
COMPLAINT_FORWARD_DAYS = 3  # §14
DATA_UPDATE_DAYS = 15  # §11, Std 8

# §14 gives 5 working days to the provider and 15 to the quality-assessment body; it is silent
# on a higher administrative body, for which we take the longer term so that a lawful decision
# is never shown as late (docs/domain.md).
COMPLAINT_DECISION_DAYS = {
    ComplaintBody.PROVIDER: 5,
    ComplaintBody.HIGHER_BODY: 15,
    ComplaintBody.QUALITY_BODY: 15,
}

_BASIS = {
    DeadlineKind.ACCEPTANCE: "§7",
    DeadlineKind.COMPLETENESS_CHECK: "§10",
    DeadlineKind.CORRECTION: "§10, §11",
    DeadlineKind.VERIFICATION: "§11",
    DeadlineKind.CONSIDERATION: "§8, §12, Std 3",
    DeadlineKind.HEARING: "§13",
    DeadlineKind.COMPLAINT_FORWARD: "§14",
    DeadlineKind.COMPLAINT_DECISION: "§14",
    DeadlineKind.DATA_UPDATE: "§11, Std 8",
}


def term(kind: DeadlineKind, starts_on: date, working_days: int) -> Deadline:
    """The deadline `working_days` working days after `starts_on`."""
    return Deadline(
        kind=kind,
        starts_on=starts_on,
        due_on=add_working_days(starts_on, working_days),
        working_days=working_days,
        basis=_BASIS[kind],
    )


def acceptance(reception: date) -> Deadline:
    """§7: the provider accepts the application on its reception day (0 working days)."""
    return term(DeadlineKind.ACCEPTANCE, reception, 0)


def _of(kind: DeadlineKind, working_days: int) -> Callable[[date], Deadline]:
    """The term of `kind`: `working_days` working days from the day it starts."""

    def starting(on: date) -> Deadline:
        return term(kind, on, working_days)

    starting.__name__ = kind.value
    return starting


# Each from the day named: reception, notice, completeness, receipt of the complaint.
completeness_check = _of(DeadlineKind.COMPLETENESS_CHECK, COMPLETENESS_CHECK_DAYS)
consideration = _of(DeadlineKind.CONSIDERATION, CONSIDERATION_DAYS)
correction = _of(DeadlineKind.CORRECTION, CORRECTION_DAYS)
verification = _of(DeadlineKind.VERIFICATION, VERIFICATION_DAYS)
hearing = _of(DeadlineKind.HEARING, HEARING_DAYS)
complaint_forward = _of(DeadlineKind.COMPLAINT_FORWARD, COMPLAINT_FORWARD_DAYS)


def complaint_decision(registered_on: date, body: ComplaintBody) -> Deadline:
    return term(DeadlineKind.COMPLAINT_DECISION, registered_on, COMPLAINT_DECISION_DAYS[body])


def data_update(starts_on: date, *, from_sms: bool = False) -> Deadline:
    """§11, Std 8: 15 working days from the appearance of the grounds, or from the receipt of
    an SMS notice (`from_sms`: the day its delivery was recorded); the basis says which."""
    deadline = term(DeadlineKind.DATA_UPDATE, starts_on, DATA_UPDATE_DAYS)
    if not from_sms:
        return deadline
    return deadline.model_copy(update={"basis": f"{deadline.basis}, from the SMS notice's receipt"})
