"""Complaints: filed, forwarded, satisfied, decided with their remedies."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from domain import acts
from domain.acts import ActDefinition
from domain.calendar import zone
from domain.complaints import ComplaintCase, body_of
from domain.housing_application import HousingApplication
from domain.records import AdministrativeFile, ComplaintForm
from domain.values import (
    ON_THE_LIST,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintStatus,
    ComplaintSubject,
    Remedy,
    Role,
    Status,
)
from tests.integration.ledger_machine.acts import Drawn, LedgerActs, draw_stated
from tests.integration.ledger_machine.expectations import (
    APPLICANT,
    REMEDIABLE,
    STAFF,
    Expectation,
    local_day,
    some_complaint_in,
)
from tests.integration.ledger_machine.state import applications
from tests.integration.ledger_machine.strategies import days

OPEN_COMPLAINT = frozenset({ComplaintStatus.FILED, ComplaintStatus.FORWARDED})


class ComplaintRules(LedgerActs):
    """Complaints against acts, and their remedies that move others on the list."""

    def _with_complaint(
        self, data: st.DataObject, app_id: UUID, statuses: Collection[ComplaintStatus]
    ) -> UUID:
        if self._forced is not None:
            return self._forced
        if data.draw(st.integers(0, 3), label="steer_complaint") < 3:
            fitting = [
                i
                for i in self.order
                if any(c.status in statuses for c in self.model[i].complaints.values())
            ]
            # Mostly where a remedy can apply: taken off, refused, or on the list.
            remediable = [i for i in fitting if self.model[i].status in REMEDIABLE]
            if remediable and data.draw(st.integers(0, 2), label="remediable") < 2:
                fitting = remediable
            if fitting:
                return data.draw(st.sampled_from(fitting))
        return app_id

    def _complaint_id(self, data: st.DataObject, app: HousingApplication) -> str:
        ids = sorted(app.complaints)
        still_open = [i for i in ids if app.complaints[i].status in OPEN_COMPLAINT]
        return data.draw(
            st.sampled_from([*still_open, *still_open, *still_open, *ids, "c9"]),
            label="complaint",
        )

    @rule(app_id=applications, data=st.data())
    def file_complaint(self, app_id: UUID, data: st.DataObject) -> None:
        steer = {Status.DEREGISTERED, Status.REFUSED, Status.REGISTERED, Status.OFFERED}
        drawn = self._begin(data, app_id, steer, ("applicant",), APPLICANT)
        app = drawn.app
        concerns = data.draw(st.sampled_from([None, app.version, app.version + 1]))
        complaint = ComplaintForm(
            subject=data.draw(st.sampled_from(ComplaintSubject)),
            filed_with=data.draw(st.sampled_from(ComplaintBody)),
            text="the decision is wrong",
            concerns_version=concerns,
        )
        drawn.expect.require(concerns is None or concerns <= app.version, "an act that happened")
        if concerns is not None and concerns <= app.version:
            whose = app.record[concerns - 1][1]
            drawn.expect.require(whose not in {Role.APPLICANT, Role.PORTAL}, "the provider's act")
        result = self._attempt(drawn, acts.FILE_COMPLAINT, app.status, complaint=complaint)
        if result is not None:
            receipt, after = result
            case = after.complaints[receipt.complaint_id]
            assert case.status is ComplaintStatus.FILED
            assert case.body is complaint.filed_with

    def _begin_before_provider(
        self, data: st.DataObject, app_id: UUID, right: tuple[str, ...], late_because: str = ""
    ) -> tuple[Drawn, str]:
        """An act of the provider's staff on a complaint filed with the provider: mostly on an
        application with one, by the `right` kinds of actor; and which complaint it names.
        A forward after its term is lawful with `late_because` (§14, docs/domain.md)."""
        app = self.model[self._with_complaint(data, app_id, {ComplaintStatus.FILED})]
        drawn = self._draw(data, app, right, STAFF)
        complaint_id = self._complaint_id(data, app)
        self._check_complaint_before_provider(
            drawn.expect, app, complaint_id, drawn.at, late_because
        )
        return drawn, complaint_id

    def _attempt_on_complaint(
        self, drawn: Drawn, act: ActDefinition, complaint_id: str, **fields: Any
    ) -> ComplaintCase | None:
        """An act on one complaint, which leaves the application's status as it is: the
        complaint after it, if it was recorded."""
        result = self._attempt(drawn, act, drawn.app.status, complaint_id=complaint_id, **fields)
        return None if result is None else result[1].complaints[complaint_id]

    @staticmethod
    def _check_complaint_before_provider(
        expect: Expectation,
        app: HousingApplication,
        complaint_id: str,
        at: datetime,
        late_because: str = "",
    ) -> None:
        case = app.complaints.get(complaint_id)
        expect.require(case is not None, "a complaint filed")
        if case is None:
            return
        expect.require(
            case.body is ComplaintBody.PROVIDER and case.status is ComplaintStatus.FILED,
            "before the provider",
        )
        if case.forward_due is not None:
            expect.require(
                local_day(at, app.tz) <= case.forward_due.due_on or bool(late_because),
                "3 working days, or late with why",
            )

    @precondition(some_complaint_in(ComplaintStatus.FILED))
    @rule(app_id=applications, data=st.data())
    def forward_complaint(self, app_id: UUID, data: st.DataObject) -> None:
        late = data.draw(st.sampled_from(("", "the file was in the archive")), label="late")
        drawn, complaint_id = self._begin_before_provider(data, app_id, ("officer",), late)
        to_body = data.draw(st.sampled_from(ComplaintBody))
        drawn.expect.require(to_body is not ComplaintBody.PROVIDER, "to another body")
        file = AdministrativeFile(
            reference="adm-file-1", sha256="a" * 64, up_to_version=max(1, drawn.app.version)
        )
        case = self._attempt_on_complaint(
            drawn,
            acts.FORWARD_COMPLAINT,
            complaint_id,
            to_body=to_body,
            administrative_file=file,
            late_because=late or None,
        )
        if case is not None:
            assert case.status is ComplaintStatus.FORWARDED
            assert case.body is to_body

    @precondition(some_complaint_in(ComplaintStatus.FILED))
    @rule(app_id=applications, data=st.data())
    def satisfy_complaint(self, app_id: UUID, data: st.DataObject) -> None:
        drawn, complaint_id = self._begin_before_provider(data, app_id, ("officer", "head"))
        action = draw_stated(data, drawn.expect, "action stated")
        case = self._attempt_on_complaint(
            drawn, acts.SATISFY_COMPLAINT, complaint_id, action_taken=action
        )
        if case is not None:
            assert case.status is ComplaintStatus.SATISFIED

    @staticmethod
    def _remedy(data: st.DataObject, app: HousingApplication) -> Remedy:
        """Steered to the application's state, so that remedies are really applied."""
        if app.status in {Status.REFUSED, Status.NOT_CONSIDERED}:
            likely = [Remedy.RESTORE_PLACE, Remedy.REOPEN, Remedy.REOPEN]
        elif app.status is Status.DEREGISTERED:
            likely = [Remedy.RESTORE_PLACE] * 3
        elif app.status in ON_THE_LIST:
            likely = [Remedy.CORRECT_PRIORITY] * 3
        else:
            likely = [Remedy.NONE] * 3
        remedy: Remedy = data.draw(st.sampled_from([*likely, *Remedy]), label="remedy")
        return remedy

    def _corrected(
        self, data: st.DataObject, app: HousingApplication, at: datetime, remedy: Remedy
    ) -> datetime | None:
        """The corrected priority a decision names: mostly with CORRECT_PRIORITY alone; a day,
        another citizen's moment, none, or after the decision."""
        if remedy is not Remedy.CORRECT_PRIORITY and data.draw(st.integers(0, 5)) != 5:
            return None
        kind = data.draw(st.integers(0, 9), label="corrected_kind")
        rivals = [
            self.model[i].priority_moment
            for i in self.order
            if i != app.id and self._list_of(self.model[i]) == self._list_of(app)
        ]
        if kind < 5 or (kind < 8 and not rivals):
            return datetime.combine(data.draw(days), time(10, 0)).replace(
                tzinfo=zone("Asia/Almaty")
            )
        if kind < 8:
            # Exactly another citizen's moment: the tie is broken by the application id.
            return data.draw(st.sampled_from(rivals), label="tie")
        return None if kind == 8 else at + timedelta(days=1)

    @precondition(some_complaint_in(ComplaintStatus.FILED, ComplaintStatus.FORWARDED))
    @rule(app_id=applications, data=st.data())
    def decide_complaint(self, app_id: UUID, data: st.DataObject) -> None:
        app_id = self._with_complaint(data, app_id, OPEN_COMPLAINT)
        app = self.model[app_id]
        complaint_id = self._complaint_id(data, app)
        case = app.complaints.get(complaint_id)
        right = ("head",) if case is not None and case.body is ComplaintBody.PROVIDER else ("body",)
        actor = self._actor(data, app, right)
        at = self._when(data, app)
        remedy = self._remedy(data, app)
        outcome = data.draw(
            st.sampled_from([ComplaintOutcome.UPHELD] * 3 + list(ComplaintOutcome)),
            label="outcome",
        )
        corrected = self._corrected(data, app, at, remedy)
        resumes = [Status.ACCEPTED, Status.COMPLETE, Status.VERIFIED]
        reopen_at = (
            data.draw(st.sampled_from([*resumes, Status.REGISTERED]), label="reopen_at")
            if remedy is Remedy.REOPEN
            else None
        )
        expect = Expectation()
        expect.detail = f"remedy {remedy.value}"
        reasons = draw_stated(data, expect)
        self._check_time(expect, at, app)
        expect.require(case is not None, "a complaint filed")
        if case is not None:
            expect.require(
                case.status in {ComplaintStatus.FILED, ComplaintStatus.FORWARDED}, "still open"
            )
            wanted = Role.HEAD if case.body is ComplaintBody.PROVIDER else Role.COMPLAINT_BODY
            expect.require(actor.role is wanted, "the deciding body")
            if actor.role is Role.COMPLAINT_BODY and wanted is Role.COMPLAINT_BODY:
                expect.require(body_of(actor) is case.body, "the body it is before")
        if actor.role in STAFF:
            expect.require(actor.provider == app.provider, "own provider")
        if remedy is Remedy.NONE:
            expect.require(corrected is None, "no corrected priority without the remedy")
        else:
            expect.require(outcome is not ComplaintOutcome.REJECTED, "a remedy needs success")
        closed_by_decision = {Status.DEREGISTERED, Status.REFUSED, Status.NOT_CONSIDERED}
        if remedy is Remedy.RESTORE_PLACE:
            expect.require(app.status in closed_by_decision, "taken off")
        if remedy is Remedy.REOPEN:
            expect.require(app.status in {Status.REFUSED, Status.NOT_CONSIDERED}, "refused")
            expect.require(reopen_at in resumes, "a stage of consideration")
            if reopen_at is Status.VERIFIED:
                expect.require(bool(app.checks), "a verification to resume after")
        if remedy in {Remedy.RESTORE_PLACE, Remedy.REOPEN}:
            taken = self._claim_holder(app.holder_iin, app.provider, app.form.list_code)
            expect.require(taken in {None, app.id}, "the citizen's claim is free")
        moment = corrected if corrected is not None else app.filed_at
        if remedy is Remedy.CORRECT_PRIORITY:
            expect.require(app.status in ON_THE_LIST, "on the list")
            expect.require(moment <= at, "not after the decision")
            expect.require(
                moment >= app.filed_at or local_day(moment, app.tz) >= app.priority_record.adult_on,
                "of age",
            )
        number = self._expected_number(app) if remedy is Remedy.RESTORE_PLACE else None
        length = len(self.lists[self._list_of(app)])
        expected_status = Status.REGISTERED if remedy is Remedy.RESTORE_PLACE else app.status
        if remedy is Remedy.REOPEN and reopen_at is not None:
            expected_status = reopen_at
        result = self._attempt(
            Drawn(app, actor, at, expect),
            acts.DECIDE_COMPLAINT,
            expected_status,
            complaint_id=complaint_id,
            outcome=outcome,
            reasons=reasons,
            remedy=remedy,
            corrected_priority=corrected,
            restores_version=1 if remedy is Remedy.CORRECT_PRIORITY else None,
            earlier_than_filing_because="the first filing was lost by the portal",
            reopen_at=reopen_at,
        )
        if result is None:
            return
        receipt, after = result
        assert after.complaints[complaint_id].status is ComplaintStatus.DECIDED
        if remedy is Remedy.RESTORE_PLACE:
            assert receipt.queue_number == after.queue_number == number, (
                f"restored as number {receipt.queue_number}, the list says {number}"
            )
            assert self.wl.position(app.id) == (number, length + 1)
        elif remedy is Remedy.CORRECT_PRIORITY:
            assert after.priority_moment == moment.astimezone(UTC)
            self._catch_up()  # replays the move: the list now holds the new key
            keys = [k for k in self.lists[self._list_of(app)] if k != after.priority_key]
            moved_to = bisect_left(keys, after.priority_key) + 1
            assert receipt.queue_number == moved_to
            assert self.wl.position(app.id) == (moved_to, len(keys) + 1)
