"""The paths of the procedure: which acts each route plans, from filing to its last act."""

from __future__ import annotations

from collections.abc import Callable

from demo import complaints, consideration, court, on_the_list
from demo.cases import Case
from demo.district import (
    FIRST_FILING,
    LAST_FILING,
    LAST_FILING_WITH_SEQUEL,
    STARTS_INCOMPLETE,
    WITH_SEQUEL,
    Route,
)
from demo.moments import filing_moment
from demo.script import Script, Setting
from domain.values import DeregistrationGround

HEARD = frozenset(
    {
        Route.HEARING_POSITIVE,
        Route.HEARING_REFUSED,
        Route.COMPLAINT_REJECTED,
        Route.HEARING_HELD_LATE,
    }
)
HELD_LATE = "the applicant asked for a later day, ill; told of the new time by phone (§13)"


def plan_path(setting: Setting, case: Case) -> None:
    """Plan every act of the case's route, from filing on the portal to its last act."""
    last = LAST_FILING_WITH_SEQUEL if case.route in WITH_SEQUEL else LAST_FILING
    filed = filing_moment(setting.rng, FIRST_FILING, last, case.tz)
    script = Script(setting, case, filed)
    consideration.submit(script)
    path = case.route
    if path is Route.WITHDRAWN_BEFORE:
        consideration.accept(script)
        if setting.rng.random() < 0.5:
            consideration.find_complete(script)
        on_the_list.withdraw(script, days=(0, 6), reasons="I no longer need to be registered")
        return
    if path in {Route.NOT_CORRECTED, Route.COURT_RESTORED}:
        consideration.accept(script)
        consideration.notify_incomplete(script)
        consideration.refuse_further_consideration(script)
        if path is Route.COURT_RESTORED:
            court.restores_place(script)
        return
    if path is Route.COMPLAINT_REOPENED:
        consideration.accept(script)
        consideration.find_complete(script, within=1)
        consideration.verify(script, failing=True)
        consideration.hearing(script, positive=False)
        consideration.refuse(script)
        complaints.reopened_by_quality_body(script)
        consideration.verify(script)
        consideration.register(script)
        return
    if path in HEARD:
        consideration.accept(script)
        consideration.find_complete(script, within=1)
        consideration.verify(script, failing=True)
        held_late = HELD_LATE if path is Route.HEARING_HELD_LATE else None
        consideration.hearing(script, positive=path is Route.HEARING_POSITIVE, held_late=held_late)
        if path is Route.HEARING_POSITIVE:
            consideration.register(script)
        else:
            consideration.refuse(script)
        if path is Route.COMPLAINT_REJECTED:
            complaints.rejected_by_quality_body(script)
        return
    consideration.accept(script)
    if path is Route.HEARING_LATE:
        consideration.notify_incomplete(script)
        consideration.correct(script)
        consideration.verify(script, failing=True, after_last_notice_day=True)
        consideration.hearing(
            script,
            positive=False,
            late_because="the state register answered the check only on the day of the notice",
        )
        consideration.refuse(script)
        return
    if path is Route.UPDATED:  # Appendix 3 during consideration too
        on_the_list.update_in_consideration(script)
    if path in STARTS_INCOMPLETE:
        consideration.notify_incomplete(script)
        consideration.correct(script)
    else:
        consideration.find_complete(script)
    consideration.verify(script)
    consideration.register(script)
    sequel = SEQUELS.get(path)
    if sequel is not None:
        sequel(script)


def _updated(script: Script) -> None:
    on_the_list.update_data(script)
    if script.rng.random() < 0.3:
        on_the_list.update_data(script)


def _withdrawn(script: Script) -> None:
    on_the_list.withdraw(script, days=(20, 300), reasons="the family found housing of its own")


def _succession(script: Script) -> None:
    on_the_list.pass_place(script)
    if script.rng.random() < 0.6:
        on_the_list.update_data(script, contacts_only=True)


def _restored(script: Script) -> None:
    on_the_list.deregister(script, ground=DeregistrationGround.FALSE_INFORMATION, room=50)
    complaints.restore_place(script)


# What each route does once the citizen is on the list.
SEQUELS: dict[Route, Callable[[Script], None]] = {
    Route.UPDATED: _updated,
    Route.WITHDRAWN_AFTER: _withdrawn,
    Route.DEREGISTERED: on_the_list.deregister,
    Route.SUCCESSION: _succession,
    Route.COMPLAINT_RESTORE: _restored,
    Route.COMPLAINT_PRIORITY: complaints.correct_priority,
    Route.COMPLAINT_HEAD: complaints.decided_by_head,
    Route.COMPLAINT_SATISFIED: complaints.satisfied_by_provider,
    Route.COMPLAINT_FORWARDED_LATE: complaints.forwarded_late,
}
