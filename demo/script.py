"""The planning cursor of one case: the acts it will take, appended in order of their moments.

The acts themselves are planned by the modules named for the stages of the procedure
(consideration, on_the_list, complaints, offers); each appends a `Step` that records the act
through `WaitingList` when the scheduler reaches its moment.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from demo.cases import Case, Step
from demo.district import HORIZON
from demo.moments import next_working_day, office_moment
from demo.result import DemoResult
from demo.synthetic import IINRegistry
from domain.actors import Actor
from domain.acts.definition import ActDefinition
from domain.calendar import add_working_days, local_day
from domain.values import Check, RefusalGround
from domain.waiting_list import WaitingList


@dataclass(frozen=True)
class Setting:
    """What every script draws on: the ledger, the one seeded source of chance (so that a seed
    gives the same district), the IINs issued so far, and the tally of the walk."""

    wl: WaitingList
    rng: random.Random
    iins: IINRegistry
    result: DemoResult


class Script:
    """The acts of one case, planned in order. `t` is the moment of the act planned last."""

    def __init__(self, setting: Setting, case: Case, start: datetime) -> None:
        self.setting = setting
        self.wl = setting.wl
        self.rng = setting.rng
        self.case = case
        self.t = start
        self.received: date | None = None  # reception day (§7)
        self.checked_on: date | None = None  # completeness check or correction
        self.verified_on: date | None = None
        self.decided_on: date | None = None
        self.failing = Check.NO_HOUSING_OWNED  # the check that finds grounds for refusal
        self.ground = RefusalGround.NON_COMPLIANCE

    @property
    def tz(self) -> str:
        return self.case.tz

    @property
    def today(self) -> date:
        return local_day(self.t, self.tz)

    @property
    def result(self) -> DemoResult:
        return self.setting.result

    def add(
        self,
        at: datetime,
        act: ActDefinition,
        actor: Actor,
        *,
        late: Callable[[], Mapping[str, Any]] | None = None,
        label: str = "",
        **fields: Any,
    ) -> None:
        """Plan `act` at `at`, after the act planned last."""
        if at < self.t:
            raise AssertionError(
                f"{act.name} planned at {at.isoformat()}, before {self.t.isoformat()}"
            )
        self.t = at
        self.case.steps.append(Step(at, act, actor, fields, late, label))

    def office(self, day: date) -> datetime:
        """A moment in office hours on `day` (or the next working day), after the last act."""
        return office_moment(self.rng, next_working_day(day), self.tz, self.t)

    def working_days(self, start: date, low: int, high: int) -> date:
        """A working day `low`..`high` working days after `start`, nearer the low end."""
        high = max(low, high)
        return add_working_days(start, min(high, low + int(self.rng.expovariate(0.6))))

    def later_day(self, low: int, high: int, room: int = 10) -> date:
        """A calendar day `low`..`high` days after the last act, at least `room` days before
        the horizon (what follows it must still fit)."""
        latest = max((HORIZON - self.today).days - room, 1)
        low, high = min(low, latest), min(high, latest)
        return self.today + timedelta(days=self.rng.randint(low, max(low, high)))

    def applicant(self) -> Actor:
        """Whoever holds the place now acts as the applicant."""
        return self.wl.applicant(self.case.holder_iin)

    @property
    def due(self) -> date:
        """The end of the 15 working days of consideration (§8, §12, Std 3)."""
        assert self.received is not None
        return add_working_days(self.received, 15)
