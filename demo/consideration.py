"""Filing and consideration (§3-§13): from the portal to registration or a reasoned refusal,
every act within its statutory term in working days."""

from __future__ import annotations

from datetime import date, timedelta

from demo.moments import local_moment, next_working_day, portal_moment
from demo.script import Script
from demo.synthetic import checks_for, documents_for, head, missing_items, officer
from domain import acts
from domain.calendar import (
    add_working_days,
    end_of_day,
    is_working_day,
    local_day,
    reception_day,
    working_days_between,
)
from domain.forms import IncomePeriod, twelve_months_to
from domain.records import CheckResult, HearingNotice
from domain.reference import get_provider
from domain.values import Check, HearingOutcome, RefusalGround

FAILURE_DETAIL = {
    Check.PERMANENT_REGISTRATION: "no permanent registration in the locality for the period",
    Check.CATEGORY: "the category is not confirmed by the state information systems",
    Check.INCOME: "income above 3.1 subsistence minimums per family member a month",
    Check.NO_HOUSING_OWNED: "a dwelling is registered in the name of a family member",
    Check.NO_DELIBERATE_WORSENING: "a dwelling was given away within the last 5 years",
}
GROUND_FOR = {Check.CATEGORY: RefusalGround.UNRELIABLE_DOCUMENTS}


def submit(s: Script) -> None:
    """The filing; income declared is of the twelve months before it (Appendix 1 item 4)."""
    case = s.case
    if case.form.income:
        ends_on = local_day(s.t, s.tz) - timedelta(days=1)
        period = IncomePeriod(starts_on=twelve_months_to(ends_on), ends_on=ends_on)
        case.form = case.form.model_copy(update={"income_period": period})
    actor = s.wl.applicant(case.form.applicant_iin)
    s.add(s.t, acts.FILE, actor, form=case.form, provider=case.provider)


def accept(s: Script) -> None:
    s.received = reception_day(s.t, s.tz)
    at = s.office(s.received)
    responsible = officer(s.case.provider, s.rng.randint(1, 4))
    s.add(at, acts.ACCEPT, responsible)
    # §10 ¶1: the head sends it for execution to the officer responsible, at once.
    s.add(at, acts.ASSIGN, head(s.case.provider), officer_id=responsible.id)


def find_complete(s: Script, within: int = 2) -> None:
    assert s.received is not None
    s.checked_on = s.working_days(s.received, 0, within)
    at = s.office(s.checked_on)
    s.add(at, acts.FIND_COMPLETE, officer(s.case.provider, s.rng.randint(1, 4)))


def notify_incomplete(s: Script) -> None:
    assert s.received is not None
    at = s.office(s.working_days(s.received, 0, 2))
    actor = officer(s.case.provider, s.rng.randint(1, 4))
    s.add(at, acts.NOTIFY_INCOMPLETE, actor, missing=missing_items(s.case.form))


def correct(s: Script) -> None:
    """The applicant attaches what was missing, on the portal, before the 2 days end."""
    case = s.case
    due = add_working_days(s.today, 2)
    latest = min(end_of_day(due, s.tz), s.t + timedelta(days=2, hours=12))
    at = portal_moment(s.rng, s.t + timedelta(minutes=40), latest)
    missing = sorted(
        case.form.required_documents() - {d.kind for d in case.form.documents},
        key=lambda k: k.value,
    )
    documents = documents_for(missing, f"corrected {local_day(at, s.tz).isoformat()}")
    s.add(at, acts.CORRECT, s.applicant(), documents=documents)
    # The officer looks at what was brought and finds the package complete (§10, §11).
    s.checked_on = reception_day(at, s.tz)
    s.add(s.office(s.checked_on), acts.FIND_COMPLETE, officer(case.provider, s.rng.randint(1, 4)))


def refuse_further_consideration(s: Script) -> None:
    due = add_working_days(s.today, 2)
    at = s.office(s.working_days(due, 1, 2))
    reasons = (
        f"the documents named in the notice of {s.today.isoformat()} were not "
        f"provided by {due.isoformat()} (§11)"
    )
    s.add(at, acts.REFUSE_FURTHER_CONSIDERATION, head(s.case.provider), reasons=reasons)


def verify(s: Script, *, failing: bool = False, after_last_notice_day: bool = False) -> None:
    """All checks against the state systems within 10 working days (§11); when grounds are to
    be found, early enough for the hearing notice (§13), or, `after_last_notice_day`, on the
    last day of the corrected package's verification, or the day after the last notice day
    if that comes later (grounds found late: the notice follows late, docs/domain.md)."""
    case = s.case
    assert s.received is not None
    assert s.checked_on is not None
    if after_last_notice_day:
        s.verified_on = max(add_working_days(s.checked_on, 10), add_working_days(s.received, 13))
    else:
        latest = min(
            add_working_days(s.checked_on, 10),
            add_working_days(s.received, 11 if failing else 14),
        )
        room = max(0, working_days_between(s.checked_on, latest))
        s.verified_on = s.working_days(s.checked_on, min(1, room), room)
    at = s.office(s.verified_on)
    # Ordered by the check's name: what sorting by the results' text did, without the text.
    check = s.rng.choice(sorted(checks_for(case.form, case.provider), key=_by_name)).check
    checks = _checks(s, check if failing else None)
    s.failing = check
    s.add(at, acts.VERIFY, officer(case.provider, s.rng.randint(1, 4)), checks=checks)


def _by_name(result: CheckResult) -> str:
    return result.check.name


def _checks(s: Script, failing: Check | None) -> list[CheckResult]:
    results = checks_for(s.case.form, s.case.provider, failing=failing)
    out: list[CheckResult] = []
    for result in results:
        if result.check is failing:
            years = s.rng.randint(1, 2) if result.residence_years is not None else None
            result = result.model_copy(
                update={"detail": FAILURE_DETAIL[result.check], "residence_years": years}
            )
        out.append(result)
    return out


def hearing(
    s: Script, *, positive: bool, late_because: str | None = None, held_late: str | None = None
) -> None:
    """Notice of the preliminary refusal at least 3 working days before the term ends (or,
    with `late_because`, at once after grounds found too late for that), the hearing within
    2 working days of the notice (or, with `held_late`, a working day after them, saying
    why), then its outcome (§13)."""
    case = s.case
    assert s.verified_on is not None
    last_notice_day = add_working_days(s.received or s.today, 12)
    notice_day = s.verified_on
    if late_because is None and (
        s.rng.random() < 0.5 and add_working_days(notice_day, 1) <= last_notice_day
    ):
        notice_day = add_working_days(notice_day, 1)
    notice_at = s.office(notice_day)
    hearing_day = add_working_days(notice_day, s.rng.choice((1, 2)))
    hour = s.rng.choice((10 * 60, 11 * 60, 11 * 60 + 30, 15 * 60, 16 * 60))
    hearing_at = local_moment(hearing_day, hour, s.tz)
    place = s.rng.choice(
        (
            f"{get_provider(case.provider).name}, room {s.rng.randint(101, 420)}",
            "videoconference; the link is in the applicant's personal account",
        )
    )
    notice = HearingNotice(hearing_at=hearing_at, place=place)
    ground = GROUND_FOR.get(s.failing, RefusalGround.NON_COMPLIANCE)
    reasons = f"preliminary refusal: {FAILURE_DETAIL[s.failing]}"
    actor = officer(case.provider, 1)
    s.add(
        notice_at,
        acts.SCHEDULE_HEARING,
        actor,
        ground=ground,
        reasons=reasons,
        notice=notice,
        late_because=late_because,
    )
    held_at = hearing_at + timedelta(minutes=s.rng.randint(30, 80))
    if held_late is not None:
        held_at = local_moment(add_working_days(notice_day, 3), hour, s.tz)
    outcome = HearingOutcome.POSITIVE if positive else HearingOutcome.REFUSAL
    if positive:
        position = "the applicant presented documents that answer the finding"
        why = "the finding of the state systems is refuted by the documents presented"
    else:
        position = "the applicant did not dispute the finding"
        why = f"the finding stands: {FAILURE_DETAIL[s.failing]}"
    s.add(
        held_at,
        acts.HOLD_HEARING,
        actor,
        applicant_position=position,
        outcome=outcome,
        reasons=why,
        late_because=held_late,
    )
    s.ground = ground


def _decision_day(s: Script) -> date:
    """The day of the decision: the same or the next working day, within the 15 days."""
    day = s.today if is_working_day(s.today) else next_working_day(s.today)
    if s.rng.random() < 0.4 and add_working_days(day, 1) <= s.due:
        day = add_working_days(day, 1)
    return day


def register(s: Script) -> None:
    s.decided_on = _decision_day(s)
    at = s.office(s.decided_on)
    s.add(at, acts.REGISTER, officer(s.case.provider, s.rng.randint(1, 4)))


def refuse(s: Script) -> None:
    s.decided_on = _decision_day(s)
    at = s.office(s.decided_on)
    reasons = f"reasoned refusal after the hearing: {FAILURE_DETAIL[s.failing]} (Std 9)"
    s.add(at, acts.REFUSE, head(s.case.provider), ground=s.ground, reasons=reasons)
