"""What a complaint's remedy may do (§14, Art. 74 para 1): restore the place of a citizen
taken off the list or refused, or move a registered citizen to the priority they were due."""

from __future__ import annotations

from datetime import datetime

from domain.errors import RemedyNotApplicable
from domain.rules import utc
from domain.values import ON_THE_LIST, ComplaintOutcome, Remedy, Status

EARLIEST_PRIORITY_YEAR = 1950


def require_remedy(
    status: Status,
    outcome: ComplaintOutcome,
    remedy: Remedy,
    corrected: datetime | None,
    at: datetime,
) -> None:
    if remedy is Remedy.NONE:
        if corrected is not None:
            raise RemedyNotApplicable("a corrected priority comes with CORRECT_PRIORITY")
        return
    if outcome is ComplaintOutcome.REJECTED:
        raise RemedyNotApplicable("a rejected complaint carries no remedy")
    if remedy is Remedy.RESTORE_PLACE:
        if status not in {Status.DEREGISTERED, Status.REFUSED}:
            raise RemedyNotApplicable(
                f"a place is restored to a citizen taken off the list or refused, "
                f"not to one {status.value}"
            )
    elif remedy is Remedy.CORRECT_PRIORITY:
        _require_corrected_priority(status, corrected, at)


def _require_corrected_priority(status: Status, corrected: datetime | None, at: datetime) -> None:
    if status not in ON_THE_LIST:
        raise RemedyNotApplicable("a priority is corrected for a citizen on the list")
    if corrected is None:
        raise RemedyNotApplicable("CORRECT_PRIORITY needs the corrected priority moment")
    if corrected.year < EARLIEST_PRIORITY_YEAR:
        raise RemedyNotApplicable(
            f"a corrected priority before {EARLIEST_PRIORITY_YEAR} is implausible"
        )
    if utc(corrected) > at:
        raise RemedyNotApplicable("a corrected priority cannot lie after the decision")
