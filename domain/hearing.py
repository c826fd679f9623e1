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
    at: datetime, tz: str, consideration_due: Deadline, notice: HearingNotice, late_because: str
) -> tuple[Deadline, str]:
    """The term of a hearing notified at `at`, and the reason kept for a late notice.

    The notice leaves at least 3 working days before the consideration term ends; grounds
    found later still need a notice and a hearing before the refusal the law requires (a
    corrected package's 2 + 2 + 10 working days can pass the last notice day), so a late
    notice is recorded with the reason it is late, and shown as a missed term
    (docs/domain.md). The hearing falls between the notice and 2 working days after it."""
    notice_day = local_day(at, tz)
    lead = working_days_between(notice_day, consideration_due.due_on)
    in_time = lead >= deadlines.HEARING_NOTICE_LEAD_DAYS
    if not in_time and not late_because.strip():
        raise HearingNoticeTooLate(
            f"the notice comes {max(lead, 0)} working day(s) before the term ends on "
            f"{consideration_due.due_on}; at least 3 are required: a late notice is recorded "
            "only with the reason it is late (late_because)"
        )
    due = deadlines.hearing(notice_day)
    hearing_at = utc(notice.hearing_at)
    if hearing_at < at or local_day(hearing_at, tz) > due.due_on:
        raise HearingTooLate(f"the hearing must fall between the notice and {due.due_on}")
    return due, "" if in_time else late_because.strip()


def hearing_lateness(at: datetime, tz: str, hearing_due: Deadline, late_because: str) -> str:
    """The reason kept for a hearing held after its 2 working days ("" when in time).

    Refused without one, as before; with one it is recorded late and shown as a missed term:
    otherwise a hearing not held in time would leave the case with no lawful act (no refusal
    without a hearing, no second notice) although §12 still requires a decision
    (docs/domain.md)."""
    if local_day(at, tz) <= hearing_due.due_on:
        return ""
    if not late_because.strip():
        raise HearingTooLate(
            f"the hearing had to be held by {hearing_due.due_on}: a late hearing is recorded "
            "only with the reason it is late (late_because)"
        )
    return late_because.strip()


def require_hearing_as_notified(at: datetime, notice: HearingNotice | None) -> None:
    """Not before the time the notice gave: the applicant must be able to come and be heard."""
    if notice is not None and at < utc(notice.hearing_at):
        raise HearingBeforeItsTime(
            f"the notice set the hearing for {notice.hearing_at.isoformat()} at {notice.place}"
        )
