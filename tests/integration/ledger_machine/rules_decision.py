"""The hearing, registration on the list, and refusal."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from domain import acts
from domain.calendar import add_working_days, working_days_between
from domain.records import HearingNotice
from domain.values import HearingOutcome, RefusalGround, Status
from tests.integration.ledger_machine.acts import LedgerActs
from tests.integration.ledger_machine.expectations import HEAD, STAFF, local_day, some_in
from tests.integration.ledger_machine.state import applications
from tests.integration.ledger_machine.strategies import blank_or_text


class DecisionRules(LedgerActs):
    """The hearing on grounds for refusal, registration and refusal."""

    @precondition(some_in(Status.VERIFIED, Status.GROUNDS_FOUND))
    @rule(app_id=applications, data=st.data())
    def schedule_hearing(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data,
            app_id,
            frozenset({Status.VERIFIED, Status.GROUNDS_FOUND}),
            ("officer",),
            STAFF,
        )
        hearing_at = at + timedelta(hours=data.draw(st.integers(-2, 80), label="hearing_in"))
        reasons = data.draw(blank_or_text)
        ground = data.draw(st.sampled_from(RefusalGround))
        expect.require(app.status in {Status.VERIFIED, Status.GROUNDS_FOUND}, "status")
        if app.consideration_due is not None:
            notice_day = local_day(at, app.tz)
            expect.require(
                working_days_between(notice_day, app.consideration_due.due_on) >= 3,
                "3 working days before the term",
            )
            expect.require(
                hearing_at >= at
                and local_day(hearing_at, app.tz) <= add_working_days(notice_day, 2),
                "hearing within 2 working days",
            )
        expect.require(bool(reasons.strip()), "reasons")
        notice = HearingNotice(hearing_at=hearing_at, place="Akimat, room 101")
        self._attempt(
            "schedule_hearing",
            app,
            lambda: self.wl.perform(
                acts.SCHEDULE_HEARING,
                app.id,
                actor=actor,
                effective_at=at,
                ground=ground,
                reasons=reasons,
                notice=notice,
            ),
            expect,
            Status.HEARING_SCHEDULED,
            at,
        )

    @precondition(some_in(Status.HEARING_SCHEDULED))
    @rule(app_id=applications, data=st.data())
    def hold_hearing(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.HEARING_SCHEDULED}), ("officer", "head"), STAFF
        )
        outcome = data.draw(st.sampled_from(HearingOutcome))
        reasons = data.draw(blank_or_text)
        expect.require(app.status is Status.HEARING_SCHEDULED, "status")
        if app.hearing_due is not None:
            expect.require(local_day(at, app.tz) <= app.hearing_due.due_on, "in time")
        expect.require(bool(reasons.strip()), "reasons")
        result = self._attempt(
            "hold_hearing",
            app,
            lambda: self.wl.perform(
                acts.HOLD_HEARING,
                app.id,
                actor=actor,
                effective_at=at,
                applicant_position="objects",
                outcome=outcome,
                reasons=reasons,
            ),
            expect,
            Status.HEARING_HELD,
            at,
        )
        if result is not None:
            assert result[1].hearing_outcome is outcome

    @precondition(some_in(Status.VERIFIED, Status.HEARING_HELD))
    @rule(app_id=applications, data=st.data())
    def register(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data,
            app_id,
            frozenset({Status.VERIFIED, Status.HEARING_HELD}),
            ("officer", "head", "system"),
            STAFF,
        )
        expect.require(
            app.status is Status.VERIFIED
            or (
                app.status is Status.HEARING_HELD and app.hearing_outcome is HearingOutcome.POSITIVE
            ),
            "cleared by verification or hearing",
        )
        number = self._expected_number(app)
        length = len(self.lists[self._list_of(app)])
        result = self._attempt(
            "register",
            app,
            lambda: self.wl.perform(acts.REGISTER, app.id, actor=actor, effective_at=at),
            expect,
            Status.REGISTERED,
            at,
        )
        if result is not None:
            receipt, after = result
            assert receipt.queue_number == after.queue_number == number, (
                f"registered as number {receipt.queue_number}, the list says {number}"
            )
            assert self.wl.position(app.id) == (number, length + 1)

    @precondition(some_in(Status.HEARING_HELD))
    @rule(app_id=applications, data=st.data())
    def refuse(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.HEARING_HELD}), ("head",), HEAD
        )
        reasons = data.draw(blank_or_text)
        expect.require(
            app.status is Status.HEARING_HELD and app.hearing_outcome is HearingOutcome.REFUSAL,
            "a hearing ended in refusal",
        )
        expect.require(bool(reasons.strip()), "reasons")
        self._attempt(
            "refuse",
            app,
            lambda: self.wl.perform(
                acts.REFUSE,
                app.id,
                actor=actor,
                effective_at=at,
                ground=RefusalGround.NON_COMPLIANCE,
                reasons=reasons,
            ),
            expect,
            Status.REFUSED,
            at,
        )
