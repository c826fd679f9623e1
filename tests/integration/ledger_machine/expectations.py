"""What the machine predicts with: who may act, which states an act needs, the expectation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.calendar import zone
from domain.housing_application import HousingApplication
from domain.records import AREA_NORM_M2_PER_PERSON
from domain.values import CLOSED, ON_THE_LIST, ComplaintStatus, Role, Status

STAFF = frozenset({Role.OFFICER, Role.HEAD, Role.SYSTEM})
APPLICANT = frozenset({Role.APPLICANT})
HEAD = frozenset({Role.HEAD})
OPEN = frozenset(Status) - CLOSED
REMEDIABLE = frozenset({Status.DEREGISTERED, Status.REFUSED, *ON_THE_LIST})


def some_in(*statuses: Status) -> Callable[[Any], bool]:
    """Precondition: some application is in one of these states (the act can do something)."""
    return lambda machine: any(a.status in statuses for a in machine.model.values())


def some_complaint_in(*statuses: ComplaintStatus) -> Callable[[Any], bool]:
    return lambda machine: any(
        c.status in statuses for a in machine.model.values() for c in a.complaints.values()
    )


def below_norm(area: Decimal, app: HousingApplication) -> bool:
    """Art. 75: less than 15 m2 of useful area a person of the household."""
    return area < AREA_NORM_M2_PER_PERSON * (1 + len(app.family))


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(zone(tz)).date()


class Expectation:
    """What the rules say about an act: the rules it breaks (none: it must be recorded)."""

    def __init__(self) -> None:
        self.broken: list[str] = []
        self.detail = ""  # shown when the ledger disagrees

    def require(self, condition: bool, rule_name: str) -> None:
        if not condition:
            self.broken.append(rule_name)
