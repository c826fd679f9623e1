"""Remedies that remedy (§14, §15, Art. 74 para 1): a complaint upheld, satisfied by the
provider, or a court's decision reopens a refused or not-considered application at the stage
it names, or registers it with the priority it had. No I/O."""

from __future__ import annotations

from datetime import date

import pytest

from demo.synthetic import checks_for, complaint_body, head, officer
from domain.errors import RemedyNotApplicable
from domain.housing_application import HousingApplication
from domain.records import ComplaintForm, HearingNotice, MissingItem
from domain.values import (
    Check,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintSubject,
    DocumentKind,
    HearingOutcome,
    RefusalGround,
    Remedy,
    Status,
)
from projections.deadline_rules import OPEN
from tests.unit.cases import accepted, applicant_of, local, verified
from tests.unit.test_deadline_rules import K, Walk


def refused() -> HousingApplication:
    """Grounds found on 27 March 2024, heard on 4-5 April, refused on 5 April."""
    app = verified(failing=Check.NO_HOUSING_OWNED)
    staff = officer(app.provider)
    app.schedule_hearing(
        actor=staff,
        effective_at=local(2024, 4, 4),
        ground=RefusalGround.NON_COMPLIANCE,
        reasons="owns a flat",
        notice=HearingNotice(hearing_at=local(2024, 4, 5, 11), place="Akimat, room 12"),
    )
    app.hold_hearing(
        actor=staff,
        effective_at=local(2024, 4, 5, 12),
        applicant_position="the flat was sold",
        outcome=HearingOutcome.REFUSAL,
        reasons="the register shows it",
    )
    app.refuse(
        actor=head(app.provider),
        effective_at=local(2024, 4, 5, 15),
        ground=RefusalGround.NON_COMPLIANCE,
        reasons="owns a flat",
    )
    return app


def not_considered() -> HousingApplication:
    app = accepted()
    app.notify_incomplete(
        actor=officer(app.provider),
        effective_at=local(2024, 3, 20),
        missing=[MissingItem(document=DocumentKind.OTHER, description="marriage certificate")],
    )
    app.refuse_further_consideration(
        actor=head(app.provider), effective_at=local(2024, 3, 28), reasons="not corrected"
    )
    return app


def complain(app: HousingApplication, day: date, body: ComplaintBody) -> str:
    return app.file_complaint(
        actor=applicant_of(app),
        effective_at=local(day.year, day.month, day.day),
        complaint=ComplaintForm(
            subject=ComplaintSubject.DECISION, filed_with=body, text="unfounded", concerns_version=2
        ),
    )


def test_an_upheld_complaint_reopens_a_refusal_at_the_stage_it_names_par_14() -> None:
    """§14: the quality body upholds the complaint against the refusal and sends the case
    back to verification: the application is complete again, with a new 10-day verification
    and 15-day consideration from the decision, and may then be registered."""
    app = refused()
    cid = complain(app, date(2024, 4, 8), ComplaintBody.QUALITY_BODY)
    walk = Walk(app)
    app.decide_complaint(
        actor=complaint_body("quality-body"),
        effective_at=local(2024, 4, 15),
        complaint_id=cid,
        outcome=ComplaintOutcome.UPHELD,
        reasons="the flat was sold in 2023; verify again",
        remedy=Remedy.REOPEN,
        reopen_at=Status.COMPLETE,
    )
    assert app.status is Status.COMPLETE
    opened = {(t.kind, t.status, t.starts_on) for t in walk.pump() if t.status == OPEN}
    assert opened == {
        (K.CONSIDERATION, OPEN, date(2024, 4, 15)),
        (K.VERIFICATION, OPEN, date(2024, 4, 15)),
    }
    app.verify(
        actor=officer(app.provider),
        effective_at=local(2024, 4, 16),
        checks=checks_for(app.form, app.provider),
    )
    app.register(actor=officer(app.provider), effective_at=local(2024, 4, 16, 12), queue_number=1)
    assert app.status is Status.REGISTERED


def test_a_not_considered_application_has_a_remedy_par_11_par_14() -> None:
    """§11, §14: a refusal to consider further can be remedied: reopened at the completeness
    check (a new 2-day check and 15-day term), or registered with the priority it had."""
    app = not_considered()
    cid = complain(app, date(2024, 3, 29), ComplaintBody.QUALITY_BODY)
    walk = Walk(app)
    app.decide_complaint(
        actor=complaint_body("quality-body"),
        effective_at=local(2024, 4, 1),
        complaint_id=cid,
        outcome=ComplaintOutcome.UPHELD,
        reasons="the certificate is held by the state systems (§9)",
        remedy=Remedy.REOPEN,
        reopen_at=Status.ACCEPTED,
    )
    assert app.status is Status.ACCEPTED
    assert {t.kind for t in walk.pump() if t.status == OPEN} == {
        K.CONSIDERATION,
        K.COMPLETENESS_CHECK,
    }
    again = not_considered()
    moment = again.priority_moment
    cid = complain(again, date(2024, 3, 29), ComplaintBody.QUALITY_BODY)
    again.decide_complaint(
        actor=complaint_body("quality-body"),
        effective_at=local(2024, 4, 1),
        complaint_id=cid,
        outcome=ComplaintOutcome.UPHELD,
        reasons="the package was complete",
        remedy=Remedy.RESTORE_PLACE,
        queue_number=4,
    )
    assert (again.status, again.queue_number, again.priority_moment) == (
        Status.REGISTERED,
        4,
        moment,
    )


def test_a_complaint_the_provider_satisfies_takes_effect_too_par_14() -> None:
    """§14: the provider meets the complaint in full itself within 3 working days: its
    action is the remedy, and it reopens the refusal at the stage it names."""
    app = refused()
    cid = complain(app, date(2024, 4, 8), ComplaintBody.PROVIDER)
    app.satisfy_complaint(
        actor=head(app.provider),
        effective_at=local(2024, 4, 9),
        complaint_id=cid,
        action_taken="the refusal is revoked; the case goes back to the hearing's outcome",
        remedy=Remedy.REOPEN,
        reopen_at=Status.VERIFIED,
    )
    assert app.status is Status.VERIFIED
    assert app.hearing_outcome is None


def test_a_reopening_names_a_stage_of_consideration_and_only_for_a_refusal() -> None:
    app = refused()
    cid = complain(app, date(2024, 4, 8), ComplaintBody.QUALITY_BODY)
    for stage in (None, Status.REGISTERED, Status.HEARING_HELD):
        with pytest.raises(RemedyNotApplicable) as error:
            app.decide_complaint(
                actor=complaint_body("quality-body"),
                effective_at=local(2024, 4, 15),
                complaint_id=cid,
                outcome=ComplaintOutcome.UPHELD,
                reasons="verify again",
                remedy=Remedy.REOPEN,
                reopen_at=stage,
            )
        assert "§14" in error.value.paragraph
    assert app.status is Status.REFUSED
