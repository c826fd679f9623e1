"""Remedies that remedy (§14, §15, Art. 74 para 1): a complaint upheld, satisfied by the
provider, or a court's decision reopens a refused or not-considered application at the stage
it names, or registers it with the priority it had. No I/O."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from demo.synthetic import checks_for, complaint_body, head, officer
from domain.actors import Actor
from domain.errors import ActorNotEntitled, CourtDecisionOutOfRecord, RemedyNotApplicable
from domain.housing_application import HousingApplication
from domain.records import MissingItem
from domain.values import (
    Check,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintSubject,
    DocumentKind,
    HearingOutcome,
    Remedy,
    Role,
    Status,
)
from projections.deadline_rules import OPEN
from tests.unit.cases import (
    accepted,
    complaint_on,
    decide,
    hold_hearing,
    local,
    notice_on,
    refuse,
    verified,
)
from tests.unit.test_deadline_rules import K, Walk


def refused() -> HousingApplication:
    """Grounds found on 27 March 2024, heard on 4-5 April, refused on 5 April."""
    app = verified(failing=Check.NO_HOUSING_OWNED)
    notice_on(app, date(2024, 4, 4), date(2024, 4, 5))
    hold_hearing(app, local(2024, 4, 5, 12), HearingOutcome.REFUSAL, "the register shows it",
                 position="the flat was sold")  # fmt: skip
    refuse(app, local(2024, 4, 5, 15), "owns a flat")
    return app


def upheld(app: HousingApplication, cid: str, at: datetime, reasons: str, **remedy: Any) -> None:
    """The quality body upholds the complaint, with `remedy`."""
    decide(app, cid, complaint_body("quality-body"), at, ComplaintOutcome.UPHELD, reasons, **remedy)


def not_considered() -> HousingApplication:
    app = accepted()
    app.notify_incomplete(
        actor=officer(app.provider),
        effective_at=local(2024, 3, 20),
        missing=[MissingItem(document=DocumentKind.OTHER, description="marriage certificate")],
    )
    app.refuse_further_consideration(
        actor=head(app.provider), effective_at=local(2024, 3, 28), reasons="not corrected"
    )
    return app


def complain(app: HousingApplication, day: date, body: ComplaintBody) -> str:
    """A complaint against the decision at version 2."""
    return complaint_on(app, day, body, subject=ComplaintSubject.DECISION, concerns_version=2)


def reopened(
    app: HousingApplication, filed: date, at: datetime, reasons: str, stage: Status
) -> Walk:
    """The quality body upholds a complaint filed on `filed` and reopens the case at `stage`;
    the walk of the deadlines, started before the decision (the case stands at `stage`)."""
    cid = complain(app, filed, ComplaintBody.QUALITY_BODY)
    walk = Walk(app)
    upheld(app, cid, at, reasons, remedy=Remedy.REOPEN, reopen_at=stage)
    assert app.status is stage
    return walk


def test_an_upheld_complaint_reopens_a_refusal_at_the_stage_it_names_par_14() -> None:
    """§14: the quality body upholds the complaint against the refusal and sends the case
    back to verification: the application is complete again, with a new 10-day verification
    and 15-day consideration from the decision, and may then be registered."""
    app = refused()
    sold = "the flat was sold in 2023; verify again"
    walk = reopened(app, date(2024, 4, 8), local(2024, 4, 15), sold, Status.COMPLETE)
    opened = {(t.kind, t.status, t.starts_on) for t in walk.pump() if t.status == OPEN}
    assert opened == {
        (K.CONSIDERATION, OPEN, date(2024, 4, 15)),
        (K.VERIFICATION, OPEN, date(2024, 4, 15)),
    }
    app.verify(
        actor=officer(app.provider),
        effective_at=local(2024, 4, 16),
        checks=checks_for(app.form, app.provider),
    )
    app.register(actor=officer(app.provider), effective_at=local(2024, 4, 16, 12), queue_number=1)
    assert app.status is Status.REGISTERED


def test_a_not_considered_application_has_a_remedy_par_11_par_14() -> None:
    """§11, §14: a refusal to consider further can be remedied: reopened at the completeness
    check (a new 2-day check and 15-day term), or registered with the priority it had."""
    app = not_considered()
    held = "the certificate is held by the state systems (§9)"
    walk = reopened(app, date(2024, 3, 29), local(2024, 4, 1), held, Status.ACCEPTED)
    assert {t.kind for t in walk.pump() if t.status == OPEN} == {
        K.CONSIDERATION,
        K.COMPLETENESS_CHECK,
    }
    again = not_considered()
    moment = again.priority_moment
    cid = complain(again, date(2024, 3, 29), ComplaintBody.QUALITY_BODY)
    upheld(
        again,
        cid,
        local(2024, 4, 1),
        "the package was complete",
        remedy=Remedy.RESTORE_PLACE,
        queue_number=4,
    )
    assert (again.status, again.queue_number, again.priority_moment) == (
        Status.REGISTERED,
        4,
        moment,
    )


def test_a_complaint_the_provider_satisfies_takes_effect_too_par_14() -> None:
    """§14: the provider meets the complaint in full itself within 3 working days: its
    action is the remedy, and it reopens the refusal at the stage it names."""
    app = refused()
    cid = complain(app, date(2024, 4, 8), ComplaintBody.PROVIDER)
    app.satisfy_complaint(
        actor=head(app.provider),
        effective_at=local(2024, 4, 9),
        complaint_id=cid,
        action_taken="the refusal is revoked; the case goes back to the hearing's outcome",
        remedy=Remedy.REOPEN,
        reopen_at=Status.VERIFIED,
    )
    assert app.status is Status.VERIFIED
    assert app.hearing_outcome is None


def test_a_reopening_names_a_stage_of_consideration_and_only_for_a_refusal() -> None:
    app = refused()
    cid = complain(app, date(2024, 4, 8), ComplaintBody.QUALITY_BODY)
    for stage in (None, Status.REGISTERED, Status.HEARING_HELD):
        with pytest.raises(RemedyNotApplicable) as error:
            upheld(
                app,
                cid,
                local(2024, 4, 15),
                "verify again",
                remedy=Remedy.REOPEN,
                reopen_at=stage,
            )
        assert "§14" in error.value.paragraph
    assert app.status is Status.REFUSED


# -- §15: a court's decision is an act, and its operative part takes effect ----------------

COURT = Actor(id="court-almaty-administrative", role=Role.COURT)


def record_court_decision(app: HousingApplication, actor: Actor, **fields: object) -> None:
    arguments: dict[str, object] = {
        "court": "Specialised inter-district administrative court of Almaty",
        "decision_number": "7599-24-00-4a/112",
        "decided_on": date(2024, 5, 20),
        "outcome": ComplaintOutcome.UPHELD,
        "operative_part": "The refusal of 5 April 2024 is annulled; consider again.",
    }
    arguments.update(fields)
    app.record_court_decision(actor=actor, effective_at=local(2024, 5, 22), **arguments)


def test_a_courts_decision_is_recorded_with_its_number_date_and_court_par_15() -> None:
    """§15: after the complaint, a court annuls the refusal; its decision, recorded by the
    court's token, reopens consideration at the stage it names, like a complaint's remedy."""
    app = refused()
    record_court_decision(app, COURT, remedy=Remedy.REOPEN, reopen_at=Status.COMPLETE)
    assert app.status is Status.COMPLETE
    decided = app.pending_events[-1]
    assert isinstance(decided, HousingApplication.CourtDecided)
    assert (decided.decision_number, decided.decided_on, decided.basis) == (
        "7599-24-00-4a/112",
        date(2024, 5, 20),
        "§15",
    )


def test_staff_record_a_courts_decision_that_restores_the_place_par_15() -> None:
    app = refused()
    record_court_decision(app, head(app.provider), remedy=Remedy.RESTORE_PLACE, queue_number=2)
    assert (app.status, app.queue_number) == (Status.REGISTERED, 2)


def test_a_courts_decision_dated_after_its_recording_or_before_the_filing_is_refused() -> None:
    app = refused()
    for day in (date(2024, 5, 23), date(2024, 3, 1)):
        with pytest.raises(CourtDecisionOutOfRecord) as error:
            record_court_decision(app, COURT, decided_on=day)
        assert error.value.paragraph == "§15"
    with pytest.raises(ActorNotEntitled):
        record_court_decision(app, complaint_body("quality-body"))
    with pytest.raises(RemedyNotApplicable):
        record_court_decision(app, COURT, outcome=ComplaintOutcome.REJECTED, remedy=Remedy.REOPEN)
    assert app.status is Status.REFUSED
