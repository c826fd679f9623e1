"""Acts the law still requires after their term has run out (§13, §14): recorded, as late,
never lost, and shown as a missed term. No I/O."""

from __future__ import annotations

from datetime import date

import pytest

from demo.synthetic import checks_for, complaint_body, document, head, officer
from domain.errors import ComplaintForwardTooLate, HearingNoticeTooLate
from domain.housing_application import HousingApplication
from domain.records import AdministrativeFile, MissingItem
from domain.values import (
    Check,
    ComplaintBody,
    ComplaintOutcome,
    DocumentKind,
    HearingOutcome,
    Status,
)
from projections.deadline_rules import BODY, MET, MISSED, OPEN, VOID
from tests.unit.cases import (
    accepted,
    applicant_of,
    complaint_on,
    hold_hearing,
    local,
    notice_on,
    refuse,
)
from tests.unit.test_deadline_rules import K, Walk


def corrected_with_grounds_found_on(day: date) -> HousingApplication:
    """Received Monday 18 March 2024 (term ends 11 April), notified incomplete on the 20th,
    corrected and found complete on the 27th, verified with grounds found on `day`."""
    app = accepted()
    staff = officer(app.provider)
    app.notify_incomplete(
        actor=staff,
        effective_at=local(2024, 3, 20),
        missing=[MissingItem(document=DocumentKind.OTHER, description="marriage certificate")],
    )
    app.correct(
        actor=applicant_of(app),
        effective_at=local(2024, 3, 27, 9),
        documents=[document(DocumentKind.OTHER, "marriage certificate")],
    )
    app.find_complete(actor=staff, effective_at=local(2024, 3, 27, 12))
    app.verify(
        actor=staff,
        effective_at=local(day.year, day.month, day.day),
        checks=checks_for(app.form, app.provider, failing=Check.NO_HOUSING_OWNED),
    )
    return app


def test_grounds_found_after_the_last_notice_day_still_lead_to_a_decision_par_13() -> None:
    """§12-§13: grounds found on 10 April, within the corrected package's 10-day verification
    (due 10 April) but after 8 April, the last day a notice leaves 3 working days before the
    term ends on 11 April. The law still requires a decision after a hearing: the notice is
    recorded late, with its reason, and the hearing and the refusal follow."""
    app = corrected_with_grounds_found_on(date(2024, 4, 10))
    assert app.status is Status.GROUNDS_FOUND
    with pytest.raises(HearingNoticeTooLate) as error:
        notice_on(app, date(2024, 4, 10), date(2024, 4, 11))
    assert error.value.paragraph == "§13"
    assert "late_because" in str(error.value)
    notice_on(app, date(2024, 4, 10), date(2024, 4, 11), "the register answered on 10 April")
    assert app.status is Status.HEARING_SCHEDULED
    hold_hearing(app, local(2024, 4, 11, 12), HearingOutcome.REFUSAL, "the flat is the applicant's")
    refuse(app, local(2024, 4, 11, 15), "owns a flat in Astana")
    assert app.status is Status.REFUSED
    (scheduled,) = [e for e in app.collect_events() if type(e).__name__ == "HearingScheduled"]
    assert scheduled.late_because == "the register answered on 10 April"


def test_a_late_notice_is_a_missed_term_and_its_term_says_it_opened_overdue_par_13() -> None:
    """§13: the derived notice term opens already overdue (due 8 April, grounds found on the
    10th) and says so; the late notice closes it as missed by 2 working days."""
    app = corrected_with_grounds_found_on(date(2024, 4, 10))
    walk = Walk(app)
    notice_term = walk.case.open[(K.HEARING_NOTICE.value, "")]
    assert (notice_term.status, notice_term.due_on, notice_term.late_by) == (
        OPEN,
        date(2024, 4, 8),
        2,
    )
    notice_on(app, date(2024, 4, 10), date(2024, 4, 11), "the register answered on 10 April")
    closed, hearing = walk.pump()
    assert (closed.kind, closed.status, closed.late_by) == (K.HEARING_NOTICE, MISSED, 2)
    assert (hearing.kind, hearing.status, hearing.late_by) == (K.HEARING, OPEN, None)


def test_a_notice_in_time_needs_no_reason_and_its_term_opens_not_overdue() -> None:
    app = corrected_with_grounds_found_on(date(2024, 4, 5))
    walk = Walk(app)
    assert walk.case.open[(K.HEARING_NOTICE.value, "")].late_by is None
    notice_on(app, date(2024, 4, 8), date(2024, 4, 10), "ignored: the notice is in time")
    scheduled = app.pending_events[-1]
    assert isinstance(scheduled, HousingApplication.HearingScheduled)
    assert scheduled.late_because == ""
    closed, _ = walk.pump()
    assert (closed.status, closed.late_by) == (MET, 0)


# -- §14: the complaint the provider forwards late ------------------------------------------

FILE = AdministrativeFile(reference="bundle-1", sha256="0" * 64, up_to_version=3)


def with_provider_complaint() -> tuple[HousingApplication, str, Walk]:
    """A complaint filed with the provider on Thursday 2 May 2024: it is forwarded by
    Monday 6 May (3 May, the working Saturday 4 May, 6 May); 7-9 May are off, so 13 May
    is 2 working days late (10 and 13 May)."""
    app = accepted()
    cid = complaint_on(app, date(2024, 5, 2), ComplaintBody.PROVIDER)
    return app, cid, Walk(app)


def forward(app: HousingApplication, cid: str, day: date, late_because: str = "") -> None:
    app.forward_complaint(
        actor=officer(app.provider),
        effective_at=local(day.year, day.month, day.day),
        complaint_id=cid,
        to_body=ComplaintBody.QUALITY_BODY,
        administrative_file=FILE,
        late_because=late_because or None,
    )


def test_a_complaint_forwarded_late_is_recorded_as_late_with_why_par_14() -> None:
    """§14: the provider sends the complaint on within 3 working days. One sent after them
    still reaches the body that decides it: recorded, with why it is late, and the
    forwarding term shown missed; without a reason it is refused (409, §14)."""
    app, cid, walk = with_provider_complaint()
    with pytest.raises(ComplaintForwardTooLate) as error:
        forward(app, cid, date(2024, 5, 13))
    assert error.value.paragraph == "§14"
    assert "late_because" in str(error.value)
    forward(app, cid, date(2024, 5, 13), "the file was with the archive")
    forwarded = app.pending_events[-1]
    assert isinstance(forwarded, HousingApplication.ComplaintForwarded)
    assert forwarded.late_because == "the file was with the archive"
    closed, decision = walk.pump()
    assert (closed.kind, closed.status, closed.late_by) == (K.COMPLAINT_FORWARD, MISSED, 2)
    assert (decision.kind, decision.party, decision.status) == (
        K.COMPLAINT_DECISION,
        BODY,
        OPEN,
    )
    app.decide_complaint(
        actor=complaint_body("quality-body"),
        effective_at=local(2024, 5, 14),
        complaint_id=cid,
        outcome=ComplaintOutcome.REJECTED,
        reasons="the provider acted in time on the application",
    )
    assert app.complaints[cid].status.value == "decided"


def test_the_head_deciding_after_the_forwarding_term_leaves_it_missed_not_void() -> None:
    """§14: deciding the complaint at the provider after the 3 working days does not make
    the missed forward disappear: the term is shown missed; decided within them it is void
    (the provider considered the complaint itself)."""
    for day, expected in ((date(2024, 5, 6), (VOID, None)), (date(2024, 5, 13), (MISSED, 2))):
        app, cid, walk = with_provider_complaint()
        app.decide_complaint(
            actor=head(app.provider),
            effective_at=local(day.year, day.month, day.day),
            complaint_id=cid,
            outcome=ComplaintOutcome.REJECTED,
            reasons="the term is not yet over",
        )
        forward_term = next(t for t in walk.pump() if t.kind is K.COMPLAINT_FORWARD)
        assert (forward_term.status, forward_term.late_by) == expected, day
