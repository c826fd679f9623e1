"""The hearing before any refusal (§13): when its notice may still be sent, and when the
hearing itself must fall."""

from __future__ import annotations

from datetime import datetime

from domain import deadlines
from domain.calendar import local_day, working_days_between
from domain.errors import HearingBeforeItsTime, HearingNoticeTooLate, HearingTooLate
from domain.records import Deadline, HearingNotice
from domain.rules import utc


def hearing_term(
    at: datetime, tz: str, consideration_due: Deadline, notice: HearingNotice
) -> Deadline:
    """The term of a hearing notified at `at`: the notice leaves at least 3 working days
    before the consideration term ends, and the hearing falls between the notice and 2
    working days after it."""
    notice_day = local_day(at, tz)
    lead = working_days_between(notice_day, consideration_due.due_on)
    if lead < deadlines.HEARING_NOTICE_LEAD_DAYS:
        raise HearingNoticeTooLate(
            f"the notice comes {max(lead, 0)} working day(s) before the term ends on "
            f"{consideration_due.due_on}; at least 3 are required"
        )
    due = deadlines.hearing(notice_day)
    hearing_at = utc(notice.hearing_at)
    if hearing_at < at or local_day(hearing_at, tz) > due.due_on:
        raise HearingTooLate(f"the hearing must fall between the notice and {due.due_on}")
    return due


def require_hearing_in_time(at: datetime, tz: str, hearing_due: Deadline) -> None:
    if local_day(at, tz) > hearing_due.due_on:
        raise HearingTooLate(f"the hearing had to be held by {hearing_due.due_on}")


def require_hearing_as_notified(at: datetime, notice: HearingNotice | None) -> None:
    """Not before the time the notice gave: the applicant must be able to come and be heard."""
    if notice is not None and at < utc(notice.hearing_at):
        raise HearingBeforeItsTime(
            f"the notice set the hearing for {notice.hearing_at.isoformat()} at {notice.place}"
        )
