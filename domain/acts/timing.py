"""Who may say when an act took effect, and how far back: each act's time policy.

The recording time is always the server's clock (domain.clock). The moment an act takes effect
is the same moment, except where its policy lets a named caller state an earlier one:
- the applicant's acts and the portal's are recorded now; a moment sent for them is refused;
- the filing moment, which fixes the priority, is the moment Kezek received the application, or
  the state portal's own receipt time (its system role only), at most 24 hours back;
- staff may date a paper act up to 3 working days back (in the provider's calendar), with a
  written reason kept in the event. Backdating never rescues a term: a term is judged on the
  later of the act's effective and recorded days (projections.deadline_rules), so a late act
  shows as late. Acts still follow each other in time (domain.rules.require_chronology).
The readings and their reasons: docs/security.md, "Time is the server's".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from domain.actors import Actor
from domain.calendar import local_day, working_days_between
from domain.errors import ActInTheFuture, BackdatedTooFar, BackdatingWithoutReason, TimeNotYours
from domain.rules import CLOCK_SKEW, utc
from domain.values import Role

BACKDATING_WORKING_DAYS = 3
PORTAL_RECEIPT_WINDOW = timedelta(hours=24)
# Whose acts are always on the server's time, whatever the act.
SERVER_TIMED = frozenset({Role.APPLICANT, Role.PORTAL})


class TimePolicy(Enum):
    """Who sets the moment an act takes effect (its recording time is always the server's)."""

    RECORDED_NOW = "recorded now by the server"
    RECEIVED = "received now; the portal may state its own receipt, at most 24 hours back"
    PAPER_ACT = "recorded now; staff may date it up to 3 working days back, with a reason"

    def decide(
        self,
        actor: Actor,
        now: datetime,
        requested: datetime | None = None,
        reason: str = "",
        *,
        field: str = "effective_at",
        sent: bool = False,
    ) -> Timing:
        """When the act takes effect, given what the caller asked and the server's `now`.
        A moment `sent` in a request body is refused outright from a caller who may not date
        the act (not even one within the clocks' skew)."""
        if requested is None:
            return Timing(now, now)
        if sent and not self.may_date(actor):
            raise TimeNotYours(field)
        at = utc(requested)
        if at > now + CLOCK_SKEW:
            raise ActInTheFuture(f"the act is dated {at.isoformat()}, in the future")
        if now - at <= CLOCK_SKEW:
            return Timing(at, now)
        if self is TimePolicy.RECEIVED and actor.role is Role.PORTAL:
            if now - at > PORTAL_RECEIPT_WINDOW:
                raise BackdatedTooFar("the portal's receipt time is at most 24 hours back")
            return Timing(at, now)
        if self is not TimePolicy.PAPER_ACT or actor.role in SERVER_TIMED:
            raise TimeNotYours(field)
        if not reason.strip():
            raise BackdatingWithoutReason(
                f"the act is dated {at.isoformat()}, before it is recorded: say why "
                "(backdating_reason)"
            )
        return Timing(at, now, reason.strip())

    def may_date(self, actor: Actor) -> bool:
        """Whether `actor` may say when this act took effect at all."""
        if self is TimePolicy.RECEIVED:
            return actor.role is Role.PORTAL
        return self is TimePolicy.PAPER_ACT and actor.role not in SERVER_TIMED


@dataclass(frozen=True)
class Timing:
    """When an act takes effect and when it is recorded, as its policy decided."""

    effective_at: datetime
    recorded_at: datetime
    backdated_because: str = ""

    def require_window(self, tz: str) -> None:
        """A backdated paper act lies within the window, counted in the provider's days."""
        if not self.backdated_because:
            return
        back = working_days_between(
            local_day(self.effective_at, tz), local_day(self.recorded_at, tz)
        )
        if back > BACKDATING_WORKING_DAYS:
            raise BackdatedTooFar(
                f"a paper act may be dated at most {BACKDATING_WORKING_DAYS} working days back;"
                f" this one is {back}"
            )
