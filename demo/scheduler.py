"""The scheduler: records every planned act in the order of the moments they take effect.

A heap holds the next act of every case and the offer rounds, so that the queue numbers stated
at registration, and who is entitled to a dwelling when it is offered, are those of that
moment.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from uuid import UUID

from demo.cases import Case
from demo.offers import OfferRound, Offers
from demo.script import Setting

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class Scheduler:
    def __init__(self, setting: Setting, cases: Iterable[Case]) -> None:
        self.wl = setting.wl
        self.result = setting.result
        # Ties are broken by the order of pushing, so that a seed gives the same walk.
        # Keyed by the moment in microseconds since the epoch: the order of the moments, but
        # ints compare much faster than aware datetimes of different zones.
        self.heap: list[tuple[int, int, datetime, Case | OfferRound]] = []
        self.sequence = 0
        self.by_id: dict[UUID, Case] = {}
        self.offers = Offers(setting, push=self.push, case_of=self.case_of)
        for case in cases:
            self.push(case.steps[0].at, case)

    def push(self, at: datetime, item: Case | OfferRound) -> None:
        self.sequence += 1
        heapq.heappush(self.heap, ((at - _EPOCH) // _MICROSECOND, self.sequence, at, item))

    def run(self) -> None:
        while self.heap:
            _, _, at, item = heapq.heappop(self.heap)
            if isinstance(item, Case):
                self._step(item)
            else:
                self.offers.hold(item, at)

    def case_of(self, application_id: UUID) -> Case:
        case = self.by_id.get(application_id)
        if case is None:
            # An application of an earlier demo in the same store (--no-fresh) is offered housing.
            case = Case.adopted(self.wl.application(application_id))
            self.by_id[application_id] = case
        return case

    def _step(self, case: Case) -> None:
        filed = case.application_id is not None
        receipt = case.run_next(self.wl)
        self.result.acts += 1
        if not filed:
            self.by_id[receipt.application_id] = case
        if case.steps:
            self.push(case.steps[0].at, case)
