"""The application for housing: one aggregate per application, an event for every act.

Event classes are nested and past-tense; their topics (`domain.housing_application:
HousingApplication.<Event>`) are stored forever. Changing an event's shape means a new
`class_version` and an upcaster. Commands check their rules first and trigger one event; a
refused command leaves the aggregate and the store untouched.

What an act is (who, from which stage, its basis) is its declaration's (domain.acts); the
longer rules live beside this module, each named for what it decides: rules (who and when),
deadlines, hearing, decisions, complaints, remedies, data_updates, verification.
"""

from __future__ import annotations

from dataclasses import KW_ONLY
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain import acts, deadlines, offers
from domain.actors import Actor
from domain.acts.definition import ActDefinition
from domain.calendar import local_day, reception_day
from domain.clock import current_recording, recorded_at
from domain.complaints import (
    ComplaintCase,
    forward_lateness,
    open_case,
    require_act_of_the_provider,
    require_deciding_body,
    require_satisfaction_in_time,
    require_with_provider,
)
from domain.data_updates import (
    FROM_GROUNDS,
    FROM_SMS,
    NoticeDelivery,
    Standing,
    recompute,
    require_household,
    require_updatable,
    term_start,
)
from domain.decisions import (
    require_cleared_for_registration,
    require_heard_for_refusal,
    require_heard_ground,
    require_named_items,
    require_nothing_the_state_supplies,
)
from domain.errors import (
    ActOutOfOrder,
    CorrectionAfterDeadline,
    CourtDecisionOutOfRecord,
    DocumentsStillMissing,
    NothingMissing,
    NotOnTheList,
    RefusalBeforeCorrectionDeadline,
    RefusalWithoutReasons,
    RemedyNotApplicable,
    SuccessorNotInFamily,
)
from domain.forms import (
    ApplicationForm,
    DataUpdateForm,
    FamilyMember,
    SupportingDocument,
    required_documents,
)
from domain.hearing import hearing_lateness, hearing_term, require_hearing_as_notified
from domain.iin import parse_iin
from domain.income import require_income_of_last_year
from domain.offers import (
    refusal_consequence,
    refusal_is_unjustified,
    require_offerable,
    require_open_offer,
    require_refusals_for_deregistration,
)
from domain.priority import priority_key
from domain.records import (
    AdministrativeFile,
    CheckResult,
    ComplaintForm,
    Deadline,
    Dwelling,
    HearingNotice,
    MissingItem,
)
from domain.remedies import PriorityRecord, priority_effect, remedy_effect, require_remedy
from domain.rules import (
    require_applicant,
    require_chronology,
    require_not_in_future,
    require_own_provider,
    require_role,
    utc,
)
from domain.values import (
    CLOSED,
    ON_THE_LIST,
    CheckOutcome,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintStatus,
    DeregistrationGround,
    DocumentKind,
    HearingOutcome,
    OfferRefusalReason,
    RefusalGround,
    Remedy,
    Role,
    Status,
    SuccessionCause,
)
from domain.verification import require_every_check, require_worsening_in_period

# No one living waits on a list from before this year; an earlier "corrected priority" is a typo.


class HousingApplication(Aggregate):
    """A citizen's application, from filing to housing (or refusal, withdrawal, removal)."""

    class Applied(Aggregate.Created):
        actor: Actor
        effective_at: datetime
        basis: str
        provider: str
        provider_tz: str
        applicant_ref: str
        form: ApplicationForm
        # Since acceptance is judged (§7); filings before read None and open no term.
        acceptance_due: Deadline | None = None

    def __init__(
        self,
        actor: Actor,
        effective_at: datetime,
        basis: str,
        provider: str,
        provider_tz: str,
        applicant_ref: str,
        form: ApplicationForm,
        acceptance_due: Deadline | None = None,
    ) -> None:
        self.provider = provider
        self.assigned_to: str | None = None
        self.tz = provider_tz
        self.applicant_ref = applicant_ref
        self.form = form
        self.phone = form.phone  # where SMS notices go (a data update may change it)
        self.holder_iin = form.applicant_iin
        self.category_code = form.category_code
        self.family: tuple[FamilyMember, ...] = form.family
        self.documents: tuple[SupportingDocument, ...] = form.documents
        self.status = Status.SUBMITTED
        self.filed_at = effective_at
        self.priority_moment = effective_at
        self.last_effective_at = effective_at
        self.reception_day: date | None = None
        self.consideration_due: Deadline | None = None
        self.completeness_due: Deadline | None = None
        self.correction_due: Deadline | None = None
        self.verification_due: Deadline | None = None
        self.missing: tuple[MissingItem, ...] = ()
        self.checks: tuple[CheckResult, ...] = ()
        self.hearing_due: Deadline | None = None
        self.hearing_notice: HearingNotice | None = None
        self.hearing_ground: RefusalGround | None = None
        self.hearing_outcome: HearingOutcome | None = None
        # Each version's moment and who acted, oldest first (remedies and complaints read it).
        self.record: tuple[tuple[datetime, Role], ...] = ((effective_at, actor.role),)
        self.queue_number: int | None = None
        self.was_registered = False
        self.complaints: dict[str, ComplaintCase] = {}
        self.offers_made = 0
        self.open_offer: str | None = None
        self.open_dwelling: Dwelling | None = None
        self.open_below_norm = False
        self.unjustified_refusals = 0  # offers refused without a valid reason (Art. 73-75)

    class Act(Aggregate.Event):
        """Every act names who did it, when it took effect, and on what legal basis; an act
        that staff dated earlier than it was recorded keeps their written reason (events
        recorded before the reason existed read it as empty)."""

        actor: Actor
        effective_at: datetime
        basis: str
        _: KW_ONLY
        backdated_because: str = ""

        def apply(self, aggregate: Any) -> None:
            aggregate.last_effective_at = self.effective_at
            aggregate.record = (*aggregate.record, (self.effective_at, self.actor.role))
            self.take_effect(aggregate)

        def take_effect(self, app: HousingApplication) -> None:
            """What the act changes besides its moment; every act below says it."""

    # -- filing and acceptance ------------------------------------------------------------

    @classmethod
    def apply_for(
        cls,
        *,
        application_id: UUID,
        form: ApplicationForm,
        provider: str,
        provider_tz: str,
        applicant_ref: str,
        actor: Actor,
        filed_at: datetime,
    ) -> HousingApplication:
        """The citizen files the Appendix 1 form on the portal, signed by EDS (§3, §6)."""
        filed_at = utc(filed_at)
        act = acts.FILE
        require_role(actor, act.roles, act.noun)
        require_applicant(actor, applicant_ref, act.noun)
        require_not_in_future(filed_at, act.noun)
        require_income_of_last_year(form, local_day(filed_at, provider_tz))
        return cls._create(
            cls.Applied,
            id=application_id,
            timestamp=recorded_at(filed_at),
            actor=actor,
            effective_at=filed_at,
            basis=act.basis,
            provider=provider,
            provider_tz=provider_tz,
            applicant_ref=applicant_ref,
            form=form,
            acceptance_due=deadlines.acceptance(reception_day(filed_at, provider_tz)),
        )

    class Accepted(Act):
        reception_day: date
        completeness_due: Deadline
        consideration_due: Deadline

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.ACCEPTED
            app.reception_day = self.reception_day
            app.completeness_due = self.completeness_due
            app.consideration_due = self.consideration_due

    def accept(self, *, actor: Actor, effective_at: datetime) -> None:
        """The provider registers the application on the day of receipt (§7, §8)."""
        at = self._begin(acts.ACCEPT, actor, effective_at)
        received = reception_day(self.filed_at, self.tz)
        # §7 names the latest day, not the earliest: an officer working late or on a day off
        # may accept at once (never before the filing: acts keep their order); the reception
        # day, and every term from it, stays as it is.
        self._trigger(
            acts.ACCEPT,
            actor,
            at,
            reception_day=received,
            completeness_due=deadlines.completeness_check(received),
            consideration_due=deadlines.consideration(received),
        )

    class Assigned(Act):
        officer_id: str

        def take_effect(self, app: HousingApplication) -> None:
            app.assigned_to = self.officer_id

    def assign(self, *, actor: Actor, effective_at: datetime, officer_id: str) -> None:
        """The head sends the application for execution to an officer of the responsible
        unit (§10 ¶1); a later assignment hands it to another."""
        at = self._begin(acts.ASSIGN, actor, effective_at)
        self._trigger(acts.ASSIGN, actor, at, officer_id=officer_id)

    # -- completeness (§10, §11) ----------------------------------------------------------

    class NotifiedIncomplete(Act):
        missing: list[MissingItem]
        correction_due: Deadline

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.INCOMPLETE
            app.missing = tuple(self.missing)
            app.correction_due = self.correction_due

    def notify_incomplete(
        self, *, actor: Actor, effective_at: datetime, missing: list[MissingItem]
    ) -> None:
        """The officer tells the applicant what is missing and by when (§10)."""
        at = self._begin(acts.NOTIFY_INCOMPLETE, actor, effective_at)
        if not missing:
            raise NothingMissing("an incompleteness notice must name at least one missing item")
        require_nothing_the_state_supplies(missing)
        self._trigger(
            acts.NOTIFY_INCOMPLETE,
            actor,
            at,
            missing=list(missing),
            correction_due=deadlines.correction(local_day(at, self.tz)),
        )

    class FoundComplete(Act):
        verification_due: Deadline

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.COMPLETE
            app.verification_due = self.verification_due

    def find_complete(self, *, actor: Actor, effective_at: datetime) -> None:
        """The officer finds the package complete; verification starts (§10, §11). After a
        correction its term runs from the correction, when the package was provided."""
        at = self._begin(acts.FIND_COMPLETE, actor, effective_at)
        self._require_documents(self.documents)
        due = self.verification_due
        if self.status is not Status.CORRECTED or due is None:
            due = deadlines.verification(local_day(at, self.tz))
        self._trigger(acts.FIND_COMPLETE, actor, at, verification_due=due)

    class FoundStillIncomplete(Act):
        missing: list[MissingItem]

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.INCOMPLETE
            app.missing = tuple(self.missing)

    def find_still_incomplete(
        self, *, actor: Actor, effective_at: datetime, missing: list[MissingItem]
    ) -> None:
        """The officer finds that the correction did not bring everything: what is still
        missing; the term of the notice keeps running (§10, §11)."""
        at = self._begin(acts.FIND_STILL_INCOMPLETE, actor, effective_at)
        if not missing:
            raise NothingMissing("a finding of incompleteness names what is still missing")
        require_nothing_the_state_supplies(missing)
        self._trigger(acts.FIND_STILL_INCOMPLETE, actor, at, missing=list(missing))

    class Corrected(Act):
        documents: list[SupportingDocument]
        priority_moment: datetime
        verification_due: Deadline
        # Since the officer finds a corrected package complete or not; a correction recorded
        # before that (read as False) completed the package itself, as it did then.
        awaits_finding: bool = False

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.CORRECTED if self.awaits_finding else Status.COMPLETE
            app.documents = app.documents + tuple(self.documents)
            app.priority_moment = self.priority_moment
            app.verification_due = self.verification_due

    def correct(
        self, *, actor: Actor, effective_at: datetime, documents: list[SupportingDocument]
    ) -> None:
        """The applicant brings what the notice named, in time (§10, §11); the officer then
        finds the package complete or still incomplete.

        Art. 74 para 1: if it is complete, it is so, and its priority runs, from this moment.
        """
        at = self._begin(acts.CORRECT, actor, effective_at)
        assert self.correction_due is not None
        if local_day(at, self.tz) > self.correction_due.due_on:
            raise CorrectionAfterDeadline(
                f"the correction was due by {self.correction_due.due_on} (2 working days)"
            )
        require_named_items(self.missing, documents)
        complete_on = reception_day(at, self.tz)
        self._trigger(
            acts.CORRECT,
            actor,
            at,
            documents=list(documents),
            priority_moment=at,
            verification_due=deadlines.verification(complete_on),
            awaits_finding=True,
        )

    class RefusedFurtherConsideration(Act):
        reasons: str

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.NOT_CONSIDERED

    def refuse_further_consideration(
        self, *, actor: Actor, effective_at: datetime, reasons: str
    ) -> None:
        """The head refuses to consider further an application not corrected in time (§11)."""
        at = self._begin(acts.REFUSE_FURTHER_CONSIDERATION, actor, effective_at)
        assert self.correction_due is not None
        if local_day(at, self.tz) <= self.correction_due.due_on:
            raise RefusalBeforeCorrectionDeadline(
                f"the applicant may still correct until {self.correction_due.due_on}"
            )
        self._trigger(acts.REFUSE_FURTHER_CONSIDERATION, actor, at, reasons=_reasons(reasons))

    # -- verification, hearing, decision (§11-§13) ----------------------------------------

    class Verified(Act):
        """v2 records whether grounds for refusal were found; v1 events are upcast below."""

        class_version = 2
        checks: list[CheckResult]
        grounds_found: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["grounds_found"] = any(c.outcome is CheckOutcome.FAILED for c in state["checks"])

        def take_effect(self, app: HousingApplication) -> None:
            app.checks = tuple(self.checks)
            app.status = Status.GROUNDS_FOUND if self.grounds_found else Status.VERIFIED

    def verify(self, *, actor: Actor, effective_at: datetime, checks: list[CheckResult]) -> None:
        """The officer records every check against the state information systems (§11, §5)."""
        at = self._begin(acts.VERIFY, actor, effective_at)
        require_every_check(self.form, self.provider, checks)
        require_worsening_in_period(
            checks, local_day(self.filed_at, self.tz), local_day(at, self.tz)
        )
        grounds = any(c.outcome is CheckOutcome.FAILED for c in checks)
        self._trigger(acts.VERIFY, actor, at, checks=list(checks), grounds_found=grounds)

    class HearingScheduled(Act):
        ground: RefusalGround
        reasons: str
        notice: HearingNotice
        hearing_due: Deadline
        # Since a notice after the last notice day is recorded, late, with its reason
        # (events before read it as "": they were all in time).
        late_because: str = ""

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.HEARING_SCHEDULED
            app.hearing_due = self.hearing_due
            app.hearing_notice = self.notice
            app.hearing_ground = self.ground

    def schedule_hearing(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        ground: RefusalGround,
        reasons: str,
        notice: HearingNotice,
        late_because: str | None = None,
    ) -> None:
        """The applicant is told of the preliminary refusal and of the hearing (§13); a
        notice after the last notice day says why it is late (domain.hearing)."""
        at = self._begin(acts.SCHEDULE_HEARING, actor, effective_at)
        assert self.consideration_due is not None
        hearing_due, late = hearing_term(
            at, self.tz, self.consideration_due, notice, late_because or ""
        )
        self._trigger(
            acts.SCHEDULE_HEARING,
            actor,
            at,
            ground=ground,
            reasons=_reasons(reasons),
            notice=notice,
            hearing_due=hearing_due,
            late_because=late,
        )

    class HearingHeld(Act):
        applicant_position: str
        outcome: HearingOutcome
        reasons: str
        # Since a hearing after its term is recorded, late, with its reason (events before
        # read it as "": they were all in time).
        late_because: str = ""

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.HEARING_HELD
            app.hearing_outcome = self.outcome

    def hold_hearing(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        applicant_position: str,
        outcome: HearingOutcome,
        reasons: str,
        late_because: str | None = None,
    ) -> None:
        """The hearing is held and its outcome recorded (§13); one after its term says why."""
        at = self._begin(acts.HOLD_HEARING, actor, effective_at)
        assert self.hearing_due is not None
        require_hearing_as_notified(at, self.hearing_notice)
        late = hearing_lateness(self._on_record(at), self.tz, self.hearing_due, late_because or "")
        self._trigger(
            acts.HOLD_HEARING,
            actor,
            at,
            applicant_position=applicant_position,
            outcome=outcome,
            reasons=_reasons(reasons),
            late_because=late,
        )

    class Registered(Act):
        list_code: str
        category_code: str
        priority_moment: datetime
        queue_number: int

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.REGISTERED
            app.queue_number = self.queue_number
            app.was_registered = True

    def register(self, *, actor: Actor, effective_at: datetime, queue_number: int) -> None:
        """The citizen is put on the list with their queue number (§12.1, Std 5).

        `queue_number` is the position the waiting list computed in the same transaction.
        """
        at = self._begin(acts.REGISTER, actor, effective_at)
        require_cleared_for_registration(self.status, self.hearing_outcome)
        self._trigger(
            acts.REGISTER,
            actor,
            at,
            list_code=self.form.list_code,
            category_code=self.category_code,
            priority_moment=self.priority_moment,
            queue_number=queue_number,
        )

    class Refused(Act):
        ground: RefusalGround
        reasons: str

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.REFUSED

    def refuse(
        self, *, actor: Actor, effective_at: datetime, ground: RefusalGround, reasons: str
    ) -> None:
        """A reasoned refusal on a ground of Std 9, after the hearing (§12.2, §13)."""
        at = self._begin(acts.REFUSE, actor, effective_at)
        require_heard_for_refusal(self.status, self.hearing_outcome)
        require_heard_ground(ground, self.hearing_ground)
        self._trigger(acts.REFUSE, actor, at, ground=ground, reasons=_reasons(reasons))

    # -- complaints (§14) -----------------------------------------------------------------

    class ComplaintFiled(Act):
        complaint_id: str
        complaint: ComplaintForm
        received_on: date
        forward_due: Deadline | None
        decision_due: Deadline

        def take_effect(self, app: HousingApplication) -> None:
            app.complaints[self.complaint_id] = ComplaintCase(
                complaint_id=self.complaint_id,
                body=self.complaint.filed_with,
                received_on=self.received_on,
                forward_due=self.forward_due,
                decision_due=self.decision_due,
                status=ComplaintStatus.FILED,
            )

    def file_complaint(
        self, *, actor: Actor, effective_at: datetime, complaint: ComplaintForm
    ) -> str:
        """The applicant complains of a decision, an action or inaction (§14)."""
        at = self._begin(acts.FILE_COMPLAINT, actor, effective_at)
        require_act_of_the_provider(complaint.concerns_version, self.record)
        received = reception_day(at, self.tz)
        with_provider = complaint.filed_with is ComplaintBody.PROVIDER
        complaint_id = f"c{len(self.complaints) + 1}"
        self._trigger(
            acts.FILE_COMPLAINT,
            actor,
            at,
            complaint_id=complaint_id,
            complaint=complaint,
            received_on=received,
            forward_due=deadlines.complaint_forward(received) if with_provider else None,
            decision_due=deadlines.complaint_decision(received, complaint.filed_with),
        )
        return complaint_id

    class ComplaintForwarded(Act):
        complaint_id: str
        to_body: ComplaintBody
        administrative_file: AdministrativeFile
        decision_due: Deadline
        # Since a late forward is recorded with its reason (events before read "": in time).
        late_because: str = ""

        def take_effect(self, app: HousingApplication) -> None:
            case = app.complaints[self.complaint_id]
            app.complaints[self.complaint_id] = case.moved(
                body=self.to_body, status=ComplaintStatus.FORWARDED, decision_due=self.decision_due
            )

    def forward_complaint(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        complaint_id: str,
        to_body: ComplaintBody,
        administrative_file: AdministrativeFile,
        late_because: str | None = None,
    ) -> None:
        """The provider sends the complaint and the administrative file on (§14); after its
        3 working days, saying why it is late."""
        at = self._begin(acts.FORWARD_COMPLAINT, actor, effective_at)
        case = open_case(self.complaints, complaint_id)
        require_with_provider(case, "forwarding")
        late = forward_lateness(case, local_day(self._on_record(at), self.tz), late_because or "")
        if to_body is ComplaintBody.PROVIDER:
            raise ActOutOfOrder("a complaint is forwarded to a body other than the provider")
        registered = reception_day(at, self.tz)
        self._trigger(
            acts.FORWARD_COMPLAINT,
            actor,
            at,
            complaint_id=complaint_id,
            to_body=to_body,
            administrative_file=administrative_file,
            decision_due=deadlines.complaint_decision(registered, to_body),
            late_because=late,
        )

    class Remedied(Act):
        """An act that may carry a remedy (ComplaintSatisfied, ComplaintDecided, CourtDecided):
        what it did. Fields recorded since remedies reopen consideration read, in events
        recorded before, as no remedy, no reopening and no terms."""

        _: KW_ONLY
        remedy: Remedy = Remedy.NONE
        queue_number: int | None = None
        reopened_at: Status | None = None
        consideration_due: Deadline | None = None
        completeness_due: Deadline | None = None
        verification_due: Deadline | None = None

        def take_effect(self, app: HousingApplication) -> None:
            app._take_remedy(self)

    class ComplaintSatisfied(Remedied):
        complaint_id: str
        action_taken: str

        def take_effect(self, app: HousingApplication) -> None:
            case = app.complaints[self.complaint_id]
            app.complaints[self.complaint_id] = case.moved(status=ComplaintStatus.SATISFIED)
            app._take_remedy(self)

    def satisfy_complaint(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        complaint_id: str,
        action_taken: str,
        remedy: Remedy = Remedy.NONE,
        reopen_at: Status | None = None,
        queue_number: int | None = None,
    ) -> None:
        """The provider itself fully meets the complaint instead of forwarding it (§14); the
        action it takes is the remedy: it reopens or restores what the complaint named."""
        at = self._begin(acts.SATISFY_COMPLAINT, actor, effective_at)
        case = open_case(self.complaints, complaint_id)
        require_with_provider(case, "satisfaction")
        require_satisfaction_in_time(case, local_day(self._on_record(at), self.tz))
        if remedy is Remedy.CORRECT_PRIORITY:
            raise RemedyNotApplicable("a corrected priority is a complaint body's or a court's")
        require_remedy(self.status, ComplaintOutcome.UPHELD, remedy, None, at)
        self._trigger(
            acts.SATISFY_COMPLAINT,
            actor,
            at,
            complaint_id=complaint_id,
            action_taken=_reasons(action_taken),
            **self._remedy_effect(remedy, reopen_at, at, queue_number),
        )

    def _remedy_effect(
        self, remedy: Remedy, reopen_at: Status | None, at: datetime, queue_number: int | None
    ) -> dict[str, Any]:
        day = reception_day(at, self.tz)
        return remedy_effect(remedy, reopen_at, day, bool(self.checks), queue_number)

    def _take_remedy(self, event: Any) -> None:
        """What a remedy changes (ComplaintSatisfied, ComplaintDecided, CourtDecided)."""
        if event.remedy is Remedy.RESTORE_PLACE:
            self.status = Status.REGISTERED
            self.queue_number = event.queue_number
            self.was_registered = True
        elif event.remedy is Remedy.CORRECT_PRIORITY:
            assert event.priority_moment is not None
            self.priority_moment = event.priority_moment
        elif event.remedy is Remedy.REOPEN:
            self.status = event.reopened_at
            self.consideration_due = event.consideration_due
            self.completeness_due = event.completeness_due or self.completeness_due
            self.verification_due = event.verification_due or self.verification_due
            self.hearing_due = self.hearing_notice = self.hearing_ground = None
            self.hearing_outcome = None

    class ComplaintDecided(Remedied):
        complaint_id: str
        outcome: ComplaintOutcome
        reasons: str
        priority_moment: datetime | None
        # Recorded since the remedy's bounds (events before read them as None and "").
        restores_version: int | None = None
        earlier_than_filing_because: str = ""

        def take_effect(self, app: HousingApplication) -> None:
            case = app.complaints[self.complaint_id]
            app.complaints[self.complaint_id] = case.moved(status=ComplaintStatus.DECIDED)
            app._take_remedy(self)

    def decide_complaint(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        complaint_id: str,
        outcome: ComplaintOutcome,
        reasons: str,
        remedy: Remedy = Remedy.NONE,
        corrected_priority: datetime | None = None,
        restores_version: int | None = None,
        earlier_than_filing_because: str = "",
        reopen_at: Status | None = None,
        queue_number: int | None = None,
    ) -> None:
        """The body considering the complaint decides it, with any remedy (§14, Art. 74).

        RESTORE_PLACE puts a citizen taken off the list, refused or not considered on the list
        with the original priority; REOPEN resumes consideration at `reopen_at`;
        CORRECT_PRIORITY moves a registered citizen to the priority they were due, within what
        the record supports (domain.remedies). The waiting list computes `queue_number` in the
        same transaction.
        """
        at = utc(effective_at)
        require_chronology(at, self.last_effective_at, acts.DECIDE_COMPLAINT.noun)
        require_not_in_future(at, acts.DECIDE_COMPLAINT.noun)
        case = open_case(self.complaints, complaint_id)
        require_deciding_body(case, actor)
        require_own_provider(actor, self.provider, acts.DECIDE_COMPLAINT.noun)
        require_remedy(self.status, outcome, remedy, corrected_priority, at)
        earlier = earlier_than_filing_because
        self._trigger(
            acts.DECIDE_COMPLAINT,
            actor,
            at,
            basis="§14, Art. 74" if remedy is not Remedy.NONE else "§14",
            complaint_id=complaint_id,
            outcome=outcome,
            reasons=_reasons(reasons),
            **priority_effect(
                self.priority_record, remedy, corrected_priority, restores_version, earlier, at
            ),
            **self._remedy_effect(remedy, reopen_at, at, queue_number),
        )

    # -- the court (§15) ------------------------------------------------------------------

    class CourtDecided(Remedied):
        court: str
        decision_number: str
        decided_on: date
        outcome: ComplaintOutcome
        operative_part: str
        priority_moment: datetime | None
        restores_version: int | None
        earlier_than_filing_because: str

    def record_court_decision(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        court: str,
        decision_number: str,
        decided_on: date,
        outcome: ComplaintOutcome,
        operative_part: str,
        remedy: Remedy = Remedy.NONE,
        reopen_at: Status | None = None,
        corrected_priority: datetime | None = None,
        restores_version: int | None = None,
        earlier_than_filing_because: str = "",
        queue_number: int | None = None,
    ) -> None:
        """A court's decision on the case (§15), recorded by the court or by staff from the
        decision received; its operative part takes effect as a complaint's remedy would.
        Whether the pre-trial complaint came first is the court's to judge, not Kezek's."""
        at = self._begin(acts.RECORD_COURT_DECISION, actor, effective_at)
        filed_on = local_day(self.filed_at, self.tz)
        if not filed_on <= decided_on <= local_day(at, self.tz):
            raise CourtDecisionOutOfRecord(
                f"the decision of {decided_on} lies outside the case: filed on {filed_on}, "
                "recorded today"
            )
        require_remedy(self.status, outcome, remedy, corrected_priority, at)
        earlier = earlier_than_filing_because
        self._trigger(
            acts.RECORD_COURT_DECISION,
            actor,
            at,
            court=court,
            decision_number=decision_number,
            decided_on=decided_on,
            outcome=outcome,
            operative_part=_reasons(operative_part),
            **priority_effect(
                self.priority_record, remedy, corrected_priority, restores_version, earlier, at
            ),
            **self._remedy_effect(remedy, reopen_at, at, queue_number),
        )

    # -- life on the list ------------------------------------------------------------------

    class DataUpdated(Act):
        update: DataUpdateForm
        update_due: Deadline
        # Since a change of category or family is recomputed (Appendix 3, Std 8); updates
        # recorded before read None and "": they recomputed nothing.
        required_documents: list[DocumentKind] | None = None
        recomputed: str = ""
        # Since the term may count from an SMS notice's receipt (§11, Std 8): which start was
        # used, and the notice; updates recorded before counted from the grounds.
        term_counted_from: str = FROM_GROUNDS
        after_notice: UUID | None = None

        def take_effect(self, app: HousingApplication) -> None:
            if self.update.family is not None:
                app.family = self.update.family
            if self.update.phone is not None:
                app.phone = self.update.phone
            if self.update.category_code is not None:
                app.category_code = self.update.category_code
            app.documents = app.documents + self.update.documents

    def update_data(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        update: DataUpdateForm,
        after_notice: NoticeDelivery | None = None,
    ) -> str | None:
        """The citizen updates their data with the Appendix 3 form, during consideration or
        on the list (§11, Std 8); answers what a change of category or family recomputed.
        `after_notice`: the SMS notice that prompted it, as the ledger found it recorded."""
        at = self._begin(acts.UPDATE_DATA, actor, effective_at)
        require_updatable(self.status, update.grounds_arose_on, local_day(at, self.tz))
        require_household(self.holder_iin, self.family, update)
        starts_on, start = term_start(self.id, update.grounds_arose_on, after_notice, self.tz)
        again = recompute(self._standing, update)
        self._trigger(
            acts.UPDATE_DATA,
            actor,
            at,
            update=update,
            update_due=deadlines.data_update(starts_on, from_sms=start == FROM_SMS),
            term_counted_from=start,
            after_notice=None if after_notice is None else after_notice.notice,
            required_documents=None if again is None else list(again.required_documents),
            recomputed="" if again is None else again.reasons,
        )
        return None if again is None else again.reasons

    class Withdrawn(Act):
        reasons: str

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.WITHDRAWN
            app.open_offer = None

    def withdraw(self, *, actor: Actor, effective_at: datetime, reasons: str = "") -> None:
        """The applicant withdraws the application or leaves the list of their own will."""
        at = self._begin(acts.WITHDRAW, actor, effective_at)
        self._require_open(acts.WITHDRAW.noun)
        self._trigger(acts.WITHDRAW, actor, at, reasons=reasons)

    class Deregistered(Act):
        ground: DeregistrationGround
        reasons: str

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.DEREGISTERED
            app.open_offer = None

    def deregister(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        ground: DeregistrationGround,
        reasons: str,
    ) -> None:
        """The head takes the citizen off the list on a ground of Art. 73."""
        at = self._begin(acts.DEREGISTER, actor, effective_at)
        self._require_on_list(acts.DEREGISTER.noun)
        if ground is DeregistrationGround.OFFERS_REFUSED:
            require_refusals_for_deregistration(self.unjustified_refusals)
        self._trigger(acts.DEREGISTER, actor, at, ground=ground, reasons=_reasons(reasons))

    class PlacePassedToFamilyMember(Act):
        cause: SuccessionCause
        successor_iin: str
        successor_ref: str
        reasons: str
        successor_phone: str | None = None  # for the SMS notices (none: the holder's stays)

        def take_effect(self, app: HousingApplication) -> None:
            app.holder_iin = self.successor_iin
            app.applicant_ref = self.successor_ref
            if self.successor_phone:
                app.phone = self.successor_phone
            app.family = tuple(m for m in app.family if m.iin != self.successor_iin)

    def pass_place_to_family_member(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        cause: SuccessionCause,
        successor_iin: str,
        successor_ref: str,
        reasons: str,
        successor_phone: str | None = None,
    ) -> None:
        """The place passes, with its priority, to a family member (Art. 73)."""
        at = self._begin(acts.PASS_PLACE, actor, effective_at)
        self._require_on_list(acts.PASS_PLACE.noun)
        if successor_iin not in {m.iin for m in self.family}:
            raise SuccessorNotInFamily("the successor is not a member of the family")
        self._trigger(
            acts.PASS_PLACE,
            actor,
            at,
            cause=cause,
            successor_iin=successor_iin,
            successor_ref=successor_ref,
            reasons=_reasons(reasons),
            successor_phone=successor_phone,
        )

    class HousingOffered(Act):
        offer_id: str
        dwelling: Dwelling
        below_norm: bool

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.OFFERED
            app.offers_made += 1
            app.open_offer = self.offer_id
            app.open_dwelling = self.dwelling
            app.open_below_norm = self.below_norm

    def offer_housing(self, *, actor: Actor, effective_at: datetime, dwelling: Dwelling) -> str:
        """A dwelling is offered to the citizen (Art. 74, Art. 75); the list checks the order."""
        at = self._begin(acts.OFFER_HOUSING, actor, effective_at)
        if self.status is not Status.REGISTERED:
            raise NotOnTheList(
                f"an offer needs a registered citizen without an open offer; "
                f"the application is {self.status.said}"
            )
        below = require_offerable(self.form, dwelling, 1 + len(self.family))
        offer_id = offers.offer_id(self.offers_made + 1)
        self._trigger(
            acts.OFFER_HOUSING, actor, at, offer_id=offer_id, dwelling=dwelling, below_norm=below
        )
        return offer_id

    def not_as_chosen(self, dwelling: Dwelling) -> str:
        """Why the dwelling is not what the applicant asked for (Appendix 1), or ""."""
        return offers.not_as_chosen(self.form, dwelling)

    def is_below_norm(self, dwelling: Dwelling) -> bool:
        return offers.is_below_norm(dwelling, 1 + len(self.family))

    class OfferDeclined(Act):
        offer_id: str
        reasons: str
        # Since refusals are judged (Art. 73-75); those recorded before read no reason, no
        # document, and count for nothing.
        reason: OfferRefusalReason | None = None
        document: SupportingDocument | None = None
        unjustified: bool = False

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.REGISTERED
            app.open_offer = None
            app.open_dwelling = None
            app.unjustified_refusals += self.unjustified

    def decline_offer(
        self,
        *,
        actor: Actor,
        effective_at: datetime,
        offer_id: str,
        reasons: str = "",
        reason: OfferRefusalReason | None = None,
        document: SupportingDocument | None = None,
    ) -> str:
        """The applicant declines an offer and keeps their place; a refusal of a dwelling that
        met the norm and their choices without a valid reason counts (domain.offers), and
        answers what it brought about."""
        at = self._begin(acts.DECLINE_OFFER, actor, effective_at)
        self._require_open_offer(offer_id)
        below = self.open_below_norm
        unjustified = refusal_is_unjustified(reason, document, below)
        self._trigger(
            acts.DECLINE_OFFER,
            actor,
            at,
            offer_id=offer_id,
            reasons=reasons,
            reason=reason,
            document=document,
            unjustified=unjustified,
        )
        return refusal_consequence(unjustified, self.unjustified_refusals, below)

    class HousingProvided(Act):
        offer_id: str
        reasons: str

        def take_effect(self, app: HousingApplication) -> None:
            app.status = Status.HOUSED
            app.open_offer = None

    def provide_housing(
        self, *, actor: Actor, effective_at: datetime, offer_id: str, reasons: str
    ) -> None:
        """The decision to provide the offered dwelling; the citizen leaves the list (Art. 73)."""
        at = self._begin(acts.PROVIDE_HOUSING, actor, effective_at)
        self._require_open_offer(offer_id)
        self._trigger(acts.PROVIDE_HOUSING, actor, at, offer_id=offer_id, reasons=_reasons(reasons))

    def __deepcopy__(self, memo: dict[int, Any]) -> HousingApplication:
        # The repository copies cached aggregates before every command. Everything here is
        # immutable (frozen models, tuples, enums, moments) except these two containers.
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.complaints = dict(self.complaints)
        clone.__dict__["_pending_events"] = list(self.pending_events)
        return clone

    # -- derived facts ------------------------------------------------------------------------

    @property
    def on_the_list(self) -> bool:
        return self.status in ON_THE_LIST

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def priority_record(self) -> PriorityRecord:
        return PriorityRecord(
            filed_at=self.filed_at,
            tz=self.tz,
            applicant_born=parse_iin(self.form.applicant_iin).birth_date,
            moments=tuple(moment for moment, _ in self.record),
        )

    @property
    def priority_key(self) -> str:
        return priority_key(self.priority_moment, self.id, self.form.accepts_smaller_housing)

    # -- shared checks ------------------------------------------------------------------------

    def _begin(self, act: ActDefinition, actor: Actor, effective_at: datetime) -> datetime:
        """The checks every act shares, as its declaration states them: the actor's role and
        standing on this application, the act's moment, and (where the act's own rules do not
        say it better) its stage."""
        at = utc(effective_at)
        require_role(actor, act.roles, act.noun)
        require_own_provider(actor, self.provider, act.noun)
        require_applicant(actor, self.applicant_ref, act.noun)
        require_chronology(at, self.last_effective_at, act.noun)
        require_not_in_future(at, act.noun)
        if act.checks_stage and act.from_stages is not None and self.status not in act.from_stages:
            allowed = ", ".join(sorted(s.said for s in act.from_stages))
            raise ActOutOfOrder(f"{act.noun} is possible when {allowed}, not {self.status.said}")
        return at

    @staticmethod
    def _on_record(at: datetime) -> datetime:
        """What a hard deadline is held to: for an act dated back, the later of its effective
        and recorded moments, so that backdating never brings it within a term it missed; any
        other act is recorded when it takes effect (within the clocks' skew)."""
        circumstances = current_recording()
        if circumstances is None or not circumstances.backdated_because:
            return at
        return max(at, circumstances.at)

    @property
    def _standing(self) -> Standing:
        """What a data update may change, as it stands now (domain.data_updates)."""
        return Standing(
            list_code=self.form.list_code,
            category_code=self.category_code,
            conditions=self.form.housing_conditions,
            family=self.family,
            documents=frozenset(d.kind for d in self.documents),
        )

    def _require_documents(self, documents: tuple[SupportingDocument, ...]) -> None:
        standing = self._standing
        required = required_documents(
            standing.list_code, standing.category_code, standing.conditions, standing.family
        )
        missing = required - {d.kind for d in documents}
        if missing:
            names = ", ".join(sorted(k.value for k in missing))
            raise DocumentsStillMissing(f"Std 8 requires: {names}")

    def _require_open(self, act: str) -> None:
        if self.status in CLOSED:
            raise ActOutOfOrder(f"{act} is not possible once {self.status.said}")

    def _require_on_list(self, act: str) -> None:
        if self.status not in ON_THE_LIST:
            raise NotOnTheList(f"{act}: the application is {self.status.said}")

    def _require_open_offer(self, offer_id: str) -> None:
        require_open_offer(offer_id, self.offers_made, self.status, self.open_offer)

    def _trigger(
        self, act: ActDefinition, actor: Actor, at: datetime, basis: str = "", **fields: Any
    ) -> None:
        event_class = getattr(type(self), act.event)
        circumstances = current_recording()
        if circumstances is not None and circumstances.backdated_because:
            fields["backdated_because"] = circumstances.backdated_because
        self.trigger_event(
            event_class,
            timestamp=recorded_at(at),
            actor=actor,
            effective_at=at,
            basis=basis or act.basis,
            **fields,
        )


def _reasons(text: str) -> str:
    if not text.strip():
        raise RefusalWithoutReasons("a decision must state its reasons")
    return text
