"""Small named checks shared by the aggregates. Each raises the domain error naming its rule."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from domain.actors import PROVIDER_ROLES, Actor
from domain.calendar import NaiveDatetimeError
from domain.errors import (
    ActBeforePreviousAct,
    ActInTheFuture,
    ActorNotEntitled,
    NotTheApplicant,
    WrongProvider,
)
from domain.values import Role

# Clocks of the portal, the officers' workstations and the store drift a little.
CLOCK_SKEW = timedelta(minutes=5)


class MomentOutOfRange(ValueError):
    """A moment no act of the ledger can have (malformed input)."""


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive moment has no instant and is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError("a moment needs a time zone (ISO 8601 with an offset)")
    if not 1900 <= moment.year <= 2200:
        raise MomentOutOfRange("a moment must fall between the years 1900 and 2200")
    return moment.astimezone(UTC)


def require_chronology(effective_at: datetime, previous: datetime | None, act: str) -> None:
    if previous is not None and effective_at < previous:
        raise ActBeforePreviousAct(
            f"{act} cannot take effect at {effective_at.isoformat()}, before the previous act "
            f"({previous.isoformat()})"
        )


def require_not_in_future(effective_at: datetime, act: str) -> None:
    if effective_at > datetime.now(UTC) + CLOCK_SKEW:
        raise ActInTheFuture(f"{act} is dated {effective_at.isoformat()}, in the future")


def require_role(actor: Actor, allowed: Collection[Role], act: str) -> None:
    if actor.role not in allowed:
        names = ", ".join(sorted(r.said for r in allowed))
        raise ActorNotEntitled(f"{act} is performed by {names}, not by {actor.role.said}")


def require_own_provider(actor: Actor, provider: str, act: str) -> None:
    if actor.role in PROVIDER_ROLES and actor.provider != provider:
        raise WrongProvider(f"{act}: the application belongs to another service provider")


def require_applicant(actor: Actor, applicant_ref: str, act: str) -> None:
    if actor.role is Role.APPLICANT and actor.id != applicant_ref:
        raise NotTheApplicant(f"{act}: only the applicant may do this")
