"""When the acts of the demo happen: office hours for staff, any hour on the portal."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from domain.calendar import add_working_days, is_working_day, local_day, start_of_day

MORNING = (9 * 60, 13 * 60)  # Std 7: 09:00-18:30, lunch 13:00-14:30
AFTERNOON = (14 * 60 + 30, 18 * 60 + 30)
_OFFICE_SPANS = tuple(
    (timedelta(minutes=start), timedelta(minutes=end)) for start, end in (MORNING, AFTERNOON)
)


def local_moment(day: date, minute: int, tz: str) -> datetime:
    """`minute` minutes after local midnight of `day` (a day of a time change included)."""
    return start_of_day(day, tz) + timedelta(minutes=minute)


def office_moment(rng: random.Random, day: date, tz: str, after: datetime) -> datetime:
    """A moment within office hours on working day `day` (local), later than `after`.

    When the day's hours are used up, the officer stays a few minutes late: the act still
    falls on `day`, which is what every term counts.
    """
    if local_day(after, tz) > day:
        raise AssertionError(f"an act planned on {day} after {after.isoformat()}")
    earliest = after + timedelta(minutes=1)
    midnight = start_of_day(day, tz)  # local_moment(day, m, tz) is midnight + m minutes
    spans: list[tuple[datetime, datetime]] = []
    for start, end in _OFFICE_SPANS:
        lo, hi = max(midnight + start, earliest), midnight + end
        if lo < hi:
            spans.append((lo, hi))
    if not spans:
        return after + timedelta(minutes=rng.randint(1, 15))
    # Most acts come early in the day; uniform over the free time, weighted by each span.
    total = sum((hi - lo).total_seconds() for lo, hi in spans)
    pick = rng.uniform(0, total) * rng.random()
    for lo, hi in spans:
        length = (hi - lo).total_seconds()
        if pick <= length:
            return (lo + timedelta(seconds=pick)).replace(microsecond=0) + timedelta(seconds=1)
        pick -= length
    return spans[-1][1]


def portal_moment(rng: random.Random, earliest: datetime, latest: datetime) -> datetime:
    """A moment on the portal (open around the clock) between the two, seconds precision."""
    if latest <= earliest:
        return earliest + timedelta(seconds=1)
    span = (latest - earliest).total_seconds()
    return earliest + timedelta(seconds=max(1, int(rng.uniform(0, span))))


def filing_moment(rng: random.Random, first: date, last: date, tz: str) -> datetime:
    """When a citizen files: any day, mostly in the daytime, sometimes at night."""
    day = date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))
    daytime = rng.random() < 0.65
    minute = rng.randint(8 * 60, 20 * 60) if daytime else rng.randint(0, 24 * 60 - 1)
    return local_moment(day, minute, tz) + timedelta(seconds=rng.randint(0, 59))


def next_working_day(day: date) -> date:
    return day if is_working_day(day) else add_working_days(day, 1)
