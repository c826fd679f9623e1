"""A court's decision (§15): recorded by the court or by staff, its operative part taking
effect as a complaint's remedy would (reopen, restore the place, or nothing)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from domain import acts
from domain.actors import Actor
from domain.values import ComplaintOutcome, Remedy, Role, Status
from tests.integration.ledger_machine.acts import Drawn, LedgerActs, draw_stated
from tests.integration.ledger_machine.expectations import Expectation, local_day, some_in
from tests.integration.ledger_machine.state import applications

RECORDERS = frozenset({Role.COURT, Role.OFFICER, Role.HEAD})
RESUMES_AT = (Status.ACCEPTED, Status.COMPLETE, Status.VERIFIED)


class CourtRules(LedgerActs):
    """§15: the court's decision on a refusal, a refusal to consider further or a removal."""

    @precondition(some_in(Status.REFUSED, Status.NOT_CONSIDERED, Status.DEREGISTERED))
    @rule(app_id=applications, data=st.data())
    def record_court_decision(self, app_id: UUID, data: st.DataObject) -> None:
        app = self.model[
            self._pick(data, app_id, {Status.REFUSED, Status.NOT_CONSIDERED, Status.DEREGISTERED})
        ]
        if data.draw(st.booleans(), label="by the court"):
            actor = Actor(id="court-almaty-administrative", role=Role.COURT)
        else:
            actor = self._actor(data, app, ("officer", "head"))
        at = self._when(data, app)
        expect = Expectation()
        self._check_actor(expect, actor, app, RECORDERS)
        self._check_time(expect, at, app)
        drawn = Drawn(app, actor, at, expect)
        remedy = data.draw(
            st.sampled_from([Remedy.REOPEN, Remedy.RESTORE_PLACE, Remedy.NONE]), label="remedy"
        )
        outcome = data.draw(
            st.sampled_from([ComplaintOutcome.UPHELD, ComplaintOutcome.REJECTED]), label="outcome"
        )
        reopen_at = (
            data.draw(st.sampled_from(RESUMES_AT), label="reopen_at")
            if remedy is Remedy.REOPEN
            else None
        )
        # Mostly the day it is recorded; sometimes a day after it, which no court has given.
        decided_on = local_day(at, app.tz) + timedelta(
            days=data.draw(st.sampled_from([0] * 9 + [1]))
        )
        reasons = draw_stated(data, expect, "operative part")
        expect.require(decided_on <= local_day(at, app.tz), "dated within the case")
        expect.require(decided_on >= local_day(app.filed_at, app.tz), "dated within the case")
        if remedy is not Remedy.NONE:
            expect.require(outcome is not ComplaintOutcome.REJECTED, "a remedy needs success")
        if remedy is Remedy.RESTORE_PLACE:
            expect.require(
                app.status in {Status.REFUSED, Status.NOT_CONSIDERED, Status.DEREGISTERED},
                "taken off",
            )
        if remedy is Remedy.REOPEN:
            expect.require(app.status in {Status.REFUSED, Status.NOT_CONSIDERED}, "refused")
            if reopen_at is Status.VERIFIED:
                expect.require(bool(app.checks), "a verification to resume after")
        if remedy in {Remedy.RESTORE_PLACE, Remedy.REOPEN}:
            taken = self._claim_holder(app.holder_iin, app.provider, app.form.list_code)
            expect.require(taken in {None, app.id}, "the citizen's claim is free")
        expected = {Remedy.RESTORE_PLACE: Status.REGISTERED, Remedy.REOPEN: reopen_at}.get(
            remedy, app.status
        )
        number = self._expected_number(app) if remedy is Remedy.RESTORE_PLACE else None
        result = self._attempt(
            drawn,
            acts.RECORD_COURT_DECISION,
            expected,
            court="Specialised administrative court",
            decision_number="3-24/1",
            decided_on=decided_on,
            outcome=outcome,
            operative_part=reasons,
            remedy=remedy,
            reopen_at=reopen_at,
        )
        if result is not None and remedy is Remedy.RESTORE_PLACE:
            receipt, after = result
            assert receipt.queue_number == after.queue_number == number
