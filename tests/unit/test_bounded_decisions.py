"""Decisions stay within the bounds the Rules give (issue 13): each refusal names its rule."""

from __future__ import annotations

from datetime import date

import pytest

from demo.synthetic import checks_for, document, head, make_form, officer
from domain.actors import Actor
from domain.clock import Recording, recording
from domain.errors import (
    ComplaintAboutOwnAct,
    ComplaintNotBeforeBody,
    ComplaintSatisfactionTooLate,
    CorrectionBringsNothingNamed,
    HearingBeforeItsTime,
    RefusalBeforeCorrectionDeadline,
    RefusalOnUnheardGround,
    RemedyNotApplicable,
)
from domain.housing_application import HousingApplication
from domain.iin import make_iin
from domain.records import HearingNotice, MissingItem
from domain.values import (
    Check,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintSubject,
    DocumentKind,
    HearingOutcome,
    RefusalGround,
    Remedy,
    Role,
    Status,
)
from tests.unit.cases import (
    accepted,
    applicant_of,
    complaint_on,
    decide,
    local,
    registered,
    verified,
)

SANITARY = MissingItem(document=DocumentKind.SANITARY_CONCLUSION, description="Std 8 item 3")


def notified(*missing: MissingItem) -> HousingApplication:
    app = accepted()
    app.notify_incomplete(
        actor=officer("almaty"), effective_at=local(2024, 3, 19), missing=list(missing)
    )
    return app


def test_a_correction_that_brings_nothing_the_notice_named_is_refused_citing_paragraph_10() -> None:
    app = notified(SANITARY)
    photo = document(DocumentKind.OTHER, "holiday photo")
    with pytest.raises(CorrectionBringsNothingNamed) as error:
        app.correct(actor=applicant_of(app), effective_at=local(2024, 3, 20), documents=[photo])
    assert error.value.paragraph == "§10"
    assert app.status is Status.INCOMPLETE


def test_the_officer_finds_a_corrected_package_still_incomplete_and_the_notice_term_runs_on() -> (
    None
):
    app = notified(SANITARY)
    due = app.correction_due
    scan = document(DocumentKind.SANITARY_CONCLUSION, "a blurred scan")
    app.correct(actor=applicant_of(app), effective_at=local(2024, 3, 20), documents=[scan])
    assert app.status is Status.CORRECTED
    still = MissingItem(document=DocumentKind.SANITARY_CONCLUSION, description="unreadable")
    app.find_still_incomplete(
        actor=officer("almaty"), effective_at=local(2024, 3, 20, 15), missing=[still]
    )
    assert app.status is Status.INCOMPLETE
    assert app.missing == (still,)
    assert app.correction_due == due  # no new 2 days: §11 counts from the notice
    with pytest.raises(RefusalBeforeCorrectionDeadline):
        app.refuse_further_consideration(
            actor=head("almaty"), effective_at=local(2024, 3, 20, 16), reasons="unreadable"
        )
    assert due is not None
    after = local(due.due_on.year, due.due_on.month, due.due_on.day + 1, 10)
    app.refuse_further_consideration(actor=head("almaty"), effective_at=after, reasons="unread")
    assert app.status is Status.NOT_CONSIDERED


def scheduled() -> HousingApplication:
    app = verified(failing=Check.NO_HOUSING_OWNED)
    app.schedule_hearing(
        actor=officer("almaty"),
        effective_at=local(2024, 4, 4),
        ground=RefusalGround.UNRELIABLE_DOCUMENTS,
        reasons="the title deed does not match the register",
        notice=HearingNotice(hearing_at=local(2024, 4, 5, 11), place="Akimat, room 12"),
    )
    return app


def hold(app: HousingApplication, at_hour: int) -> None:
    app.hold_hearing(
        actor=officer("almaty"),
        effective_at=local(2024, 4, 5, at_hour),
        applicant_position="the deed is right",
        outcome=HearingOutcome.REFUSAL,
        reasons="the register prevails",
    )


def test_a_hearing_before_the_time_its_notice_gave_is_refused_citing_paragraph_13() -> None:
    app = scheduled()
    with pytest.raises(HearingBeforeItsTime) as error:
        hold(app, 10)  # the notice said 11:00
    assert error.value.paragraph == "§13"
    assert "Akimat, room 12" in error.value.detail
    hold(app, 11)
    assert app.status is Status.HEARING_HELD


def test_a_refusal_rests_on_the_ground_that_was_notified_and_heard() -> None:
    app = scheduled()
    hold(app, 12)
    with pytest.raises(RefusalOnUnheardGround) as error:
        app.refuse(
            actor=head("almaty"),
            effective_at=local(2024, 4, 8),
            ground=RefusalGround.NON_COMPLIANCE,
            reasons="does not comply",
        )
    assert error.value.paragraph == "§13, Std 9"
    app.refuse(
        actor=head("almaty"),
        effective_at=local(2024, 4, 8),
        ground=RefusalGround.UNRELIABLE_DOCUMENTS,
        reasons="the deed is not reliable",
    )
    assert app.status is Status.REFUSED


def complaint(app: HousingApplication, body: ComplaintBody, version: int | None = None) -> str:
    """A complaint against a decision, filed on 1 April 2024."""
    return complaint_on(
        app, date(2024, 4, 1), body, subject=ComplaintSubject.DECISION, concerns_version=version
    )


def body(code: str) -> Actor:
    return Actor(id=code, role=Role.COMPLAINT_BODY)


def test_a_complaint_is_decided_only_by_the_body_it_is_before() -> None:
    app = registered()
    cid = complaint(app, ComplaintBody.HIGHER_BODY)

    def decide_by(by: Actor) -> None:
        decide(app, cid, by, local(2024, 4, 2), reasons="the decision was lawful")

    for other in ("quality_body", "complaint_body-1", "provider"):
        with pytest.raises(ComplaintNotBeforeBody) as error:
            decide_by(body(other))
        assert error.value.paragraph == "§14"
    decide_by(body("higher_body:almaty-region"))
    assert app.complaints[cid].status.value == "decided"


def test_a_complaint_about_the_applicants_own_act_is_refused() -> None:
    app = registered()
    with pytest.raises(ComplaintAboutOwnAct) as error:
        complaint(app, ComplaintBody.PROVIDER, version=1)  # the filing is the applicant's
    assert error.value.paragraph == "§14"
    complaint(app, ComplaintBody.PROVIDER, version=2)  # the acceptance is the provider's


def correct_priority(app: HousingApplication, **remedy: object) -> None:
    cid = complaint(app, ComplaintBody.PROVIDER)
    decide(
        app,
        cid,
        head("almaty"),
        local(2024, 4, 2),
        ComplaintOutcome.UPHELD,
        "the priority runs from the first filing",
        remedy=Remedy.CORRECT_PRIORITY,
        **remedy,
    )


def test_a_corrected_priority_names_the_act_it_restores_and_defaults_to_its_moment() -> None:
    app = registered()
    with pytest.raises(RemedyNotApplicable, match="names the act"):
        correct_priority(app, corrected_priority=local(2024, 3, 18))
    with pytest.raises(RemedyNotApplicable, match="no act at version 99"):
        correct_priority(app, restores_version=99)
    correct_priority(app, restores_version=1)
    decided = app.pending_events[-1]
    assert isinstance(decided, HousingApplication.ComplaintDecided)
    assert decided.priority_moment == app.filed_at
    assert decided.restores_version == 1


def test_a_corrected_priority_before_the_applicant_came_of_age_is_refused() -> None:
    young = make_form(1).model_copy(update={"applicant_iin": make_iin(date(2000, 5, 5), "male", 7)})
    app = accepted(form=young)
    app.find_complete(actor=officer("almaty"), effective_at=local(2024, 3, 19))
    app.verify(
        actor=officer("almaty"),
        effective_at=local(2024, 3, 27),
        checks=checks_for(app.form, app.provider),
    )
    app.register(actor=officer("almaty"), effective_at=local(2024, 3, 28), queue_number=1)
    lost = "a lost paper application"
    with pytest.raises(RemedyNotApplicable, match="could file"):  # of age on 5 May 2018
        correct_priority(
            app, restores_version=1, corrected_priority=local(2018, 5, 4),
            earlier_than_filing_because=lost,
        )  # fmt: skip
    correct_priority(
        app, restores_version=1, corrected_priority=local(2018, 5, 5),
        earlier_than_filing_because=lost,
    )  # fmt: skip
    assert app.priority_moment == local(2018, 5, 5)


def test_a_priority_before_the_original_filing_needs_the_decisions_reason() -> None:
    app = registered()
    earlier = local(2023, 6, 1)
    with pytest.raises(RemedyNotApplicable, match="original filing"):
        correct_priority(app, restores_version=1, corrected_priority=earlier)
    correct_priority(
        app,
        restores_version=1,
        corrected_priority=earlier,
        earlier_than_filing_because="paper application No. 118 of 1 June 2023, lost",
    )
    assert app.priority_moment == earlier
    decided = app.pending_events[-1]
    assert isinstance(decided, HousingApplication.ComplaintDecided)
    assert decided.earlier_than_filing_because.startswith("paper application No. 118")
    assert app.filed_at.date() > date(2023, 6, 1)


def test_dating_an_act_back_never_brings_it_within_a_hard_deadline_it_missed() -> None:
    """§14: the provider may satisfy a complaint itself within 3 working days. Recorded after
    them, the act is too late whatever day it is dated (backdating rescues no term)."""
    app = registered()
    cid = complaint(app, ComplaintBody.PROVIDER)  # filed Monday 1 April: due by 4 April
    satisfied = {"complaint_id": cid, "action_taken": "registered again"}
    late = Recording(at=local(2024, 4, 10), backdated_because="signed on the 4th")
    with recording(late), pytest.raises(ComplaintSatisfactionTooLate):
        app.satisfy_complaint(actor=head("almaty"), effective_at=local(2024, 4, 4), **satisfied)
    in_time = Recording(at=local(2024, 4, 4, 17), backdated_because="signed this morning")
    with recording(in_time):
        app.satisfy_complaint(actor=head("almaty"), effective_at=local(2024, 4, 4), **satisfied)
    assert app.complaints[cid].status.value == "satisfied"
