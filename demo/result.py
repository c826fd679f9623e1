"""What the walk did: the counts the summary prints, and the case histories worth reading."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from demo.cases import Case
from demo.district import Route
from domain.housing_application import HousingApplication
from domain.values import Remedy, Status
from domain.waiting_list import WaitingList

# The case histories printed, in this order (the last two exclude each other).
SHOWCASE = (
    "deregistered, restored on a complaint",
    "incomplete, corrected, priority corrected on a complaint",
    "housing provided",
    "housing provided after an offer was declined",
)


@dataclass
class DemoResult:
    """What the walk did. `iins` are personal data: for the checks of tests, never printed."""

    database_url: str
    applications: int = 0
    acts: int = 0
    application_events: int = 0
    store_events: int = 0
    seconds: float = 0.0
    application_ids: list[UUID] = field(default_factory=list)
    paths: Counter[Route] = field(default_factory=Counter)
    statuses: Counter[Status] = field(default_factory=Counter)
    complaints_filed: int = 0
    complaints_satisfied: int = 0
    remedies: Counter[Remedy] = field(default_factory=Counter)
    offers: int = 0
    offers_below_norm: int = 0
    offers_declined: int = 0
    housing_provided: int = 0
    offer_rounds_unmet: int = 0
    showcase: dict[str, UUID] = field(default_factory=dict)  # title -> application id
    iins: set[str] = field(default_factory=set)


def tally(result: DemoResult, waiting_list: WaitingList, cases: Sequence[Case]) -> None:
    """Read back where every application ended, from the ledger rather than from the plan."""
    result.applications = len(cases)
    result.application_ids = [c.id for c in cases]
    for case in cases:
        app = waiting_list.application(case.id)
        result.statuses[app.status] += 1
        result.application_events += app.version
        _showcase(result.showcase, case, app)


def _showcase(shown: dict[str, UUID], case: Case, app: HousingApplication) -> None:
    """Three case histories worth reading: a restored place, a corrected priority, and
    housing provided (after an earlier offer was declined, if there is one)."""
    restored, priority, housed, housed_later = SHOWCASE
    if case.route is Route.COMPLAINT_RESTORE:
        shown.setdefault(restored, case.id)
    elif case.route is Route.COMPLAINT_PRIORITY:
        shown.setdefault(priority, case.id)
    if app.status is Status.HOUSED:
        if app.offers_made > 1 and housed_later not in shown:
            shown.pop(housed, None)
            shown[housed_later] = case.id
        elif housed_later not in shown:
            shown.setdefault(housed, case.id)
