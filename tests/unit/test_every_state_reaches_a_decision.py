"""No dead ends (§8, §10-§14): from every state an application can reach, the provider's
lawful acts lead to a decision (registered, refused, not considered), every complaint can be
closed (§14), and every term opened on the way is met, reported missed or lapsed, or ends with
consideration before it runs out.

Hypothesis walks an application in memory through random lawful acts (the provider's, the
applicant's corrections, complaints of inaction and rare withdrawal, a refusal reopened by an
upheld complaint), at moments straight after the last act or weeks late; in every state it
reaches, `lawful_paths.Search` must find the provider's way to a decision and a way to close
each open complaint, and the deadline rules (projections/deadline_rules.py), stepped through
every event of the walk and of those ways, must account for every term. No I/O.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hypothesis import event as note
from hypothesis import given, settings
from hypothesis import strategies as st

from demo.synthetic import complaint_body, document
from domain import acts
from domain.acts import ActDefinition
from domain.calendar import local_day
from domain.errors import DomainError
from domain.housing_application import HousingApplication
from domain.values import ComplaintBody, ComplaintOutcome, ComplaintSubject, Remedy, Role, Status
from projections.deadline_rules import (
    MISSED,
    OPEN,
    PROVIDER,
    VOID,
    Case,
    Term,
    step,
)
from tests.unit.cases import applicant_of, complaint_on, decide, file, local
from tests.unit.lawful_paths import (
    DECIDED,
    FIELDS,
    IN_CONSIDERATION,
    Fields,
    Search,
    actor_for,
    lawful_now,
    moments,
    open_complaints,
    provider_acts,
)

# Walks file in 2024-2025 and act until the end of 2025; the search for a decision may go on
# through 2026 (its Kurban Ait is confirmed): no term is counted across an estimated day off.
FIRST, LAST = datetime(2024, 1, 8, tzinfo=UTC), datetime(2025, 6, 30, tzinfo=UTC)
WALK_END = datetime(2025, 12, 31, tzinfo=UTC)
NOW = datetime(2026, 11, 30, tzinfo=UTC)
STEPS = 16  # acts drawn on one application (a refused draw counts too)
REOPENED_AT = (Status.ACCEPTED, Status.COMPLETE, Status.VERIFIED)  # domain.remedies.RESUMES_AT


@dataclass
class Terms:
    """The deadline rules stepped through an application's events, as the monitor steps them."""

    case: Case
    seen: dict[tuple[str, str, int], Term] = field(default_factory=dict)
    seq: int = 0

    def pump(self, app: HousingApplication) -> None:
        for event in app.collect_events():
            self.seq += 1
            day = local_day(getattr(event, "effective_at"), self.case.tz)  # noqa: B009
            for term in step(self.case, event, self.seq):
                if term.status == OPEN and term.due_on < day:
                    # The monitor never opens an overdue term silently (§13; issue 14 item 1).
                    assert term.late_by is not None, f"{term.kind.value} opened overdue silently"
                self.seen[(term.kind.value, term.ref, term.opened_seq)] = term

    def check_decided(self) -> None:
        """Consideration is over and every complaint closed: no term is open, and no term of
        the provider's that had run out was voided (a miss the decision would hide)."""
        still = [t.kind.value for t in self.case.open.values()]
        assert not still, f"terms still open after the decision: {still}"
        for t in self.seen.values():
            hidden = t.status == VOID and t.party == PROVIDER
            assert not (hidden and t.closed_on is not None and t.closed_on > t.due_on), (
                f"{t.kind.value} ran out on {t.due_on} and was voided on {t.closed_on}, "
                "not reported missed"
            )


def applicant_acts(app: HousingApplication) -> dict[str, list[Fields]]:
    documents = [document(k, "corrected") for k in app.form.required_documents()]
    return {
        acts.CORRECT.name: [{"documents": documents}],
        acts.WITHDRAW.name: [{"reasons": "moved away"}],
    }


def perform(app: HousingApplication, act: ActDefinition, at: datetime, fields: Fields) -> bool:
    """`act` on `app` if the aggregate finds it lawful; whether it was recorded."""
    actor = applicant_of(app) if act in (acts.CORRECT, acts.WITHDRAW) else actor_for(act, app)
    try:
        getattr(app, act.command)(actor=actor, effective_at=at, **fields)
    except DomainError:
        return False
    return True


def reopen(app: HousingApplication, data: st.DataObject) -> bool:
    """§14: the applicant complains of the decision; the quality body upholds it and sends the
    case back to a stage of consideration (domain.remedies)."""
    day = local_day(app.last_effective_at, app.tz) + timedelta(days=data.draw(st.integers(1, 20)))
    stage = data.draw(st.sampled_from(REOPENED_AT), label="reopened at")
    try:
        cid = complaint_on(
            app,
            day,
            ComplaintBody.QUALITY_BODY,
            subject=ComplaintSubject.DECISION,
            concerns_version=decision_version(app),
        )
        at = app.last_effective_at + timedelta(days=data.draw(st.integers(1, 20)))
        decide(app, cid, complaint_body(), at, ComplaintOutcome.UPHELD, "decided again",
               remedy=Remedy.REOPEN, reopen_at=stage)  # fmt: skip
    except DomainError:
        return False
    note(f"reopened at {stage.value}")
    return True


def complain_of_inaction(app: HousingApplication, data: st.DataObject) -> bool:
    """§14: the applicant complains of the provider's inaction, to it or to the quality body;
    the complaint's terms must close or show missed once the case is decided."""
    body = data.draw(st.sampled_from([ComplaintBody.PROVIDER, ComplaintBody.QUALITY_BODY]))
    day = local_day(app.last_effective_at, app.tz) + timedelta(days=data.draw(st.integers(0, 9)))
    try:
        complaint_on(app, day, body)
    except DomainError:
        return False
    note(f"complained to {body.value}")
    return True


def decision_version(app: HousingApplication) -> int:
    """The version of the decision the application is closed by (its last provider act)."""
    return max(v for v, (_, role) in enumerate(app.record, start=1) if role is not Role.APPLICANT)


def step_once(app: HousingApplication, data: st.DataObject) -> bool:
    """One lawful act drawn on `app` (False if the one drawn was refused: nothing happened)."""
    if app.status in (Status.REFUSED, Status.NOT_CONSIDERED):
        return reopen(app, data)
    if data.draw(st.integers(0, 9), label="complain?") == 0:
        return complain_of_inaction(app, data)
    own = applicant_acts(app)
    choices = lawful_now(app, [*provider_acts(), acts.CORRECT])
    # The applicant may withdraw in any state; rarely, so that most walks go deep.
    if not choices or data.draw(st.integers(0, 79), label="withdraw?") == 0:
        choices = [acts.WITHDRAW]
    act = data.draw(st.sampled_from(choices), label="act")
    at = data.draw(st.sampled_from(moments(app, WALK_END) or [app.last_effective_at]), label="at")
    variants = own[act.name] if act.name in own else FIELDS[act.name](app, at)
    return perform(app, act, at, data.draw(st.sampled_from(variants), label="fields"))


def assert_a_way_to_a_decision(app: HousingApplication, terms: Terms) -> list[str]:
    """The provider's way from `app`'s state to a decision; its terms all accounted for."""
    search = Search(now=NOW)
    way = search.way_to_decision(copy.deepcopy(app))
    if not way:
        return []
    decided = way[-1][1]
    assert decided.status in DECIDED - {Status.WITHDRAWN}
    for cid in open_complaints(decided):
        decided = search.complaint_closed(decided, cid)
    after = copy.deepcopy(terms)
    after.pump(decided)
    after.check_decided()
    return [name for name, _ in way]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    data=st.data(),
    filed=st.datetimes(min_value=FIRST.replace(tzinfo=None), max_value=LAST.replace(tzinfo=None)),
)
def test_every_reachable_state_has_a_lawful_way_to_a_decision(
    data: st.DataObject, filed: datetime
) -> None:
    """§12: consideration ends in a decision, whatever happened before: late acts (a hearing
    notice after its last day, §13), incomplete packages corrected or not (§10-§11), grounds
    found or not (§11-§13), decisions reopened by an upheld complaint (§14)."""
    app = file(at=filed.replace(tzinfo=UTC))
    terms = Terms(Case(str(app.id), app.provider, app.tz))
    terms.pump(app)
    states = 0
    for _ in range(STEPS):
        if app.status in DECIDED and app.status not in (Status.REFUSED, Status.NOT_CONSIDERED):
            break
        if app.status in IN_CONSIDERATION:
            assert_a_way_to_a_decision(app, terms)
            states += 1
            note(f"searched from {app.status.value}")
        if step_once(app, data):
            terms.pump(app)
            note(f"reached {app.status.value}")
        else:
            note("drawn act refused")
    if app.status in IN_CONSIDERATION:
        assert_a_way_to_a_decision(app, terms)


def test_a_late_hearing_notice_is_the_way_on_when_grounds_are_found_late() -> None:
    """§12-§13: grounds found after the last notice day (3 working days before the term) still
    lead to a decision: the notice is recorded late, and the monitor opens it as overdue."""
    app = file(at=local(2024, 4, 1, 10))
    terms = Terms(Case(str(app.id), app.provider, app.tz))
    assert perform(app, acts.ACCEPT, local(2024, 4, 1, 11), {})
    assert perform(app, acts.FIND_COMPLETE, local(2024, 4, 2), {})
    late = local(2024, 4, 22, 12)  # the 15 working days run to 22 April
    verify = FIELDS[acts.VERIFY.name](app, late)[1]
    assert perform(app, acts.VERIFY, late, verify)
    assert app.status is Status.GROUNDS_FOUND
    terms.pump(app)
    notice = terms.seen[("hearing_notice", "", terms.seq)]
    assert notice.status == OPEN
    assert notice.late_by is not None
    way = assert_a_way_to_a_decision(app, terms)
    assert way[0] == acts.SCHEDULE_HEARING.name


def test_the_search_knows_every_provider_act_of_consideration() -> None:
    """Each act a provider performs during consideration, as declared (domain/acts/procedure.py),
    is one the search tries: a new act is a new way on to be searched."""
    assert {a.name for a in provider_acts()} == set(FIELDS)


def test_a_decided_term_is_accounted_for_or_the_check_fails() -> None:
    """The check itself: a provider's term voided after it ran out is a hidden miss."""
    terms = Terms(Case("x", "almaty", "Asia/Almaty"))
    kind = acts.ACCEPT.terms.closes[0].kind
    run_out = Term("x", "almaty", kind, "", date(2024, 4, 1), date(2024, 4, 2), 1, "§7",
                   PROVIDER, 1, 1, VOID, 2, date(2024, 4, 9))  # fmt: skip
    terms.seen[("acceptance", "", 1)] = run_out
    try:
        terms.check_decided()
    except AssertionError:
        pass
    else:
        raise AssertionError("a voided overdue term passed the check")
    terms.seen[("acceptance", "", 1)] = run_out._replace(status=MISSED)
    terms.check_decided()
