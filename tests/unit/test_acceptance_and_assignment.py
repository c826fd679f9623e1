"""§7, §10 ¶1: the provider accepts the application on the day it is received (after hours
or on a day off, the next working day), and the head sends it to an officer for execution.
No I/O."""

from __future__ import annotations

from datetime import date

import pytest

from demo.synthetic import head, officer
from domain.errors import ActBeforePreviousAct, ActorNotEntitled, ActOutOfOrder
from domain.values import Status
from projections.deadline_rules import MET, MISSED, OPEN, Case, step
from tests.unit.cases import file, local
from tests.unit.test_deadline_rules import K, Walk


def test_the_acceptance_term_opens_on_filing_and_ends_on_the_reception_day_par_7() -> None:
    """§7: filed on Friday 29 March 2024 at 19:00 (after hours), it is received, and must be
    accepted, on Monday 1 April."""
    app = file(at=local(2024, 3, 29, 19))
    (applied,) = app.collect_events()
    case = Case(str(app.id), app.provider, app.tz)
    (term,) = step(case, applied, 1)
    assert term.kind is K.ACCEPTANCE
    assert (term.status, term.starts_on, term.due_on, term.basis) == (
        OPEN,
        date(2024, 4, 1),
        date(2024, 4, 1),
        "§7",
    )


def test_an_acceptance_after_the_reception_day_is_a_missed_term_par_7() -> None:
    for day, expected in ((date(2024, 4, 1), (MET, 0)), (date(2024, 4, 3), (MISSED, 2))):
        app = file(at=local(2024, 3, 29, 19))
        walk = Walk(app)
        app.accept(actor=officer(app.provider), effective_at=local(day.year, day.month, day.day))
        acceptance = next(t for t in walk.pump() if t.kind is K.ACCEPTANCE)
        assert (acceptance.status, acceptance.late_by) == expected


def test_the_head_assigns_the_application_to_an_officer_par_10() -> None:
    """§10 ¶1: from registration, the head sends the application for execution to an
    employee of the responsible unit: who is responsible is an act of record."""
    app = file()
    with pytest.raises(ActOutOfOrder):
        app.assign(actor=head(app.provider), effective_at=local(2024, 3, 18, 11), officer_id="o-7")
    app.accept(actor=officer(app.provider), effective_at=local(2024, 3, 18, 11))
    with pytest.raises(ActorNotEntitled):
        app.assign(
            actor=officer(app.provider), effective_at=local(2024, 3, 18, 12), officer_id="o-7"
        )
    app.assign(actor=head(app.provider), effective_at=local(2024, 3, 18, 12), officer_id="o-7")
    assert (app.assigned_to, app.status) == ("o-7", Status.ACCEPTED)


def test_an_officer_working_late_accepts_at_once_and_the_reception_day_stays_par_7() -> None:
    """§7 names the latest day of acceptance, not the earliest: filed on Friday at 19:00 and
    accepted at 19:30, it is accepted; it is still received on Monday, and every term runs
    from Monday."""
    app = file(at=local(2024, 3, 29, 19))
    app.accept(actor=officer(app.provider), effective_at=local(2024, 3, 29, 19, 30))
    assert app.status is Status.ACCEPTED
    assert app.reception_day == date(2024, 4, 1)
    with pytest.raises(ActBeforePreviousAct):
        file(at=local(2024, 3, 29, 19)).accept(
            actor=officer(app.provider), effective_at=local(2024, 3, 29, 18, 59)
        )
