"""The court (§15): a decision on the case, recorded by the court, whose operative part takes
effect as a complaint's remedy would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from demo.script import Script
from domain import acts
from domain.actors import Actor
from domain.calendar import local_day
from domain.values import ComplaintOutcome, Remedy, Role

COURT = Actor(id="court-almaty-administrative", role=Role.COURT)


def restores_place(s: Script) -> None:
    """Weeks after the refusal to consider further, a court finds the documents were held by
    the state systems (§9) and orders registration with the original priority."""
    at = s.office(s.later_day(20, 60))
    decided_on = local_day(at, s.tz) - timedelta(days=s.rng.randint(0, 5))
    decided_on = max(decided_on, local_day(s.case.steps[0].at, s.tz))

    def late() -> dict[str, Any]:
        s.result.remedies[Remedy.RESTORE_PLACE] += 1
        return {}

    s.add(
        at,
        acts.RECORD_COURT_DECISION,
        COURT,
        late=late,
        label="court decision (restore_place)",
        court="Specialised inter-district administrative court",
        decision_number=f"7599-{decided_on.year % 100}-00-4a/{s.rng.randint(100, 999)}",
        decided_on=decided_on,
        outcome=ComplaintOutcome.UPHELD,
        operative_part="The refusal to consider further is annulled: the documents named were"
        " held by the state information systems (§9, §12); register the citizen with the"
        " priority of the filing.",
        remedy=Remedy.RESTORE_PLACE,
    )
