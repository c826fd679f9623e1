"""The course of the procedure: acts that take applications along, so that lists fill up."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import MultipleResults, initialize, multiple, precondition, rule

from domain.values import ComplaintStatus, Status
from tests.integration.ledger_machine.expectations import OPEN, REMEDIABLE, some_in
from tests.integration.ledger_machine.rules_complaints import ComplaintRules
from tests.integration.ledger_machine.rules_filing import FilingRules
from tests.integration.ledger_machine.state import applications

# Rules by name, looked up on the assembled machine: most live in the other rules_* modules.
NEXT_ACTS: dict[Status, tuple[str, ...]] = {
    Status.SUBMITTED: ("accept", "accept", "accept", "accept", "withdraw"),
    Status.ACCEPTED: ("find_complete", "find_complete", "notify_incomplete"),
    Status.INCOMPLETE: ("correct", "correct", "refuse_further_consideration"),
    Status.CORRECTED: ("find_complete", "find_complete", "find_still_incomplete"),
    Status.COMPLETE: ("verify",),
    Status.VERIFIED: ("register", "register", "register", "schedule_hearing"),
    Status.GROUNDS_FOUND: ("schedule_hearing",),
    Status.HEARING_SCHEDULED: ("hold_hearing",),
    Status.HEARING_HELD: ("register", "refuse"),
    Status.REGISTERED: (
        "offer_housing",
        "offer_housing",
        "update_data",
        "deregister",
        "pass_place_to_family_member",
        "file_complaint",
        "withdraw",
    ),
    Status.OFFERED: (
        "decline_offer",
        "provide_housing",
        "deregister",
        "withdraw",
        "file_complaint",
    ),
    Status.REFUSED: ("file_complaint",),
    Status.DEREGISTERED: ("file_complaint",),
    Status.NOT_CONSIDERED: ("withdraw", "file_complaint", "correct"),
    Status.WITHDRAWN: ("withdraw", "file_complaint", "accept"),
    Status.HOUSED: ("provide_housing", "file_complaint", "offer_housing"),
}

ADVANCEABLE = OPEN | {Status.DEREGISTERED, Status.REFUSED}
FAST_TRACK = frozenset(
    {
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.INCOMPLETE,
        Status.CORRECTED,
        Status.COMPLETE,
        Status.VERIFIED,
    }
)


class CourseRules(FilingRules, ComplaintRules):
    """Acts chosen by where an application stands, so that runs reach the deeper states."""

    @initialize(target=applications, data=st.data())
    def first_applications(self, data: st.DataObject) -> Any:
        """A few applications from the start, most of them taken onto their list, so that every
        run has a list to work on."""
        ids = [self._submit(data) for _ in range(data.draw(st.integers(1, 6), label="first"))]
        filed = [i for i in ids if i is not None]
        for app_id in filed:
            if data.draw(st.integers(0, 3), label="fast") < 3:
                self._fast_track(app_id, data)
        return multiple(*filed)

    def _advance(self, app_id: UUID, data: st.DataObject, *, steer: bool = True) -> Any:
        """The act that comes next in the application's course (or one of them), still with a
        random actor and date: without it, few applications would reach the list in 40 steps.
        When the applications run out, another citizen applies to the same list."""
        if steer:
            app_id = self._pick(data, app_id, ADVANCEABLE)
        app = self.model[app_id]
        few = sum(1 for a in self.model.values() if not a.is_closed) < 4
        chance = data.draw(st.integers(0, 3), label="new_applicant")
        if (app.status not in ADVANCEABLE and chance < 2) or (few and chance == 0):
            new_id = self._submit(data, provider=app.provider, list_code=app.form.list_code)
            return multiple() if new_id is None else new_id
        open_complaints = any(
            c.status in {ComplaintStatus.FILED, ComplaintStatus.FORWARDED}
            for c in app.complaints.values()
        )
        choices = list(NEXT_ACTS[app.status])
        if open_complaints:
            choices = [*choices, "decide_complaint", "forward_complaint"]
            if app.status in REMEDIABLE:
                choices = ["decide_complaint"] * len(choices) + choices
        act = data.draw(st.sampled_from(choices), label="next act")
        self._forced = app_id
        try:
            getattr(self, act)(app_id=app_id, data=data)
        finally:
            self._forced = None
        return multiple()

    @rule(target=applications, app_id=applications, data=st.data())
    def advance(self, app_id: UUID, data: st.DataObject) -> Any:
        return self._advance(app_id, data)

    @rule(target=applications, app_id=applications, data=st.data())
    def advance_further(self, app_id: UUID, data: st.DataObject) -> Any:
        return self._advance(app_id, data)

    @rule(target=applications, app_id=applications, data=st.data())
    def advance_a_stretch(self, app_id: UUID, data: st.DataObject) -> Any:
        """Several acts in a row on one application: the deeper states (offers, restored
        places, corrected priorities) within a few dozen steps."""
        results = []
        app_id = self._pick(data, app_id, ADVANCEABLE)
        for _ in range(data.draw(st.integers(2, 6), label="stretch")):
            result = self._advance(app_id, data, steer=False)
            if not isinstance(result, MultipleResults):
                results.append(result)
        return multiple(*results)

    @precondition(some_in(*FAST_TRACK))
    @rule(data=st.data())
    def fast_track(self, data: st.DataObject) -> None:
        """An application taken along the main course towards the list by the right people
        within days (each act still checked): without it, lists would stay short."""
        fitting = [i for i in self.order if self.model[i].status in FAST_TRACK]
        self._fast_track(data.draw(st.sampled_from(fitting), label="fast"), data)

    def _fast_track(self, app_id: UUID, data: st.DataObject) -> None:
        self._forced, self._cooperative = app_id, True
        try:
            for _ in range(8):
                app = self.model[app_id]
                if app.status not in FAST_TRACK:
                    break
                act = NEXT_ACTS[app.status][0]
                if act == "find_complete" and not (
                    app.form.required_documents() <= {d.kind for d in app.documents}
                ):
                    act = "notify_incomplete"
                getattr(self, act)(app_id=app_id, data=data)
        finally:
            self._forced, self._cooperative = None, False

    @precondition(some_in(*REMEDIABLE))
    @rule(data=st.data())
    def complain_then_decide(self, data: st.DataObject) -> None:
        """A complaint by a citizen taken off the list, refused, or on it, and its decision:
        the remedies (RESTORE_PLACE, CORRECT_PRIORITY) that move others on the list."""
        fitting = [i for i in self.order if self.model[i].status in REMEDIABLE]
        app_id = data.draw(st.sampled_from(fitting), label="complainant")
        self._forced = app_id
        try:
            self.file_complaint(app_id=app_id, data=data)
            self.decide_complaint(app_id=app_id, data=data)
        finally:
            self._forced = None
