"""The audit trail on both stores: every act in order, who, when, on what basis, on time?"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from demo.synthetic import checks_for, document, head, officer
from domain import acts
from domain.actors import Actor
from domain.acts.definition import ActDefinition
from domain.records import HearingNotice, MissingItem
from domain.values import Check, DocumentKind, HearingOutcome, RefusalGround
from domain.waiting_list import WaitingList
from projections.audit_trail import ADDED_COLUMNS, AuditEntry, AuditTrail
from projections.database import ViewDatabase
from projections.deadline_monitor import DeadlineMonitor
from tests.conftest import runner_for
from tests.integration.walk import local, submit

HEARING_REASONS = "the registry of rights shows a flat owned since 2019"
REFUSAL_REASONS = "housing owned in Kazakhstan (Std 9, non-compliance with §5)"


def contested(wl: WaitingList) -> UUID:
    """Accepted, incomplete, corrected, verified late with grounds, heard, refused."""
    app_id = submit(wl, 1, filed_at=local(2024, 4, 1, 9), family_size=2)
    app = wl.application(app_id)
    staff, applicant = officer(app.provider), wl.applicant(app.form.applicant_iin)

    def act(definition: ActDefinition, actor: Actor, at: datetime, **fields: Any) -> None:
        wl.perform(definition, app_id, actor=actor, effective_at=at, **fields)

    act(acts.ACCEPT, staff, local(2024, 4, 1, 10))
    income = MissingItem(
        document=DocumentKind.INCOME_STATEMENT,
        description="12 months",
        not_in_state_system="IS Income: no record",  # Std 8: else not demanded (§9)
    )
    act(acts.NOTIFY_INCOMPLETE, staff, local(2024, 4, 1, 11), missing=[income])
    statement = document(DocumentKind.INCOME_STATEMENT)
    act(acts.CORRECT, applicant, local(2024, 4, 2, 10), documents=[statement])
    act(acts.FIND_COMPLETE, staff, local(2024, 4, 2, 11))
    # Verification was due on 16 April (10 working days from 2 April): one working day late.
    checks = checks_for(app.form, app.provider, failing=Check.NO_HOUSING_OWNED)
    act(acts.VERIFY, staff, local(2024, 4, 17, 10), checks=checks)
    notice = HearingNotice(hearing_at=local(2024, 4, 18, 11), place="Akimat, room 12")
    ground = RefusalGround.NON_COMPLIANCE
    hearing = dict(ground=ground, reasons=HEARING_REASONS, notice=notice)
    act(acts.SCHEDULE_HEARING, staff, local(2024, 4, 17, 11), **hearing)
    act(
        acts.HOLD_HEARING,
        staff,
        local(2024, 4, 18, 12),
        applicant_position="I sold that flat to pay for my treatment",
        outcome=HearingOutcome.REFUSAL,
        reasons="the sale is not registered",
    )
    head_of = head(app.provider)
    act(acts.REFUSE, head_of, local(2024, 4, 19, 10), ground=ground, reasons=REFUSAL_REASONS)
    return app_id


def catch_up(wl: WaitingList, database: ViewDatabase, *, batch_size: int = 1000) -> AuditTrail:
    audit = AuditTrail()
    runner = runner_for(wl, database, audit, DeadlineMonitor(), batch_size=batch_size)
    runner.catch_up()
    return audit


def trail_of(wl: WaitingList, database_url: str, app_id: UUID) -> list[AuditEntry]:
    database = ViewDatabase(database_url)
    try:
        audit = catch_up(wl, database, batch_size=3)
        with database.transaction(write=False) as tx:
            return audit.trail(tx, app_id)
    finally:
        database.close()


def test_every_act_is_shown_in_order_with_who_when_basis_reasons_and_timeliness(
    waiting_list: WaitingList, database_url: str
) -> None:
    app_id = contested(waiting_list)
    trail = trail_of(waiting_list, database_url, app_id)
    app = waiting_list.application(app_id)
    assert [(e.version, e.event, e.actor_role) for e in trail] == [
        (1, "Applied", "applicant"),
        (2, "Accepted", "officer"),
        (3, "NotifiedIncomplete", "officer"),
        (4, "Corrected", "applicant"),
        (5, "FoundComplete", "officer"),
        (6, "Verified", "officer"),
        (7, "HearingScheduled", "officer"),
        (8, "HearingHeld", "officer"),
        (9, "Refused", "head"),
    ]
    citizen, staff = app.applicant_ref, "officer-almaty-1"
    assert [e.actor_id for e in trail] == [
        citizen, staff, staff, citizen, staff, staff, staff, staff, "head-almaty",
    ]  # fmt: skip
    assert [e.actor_provider for e in trail] == ["", "almaty", "almaty", "", *["almaty"] * 5]
    assert [e.basis for e in trail] == [
        "§3, §6, Appendix 1",
        "§7, §8",
        "§10",
        "§10, §11, Art. 74 para 1",
        "§10, §11",
        "§11, §5",
        "§13, Std 9",
        "§13",
        "§12.2, §13, Std 9",
    ]
    assert trail[3].effective_at == local(2024, 4, 2, 10)
    assert trail[-1].effective_at == local(2024, 4, 19, 10)
    # The scenario's server ran at each act's moment: nothing was dated back.
    assert all(e.recorded_at == e.effective_at for e in trail)
    assert not any(e.backdated_because for e in trail)
    assert [e.recorded_at for e in trail] == sorted(e.recorded_at for e in trail)
    assert [e.seq for e in trail] == sorted({e.seq for e in trail})
    assert [e.reasons for e in trail] == [
        "",
        "",
        "12 months",
        "",
        "",
        "",
        HEARING_REASONS,
        "the sale is not registered",
        REFUSAL_REASONS,
    ]
    assert [(e.deadline_kind, e.deadline_due_on, e.deadline_status, e.late_by) for e in trail] == [
        ("", None, "", None),
        ("acceptance", date(2024, 4, 1), "met", 0),  # §7: on the reception day
        ("completeness_check", date(2024, 4, 3), "met", 0),
        ("correction", date(2024, 4, 3), "met", 0),
        ("", None, "", None),  # the finding: the verification term runs from the correction
        ("verification", date(2024, 4, 16), "missed", 1),
        ("hearing_notice", date(2024, 4, 17), "met", 0),
        ("hearing", date(2024, 4, 19), "met", 0),
        ("consideration", date(2024, 4, 22), "met", 0),
    ]
    summaries = [e.summary for e in trail]
    assert summaries[0] == "application to list socially_vulnerable"
    assert "consideration by 2024-04-22" in summaries[1]
    assert summaries[2] == "missing: income statement; correct by 2024-04-03"
    assert summaries[4] == "package complete; verification by 2024-04-16"
    assert summaries[5].endswith("grounds found: no_housing_owned")
    assert "hearing at 2024-04-18T06:00:00+00:00 (Akimat, room 12)" in summaries[6]
    assert summaries[8] == "refused: ground non_compliance"


def test_no_personal_data_reaches_any_column(waiting_list: WaitingList, database_url: str) -> None:
    app_id = contested(waiting_list)
    form = waiting_list.application(app_id).form
    secrets = [form.applicant_iin, form.applicant_name, form.phone]
    secrets += [m.iin for m in form.family] + [m.full_name for m in form.family]
    secrets += ["treatment", "sold that flat"]  # the applicant's position at the hearing
    database = ViewDatabase(database_url)
    try:
        projections = [catch_up(waiting_list, database), DeadlineMonitor()]
        with database.transaction(write=False) as tx:
            tables = {base: rows for p in projections for base, rows in p.rows(tx).items()}
    finally:
        database.close()
    assert len(tables["audit_trail"]) == 9
    cells = [cell for rows in tables.values() for row in rows for cell in row]
    assert cells
    for secret in secrets:
        assert not [cell for cell in cells if secret in cell], secret


def test_entries_read_back_with_their_types(waiting_list: WaitingList, database_url: str) -> None:
    app_id = contested(waiting_list)
    entry = trail_of(waiting_list, database_url, app_id)[5]  # the verification, late
    assert isinstance(entry.effective_at, datetime)
    assert entry.effective_at.utcoffset() is not None
    assert entry.application_id == app_id
    assert isinstance(entry.deadline_due_on, date)


def test_an_audit_table_of_the_previous_version_gets_the_new_columns_and_keeps_serving(
    waiting_list: WaitingList, database_url: str
) -> None:
    """A store whose views an earlier version made: the service, `kezek project` and
    `kezek rebuild` set the views up again; the audit table gains its new columns."""
    database = ViewDatabase(database_url)
    try:
        audit = AuditTrail()
        table = audit.table("audit_trail")
        with database.transaction() as tx:  # the table as version 1 made it
            audit.create_tables(tx)
            tx.execute(f"DROP INDEX {table}_apart")
            for name, _ in ADDED_COLUMNS:
                tx.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
    finally:
        database.close()
    app_id = contested(waiting_list)
    trail = trail_of(waiting_list, database_url, app_id)
    assert [e.event for e in trail][:2] == ["Applied", "Accepted"]
    assert all(e.backdated_because == "" and e.lag_seconds == 0 for e in trail)
