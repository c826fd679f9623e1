"""The deadline monitor on both stores: running, overdue, met and missed terms per provider."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import pytest

from demo.synthetic import appendix_3, document, head, officer
from domain import acts
from domain.errors import ComplaintForwardTooLate
from domain.records import AdministrativeFile
from domain.values import (
    ComplaintBody,
    ComplaintOutcome,
    ComplaintSubject,
    DeadlineKind,
    DocumentKind,
)
from domain.waiting_list import WaitingList
from projections.audit_trail import AuditTrail
from projections.database import ViewDatabase
from projections.deadline_monitor import DeadlineMonitor, DeadlineRow
from tests.conftest import runner_for
from tests.integration.test_audit_trail import contested
from tests.integration.walk import complain, local, register, submit, withdraw

K = DeadlineKind
FILE = AdministrativeFile(reference="bundle-1", sha256="0" * 64, up_to_version=3)


def monitor(wl: WaitingList, database: ViewDatabase, batch_size: int = 4) -> DeadlineMonitor:
    view = DeadlineMonitor()
    runner = runner_for(wl, database, view, batch_size=batch_size)
    runner.catch_up()
    return view


def brief(rows: list[DeadlineRow]) -> list[tuple[UUID, K, str, date, str]]:
    return [(r.application_id, r.kind, r.ref, r.due_on, r.status) for r in rows]


def accepted(wl: WaitingList, serial: int, provider: str = "almaty") -> UUID:
    app_id = submit(wl, serial, filed_at=local(2024, 4, 1, 9), provider=provider)
    wl.perform(acts.ACCEPT, app_id, actor=officer(provider), effective_at=local(2024, 4, 1, 10))
    return app_id


def test_running_and_overdue_terms_per_provider(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    never_checked = accepted(waiting_list, 1)
    checked = accepted(waiting_list, 2)
    waiting_list.perform(
        acts.FIND_COMPLETE, checked, actor=officer("almaty"), effective_at=local(2024, 4, 2)
    )
    elsewhere = accepted(waiting_list, 3, provider="astana")
    view = monitor(waiting_list, database)
    with database.transaction(write=False) as tx:
        running = view.running(tx, "almaty")
        assert brief(running) == [
            (never_checked, K.COMPLETENESS_CHECK, "", date(2024, 4, 3), "open"),
            (checked, K.VERIFICATION, "", date(2024, 4, 16), "open"),
            *sorted(
                [
                    (never_checked, K.CONSIDERATION, "", date(2024, 4, 22), "open"),
                    (checked, K.CONSIDERATION, "", date(2024, 4, 22), "open"),
                ],
                key=lambda r: str(r[0]),
            ),
        ]
        assert [r.application_id for r in view.running(tx, "astana")] == [elsewhere] * 2
        # The term ends at the end of its second working day: overdue from the next day on.
        assert view.overdue(tx, "almaty", date(2024, 4, 3)) == []
        (late,) = view.overdue(tx, "almaty", date(2024, 4, 4))
        assert (late.deadline.application_id, late.deadline.kind, late.overdue_by) == (
            never_checked,
            K.COMPLETENESS_CHECK,
            1,
        )
        assert [o.overdue_by for o in view.overdue(tx, "almaty", date(2024, 4, 8))] == [3]
        assert len(view.overdue(tx, "almaty", date(2024, 4, 23))) == 4
        (other,) = view.overdue(tx, "astana", date(2024, 4, 4))
        assert other.deadline.application_id == elsewhere
        assert view.overdue(tx, "shymkent", date(2024, 4, 4)) == []
        terms = view.for_application(tx, checked)
        assert [(t.kind, t.status, t.late_by) for t in terms] == [
            (K.ACCEPTANCE, "met", 0),
            (K.COMPLETENESS_CHECK, "met", 0),
            (K.CONSIDERATION, "open", None),
            (K.VERIFICATION, "open", None),
        ]


def complaint(wl: WaitingList, app_id: UUID, day: int, body: ComplaintBody) -> str:
    at = local(2024, 4, day, 10)
    return complain(wl, app_id, at, body, subject=ComplaintSubject.INACTION, text="slow")


def forward(
    wl: WaitingList,
    app_id: UUID,
    complaint_id: str,
    at: datetime,
    to_body: ComplaintBody = ComplaintBody.QUALITY_BODY,
) -> None:
    """The officer forwards the complaint to `to_body` with the administrative file."""
    wl.perform(
        acts.FORWARD_COMPLAINT,
        app_id,
        actor=officer("almaty"),
        effective_at=at,
        complaint_id=complaint_id,
        to_body=to_body,
        administrative_file=FILE,
    )


def test_complaint_forwarding_met_or_overdue_and_decisions_met_or_missed(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    app_id = submit(waiting_list, 1, filed_at=local(2024, 3, 29, 9))
    register(waiting_list, app_id, day=local(2024, 4, 1))
    forwarded = complaint(waiting_list, app_id, 2, ComplaintBody.PROVIDER)
    kept = complaint(waiting_list, app_id, 2, ComplaintBody.PROVIDER)
    forward(waiting_list, app_id, forwarded, local(2024, 4, 4, 10))
    # Forwarding was due by 5 April: the domain refuses a late one without its reason, so it
    # shows as overdue.
    with pytest.raises(ComplaintForwardTooLate):
        forward(waiting_list, app_id, kept, local(2024, 4, 8, 10))
    view = monitor(waiting_list, database)
    with database.transaction(write=False) as tx:
        (overdue,) = view.overdue(tx, "almaty", date(2024, 4, 8))
        assert (overdue.deadline.kind, overdue.deadline.ref, overdue.overdue_by) == (
            K.COMPLAINT_FORWARD,
            kept,
            1,
        )
        terms = {(t.kind, t.ref): t for t in view.for_application(tx, app_id)}
    assert (
        terms[K.COMPLAINT_FORWARD, forwarded].status,
        terms[K.COMPLAINT_FORWARD, kept].status,
    ) == (
        "met",
        "open",
    )
    body_term = terms[K.COMPLAINT_DECISION, forwarded]
    assert (body_term.party, body_term.working_days, body_term.starts_on) == (
        "body",
        15,
        date(2024, 4, 4),
    )
    # The provider's head decides the complaint it kept, after its 5 days (due 9 April).
    waiting_list.perform(
        acts.DECIDE_COMPLAINT,
        app_id,
        actor=head("almaty"),
        effective_at=local(2024, 4, 11, 10),
        complaint_id=kept,
        outcome=ComplaintOutcome.REJECTED,
        reasons="the check was on time",
    )
    view = monitor(waiting_list, database)
    with database.transaction(write=False) as tx:
        terms = {(t.kind, t.ref): t for t in view.for_application(tx, app_id)}
        assert view.overdue(tx, "almaty", date(2024, 4, 12)) == []
    decided = terms[K.COMPLAINT_DECISION, kept]
    assert (decided.status, decided.late_by, decided.closed_on) == ("missed", 2, date(2024, 4, 11))
    # Decided at the provider after the term to forward it: the forward stays missed (§14).
    kept_forward = terms[K.COMPLAINT_FORWARD, kept]
    assert (kept_forward.status, kept_forward.late_by) == ("missed", 4)
    assert terms[K.COMPLAINT_DECISION, forwarded].status == "open"


def test_an_ending_voids_open_terms_and_a_data_update_is_judged_at_once(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    withdrawn = accepted(waiting_list, 1)
    withdraw(waiting_list, withdrawn, local(2024, 4, 2))
    updated = submit(waiting_list, 2, filed_at=local(2024, 3, 29, 9))
    register(waiting_list, updated, day=local(2024, 4, 1))
    iin = waiting_list.application(updated).form.applicant_iin
    waiting_list.perform(
        acts.UPDATE_DATA,
        updated,
        actor=waiting_list.applicant(iin),
        effective_at=local(2024, 4, 25),
        update=appendix_3(
            applicant_iin=iin,
            reason="a child was born",
            grounds_arose_on=date(2024, 4, 1),  # due 22 April
            documents=(document(DocumentKind.OTHER),),
        ),
    )
    view = monitor(waiting_list, database)
    with database.transaction(write=False) as tx:
        assert {(t.kind, t.status) for t in view.for_application(tx, withdrawn)} == {
            (K.ACCEPTANCE, "met"),
            (K.COMPLETENESS_CHECK, "void"),
            (K.CONSIDERATION, "void"),
        }
        update = view.for_application(tx, updated)[-1]
        assert view.running(tx, "almaty") == []
    assert (update.kind, update.status, update.late_by, update.party) == (
        K.DATA_UPDATE,
        "missed",
        3,
        "applicant",
    )
    assert update.ref == "v6"


def test_a_restarted_projection_continues_where_it_stopped(
    waiting_list: WaitingList, database: ViewDatabase
) -> None:
    """Small batches, a restart half way (new instances, same tables): the rows equal those of
    fresh generations built from the whole log one event at a time and in one go."""
    first = contested(waiting_list)
    first_run = runner_for(waiting_list, database, DeadlineMonitor(), AuditTrail(), batch_size=2)
    first_run.run_once()
    first_run.run_once()
    second = accepted(waiting_list, 2)
    filed = complaint(waiting_list, first, 22, ComplaintBody.PROVIDER)
    forward(waiting_list, first, filed, local(2024, 4, 23, 10), ComplaintBody.HIGHER_BODY)
    waiting_list.perform(
        acts.FIND_COMPLETE, second, actor=officer("almaty"), effective_at=local(2024, 4, 8)
    )
    restarted = runner_for(waiting_list, database, DeadlineMonitor(), AuditTrail(), batch_size=3)
    restarted.catch_up()
    with database.transaction(write=False) as tx:
        live = [p.rows(tx) for p in restarted.projections]
    for generation, batch_size in ((2, 1), (3, 10_000)):
        fresh = [DeadlineMonitor(generation), AuditTrail(generation)]
        rebuilt = runner_for(waiting_list, database, *fresh, batch_size=batch_size)
        rebuilt.catch_up()
        with database.transaction(write=False) as tx:
            assert [p.rows(tx) for p in fresh] == live
    with database.transaction(write=False) as tx:
        assert [e.version for e in AuditTrail().trail(tx, first)] == list(range(1, 12))
        kinds = {(t.kind, t.status) for t in DeadlineMonitor().for_application(tx, first)}
        assert (K.COMPLAINT_DECISION, "open") in kinds
        # contested, complaint, second: each with its acceptance term (§7)
        assert len(live[0]["deadlines"]) == 7 + 2 + 4
        # The body's decision term on the first; consideration and verification on the second.
        assert len(live[1]["audit_open_deadlines"]) == 3
