"""Random sequences of acts, valid and invalid mixed, through a real WaitingList on a real store.

A hypothesis state machine files applications for a small pool of citizens with two providers
(Almaty, with the 3-year residence rule of §5, and Talgar district) and two lists, so that many
applications compete on the same lists, then drives every act of the procedure on them: with
the right actor or a wrong one, on a date after the application's last act (minutes to weeks,
across Nauryz, the May holidays of 2024 with the worked Saturday 4 May and the day off 8 May,
and New Year 2025 with the worked Sunday 5 January), before it, or in the future.

For every act the machine predicts from the rules of the procedure (roles, provider, chronology,
status, documents, checks, deadlines in working days, reasons, the order of the list, claims)
whether it must be refused or must be recorded, and checks the ledger against the prediction:

- an act either is recorded or raises a DomainError; anything else fails the test;
- a refused act writes nothing: the notification log does not grow and the application, its
  list and its claim load from the store exactly as before;
- a recorded act adds one event to the application, in the expected status, with the number on
  the list the test computed independently.

Invariants after every step: each application replayed from the store equals the cached one and
the machine's copy; every list holds exactly the registered (or offered) applications, each once,
at positions 1..n in priority order; at most one open application per citizen, provider and list,
and the citizen's claim names it; and the notification log, replayed in order into sorted lists
of priority keys built from the application events alone (never from QueueList), agrees with
every queue number the ledger stated (Registered, ComplaintDecided with RESTORE_PLACE) and with
every position in the QueueList events. At teardown a second WaitingList on the same database
loads everything afresh and must agree.

Application ids come from a seeded generator (patched `uuid4` of domain.waiting_list) so that a
failing example replays exactly: ties between equal priority moments are broken by the id.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from demo.synthetic import complaint_body
from domain.errors import DomainError
from domain.values import ComplaintBody
from domain.waiting_list import WaitingList
from tests.conftest import BACKENDS
from tests.integration.ledger_machine.rules_assign import AssignRules
from tests.integration.ledger_machine.rules_complaints import ComplaintRules
from tests.integration.ledger_machine.rules_course import CourseRules
from tests.integration.ledger_machine.rules_court import CourtRules
from tests.integration.ledger_machine.rules_decision import DecisionRules
from tests.integration.ledger_machine.rules_filing import FilingRules
from tests.integration.ledger_machine.rules_housing import HousingRules
from tests.integration.ledger_machine.rules_list import ListRules
from tests.integration.ledger_machine.rules_review import ReviewRules
from tests.integration.walk import complain, register, submit, uphold_priority


class LedgerMachine(
    CourseRules,
    FilingRules,
    ReviewRules,
    DecisionRules,
    ListRules,
    HousingRules,
    ComplaintRules,
    CourtRules,
    AssignRules,
):
    """Every rule of the package on one machine: hypothesis takes rules and invariants from
    all the bases, in the order of their names, whichever module holds them."""


SETTINGS = {
    "sqlite": settings(
        max_examples=50,
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    ),
    "postgres": settings(
        max_examples=15,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    ),
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_acts_keep_the_ledger_consistent(backend: str) -> None:
    machine = type(f"LedgerMachine_{backend}", (LedgerMachine,), {"backend": backend})
    run_state_machine_as_test(machine, settings=SETTINGS[backend])


@pytest.mark.parametrize(
    "corrected",
    [datetime(999, 6, 1, tzinfo=UTC), datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))],
    ids=["year-999", "year-1"],
)
def test_a_corrected_priority_far_in_the_past_is_refused_or_first(
    waiting_list: WaitingList, corrected: datetime
) -> None:
    """Found by the state machine's remedies: CORRECT_PRIORITY accepts any moment before the
    decision. Either the domain refuses an implausible moment, or the citizen is first."""
    start = datetime(2024, 3, 4, 10, tzinfo=UTC)
    ids = []
    for serial in (1, 2):
        at = start + timedelta(hours=10 * serial)
        app_id = submit(waiting_list, serial, filed_at=at)
        register(waiting_list, app_id, day=at + timedelta(hours=1))
        ids.append(app_id)
    second = ids[1]
    at = start + timedelta(days=2)
    complaint_id = complain(
        waiting_list, second, at, ComplaintBody.QUALITY_BODY, text="my priority is earlier"
    )
    try:
        receipt = uphold_priority(
            waiting_list,
            second,
            complaint_id,
            at + timedelta(hours=1),
            corrected,
            by=complaint_body(),
            reasons="the priority was due earlier",
        )
    except DomainError:
        return  # refused: fine
    assert receipt.queue_number == 1
    assert waiting_list.position(second) == (1, 2)
