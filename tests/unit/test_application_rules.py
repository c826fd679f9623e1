"""The rules of the procedure, enforced by the application aggregate (no store involved)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest

from demo.synthetic import appendix_3, checks_for, document, head, make_form, officer
from domain.actors import Actor
from domain.calendar import NaiveDatetimeError
from domain.errors import (
    ActBeforePreviousAct,
    ActInTheFuture,
    ActorNotEntitled,
    ComplaintForwardTooLate,
    ComplaintSatisfactionTooLate,
    CorrectionAfterDeadline,
    DataUpdateWhileNotRegistered,
    DocumentsStillMissing,
    DomainError,
    HearingNoticeTooLate,
    HearingTooLate,
    NotTheApplicant,
    RefusalBeforeCorrectionDeadline,
    RefusalWithoutHearing,
    RegistrationBeforeVerification,
    RemedyNotApplicable,
    ResidenceRuleNotChecked,
    SmallerHousingRefused,
    SuccessorNotInFamily,
    UnknownFamilyMember,
    VerificationIncomplete,
    WrongProvider,
)
from domain.forms import DataUpdateForm, FamilyMember
from domain.housing_application import HousingApplication
from domain.records import (
    AdministrativeFile,
    CheckResult,
    Dwelling,
    MissingItem,
)
from domain.values import (
    Check,
    CheckOutcome,
    ComplaintBody,
    ComplaintOutcome,
    DeregistrationGround,
    DocumentKind,
    HearingOutcome,
    RefusalGround,
    Relation,
    Remedy,
    Role,
    Status,
    SuccessionCause,
)
from tests.unit.cases import (
    accepted,
    applicant_of,
    complaint_on,
    complete,
    decide,
    file,
    hold_hearing,
    local,
    notice_on,
    refuse,
    registered,
    verified,
)


def refused_act_changes_nothing(app: HousingApplication, act: object) -> None:
    before = copy.deepcopy(app)
    with pytest.raises(DomainError):
        act()  # type: ignore[operator]
    assert app == before
    assert app.pending_events == before.pending_events


def heard(app: HousingApplication, outcome: HearingOutcome, position: str, reasons: str) -> None:
    """Notice on 4 April 2024 of a hearing on the 5th, held that day at noon."""
    notice_on(app, date(2024, 4, 4), date(2024, 4, 5))
    hold_hearing(app, local(2024, 4, 5, 12), outcome, reasons, position=position)


def data_update(
    app: HousingApplication, reason: str, arose_on: date, **fields: object
) -> DataUpdateForm:
    """The holder's update of their data, with one supporting document."""
    return appendix_3(
        applicant_iin=app.holder_iin,
        reason=reason,
        grounds_arose_on=arose_on,
        documents=(document(DocumentKind.OTHER),),
        **fields,  # type: ignore[arg-type]
    )


# -- filing and acceptance ------------------------------------------------------------------


def test_application_filed_after_hours_is_received_the_next_working_day() -> None:
    app = accepted(at=local(2024, 3, 15, 18, 45))  # Friday after 18:30
    assert app.reception_day == date(2024, 3, 18)


def test_application_filed_before_1830_is_received_the_same_day() -> None:
    app = accepted(at=local(2024, 3, 15, 18, 25))
    assert app.reception_day == date(2024, 3, 15)


def test_the_15_day_term_is_counted_in_working_days_across_nauryz() -> None:
    app = accepted()
    assert app.consideration_due is not None
    # 21-22 March and the observed 25 March 2024 are days off.
    assert app.consideration_due.due_on == date(2024, 4, 11)
    assert app.completeness_due is not None
    assert app.completeness_due.due_on == date(2024, 3, 20)


def test_every_event_carries_actor_effective_moment_and_legal_basis() -> None:
    app = registered()
    for event in app.pending_events:
        assert isinstance(event.actor, Actor)  # type: ignore[attr-defined]
        assert event.effective_at.tzinfo is not None  # type: ignore[attr-defined]
        assert event.basis.startswith(("§", "Art."))  # type: ignore[attr-defined]


def test_an_application_is_filed_only_by_the_applicant_themself() -> None:
    with pytest.raises(ActorNotEntitled):
        HousingApplication.apply_for(
            application_id=file().id,
            form=make_form(2),
            provider="almaty",
            provider_tz="Asia/Almaty",
            applicant_ref="app-x",
            actor=officer("almaty"),
            filed_at=local(2024, 3, 18),
        )


# -- chronology, actors, providers -----------------------------------------------------------


def test_an_act_dated_before_the_previous_act_is_refused() -> None:
    app = accepted()
    refused_act_changes_nothing(
        app, lambda: app.find_complete(actor=officer("almaty"), effective_at=local(2024, 3, 1))
    )
    with pytest.raises(ActBeforePreviousAct):
        app.find_complete(actor=officer("almaty"), effective_at=local(2024, 3, 1))


def test_an_act_dated_in_the_future_is_refused() -> None:
    app = accepted()
    with pytest.raises(ActInTheFuture):
        app.find_complete(
            actor=officer("almaty"), effective_at=datetime.now(UTC) + timedelta(days=1)
        )


def test_a_moment_without_a_time_zone_is_refused() -> None:
    app = accepted()
    with pytest.raises(NaiveDatetimeError):
        app.find_complete(actor=officer("almaty"), effective_at=datetime(2024, 3, 19, 10))


def test_acts_by_another_providers_officer_are_refused_citing_paragraph_1() -> None:
    app = accepted()
    with pytest.raises(WrongProvider) as error:
        app.find_complete(actor=officer("astana"), effective_at=local(2024, 3, 19))
    assert error.value.paragraph == "§1"
    assert "§1" in str(error.value)


def test_only_the_applicant_corrects_their_application() -> None:
    app = accepted()
    app.notify_incomplete(
        actor=officer("almaty"),
        effective_at=local(2024, 3, 19),
        missing=[MissingItem(description="income statement")],
    )
    stranger = Actor(id="app-someone-else", role=Role.APPLICANT)
    with pytest.raises(NotTheApplicant):
        app.correct(actor=stranger, effective_at=local(2024, 3, 20), documents=[])


# -- completeness (§10, §11) -----------------------------------------------------------------


def incomplete() -> HousingApplication:
    app = accepted()
    app.notify_incomplete(
        actor=officer("almaty"),
        effective_at=local(2024, 3, 20),
        missing=[MissingItem(document=DocumentKind.OTHER, description="marriage certificate")],
    )
    return app


def test_the_correction_deadline_is_two_working_days_after_the_notice() -> None:
    app = incomplete()
    assert app.correction_due is not None
    assert app.correction_due.due_on == date(2024, 3, 27)  # 21, 22 and 25 March are off


def test_a_correction_after_its_deadline_is_refused_citing_paragraph_11() -> None:
    app = incomplete()
    with pytest.raises(CorrectionAfterDeadline) as error:
        app.correct(actor=applicant_of(app), effective_at=local(2024, 3, 28), documents=[])
    assert "§11" in error.value.paragraph


def test_a_corrected_application_takes_its_priority_from_the_correction() -> None:
    app = incomplete()
    certificate = document(DocumentKind.OTHER, "Marriage certificate")
    app.correct(
        actor=applicant_of(app), effective_at=local(2024, 3, 27, 23), documents=[certificate]
    )
    assert app.status is Status.CORRECTED  # the officer finds it complete or not (§10)
    app.find_complete(actor=officer("almaty"), effective_at=local(2024, 3, 28, 11))
    assert app.status is Status.COMPLETE
    assert app.priority_moment == local(2024, 3, 27, 23)
    assert app.verification_due is not None
    assert app.verification_due.starts_on == date(2024, 3, 28)  # received after hours


def test_refusal_to_consider_further_waits_for_the_correction_deadline() -> None:
    app = incomplete()
    with pytest.raises(RefusalBeforeCorrectionDeadline):
        app.refuse_further_consideration(
            actor=head("almaty"), effective_at=local(2024, 3, 27), reasons="not corrected"
        )
    app.refuse_further_consideration(
        actor=head("almaty"), effective_at=local(2024, 3, 28), reasons="not corrected"
    )
    assert app.status is Status.NOT_CONSIDERED


def test_refusal_to_consider_further_is_signed_by_the_head() -> None:
    app = incomplete()
    with pytest.raises(ActorNotEntitled):
        app.refuse_further_consideration(
            actor=officer("almaty"), effective_at=local(2024, 3, 28), reasons="not corrected"
        )


def test_a_package_missing_a_standard_document_cannot_be_found_complete() -> None:
    form = make_form(3, list_code="state_employees", category_code="military", with_documents=False)
    app = accepted(form=form)
    with pytest.raises(DocumentsStillMissing, match="certificate_from_work"):
        app.find_complete(actor=officer("almaty"), effective_at=local(2024, 3, 19))


# -- verification and hearing (§11-§13) ------------------------------------------------------


def test_registering_before_verification_is_refused_citing_paragraph_11() -> None:
    app = complete()
    with pytest.raises(RegistrationBeforeVerification) as error:
        app.register(actor=officer("almaty"), effective_at=local(2024, 3, 20), queue_number=1)
    assert "§11" in error.value.paragraph


def test_verification_must_report_every_check() -> None:
    app = complete()
    checks = checks_for(app.form, "almaty")[1:]
    with pytest.raises(VerificationIncomplete):
        app.verify(actor=officer("almaty"), effective_at=local(2024, 3, 20), checks=checks)


def test_three_years_of_residence_are_required_in_almaty() -> None:
    app = complete()
    checks = [
        c.model_copy(update={"residence_years": 2})
        if c.check is Check.PERMANENT_REGISTRATION
        else c
        for c in checks_for(app.form, "almaty")
    ]
    with pytest.raises(ResidenceRuleNotChecked) as error:
        app.verify(actor=officer("almaty"), effective_at=local(2024, 3, 20), checks=checks)
    assert error.value.paragraph.endswith("§5")


def test_a_failed_check_is_a_ground_that_needs_a_hearing_before_refusal() -> None:
    app = verified(failing=Check.NO_HOUSING_OWNED)
    assert app.status is Status.GROUNDS_FOUND
    with pytest.raises(RefusalWithoutHearing) as error:
        refuse(app, local(2024, 3, 28), "owns a flat")
    assert error.value.paragraph == "§13"
    with pytest.raises(RegistrationBeforeVerification):
        app.register(actor=officer("almaty"), effective_at=local(2024, 3, 28), queue_number=1)


def test_a_hearing_notice_needs_three_working_days_before_the_term_ends() -> None:
    # The term ends on 11 April 2024; 8 April leaves 9, 10 and 11 April.
    late = verified(failing=Check.CATEGORY)
    with pytest.raises(HearingNoticeTooLate) as error:
        notice_on(late, date(2024, 4, 9), date(2024, 4, 10))
    assert error.value.paragraph == "§13"
    in_time = verified(failing=Check.CATEGORY)
    notice_on(in_time, date(2024, 4, 8), date(2024, 4, 10))
    assert in_time.status is Status.HEARING_SCHEDULED


def test_a_hearing_set_more_than_two_working_days_after_the_notice_is_refused() -> None:
    app = verified(failing=Check.CATEGORY)
    with pytest.raises(HearingTooLate):
        notice_on(app, date(2024, 4, 4), date(2024, 4, 9))  # due by Monday 8 April
    notice_on(app, date(2024, 4, 4), date(2024, 4, 8))
    assert app.hearing_due is not None
    assert app.hearing_due.due_on == date(2024, 4, 8)


def test_a_hearing_held_after_its_deadline_is_refused_without_the_reason_it_is_late() -> None:
    """§13: the hearing falls within 2 working days of the notice; one held after them is
    recorded only with the reason it is late (else the case could never be decided, §12)."""
    app = verified(failing=Check.CATEGORY)
    notice_on(app, date(2024, 4, 4), date(2024, 4, 8))
    with pytest.raises(HearingTooLate, match="late_because"):
        hold_hearing(app, local(2024, 4, 9), HearingOutcome.REFUSAL, "confirmed")
    app.hold_hearing(
        actor=officer(app.provider),
        effective_at=local(2024, 4, 9),
        applicant_position="disagrees",
        outcome=HearingOutcome.REFUSAL,
        reasons="confirmed",
        late_because="the applicant was ill on the 8th and asked for the 9th, by phone",
    )
    assert app.status is Status.HEARING_HELD
    assert app.pending_events[-1].late_because.startswith("the applicant was ill")


def test_refusal_after_hearing_names_its_grounds() -> None:
    app = verified(failing=Check.NO_HOUSING_OWNED)
    heard(app, HearingOutcome.REFUSAL, "the flat was sold", "the sale is not registered")
    refuse(app, local(2024, 4, 8), "owns housing in Kazakhstan (ENSRPO)")
    refused = app.pending_events[-1]
    assert isinstance(refused, HousingApplication.Refused)
    assert refused.ground is RefusalGround.NON_COMPLIANCE
    assert refused.reasons == "owns housing in Kazakhstan (ENSRPO)"
    assert "Std 9" in refused.basis
    assert app.status is Status.REFUSED


def test_a_positive_hearing_allows_registration() -> None:
    app = verified(failing=Check.CATEGORY)
    heard(app, HearingOutcome.POSITIVE, "certificate shown", "category confirmed")
    app.register(actor=officer("almaty"), effective_at=local(2024, 4, 8), queue_number=7)
    assert app.queue_number == 7


# -- life on the list -----------------------------------------------------------------------


def test_a_data_update_after_the_application_closed_is_refused_appendix_3() -> None:
    app = verified()
    app.withdraw(actor=applicant_of(app), effective_at=local(2024, 3, 27, 12))
    update = data_update(app, "new child", date(2024, 3, 25))
    with pytest.raises(DataUpdateWhileNotRegistered):
        app.update_data(actor=applicant_of(app), effective_at=local(2024, 3, 28), update=update)


def test_a_data_update_records_its_15_working_day_term() -> None:
    app = registered()
    update = data_update(app, "divorce", date(2024, 4, 1), family_member_iin=app.family[0].iin)
    app.update_data(actor=applicant_of(app), effective_at=local(2024, 4, 2), update=update)
    event = app.pending_events[-1]
    assert isinstance(event, HousingApplication.DataUpdated)
    assert event.update_due.due_on == date(2024, 4, 22)


def test_the_place_passes_only_to_a_family_member() -> None:
    app = registered()

    def pass_place(successor_iin: str, successor_ref: str) -> None:
        app.pass_place_to_family_member(
            actor=head("almaty"),
            effective_at=local(2024, 4, 2),
            cause=SuccessionCause.DEATH,
            successor_iin=successor_iin,
            successor_ref=successor_ref,
            reasons="death certificate",
        )

    with pytest.raises(SuccessorNotInFamily):
        pass_place(make_form(99).applicant_iin, "app-x")
    heir = app.family[0].iin
    pass_place(heir, "app-heir")
    assert app.holder_iin == heir
    assert app.status is Status.REGISTERED


def test_housing_below_the_norm_is_not_offered_to_whom_refused_it() -> None:
    form = make_form(5, family_size=2, accepts_smaller=False)
    app = file(form=form)
    app.accept(actor=officer("almaty"), effective_at=local(2024, 3, 18, 11))
    app.find_complete(actor=officer("almaty"), effective_at=local(2024, 3, 19))
    app.verify(
        actor=officer("almaty"), effective_at=local(2024, 3, 20), checks=checks_for(form, "almaty")
    )
    app.register(actor=officer("almaty"), effective_at=local(2024, 3, 20, 12), queue_number=1)
    small = Dwelling(address="Abay 1-1", rooms=1, useful_area_m2=30)  # 3 persons need 45
    with pytest.raises(SmallerHousingRefused):
        app.offer_housing(actor=officer("almaty"), effective_at=local(2024, 4, 1), dwelling=small)
    assert (
        app.offer_housing(
            actor=officer("almaty"),
            effective_at=local(2024, 4, 1),
            dwelling=Dwelling(address="Abay 1-2", rooms=3, useful_area_m2=60),
        )
        == "o1"
    )


# -- complaints (§14) -----------------------------------------------------------------------


FILE = AdministrativeFile(reference="bundle-1", sha256="0" * 64, up_to_version=3)


def test_a_complaint_forwarded_after_three_working_days_is_refused_citing_paragraph_14() -> None:
    app = accepted()
    cid = complaint_on(app, date(2024, 5, 2), ComplaintBody.PROVIDER)  # Thursday
    # 3 working days: 3 May, 4 May (the working Saturday), 6 May.

    def forward(at: datetime) -> None:
        app.forward_complaint(
            actor=officer("almaty"),
            effective_at=at,
            complaint_id=cid,
            to_body=ComplaintBody.QUALITY_BODY,
            administrative_file=FILE,
        )

    with pytest.raises(ComplaintForwardTooLate) as error:
        forward(local(2024, 5, 7))
    assert error.value.paragraph == "§14"
    forward(local(2024, 5, 6))


def test_the_provider_satisfies_a_complaint_itself_only_within_three_working_days() -> None:
    app = accepted()
    cid = complaint_on(app, date(2024, 5, 2), ComplaintBody.PROVIDER)
    with pytest.raises(ComplaintSatisfactionTooLate):
        app.satisfy_complaint(
            actor=officer("almaty"),
            effective_at=local(2024, 5, 10),
            complaint_id=cid,
            action_taken="x",
        )


def test_a_complaint_before_a_body_is_decided_by_that_body_not_the_provider() -> None:
    app = accepted()
    cid = complaint_on(app, date(2024, 5, 2), ComplaintBody.QUALITY_BODY)
    with pytest.raises(ActorNotEntitled):
        decide(app, cid, head("almaty"), local(2024, 5, 3), reasons="unfounded")


def test_a_place_is_restored_only_to_a_citizen_taken_off_the_list_or_refused() -> None:
    app = registered()
    cid = complaint_on(app, date(2024, 4, 1), ComplaintBody.QUALITY_BODY)

    def restore(at: datetime, reasons: str, queue_number: int) -> None:
        decide(
            app,
            cid,
            Actor(id="quality-body", role=Role.COMPLAINT_BODY),
            at,
            ComplaintOutcome.UPHELD,
            reasons,
            remedy=Remedy.RESTORE_PLACE,
            queue_number=queue_number,
        )

    with pytest.raises(RemedyNotApplicable):
        restore(local(2024, 4, 2), "x", queue_number=1)
    app.deregister(
        actor=head("almaty"),
        effective_at=local(2024, 4, 3),
        ground=DeregistrationGround.GROUNDS_CEASED,
        reasons="income above threshold",
    )
    restore(local(2024, 4, 4), "income was miscounted", queue_number=3)
    assert app.status is Status.REGISTERED
    assert app.queue_number == 3


def test_a_refused_act_leaves_the_application_exactly_as_it_was() -> None:
    app = verified(failing=Check.CATEGORY)
    refused_act_changes_nothing(app, lambda: refuse(app, local(2024, 3, 28), "x"))


def test_a_domain_error_names_its_rule_and_paragraph() -> None:
    error = RefusalWithoutHearing("no hearing")
    assert error.rule
    assert error.paragraph == "§13"
    assert str(error) == f"no hearing [{error.rule}, §13]"


def test_check_results_are_value_objects() -> None:
    result = CheckResult(check=Check.CATEGORY, outcome=CheckOutcome.PASSED, source="ENSRPO")
    assert result == CheckResult(check=Check.CATEGORY, outcome=CheckOutcome.PASSED, source="ENSRPO")


def test_a_data_update_cannot_list_the_applicant_in_their_own_family() -> None:
    app = registered()
    self_as_spouse = FamilyMember(iin=app.holder_iin, full_name="Self", relation=Relation.SPOUSE)
    update = data_update(app, "remarried", date(2024, 4, 1), family=(self_as_spouse,))
    with pytest.raises(UnknownFamilyMember):
        app.update_data(actor=applicant_of(app), effective_at=local(2024, 4, 2), update=update)


def test_every_act_of_the_application_states_what_it_changes() -> None:
    acts = [
        cls
        for cls in vars(HousingApplication).values()
        if isinstance(cls, type)
        and issubclass(cls, HousingApplication.Act)
        and cls is not HousingApplication.Act
    ]
    assert len(acts) >= 20
    lacking = [a.__name__ for a in acts if a.take_effect is HousingApplication.Act.take_effect]
    assert lacking == []
