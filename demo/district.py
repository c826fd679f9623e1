"""The synthetic district: its providers and lists, the years the demo spans, and the paths of
the procedure its applications take, with the share of each."""

from __future__ import annotations

from datetime import date
from enum import Enum

# The district: provider code, share of the applications, settlement, region.
PROVIDERS: tuple[tuple[str, float, str, str], ...] = (
    ("almaty", 0.45, "Almaty", "Almaty"),
    ("talgar-district", 0.33, "Talgar", "Almaty Region"),
    ("konaev-town", 0.22, "Konaev", "Almaty Region"),
)
# Relative sizes of the lists (Art. 74 para 2); a list added to the reference data gets 3.
LIST_WEIGHTS = {
    "socially_vulnerable": 56,
    "state_employees": 13,
    "large_families": 12,
    "orphans": 9,
    "emergency_housing": 8,
    "veterans": 2,
}
OTHER_LIST_WEIGHT = 3

FIRST_FILING = date(2024, 1, 3)
LAST_FILING = date(2025, 11, 14)  # an application filed then is decided within 2025
LAST_FILING_WITH_SEQUEL = date(2025, 7, 31)  # paths that go on after registration
HORIZON = date(2025, 12, 31)  # no act falls later
FIRST_OFFER = date(2024, 5, 2)
LAST_OFFER = date(2025, 12, 5)
OFFER_SHARE = 0.05  # offer rounds per application
BELOW_NORM_SHARE = 0.2  # of the offer rounds: a dwelling below the norm (Art. 75)


class Route(Enum):
    """The paths of the procedure the demo walks; the value is how the summary names it."""

    REGISTERED = "complete, verified, registered"
    CORRECTED = "incomplete, corrected in time, registered"
    NOT_CORRECTED = "incomplete, not corrected, refused to consider further"
    HEARING_POSITIVE = "grounds found, hearing positive, registered"
    HEARING_REFUSED = "grounds found, hearing, refused"
    UPDATED = "data updated in consideration and on the list (Appendix 3)"
    WITHDRAWN_BEFORE = "withdrawn before registration"
    WITHDRAWN_AFTER = "registered, then withdrawn"
    DEREGISTERED = "registered, then deregistered (Art. 73)"
    SUCCESSION = "registered, place passed to a family member"
    COMPLAINT_RESTORE = "deregistered, complaint forwarded, place restored"
    COMPLAINT_PRIORITY = "corrected, complaint forwarded, priority corrected"
    COMPLAINT_REJECTED = "refused, complaint to the quality body rejected"
    COMPLAINT_HEAD = "registered, complaint decided by the provider's head"
    COMPLAINT_SATISFIED = "registered, complaint satisfied by the provider"
    HEARING_LATE = "corrected, grounds found after the last notice day, heard late, refused"
    COMPLAINT_FORWARDED_LATE = "registered, complaint forwarded late, decided by the body"
    COMPLAINT_REOPENED = "refused, complaint upheld, consideration reopened, registered"
    COURT_RESTORED = "not considered, a court's decision registers the citizen"
    HEARING_HELD_LATE = "grounds found, the hearing held after its 2 working days, refused"


# Share of the applications on each special path, and the least number walked (so that a small
# demo still covers every path); the rest are plain registrations. Listed in the order a demo too
# small for all of them gives them up: the last first.
SPECIAL_PATHS: tuple[tuple[Route, float, int], ...] = (
    (Route.CORRECTED, 0.07, 2),
    (Route.NOT_CORRECTED, 0.03, 1),
    (Route.HEARING_POSITIVE, 0.03, 1),
    (Route.HEARING_REFUSED, 0.025, 1),
    (Route.WITHDRAWN_BEFORE, 0.02, 1),
    (Route.WITHDRAWN_AFTER, 0.03, 1),
    (Route.DEREGISTERED, 0.035, 1),
    (Route.COMPLAINT_RESTORE, 0.004, 1),
    (Route.COMPLAINT_PRIORITY, 0.004, 1),
    (Route.UPDATED, 0.08, 2),
    (Route.SUCCESSION, 0.02, 1),
    (Route.COMPLAINT_REJECTED, 0.005, 1),
    (Route.COMPLAINT_HEAD, 0.004, 1),
    (Route.COMPLAINT_SATISFIED, 0.005, 1),
    (Route.HEARING_LATE, 0.004, 1),
    (Route.COMPLAINT_FORWARDED_LATE, 0.004, 1),
    (Route.COMPLAINT_REOPENED, 0.004, 1),
    (Route.COURT_RESTORED, 0.003, 1),
    (Route.HEARING_HELD_LATE, 0.003, 1),
)
# Paths that go on once the citizen is on the list: filed early enough for what follows.
WITH_SEQUEL = frozenset(
    {
        Route.UPDATED,
        Route.WITHDRAWN_AFTER,
        Route.DEREGISTERED,
        Route.SUCCESSION,
        Route.COMPLAINT_RESTORE,
        Route.COMPLAINT_PRIORITY,
        Route.COMPLAINT_REJECTED,
        Route.COMPLAINT_HEAD,
        Route.COMPLAINT_SATISFIED,
        Route.COMPLAINT_FORWARDED_LATE,
        Route.COMPLAINT_REOPENED,
        Route.COURT_RESTORED,
    }
)
STARTS_INCOMPLETE = frozenset(
    {
        Route.CORRECTED,
        Route.NOT_CORRECTED,
        Route.COMPLAINT_PRIORITY,
        Route.HEARING_LATE,
        Route.COURT_RESTORED,
    }
)


def settlement_of(provider: str) -> str:
    return next((p[2] for p in PROVIDERS if p[0] == provider), "the district")
