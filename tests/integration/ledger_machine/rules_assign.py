"""The head sends the application for execution to an officer (§10 para 1)."""

from __future__ import annotations

from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from domain import acts
from domain.values import UNDER_CONSIDERATION
from tests.integration.ledger_machine.acts import LedgerActs
from tests.integration.ledger_machine.expectations import HEAD, some_in
from tests.integration.ledger_machine.state import applications

BEFORE_DECISION = UNDER_CONSIDERATION


class AssignRules(LedgerActs):
    @precondition(some_in(*BEFORE_DECISION))
    @rule(app_id=applications, data=st.data())
    def assign(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, BEFORE_DECISION, ("head",), HEAD)
        drawn.expect.require(drawn.app.status in BEFORE_DECISION, "status")
        officer_id = data.draw(st.sampled_from(["officer-1", "officer-2"]), label="officer")
        result = self._attempt(drawn, acts.ASSIGN, drawn.app.status, officer_id=officer_id)
        if result is not None:
            assert result[1].assigned_to == officer_id
