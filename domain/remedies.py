"""What a remedy may do (§14, §15, Art. 74 para 1): restore the place of a citizen taken off
the list, refused or not considered (registered with the priority they had), reopen a refused
or not-considered application at the stage of consideration the decision names, or move a
registered citizen to the priority they were due.

A reopening resumes consideration with new terms from the day of the decision: 15 working
days to decide (§8), and the 2-day completeness check (§10) or 10-day verification (§11) of
the stage it resumes at (docs/domain.md).

A corrected priority stays within what the record supports: it names the act whose moment it
restores (by default it is that act's moment), never lies before the applicant came of age
(18: when they could first file) nor after the decision, and lies before the original filing
only when the decision says why (a lost earlier filing, say)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain import deadlines
from domain.calendar import local_day
from domain.errors import RemedyNotApplicable
from domain.records import Deadline
from domain.rules import utc
from domain.values import ON_THE_LIST, ComplaintOutcome, Remedy, Status

# Where a remedy may send a closed application back: its decision undone.
RESTORABLE = frozenset({Status.DEREGISTERED, Status.REFUSED, Status.NOT_CONSIDERED})
REOPENABLE = frozenset({Status.REFUSED, Status.NOT_CONSIDERED})
# The stages consideration may resume at: the completeness check, the verification, or the
# decision on a clean verification (a new hearing follows from there if grounds remain).
RESUMES_AT = (Status.ACCEPTED, Status.COMPLETE, Status.VERIFIED)


@dataclass(frozen=True)
class Reopening:
    """Where consideration resumes and the terms that run again from the decision's day."""

    stage: Status
    consideration_due: Deadline
    completeness_due: Deadline | None
    verification_due: Deadline | None


def reopening(stage: Status | None, day: date) -> Reopening:
    if stage not in RESUMES_AT:
        said = ", ".join(s.said for s in RESUMES_AT)
        raise RemedyNotApplicable(f"a reopening names the stage consideration resumes at: {said}")
    return Reopening(
        stage=stage,
        consideration_due=deadlines.consideration(day),
        completeness_due=deadlines.completeness_check(day) if stage is Status.ACCEPTED else None,
        verification_due=deadlines.verification(day) if stage is Status.COMPLETE else None,
    )


EARLIEST_PRIORITY_YEAR = 1950


ADULTHOOD_YEARS = 18


@dataclass(frozen=True)
class PriorityRecord:
    """What the application's record says about when its priority could run."""

    filed_at: datetime
    tz: str  # the provider's zone: coming of age is a day there
    applicant_born: date
    moments: tuple[datetime, ...]  # each version's moment, oldest first

    @property
    def adult_on(self) -> date:
        born = self.applicant_born
        try:
            return born.replace(year=born.year + ADULTHOOD_YEARS)
        except ValueError:  # born on 29 February
            return date(born.year + ADULTHOOD_YEARS, 3, 1)


def corrected_priority(
    record: PriorityRecord,
    restores_version: int | None,
    corrected: datetime | None,
    earlier_because: str,
    at: datetime,
) -> datetime:
    """The priority moment a CORRECT_PRIORITY remedy sets, checked against the record."""
    if restores_version is None:
        raise RemedyNotApplicable("a corrected priority names the act whose moment it restores")
    if not 1 <= restores_version <= len(record.moments):
        raise RemedyNotApplicable(f"the application has no act at version {restores_version}")
    if corrected is not None and corrected.year < EARLIEST_PRIORITY_YEAR:
        raise RemedyNotApplicable(
            f"a corrected priority before {EARLIEST_PRIORITY_YEAR} is implausible"
        )
    moment = utc(corrected) if corrected is not None else record.moments[restores_version - 1]
    if moment < record.filed_at:  # the record's own moments are supported by it
        if not earlier_because.strip():
            raise RemedyNotApplicable(
                "a priority before the original filing needs the decision's reason for it"
            )
        if local_day(moment, record.tz) < record.adult_on:
            raise RemedyNotApplicable(
                f"a priority cannot run before the applicant could file"
                f" (of age on {record.adult_on})"
            )
    _require_plausible(moment, at)
    return moment


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
        if status not in RESTORABLE:
            raise RemedyNotApplicable(
                f"a place is restored to a citizen taken off the list, refused or not "
                f"considered, not to one {status.said}"
            )
    elif remedy is Remedy.REOPEN and status not in REOPENABLE:
        raise RemedyNotApplicable(
            f"consideration is reopened after a refusal or a refusal to consider further, "
            f"not when {status.said}"
        )
    elif remedy is Remedy.CORRECT_PRIORITY and status not in ON_THE_LIST:
        raise RemedyNotApplicable("a priority is corrected for a citizen on the list")


def remedy_effect(
    remedy: Remedy,
    reopen_at: Status | None,
    day: date,
    verified: bool,
    queue_number: int | None,
) -> dict[str, Any]:
    """The event fields of a remedy's effect: the number of a restored place, or the stage a
    reopening resumes at and the terms that run again from `day` (the decision's reception
    day). `verified`: the application has been verified, so consideration may resume after it."""
    if remedy is not Remedy.REOPEN:
        if reopen_at is not None:
            raise RemedyNotApplicable("a stage to resume at comes with the remedy reopen")
        number = queue_number if remedy is Remedy.RESTORE_PLACE else None
        return {"remedy": remedy, "queue_number": number, "reopened_at": None}
    if reopen_at is Status.VERIFIED and not verified:
        raise RemedyNotApplicable("consideration resumes after a verification only once one")
    again = reopening(reopen_at, day)
    return {
        "remedy": remedy,
        "queue_number": None,
        "reopened_at": again.stage,
        "consideration_due": again.consideration_due,
        "completeness_due": again.completeness_due,
        "verification_due": again.verification_due,
    }


def priority_effect(
    record: PriorityRecord,
    remedy: Remedy,
    corrected: datetime | None,
    restores_version: int | None,
    earlier_because: str,
    at: datetime,
) -> dict[str, Any]:
    """The event fields of a corrected priority, empty (None, None, "") for another remedy."""
    moment = None
    if remedy is Remedy.CORRECT_PRIORITY:
        moment = corrected_priority(record, restores_version, corrected, earlier_because, at)
    else:
        restores_version, earlier_because = None, ""
    if moment is None or moment >= record.filed_at:
        earlier_because = ""
    return {
        "priority_moment": moment,
        "restores_version": restores_version,
        "earlier_than_filing_because": earlier_because.strip(),
    }


def _require_plausible(moment: datetime, at: datetime) -> None:
    if moment.year < EARLIEST_PRIORITY_YEAR:
        raise RemedyNotApplicable(
            f"a corrected priority before {EARLIEST_PRIORITY_YEAR} is implausible"
        )
    if moment > at:
        raise RemedyNotApplicable("a corrected priority cannot lie after the decision")
