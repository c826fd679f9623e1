"""The act declarations (domain.acts) agree with the aggregate that keeps each act's rules and
event, and with the docs generated from them."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from eventsourcing.domain import AggregateEvent

from domain import acts
from domain.actors import STAFF
from domain.acts.definition import TIME_FIELDS, ActDefinition, ListEffect
from domain.acts.table import BEGIN, END, markdown, replace_in
from domain.acts.timing import TimePolicy
from domain.housing_application import HousingApplication
from domain.receipts import Outcome

DOCS = Path(__file__).resolve().parents[2] / "docs" / "domain.md"
# What the ledger computes and passes to a command besides the request (domain.list_moves).
COMPUTED = {"queue_number", "successor_ref"}


# The aggregate's base classes of events, which no act records as such.
BASES = {"Act", "Created", "Event", "Remedied"}  # shapes events share, never recorded


def _events() -> set[str]:
    return {
        name
        for name, value in vars(HousingApplication).items()
        if inspect.isclass(value) and issubclass(value, AggregateEvent) and name not in BASES
    }


def test_every_event_of_the_aggregate_is_declared_by_exactly_one_act() -> None:
    assert sorted(a.event for a in acts.ALL) == sorted(_events())


def test_names_routes_and_operations_are_unique() -> None:
    for attribute in ("name", "event", "command", "operation", "route"):
        values = [getattr(a, attribute) for a in acts.ALL]
        assert len(values) == len(set(values)), attribute


@pytest.mark.parametrize("act", acts.ALL, ids=lambda a: a.name)
def test_the_request_gives_the_command_exactly_its_fields(act: ActDefinition) -> None:
    command = getattr(HousingApplication, act.command)
    if act is acts.FILE:
        assert set(act.request.model_fields) - {act.dated_by} == {"form", "provider"}
        return
    params = set(inspect.signature(command).parameters) - {"self", "actor", "effective_at"}
    given = set(act.request.model_fields) - set(TIME_FIELDS)
    if act.target is not None:
        given.add(act.target)
    assert given == params - COMPUTED, act.name


@pytest.mark.parametrize("act", acts.ALL, ids=lambda a: a.name)
def test_each_act_states_who_when_and_from_where(act: ActDefinition) -> None:
    assert act.roles, act.name
    assert act.basis, act.name
    assert act.title.endswith("."), act.name
    assert act.from_stages is None or act is acts.FILE or act.from_stages, act.name
    assert act.dated_by is None or act.dated_by in act.request.model_fields
    if act.answers is not None:
        assert hasattr(Outcome(), act.answers)
    if act.target is not None:
        assert f"{{{act.target}}}" in act.route


def test_acts_that_check_their_own_stage_are_those_with_a_rule_of_their_own() -> None:
    # A wrong stage answers with the act's own rule (not on the list, no hearing held, no
    # open offer), so the shared stage check must not run first and hide it.
    own_rule = {a.name for a in acts.ALL if not a.checks_stage}
    assert acts.REFUSE.name in own_rule
    assert acts.REGISTER.name in own_rule
    assert all(a.effect is not ListEffect.FILES for a in acts.ALL if a.name in own_rule)


def test_the_docs_hold_the_table_the_declarations_make() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert replace_in(text, markdown(acts.ALL)) == text, "run `kezek acts --write docs/domain.md`"


def test_kezek_acts_writes_the_table_between_its_markers_and_keeps_the_rest(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    doc = tmp_path / "domain.md"
    doc.write_text(f"# before\n\n{BEGIN}\nstale\n{END}\nafter\n")
    result = CliRunner().invoke(app, ["acts", "--write", str(doc)])
    assert result.exit_code == 0, result.output
    text = doc.read_text()
    assert "stale" not in text
    assert text.startswith("# before\n")
    assert text.endswith("after\n")
    assert all(f"`{a.name}`" in text for a in acts.ALL)


# Notices to the applicant: their terms run from when the applicant can see them.
NOTICES = {acts.NOTIFY_INCOMPLETE.name, acts.FIND_STILL_INCOMPLETE.name, acts.SCHEDULE_HEARING.name}


@pytest.mark.parametrize("act", acts.ALL, ids=lambda a: a.name)
def test_only_acts_staff_may_date_carry_a_moment_in_their_request(act: ActDefinition) -> None:
    """Facts are the server's: the applicant's acts and the notices to the applicant carry no
    moment at all; other staff acts may carry a backdated moment with its reason; filing only
    the portal's receipt time."""
    fields = set(act.request.model_fields)
    if act.time is TimePolicy.RECORDED_NOW:
        assert not fields & set(TIME_FIELDS), act.name
        staff_may = set(act.roles) & set(STAFF)
        assert not staff_may or act.name in NOTICES, act.name
    elif act.time is TimePolicy.RECEIVED:
        assert fields & set(TIME_FIELDS) == {"received_at"}, act.name
    else:
        assert {"effective_at", "backdating_reason"} <= fields, act.name
