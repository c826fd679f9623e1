"""Working days of Kazakhstan and the reception day of an application (§7, Std 7).

A working day is Monday to Friday that is not a public holiday or day off (`holidays`, country
KZ, which already applies the weekend-to-next-working-day rule and the decreed days off it
knows), plus the weekend days that a decree made working days, minus extra days off. The decreed
transfers are data (`data/working_weekends.json`), extended by an operator without code
through the JSON file named by the environment variable KEZEK_CALENDAR_FILE.

Time zones come from the `tzdata` package, never from the operating system: a machine with an
old tz database still has Almaty and Kostanay on UTC+6 after 1 March 2024.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import holidays
from pydantic import ConfigDict, TypeAdapter, ValidationError

WORKDAY_END: Final[time] = time(18, 30)
CALENDAR_FILE_ENV: Final = "KEZEK_CALENDAR_FILE"

_SATURDAY: Final = 5
# IANA keys are letters, digits, "_", "-", "+" in "/"-separated parts; refusing anything else
# (notably "." and "..") keeps a key from naming a file outside tzdata's zoneinfo directory.
_ZONE_KEY: Final = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*")


class NaiveDatetimeError(ValueError):
    """A moment without a time zone: its local day and time cannot be known."""


class UnknownTimeZone(ValueError):
    """The name is not a time zone of the IANA tz database shipped in `tzdata`."""


class CalendarDataError(ValueError):
    """The calendar data (packaged or the operator's file) is malformed or contradictory."""


@dataclass(frozen=True)
class WorkingWeekend:
    """A Saturday or Sunday made a working day by decree; its day off moved to `substitutes`."""

    __pydantic_config__ = ConfigDict(extra="forbid", strict=True)

    day: date
    substitutes: date
    source: str

    def __post_init__(self) -> None:
        if self.day.weekday() < _SATURDAY:
            raise CalendarDataError(f"working weekend {self.day} is not a Saturday or Sunday")
        if self.substitutes.weekday() >= _SATURDAY:
            raise CalendarDataError(
                f"day off substituted for {self.day} falls on a weekend ({self.substitutes})"
            )
        if not self.source.strip():
            raise CalendarDataError(f"working weekend {self.day} does not name its decree")


@dataclass(frozen=True)
class ExtraDayOff:
    """A day off that neither the `holidays` package nor a working weekend accounts for."""

    __pydantic_config__ = ConfigDict(extra="forbid", strict=True)

    day: date
    source: str

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise CalendarDataError(f"extra day off {self.day} does not name its source")


@dataclass(frozen=True)
class CalendarData:
    """The object form of a calendar file; a bare list means working weekends only."""

    __pydantic_config__ = ConfigDict(extra="forbid", strict=True)

    working_weekends: tuple[WorkingWeekend, ...] = ()
    extra_days_off: tuple[ExtraDayOff, ...] = ()


_CALENDAR_FILE: Final = TypeAdapter[list[WorkingWeekend] | CalendarData](
    list[WorkingWeekend] | CalendarData
)


@cache
def zone(tz: str) -> ZoneInfo:
    """The IANA zone `tz` from the `tzdata` package (one shared instance per key)."""
    if not _ZONE_KEY.fullmatch(tz):
        raise UnknownTimeZone(f"unknown time zone {tz[:64]!r}")
    try:
        with resources.files("tzdata").joinpath("zoneinfo", *tz.split("/")).open("rb") as f:
            return ZoneInfo.from_file(f, key=tz)
    except (OSError, ValueError) as error:  # missing file, a directory, or not a TZif file
        raise UnknownTimeZone(f"unknown time zone {tz!r}") from error


def _to_local(moment: datetime, tz: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError("a moment must carry its time zone (aware datetime)")
    return moment.astimezone(zone(tz))


def start_of_day(day: date, tz: str) -> datetime:
    """00:00 local time of `day` in zone `tz` (aware)."""
    return datetime.combine(day, time.min, tzinfo=zone(tz))


def end_of_day(day: date, tz: str) -> datetime:
    """23:59:59.999999 local time of `day` in zone `tz` (aware)."""
    return datetime.combine(day, time.max, tzinfo=zone(tz))


@cache
def _public_days_off(year: int) -> frozenset[date]:
    # Neighbouring years too: a holiday at a year's edge may have its observed day in the next.
    kz = holidays.country_holidays("KZ", years=range(year - 1, year + 2))
    return frozenset(day for day in kz if day.year == year)


@dataclass(frozen=True, slots=True)
class _Year:
    first_ordinal: int
    flags: bytes  # by day of the year: 1 for a working day
    working: tuple[int, ...]  # ordinals of the working days, ascending


class WorkingCalendar:
    """Working days under the labour legislation's calendar, with decreed transfers."""

    def __init__(
        self,
        working_weekends: Iterable[WorkingWeekend] = (),
        extra_days_off: Iterable[ExtraDayOff] = (),
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
        self._worked = frozenset(w.day for w in self.working_weekends)
        # The substituted day is a day off even where `holidays` does not know the decree yet.
        self._off = frozenset(w.substitutes for w in self.working_weekends) | frozenset(
            e.day for e in self.extra_days_off
        )
        # Filled lazily; a race only computes the same year twice.
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._build_year(year)
        return found

    def _build_year(self, year: int) -> _Year:
        public_off = _public_days_off(year)
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
        return _Year(first, bytes(flags), tuple(working))

    def is_working_day(self, day: date) -> bool:
        _require_date(day)
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
        return date.fromordinal(year.working[index])

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d have start < d <= end; negated when end < start."""
        _require_date(start)
        _require_date(end)
        if end < start:
            return -self.working_days_between(end, start)
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


def _parse_calendar_json(raw: bytes, origin: str) -> CalendarData:
    try:
        parsed = _CALENDAR_FILE.validate_json(raw)
    except ValidationError as error:
        raise CalendarDataError(f"calendar file {origin} is malformed: {error}") from error
    if isinstance(parsed, CalendarData):
        return parsed
    return CalendarData(working_weekends=tuple(parsed))


def _packaged_data() -> CalendarData:
    raw = resources.files("domain").joinpath("data", "working_weekends.json").read_bytes()
    return _parse_calendar_json(raw, "domain/data/working_weekends.json")


def load_calendar(extra_file: Path | None = None) -> WorkingCalendar:
    """A fresh calendar from the packaged data plus, if given, the operator's file."""
    data = [_packaged_data()]
    if extra_file is not None:
        try:
            raw = extra_file.read_bytes()
        except OSError as error:
            raise CalendarDataError(f"calendar file {extra_file} cannot be read") from error
        data.append(_parse_calendar_json(raw, str(extra_file)))
    return WorkingCalendar(
        working_weekends=[w for d in data for w in d.working_weekends],
        extra_days_off=[e for d in data for e in d.extra_days_off],
    )


def calendar_from_environment(environ: Mapping[str, str] | None = None) -> WorkingCalendar:
    """A fresh calendar, extended by the file that KEZEK_CALENDAR_FILE names, if set."""
    extra = (os.environ if environ is None else environ).get(CALENDAR_FILE_ENV, "").strip()
    return load_calendar(Path(extra) if extra else None)


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
