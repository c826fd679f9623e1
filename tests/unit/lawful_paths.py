"""The acts the procedure allows on an application in memory, from the acts' declarations, and a
search for a way from its state to a decision made by the provider alone.

Which acts may come next is read from `domain.acts` (the stages each act is allowed from, the
roles that perform it); whether one is lawful at a moment is the aggregate's answer: an act it
refuses (a DomainError) is not a way on. The search tries each provider act of consideration
in a few variants (a clean or a failing verification, a hearing notice with or without the
reason it is late, either outcome of the hearing) at a few moments (straight after the last
act, on the next working day, at the notified hearing, and weeks later, when every term has
run out), depth first, soonest first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from demo.synthetic import checks_for, complaint_body, head, officer
from domain.actors import Actor
from domain.acts import ALL, ActDefinition
from domain.calendar import add_working_days, local_day, zone
from domain.errors import DomainError
from domain.housing_application import HousingApplication
from domain.records import AdministrativeFile, HearingNotice, MissingItem
from domain.values import (
    CLOSED,
    ON_THE_LIST,
    Check,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintStatus,
    HearingOutcome,
    RefusalGround,
    Role,
    Status,
)

# The decisions that end consideration (§12): registered (and what follows on the list), refused,
# not considered (§11), and withdrawn (the applicant's own end of it).
DECIDED = CLOSED | ON_THE_LIST
IN_CONSIDERATION = frozenset(Status) - DECIDED
PROVIDER_ROLES = frozenset({Role.OFFICER, Role.HEAD})

Fields = dict[str, Any]


def _missing(app: HousingApplication) -> list[Fields]:
    return [{"missing": [MissingItem(description="an unreadable scan")]}]


def _verifications(app: HousingApplication) -> list[Fields]:
    clean = checks_for(app.form, app.provider)
    failing = checks_for(app.form, app.provider, failing=Check.NO_HOUSING_OWNED)
    return [{"checks": clean}, {"checks": failing}]


def _notices(app: HousingApplication, at: datetime) -> list[Fields]:
    notice = HearingNotice(hearing_at=at + timedelta(hours=1), place="Akimat, room 12")
    said = {"ground": RefusalGround.NON_COMPLIANCE, "reasons": "owns a flat", "notice": notice}
    late = "the grounds were found after the last day for a notice (§13)"
    return [{**said, "late_because": None}, {**said, "late_because": late}]


def _hearings(app: HousingApplication) -> list[Fields]:
    said = {"applicant_position": "disagrees", "reasons": "the register shows it"}
    late = "the applicant asked to be heard later and was told the new time"
    return [
        {**said, "outcome": outcome, "late_because": reason}
        for reason in (None, late)
        for outcome in HearingOutcome
    ]


def _refusals(app: HousingApplication) -> list[Fields]:
    ground = app.hearing_ground or RefusalGround.NON_COMPLIANCE
    return [{"ground": ground, "reasons": "owns a flat, as heard"}]


# By act name: the variants of its fields on `app` at `at`. Every act a provider performs during
# consideration must be here (test_the_search_knows_every_provider_act_of_consideration).
FIELDS: dict[str, Callable[[HousingApplication, datetime], list[Fields]]] = {
    "accept": lambda app, at: [{}],
    "assign": lambda app, at: [{"officer_id": f"officer-{app.provider}-2"}],
    "notify-incomplete": lambda app, at: _missing(app),
    "find-complete": lambda app, at: [{}],
    "find-still-incomplete": lambda app, at: _missing(app),
    "refuse-further-consideration": lambda app, at: [{"reasons": "not corrected in time"}],
    "verify": lambda app, at: _verifications(app),
    "schedule-hearing": _notices,
    "hold-hearing": lambda app, at: _hearings(app),
    "refuse": lambda app, at: _refusals(app),
    "register": lambda app, at: [{"queue_number": 1}],
}


def _forwards(app: HousingApplication) -> list[Fields]:
    case_file = AdministrativeFile(
        reference="exports/case.zip", sha256="0" * 64, up_to_version=app.version
    )
    said = {"to_body": ComplaintBody.QUALITY_BODY, "administrative_file": case_file}
    return [{**said, "late_because": why} for why in (None, "the officer was on leave (§14)")]


# The acts on a complaint (§14), by name: the variants of their fields besides its id.
COMPLAINT_FIELDS: dict[str, Callable[[HousingApplication], list[Fields]]] = {
    "forward-complaint": _forwards,
    "satisfy-complaint": lambda app: [{"action_taken": "the provider did as asked"}],
    "decide-complaint": lambda app: [
        {"outcome": ComplaintOutcome.REJECTED, "reasons": "no inaction was found"}
    ],
}
CLOSED_COMPLAINTS = frozenset({ComplaintStatus.SATISFIED, ComplaintStatus.DECIDED})


def complaint_acts() -> list[ActDefinition]:
    """The declared acts aimed at a complaint."""
    return [act for act in ALL if act.target == "complaint_id"]


def complaint_actors(act: ActDefinition, app: HousingApplication) -> list[Actor]:
    """Whoever of the provider's staff and the complaint bodies the act's roles name."""
    everyone = {
        Role.OFFICER: officer(app.provider),
        Role.HEAD: head(app.provider),
        Role.COMPLAINT_BODY: complaint_body("quality-body"),
    }
    return [actor for role, actor in everyone.items() if role in act.roles]


def open_complaints(app: HousingApplication) -> list[str]:
    return [cid for cid, case in app.complaints.items() if case.status not in CLOSED_COMPLAINTS]


def provider_acts() -> list[ActDefinition]:
    """The declared acts a provider's staff perform while the application is considered."""
    return [
        act
        for act in ALL
        if act.from_stages
        and act.from_stages <= IN_CONSIDERATION
        and PROVIDER_ROLES & set(act.roles)
    ]


def lawful_now(app: HousingApplication, acts: list[ActDefinition]) -> list[ActDefinition]:
    """The acts whose declaration allows them from the application's stage."""
    return [act for act in acts if act.from_stages is not None and app.status in act.from_stages]


def actor_for(act: ActDefinition, app: HousingApplication) -> Actor:
    if Role.OFFICER in act.roles:
        return officer(app.provider)
    if Role.HEAD in act.roles:
        return head(app.provider)
    raise AssertionError(f"{act.name}: no provider role")


def moments(app: HousingApplication, now: datetime) -> list[datetime]:
    """Soon after the last act, the next working day at 10:00, the notified hearing, and
    45 days later (every term run out); never after `now`."""
    last = app.last_effective_at
    day = add_working_days(local_day(last, app.tz), 1)
    found = [
        last + timedelta(minutes=5),
        datetime.combine(day, time(10), tzinfo=zone(app.tz)).astimezone(UTC),
    ]
    if app.status is Status.HEARING_SCHEDULED and app.hearing_notice is not None:
        found.append(
            max(last, app.hearing_notice.hearing_at.astimezone(UTC)) + timedelta(minutes=5)
        )
    found.append(last + timedelta(days=45))
    return sorted({m for m in found if m <= now})


def attempts(
    app: HousingApplication, act: ActDefinition, now: datetime
) -> Iterator[tuple[datetime, HousingApplication]]:
    """Each variant of `act` at each moment that the aggregate accepts: the application after
    it (a copy; `app` is left as it was)."""
    for at in moments(app, now):
        for fields in FIELDS[act.name](app, at):
            after = copy.deepcopy(app)
            try:
                getattr(after, act.command)(actor=actor_for(act, app), effective_at=at, **fields)
            except DomainError:
                continue
            yield at, after


class DeadEnd(AssertionError):
    """A state from which no lawful act leads on."""


@dataclass
class Search:
    """Depth first over provider acts that move the application on, soonest first."""

    now: datetime
    depth: int = 10
    budget: int = 3000  # acts tried in all; running out fails the test rather than passing it
    tried: int = 0

    def way_to_decision(self, app: HousingApplication) -> list[tuple[str, HousingApplication]]:
        """The acts (name, application after it) from `app` to a decision, or [] if decided;
        AssertionError if there is none."""
        found = self._search(app, self.depth)
        if found is None:
            raise DeadEnd(
                f"no lawful way to a decision from {app.status.value} "
                f"(after {app.version} events, last at {app.last_effective_at.isoformat()})"
            )
        return found

    def _search(
        self, app: HousingApplication, depth: int
    ) -> list[tuple[str, HousingApplication]] | None:
        if app.status in DECIDED:
            return []
        if depth == 0:
            return None
        for act in lawful_now(app, provider_acts()):
            for _at, after in attempts(app, act, self.now):
                self.tried += 1
                assert self.tried <= self.budget, "the search ran out of its budget"
                if after.status is app.status:
                    continue  # no progress (an assignment): not a way on
                rest = self._search(after, depth - 1)
                if rest is not None:
                    return [(act.name, after), *rest]
        return None

    def complaint_closed(
        self, app: HousingApplication, cid: str, depth: int = 3
    ) -> HousingApplication:
        """The application after acts that close complaint `cid` (forwarded, satisfied or
        decided, §14); AssertionError if none can."""
        if app.complaints[cid].status in CLOSED_COMPLAINTS:
            return app
        for act in complaint_acts():
            for actor in complaint_actors(act, app):
                for at in moments(app, self.now) if depth else ():
                    for fields in COMPLAINT_FIELDS[act.name](app):
                        after = copy.deepcopy(app)
                        self.tried += 1
                        assert self.tried <= self.budget, "the search ran out of its budget"
                        try:
                            getattr(after, act.command)(
                                actor=actor, effective_at=at, complaint_id=cid, **fields
                            )
                        except DomainError:
                            continue
                        try:
                            return self.complaint_closed(after, cid, depth - 1)
                        except DeadEnd:
                            continue
        raise DeadEnd(
            f"no lawful way to close complaint {cid} ({app.complaints[cid].status.value})"
        )
