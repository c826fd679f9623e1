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
from tests.integration.ledger_machine.acts import LedgerActs, draw_stated
from tests.integration.ledger_machine.expectations import HEAD, STAFF, local_day, some_in
from tests.integration.ledger_machine.state import applications


class DecisionRules(LedgerActs):
    """The hearing on grounds for refusal, registration and refusal."""

    @precondition(some_in(Status.VERIFIED, Status.GROUNDS_FOUND))
    @rule(app_id=applications, data=st.data())
    def schedule_hearing(self, app_id: UUID, data: st.DataObject) -> None:
        steer = {Status.VERIFIED, Status.GROUNDS_FOUND}
        drawn = self._begin(data, app_id, steer, ("officer",), STAFF)
        app, at, expect = drawn.app, drawn.at, drawn.expect
        hearing_at = at + timedelta(hours=data.draw(st.integers(-2, 80), label="hearing_in"))
        reasons = draw_stated(data, expect)
        ground = data.draw(st.sampled_from(RefusalGround))
        late = data.draw(st.sampled_from(("", "grounds found late")), label="late")
        expect.require(app.status in {Status.VERIFIED, Status.GROUNDS_FOUND}, "status")
        if app.consideration_due is not None:
            notice_day = local_day(at, app.tz)
            expect.require(
                working_days_between(notice_day, app.consideration_due.due_on) >= 3 or bool(late),
                "3 working days before the term, or late with why (§13, docs/domain.md)",
            )
            expect.require(
                hearing_at >= at
                and local_day(hearing_at, app.tz) <= add_working_days(notice_day, 2),
                "hearing within 2 working days",
            )
        notice = HearingNotice(hearing_at=hearing_at, place="Akimat, room 101")
        self._attempt(
            drawn,
            acts.SCHEDULE_HEARING,
            Status.HEARING_SCHEDULED,
            ground=ground,
            reasons=reasons,
            notice=notice,
            late_because=late or None,
        )

    @precondition(some_in(Status.HEARING_SCHEDULED))
    @rule(app_id=applications, data=st.data())
    def hold_hearing(self, app_id: UUID, data: st.DataObject) -> None:
        right = ("officer", "head")
        drawn = self._begin(data, app_id, {Status.HEARING_SCHEDULED}, right, STAFF)
        app, expect = drawn.app, drawn.expect
        outcome = data.draw(st.sampled_from(HearingOutcome))
        reasons = draw_stated(data, expect)
        expect.require(app.status is Status.HEARING_SCHEDULED, "status")
        if app.hearing_notice is not None:
            expect.require(drawn.at >= app.hearing_notice.hearing_at, "not before its time")
        if app.hearing_due is not None:
            expect.require(local_day(drawn.at, app.tz) <= app.hearing_due.due_on, "in time")
        result = self._attempt(
            drawn,
            acts.HOLD_HEARING,
            Status.HEARING_HELD,
            applicant_position="objects",
            outcome=outcome,
            reasons=reasons,
        )
        if result is not None:
            assert result[1].hearing_outcome is outcome

    @precondition(some_in(Status.VERIFIED, Status.HEARING_HELD))
    @rule(app_id=applications, data=st.data())
    def register(self, app_id: UUID, data: st.DataObject) -> None:
        steer = {Status.VERIFIED, Status.HEARING_HELD}
        drawn = self._begin(data, app_id, steer, ("officer", "head", "system"), STAFF)
        app = drawn.app
        drawn.expect.require(
            app.status is Status.VERIFIED
            or (
                app.status is Status.HEARING_HELD and app.hearing_outcome is HearingOutcome.POSITIVE
            ),
            "cleared by verification or hearing",
        )
        number = self._expected_number(app)
        length = len(self.lists[self._list_of(app)])
        result = self._attempt(drawn, acts.REGISTER, Status.REGISTERED)
        if result is not None:
            receipt, after = result
            assert receipt.queue_number == after.queue_number == number, (
                f"registered as number {receipt.queue_number}, the list says {number}"
            )
            assert self.wl.position(app.id) == (number, length + 1)

    @precondition(some_in(Status.HEARING_HELD))
    @rule(app_id=applications, data=st.data())
    def refuse(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.HEARING_HELD}, ("head",), HEAD)
        app = drawn.app
        reasons = draw_stated(data, drawn.expect)
        drawn.expect.require(
            app.status is Status.HEARING_HELD and app.hearing_outcome is HearingOutcome.REFUSAL,
            "a hearing ended in refusal",
        )
        heard = app.hearing_ground or RefusalGround.NON_COMPLIANCE
        ground = heard if self._cooperative else data.draw(st.sampled_from(RefusalGround))
        drawn.expect.require(app.hearing_ground in {None, ground}, "the ground heard")
        self._attempt(drawn, acts.REFUSE, Status.REFUSED, ground=ground, reasons=reasons)
