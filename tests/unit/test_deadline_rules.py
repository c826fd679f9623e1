"""Which act opens and closes which statutory term, and met / missed / lapsed / void: no I/O."""

from __future__ import annotations

import typing
from datetime import date, datetime, timedelta

import pytest

from demo.synthetic import appendix_3, checks_for, complaint_body, document, head, officer
from domain.calendar import add_working_days, is_working_day, working_days_between
from domain.errors import HearingNoticeTooLate
from domain.housing_application import HousingApplication
from domain.records import (
    AdministrativeFile,
    ComplaintForm,
    Deadline,
    HearingNotice,
    MissingItem,
)
from domain.values import (
    Check,
    ComplaintBody,
    ComplaintSubject,
    DeadlineKind,
    DocumentKind,
    RefusalGround,
)
from projections.deadline_rules import (
    APPLICANT,
    BODY,
    CLOSES,
    ENDS,
    LAPSED,
    MET,
    MISSED,
    OPEN,
    OPENS,
    PROVIDER,
    VOID,
    Case,
    Term,
    judge,
    latest_notice_day,
    step,
    verdict_of,
)
from tests.unit.cases import (
    accepted,
    applicant_of,
    complete,
    decide,
    local,
    registered,
    verified,
)

K = DeadlineKind


def at(day: date) -> datetime:
    return local(day.year, day.month, day.day)


class Walk:
    """Steps the rules through an in-memory application's events as they happen."""

    def __init__(self, app: HousingApplication) -> None:
        self.app = app
        self.case = Case(str(app.id), app.provider, app.tz)
        self.acts: list[tuple[str, list[Term]]] = []
        self.seq = 0
        self.pump()

    def pump(self) -> list[Term]:
        changed: list[Term] = []
        for event in self.app.collect_events():
            self.seq += 1
            terms = step(self.case, event, self.seq)
            self.acts.append((type(event).__name__, terms))
            changed.extend(terms)
        return changed

    def open_kinds(self) -> set[tuple[K, str]]:
        return {(t.kind, t.ref) for t in self.case.open.values()}


def test_every_rule_names_a_real_event_and_a_deadline_field() -> None:
    for name in {*CLOSES, *OPENS, *ENDS}:
        event = getattr(HousingApplication, name)
        assert issubclass(event, HousingApplication.Act | HousingApplication.Applied), name
    for name, fields in OPENS.items():
        hints = typing.get_type_hints(getattr(HousingApplication, name))
        for field in fields:
            assert hints[field] in (Deadline, Deadline | None), (name, field)
    closed = {c.kind for closings in CLOSES.values() for c in closings}
    # Every kind is closed by some act, but the data update, judged by the act that opens it.
    assert closed | {K.DATA_UPDATE} == set(K)


def test_an_act_on_the_due_day_is_met_and_one_after_it_missed_by_working_days() -> None:
    due = date(2024, 4, 5)  # a Friday
    assert judge(due, due) == (MET, 0)
    assert judge(due, date(2024, 4, 1)) == (MET, 0)
    assert judge(due, date(2024, 4, 8)) == (MISSED, 1)
    assert judge(due, date(2024, 4, 10)) == (MISSED, 3)
    # The term ended at the end of Friday: a Saturday act is late, by no working day.
    assert judge(due, date(2024, 4, 6)) == (MISSED, 0)


def test_the_latest_hearing_notice_day_keeps_three_working_days_before_the_term_ends() -> None:
    day = date(2024, 1, 1)
    while day < date(2025, 1, 1):
        if is_working_day(day):
            latest = latest_notice_day(day)
            assert working_days_between(latest, day) >= 3
            assert working_days_between(latest + timedelta(days=1), day) < 3
        day += timedelta(days=1)


def test_acceptance_opens_the_completeness_and_consideration_terms() -> None:
    walk = Walk(accepted())
    assert walk.open_kinds() == {(K.COMPLETENESS_CHECK, ""), (K.CONSIDERATION, "")}
    assert all(t.party == PROVIDER and t.status == OPEN for t in walk.case.open.values())


def test_an_uncorrected_application_lapses_the_applicants_term_not_the_providers() -> None:
    app = accepted()
    walk = Walk(app)
    notice_day = local(2024, 3, 19)
    app.notify_incomplete(
        actor=officer(app.provider),
        effective_at=notice_day,
        missing=[MissingItem(document=DocumentKind.OTHER, description="statement")],
    )
    (completeness, correction) = walk.pump()
    assert (completeness.kind, completeness.status, completeness.late_by) == (
        K.COMPLETENESS_CHECK,
        MET,
        0,
    )
    assert (correction.kind, correction.status, correction.party) == (K.CORRECTION, OPEN, APPLICANT)
    refusal_day = add_working_days(correction.due_on, 1)
    app.refuse_further_consideration(
        actor=head(app.provider), effective_at=at(refusal_day), reasons="late"
    )
    changed = walk.pump()
    by_kind = {t.kind: t for t in changed}
    assert by_kind[K.CORRECTION].status == LAPSED
    assert by_kind[K.CORRECTION].late_by is None
    assert by_kind[K.CONSIDERATION].status == MET
    assert verdict_of(changed) is by_kind[K.CONSIDERATION]
    assert walk.case.open == {}


def test_a_late_verification_is_missed_by_the_working_days_after_its_term() -> None:
    app = complete()
    walk = Walk(app)
    due = walk.case.open[(K.VERIFICATION.value, "")].due_on
    late = add_working_days(due, 2)
    app.verify(
        actor=officer(app.provider),
        effective_at=at(late),
        checks=checks_for(app.form, app.provider),
    )
    (verification,) = walk.pump()
    assert (verification.status, verification.late_by, verification.closed_on) == (
        MISSED,
        2,
        late,
    )


def notice_on(app: HousingApplication, day: date) -> None:
    app.schedule_hearing(
        actor=officer(app.provider),
        effective_at=at(day),
        ground=RefusalGround.NON_COMPLIANCE,
        reasons="owns a flat",
        notice=HearingNotice(hearing_at=at(add_working_days(day, 1)), place="Akimat, room 12"),
    )


def test_grounds_found_open_the_hearing_notice_term_the_domain_enforces() -> None:
    app = verified(failing=Check.INCOME)
    walk = Walk(app)
    consideration = walk.case.open[(K.CONSIDERATION.value, "")]
    notice = walk.case.open[(K.HEARING_NOTICE.value, "")]
    # The term ends on 11 April 2024 (Nauryz: 21, 22 and 25 March off); 8 April leaves 3 days.
    assert consideration.due_on == date(2024, 4, 11)
    assert (notice.due_on, notice.party, notice.basis) == (date(2024, 4, 8), PROVIDER, "§13")
    with pytest.raises(HearingNoticeTooLate):
        notice_on(app, date(2024, 4, 9))
    notice_on(app, date(2024, 4, 8))
    (closed, hearing) = walk.pump()
    assert (closed.kind, closed.status, closed.late_by) == (K.HEARING_NOTICE, MET, 0)
    assert (hearing.kind, hearing.status) == (K.HEARING, OPEN)


def test_a_hearing_after_a_clean_verification_is_judged_against_the_derived_notice_day() -> None:
    app = verified()
    walk = Walk(app)
    assert (K.HEARING_NOTICE, "") not in walk.open_kinds()
    notice_on(app, date(2024, 3, 28))
    (notice, hearing) = walk.pump()
    assert (notice.kind, notice.status, notice.due_on) == (K.HEARING_NOTICE, MET, date(2024, 4, 8))
    assert (hearing.kind, hearing.status) == (K.HEARING, OPEN)


def test_registration_closes_the_consideration_term_and_voids_nothing_else_open() -> None:
    walk = Walk(registered())
    kinds = {name: [(t.kind, t.status) for t in terms] for name, terms in walk.acts}
    assert kinds["Registered"] == [(K.CONSIDERATION, MET)]
    assert walk.case.open == {}


def complaint(app: HousingApplication, day: date, body: ComplaintBody) -> str:
    return app.file_complaint(
        actor=applicant_of(app),
        effective_at=at(day),
        complaint=ComplaintForm(subject=ComplaintSubject.INACTION, filed_with=body, text="x"),
    )


def test_a_forwarded_complaint_meets_its_forward_term_and_takes_the_bodys_decision_term() -> None:
    app = registered()
    walk = Walk(app)
    filed = complaint(app, date(2024, 4, 1), ComplaintBody.PROVIDER)
    (forward, decision) = walk.pump()
    assert (forward.ref, forward.kind, decision.party, decision.working_days) == (
        filed,
        K.COMPLAINT_FORWARD,
        PROVIDER,
        5,
    )
    app.forward_complaint(
        actor=officer(app.provider),
        effective_at=local(2024, 4, 3),
        complaint_id=filed,
        to_body=ComplaintBody.QUALITY_BODY,
        administrative_file=AdministrativeFile(reference="f", sha256="0" * 64, up_to_version=1),
    )
    (forwarded, replaced) = walk.pump()
    assert (forwarded.status, forwarded.late_by) == (MET, 0)
    assert (replaced.kind, replaced.status, replaced.party) == (K.COMPLAINT_DECISION, OPEN, BODY)
    assert replaced.due_on == add_working_days(date(2024, 4, 3), 15)
    decide(app, filed, complaint_body(), local(2024, 4, 5))
    (decided,) = walk.pump()
    assert (decided.status, decided.ref) == (MET, filed)


def test_a_complaint_decided_by_the_provider_late_leaves_its_forward_term_missed() -> None:
    """§14: decided at the provider after the 3 days to forward, the forward is missed too."""
    app = registered()
    walk = Walk(app)
    filed = complaint(app, date(2024, 4, 1), ComplaintBody.PROVIDER)
    walk.pump()
    decide(app, filed, head(app.provider), local(2024, 4, 10))
    (decision, forward) = walk.pump()
    assert (decision.status, decision.late_by) == (MISSED, 2)  # due 8 April
    assert (forward.status, forward.late_by) == (MISSED, 4)  # due 4 April


def test_an_ending_voids_every_term_but_a_complaints() -> None:
    app = complete()
    walk = Walk(app)
    complaint(app, date(2024, 3, 20), ComplaintBody.QUALITY_BODY)
    walk.pump()
    app.withdraw(actor=applicant_of(app), effective_at=local(2024, 3, 26))
    changed = walk.pump()
    assert {(t.kind, t.status) for t in changed} == {
        (K.VERIFICATION, VOID),
        (K.CONSIDERATION, VOID),
    }
    assert verdict_of(changed) is None
    assert walk.open_kinds() == {(K.COMPLAINT_DECISION, "c1")}


@pytest.mark.parametrize(
    ("arose_on", "status"), [(date(2024, 3, 29), MET), (date(2024, 2, 1), MISSED)]
)
def test_a_data_update_is_judged_at_once_against_its_own_term(arose_on: date, status: str) -> None:
    app = registered()
    walk = Walk(app)
    app.update_data(
        actor=applicant_of(app),
        effective_at=local(2024, 4, 2),
        update=appendix_3(
            applicant_iin=app.holder_iin,
            reason="moved",
            grounds_arose_on=arose_on,
            documents=(document(DocumentKind.OTHER),),
        ),
    )
    (update,) = walk.pump()
    assert (update.kind, update.status, update.party) == (K.DATA_UPDATE, status, APPLICANT)
    assert update.ref == f"v{app.version}"
    assert walk.case.open == {}
