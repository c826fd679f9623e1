"""Complaints about a decision, an action or inaction (§14): their state and their checks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from domain.actors import Actor
from domain.errors import (
    ActorNotEntitled,
    ActOutOfOrder,
    ComplaintAboutOwnAct,
    ComplaintAlreadyClosed,
    ComplaintForwardTooLate,
    ComplaintNotBeforeBody,
    ComplaintSatisfactionTooLate,
    UnknownComplaint,
)
from domain.records import Deadline
from domain.values import ComplaintBody, ComplaintStatus, Role


@dataclass(frozen=True)
class ComplaintCase:
    """One complaint as it stands; rebuilt from the application's events."""

    complaint_id: str
    body: ComplaintBody
    received_on: date
    forward_due: Deadline | None
    decision_due: Deadline
    status: ComplaintStatus

    def moved(self, **changes: object) -> ComplaintCase:
        return replace(self, **changes)  # type: ignore[arg-type]


def open_case(cases: dict[str, ComplaintCase], complaint_id: str) -> ComplaintCase:
    try:
        case = cases[complaint_id]
    except KeyError:
        raise UnknownComplaint(f"no complaint '{complaint_id}' on this application") from None
    if case.status in {ComplaintStatus.SATISFIED, ComplaintStatus.DECIDED}:
        raise ComplaintAlreadyClosed(f"complaint '{complaint_id}' is {case.status.said}")
    return case


def require_with_provider(case: ComplaintCase, act: str) -> None:
    if case.body is not ComplaintBody.PROVIDER or case.status is not ComplaintStatus.FILED:
        raise ComplaintNotBeforeBody(f"{act}: the complaint is not before the provider")


def forward_lateness(case: ComplaintCase, day: date, late_because: str) -> str:
    """The reason kept for a forward on `day` ("" when in time). A forward after the 3
    working days still takes the complaint to the body that decides it, so it is recorded,
    late, with why; without a reason it is refused as before (docs/domain.md)."""
    assert case.forward_due is not None
    if day <= case.forward_due.due_on:
        return ""
    if not late_because.strip():
        raise ComplaintForwardTooLate(
            f"the complaint had to be forwarded by {case.forward_due.due_on} (3 working days):"
            " a late forward is recorded only with the reason it is late (late_because)"
        )
    return late_because.strip()


def require_satisfaction_in_time(case: ComplaintCase, day: date) -> None:
    assert case.forward_due is not None
    if day > case.forward_due.due_on:
        raise ComplaintSatisfactionTooLate(
            f"the provider could satisfy the complaint itself until {case.forward_due.due_on}"
        )


# Whose acts a citizen cannot complain of: their own (and the portal's, which files for them).
CITIZENS_SIDE = frozenset({Role.APPLICANT, Role.PORTAL})


def body_of(actor: Actor) -> ComplaintBody | None:
    """The complaint body a token speaks for: its code is the body's kind, optionally with a
    suffix after a colon (`quality-body`, `higher_body:almaty-region`)."""
    if actor.role is not Role.COMPLAINT_BODY:
        return None
    try:
        body = ComplaintBody(actor.id.split(":", 1)[0].replace("-", "_"))
    except ValueError:
        return None
    return None if body is ComplaintBody.PROVIDER else body


def require_deciding_body(case: ComplaintCase, actor: Actor) -> None:
    """The provider's head decides complaints before the provider; the body a complaint was
    filed with or forwarded to decides it otherwise, and no other body."""
    if case.body is ComplaintBody.PROVIDER:
        if actor.role is not Role.HEAD:
            raise ActorNotEntitled("a complaint before the provider is decided by its head")
    elif actor.role is not Role.COMPLAINT_BODY:
        raise ActorNotEntitled(f"a complaint before the {case.body.said} is decided by that body")
    elif body_of(actor) is not case.body:
        raise ComplaintNotBeforeBody(
            f"the complaint is before the {case.body.said}, not the body {actor.id}"
        )


def require_act_of_the_provider(
    version: int | None, record: tuple[tuple[datetime, Role], ...]
) -> None:
    """A complaint names an act that happened, and an act of the provider, not the citizen's."""
    if version is None:
        return
    if version > len(record):
        raise ActOutOfOrder("the complaint concerns an act that has not happened")
    if record[version - 1][1] in CITIZENS_SIDE:
        raise ComplaintAboutOwnAct(
            f"version {version} is the citizen's own act; a complaint concerns the provider's"
        )
