"""Working days of Kazakhstan and the reception day of an application (§7, Std 7).

A working day is Monday to Friday that is not a public holiday or day off (`holidays`, country
KZ, which already applies the weekend-to-next-working-day rule and the decreed days off it
knows), plus the weekend days that a decree made working days, minus extra days off. The decreed
transfers are data (`data/working_weekends.json`, read by `calendar_data.py`), extended by an
operator without code through the JSON file named by the environment variable KEZEK_CALENDAR_FILE.

A day off that `holidays` only estimates (Kurban Ait, whose day the Spiritual Administration of
Muslims announces) is not yet a fact: the data confirms it (`ConfirmedFeast`). Until then the
calendar counts the estimate as a day off, or, under KEZEK_CALENDAR_ESTIMATES=refuse (the test
suite's setting), refuses to count a term across the estimate and the days either side of it.
Time zones come from the `tzdata` package (`zones.py`), never from the operating system.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Final

from domain.calendar_data import CalendarData as CalendarData
from domain.calendar_data import CalendarDataError as CalendarDataError
from domain.calendar_data import ConfirmedFeast as ConfirmedFeast
from domain.calendar_data import EstimatePolicy as EstimatePolicy
from domain.calendar_data import ExtraDayOff as ExtraDayOff
from domain.calendar_data import UnconfirmedDayOff as UnconfirmedDayOff
from domain.calendar_data import WorkingWeekend as WorkingWeekend
from domain.calendar_data import packaged_data, parse_calendar_json, public_days_off
from domain.zones import NaiveDatetimeError as NaiveDatetimeError
from domain.zones import UnknownTimeZone as UnknownTimeZone
from domain.zones import end_of_day as end_of_day
from domain.zones import start_of_day as start_of_day
from domain.zones import to_local as _to_local
from domain.zones import zone as zone

WORKDAY_END: Final[time] = time(18, 30)
CALENDAR_FILE_ENV: Final = "KEZEK_CALENDAR_FILE"
ESTIMATES_ENV: Final = "KEZEK_CALENDAR_ESTIMATES"
# The announced feast may differ from the astronomical estimate by a day either way.
_UNCERTAIN: Final = 1

_SATURDAY: Final = 5
_ONE_DAY: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class _Year:
    first_ordinal: int
    flags: bytes  # by day of the year: 1 for a working day
    working: tuple[int, ...]  # ordinals of the working days, ascending
    uncertain: tuple[int, ...]  # ordinals of unconfirmed estimates and the days either side


class WorkingCalendar:
    """Working days under the labour legislation's calendar, with decreed transfers."""

    def __init__(
        self,
        working_weekends: Iterable[WorkingWeekend] = (),
        extra_days_off: Iterable[ExtraDayOff] = (),
        confirmed_feasts: Iterable[ConfirmedFeast] = (),
        estimates: EstimatePolicy = EstimatePolicy.COUNT,
    ) -> None:
        substitutes: dict[date, WorkingWeekend] = {}
        for weekend in working_weekends:
            known = substitutes.setdefault(weekend.day, weekend)
            if known.substitutes != weekend.substitutes:
                raise CalendarDataError(
                    f"working weekend {weekend.day} substitutes both {known.substitutes} "
                    f"and {weekend.substitutes}"
                )
        self.working_weekends: tuple[WorkingWeekend, ...] = tuple(
            sorted(substitutes.values(), key=lambda w: w.day)
        )
        self.extra_days_off: tuple[ExtraDayOff, ...] = tuple(
            sorted(extra_days_off, key=lambda e: e.day)
        )
        # An announced feast replaces the estimate it names; one announcement per estimate.
        feasts: dict[date, ConfirmedFeast] = {}
        for feast in confirmed_feasts:
            if feasts.setdefault(feast.estimated, feast).day != feast.day:
                raise CalendarDataError(f"feast estimated on {feast.estimated} announced twice")
        self.confirmed_feasts = tuple(sorted(feasts.values(), key=lambda f: f.day))
        self.estimates = estimates
        self._worked = frozenset(w.day for w in self.working_weekends)
        self._replaced = frozenset(f.estimated for f in self.confirmed_feasts)
        # The substituted day is a day off even where `holidays` does not know the decree yet.
        self._off = (
            frozenset(w.substitutes for w in self.working_weekends)
            | frozenset(e.day for e in self.extra_days_off)
            | frozenset(f.day for f in self.confirmed_feasts)
        )
        # Filled lazily; a race only computes the same year twice.
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._build_year(year)
        return found

    def _build_year(self, year: int) -> _Year:
        public = public_days_off(year)
        unconfirmed = public.estimated - self._replaced
        public_off = public.firm | unconfirmed
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        flags = bytearray(last - first + 1)
        working: list[int] = []
        for ordinal in range(first, last + 1):
            day = date.fromordinal(ordinal)
            works = (day.weekday() < _SATURDAY and day not in public_off) or day in self._worked
            if works and day not in self._off:
                flags[ordinal - first] = 1
                working.append(ordinal)
        uncertain = {
            day.toordinal() + shift
            for day in unconfirmed
            for shift in range(-_UNCERTAIN, _UNCERTAIN + 1)
        }
        return _Year(first, bytes(flags), tuple(working), tuple(sorted(uncertain)))

    def unconfirmed_estimates(self, start: date, end: date) -> list[date]:
        """The days in (start, end] that may be a day off or not: an estimated feast that no
        data confirms, and the days either side of it."""
        _require_date(start)
        _require_date(end)
        low, high = sorted((start.toordinal(), end.toordinal()))
        found: list[int] = []
        # A year's estimate may reach a day into the years either side.
        for year in range(date.fromordinal(low).year - 1, date.fromordinal(high).year + 2):
            uncertain = self._year(year).uncertain
            found += uncertain[bisect_right(uncertain, low) : bisect_right(uncertain, high)]
        return [date.fromordinal(o) for o in sorted(set(found))]

    def _rely_on(self, start: date, end: date) -> None:
        """Under EstimatePolicy.REFUSE, refuse an answer that depends on (start, end]."""
        if self.estimates is EstimatePolicy.REFUSE and (
            days := self.unconfirmed_estimates(start, end)
        ):
            raise UnconfirmedDayOff(
                f"{days[0]} may or may not be a day off: a feast is only estimated there and "
                "no calendar data confirms it (confirmed_feasts)"
            )

    def is_working_day(self, day: date) -> bool:
        _require_date(day)
        self._rely_on(day - _ONE_DAY, day)
        year = self._year(day.year)
        return year.flags[day.toordinal() - year.first_ordinal] == 1

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n >= 0); n == 0 returns `day` itself."""
        _require_date(day)
        if n < 0:
            raise ValueError("add_working_days counts forward only (n >= 0)")
        if n == 0:
            return day
        year_number = day.year
        year = self._year(year_number)
        index = bisect_right(year.working, day.toordinal()) + n - 1
        while index >= len(year.working):
            index -= len(year.working)
            year_number += 1
            year = self._year(year_number)
        due = date.fromordinal(year.working[index])
        self._rely_on(day, due)
        return due

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d have start < d <= end; negated when end < start."""
        _require_date(start)
        _require_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        self._rely_on(start, end)
        count = sum(len(self._year(y).working) for y in range(start.year, end.year))
        count += bisect_right(self._year(end.year).working, end.toordinal())
        count -= bisect_right(self._year(start.year).working, start.toordinal())
        return count

    def reception_day(self, moment: datetime, tz: str) -> date:
        """The working day on which a provider in zone `tz` accepts what was filed at `moment`.

        The same local day if it is a working day and the local time is before 18:30 (Std 7),
        otherwise the next working day (§7).
        """
        local = _to_local(moment, tz)
        day = local.date()
        if local.time() < WORKDAY_END and self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def local_day(self, moment: datetime, tz: str) -> date:
        return _to_local(moment, tz).date()

    def start_of_day(self, day: date, tz: str) -> datetime:
        return start_of_day(day, tz)

    def end_of_day(self, day: date, tz: str) -> datetime:
        return end_of_day(day, tz)


def _require_date(day: date) -> None:
    # datetime is a subclass of date; taking its date part here would silently use the
    # wrong zone's day, so callers must go through local_day() first.
    if isinstance(day, datetime):
        raise TypeError("pass a date, not a datetime: use local_day(moment, tz) first")


def load_calendar(
    extra_file: Path | None = None, estimates: EstimatePolicy = EstimatePolicy.COUNT
) -> WorkingCalendar:
    """A fresh calendar from the packaged data plus, if given, the operator's file."""
    data = [packaged_data()]
    if extra_file is not None:
        try:
            raw = extra_file.read_bytes()
        except OSError as error:
            raise CalendarDataError(f"calendar file {extra_file} cannot be read") from error
        data.append(parse_calendar_json(raw, str(extra_file)))
    return WorkingCalendar(
        working_weekends=[w for d in data for w in d.working_weekends],
        extra_days_off=[e for d in data for e in d.extra_days_off],
        confirmed_feasts=[f for d in data for f in d.confirmed_feasts],
        estimates=estimates,
    )


def calendar_from_environment(environ: Mapping[str, str] | None = None) -> WorkingCalendar:
    """A fresh calendar, extended by the file that KEZEK_CALENDAR_FILE names, if set, with the
    policy for estimated days off that KEZEK_CALENDAR_ESTIMATES names (count by default)."""
    env = os.environ if environ is None else environ
    extra = env.get(CALENDAR_FILE_ENV, "").strip()
    policy = env.get(ESTIMATES_ENV, "").strip() or EstimatePolicy.COUNT
    try:
        estimates = EstimatePolicy(policy)
    except ValueError as error:
        raise CalendarDataError(
            f"{ESTIMATES_ENV} must be one of {', '.join(EstimatePolicy)}"
        ) from error
    return load_calendar(Path(extra) if extra else None, estimates)


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The process-wide calendar (read once; `default_calendar.cache_clear()` to re-read)."""
    return calendar_from_environment()


def is_working_day(day: date) -> bool:
    return default_calendar().is_working_day(day)


def add_working_days(day: date, n: int) -> date:
    return default_calendar().add_working_days(day, n)


def working_days_between(start: date, end: date) -> int:
    return default_calendar().working_days_between(start, end)


def reception_day(moment: datetime, tz: str) -> date:
    return default_calendar().reception_day(moment, tz)


def local_day(moment: datetime, tz: str) -> date:
    return _to_local(moment, tz).date()
