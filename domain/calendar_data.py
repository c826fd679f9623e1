"""The calendar's data: the days off `holidays` states or estimates, and the decreed transfers,
extra days off and confirmed feasts of the packaged file and the operator's.

The packaged data is `data/working_weekends.json`; an operator extends it without code through
the JSON file named by KEZEK_CALENDAR_FILE. A file is either a bare list of working weekends or
an object with `working_weekends`, `extra_days_off` and `confirmed_feasts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Final

import holidays
from pydantic import ConfigDict, TypeAdapter, ValidationError

_SATURDAY: Final = 5
# How far an announced feast may lie from the astronomical estimate of `holidays` (the Spiritual
# Administration's calendar warns of a day either way; three leaves room and catches typos).
FEAST_SHIFT_DAYS: Final = 3


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
class ConfirmedFeast:
    """A movable feast that `holidays` only estimates (Kurban Ait, Law No. 267-II "On holidays"), as
    announced: the day off is `day`, and the estimate on `estimated` no longer counts."""

    __pydantic_config__ = ConfigDict(extra="forbid", strict=True)

    estimated: date
    day: date
    source: str

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise CalendarDataError(f"confirmed feast {self.day} does not name its source")
        if abs((self.day - self.estimated).days) > FEAST_SHIFT_DAYS:
            raise CalendarDataError(
                f"feast announced on {self.day} is more than {FEAST_SHIFT_DAYS} days from its "
                f"estimate {self.estimated}"
            )


@dataclass(frozen=True)
class CalendarData:
    """The object form of a calendar file; a bare list means working weekends only."""

    __pydantic_config__ = ConfigDict(extra="forbid", strict=True)

    working_weekends: tuple[WorkingWeekend, ...] = ()
    extra_days_off: tuple[ExtraDayOff, ...] = ()
    confirmed_feasts: tuple[ConfirmedFeast, ...] = ()


class EstimatePolicy(StrEnum):
    """What the calendar does with a day off that `holidays` only estimates."""

    COUNT = "count"  # count the estimate as the day off (the best knowledge there is)
    REFUSE = "refuse"  # refuse to count across it until the data confirms the feast


class UnconfirmedDayOff(CalendarDataError):
    """A term would be counted across a day off that is only estimated (EstimatePolicy.REFUSE)."""


@dataclass(frozen=True, slots=True)
class PublicYear:
    firm: frozenset[date]  # days off that `holidays` states as fact
    estimated: frozenset[date]  # days off whose every holiday `holidays` only estimates


@cache
def public_days_off(year: int) -> PublicYear:
    # Neighbouring years too: a holiday at a year's edge may have its observed day in the next.
    kz = holidays.country_holidays("KZ", years=range(year - 1, year + 2))
    label = kz.tr(kz.estimated_label) % ""  # " (бағаланған)" in the default language
    firm: set[date] = set()
    estimated: set[date] = set()
    for day in kz:
        if day.year == year:
            names = kz.get_list(day)
            only_estimates = all(name.endswith(label) for name in names)
            (estimated if only_estimates else firm).add(day)
    return PublicYear(frozenset(firm), frozenset(estimated))


_CALENDAR_FILE: Final = TypeAdapter[list[WorkingWeekend] | CalendarData](
    list[WorkingWeekend] | CalendarData
)


def parse_calendar_json(raw: bytes, origin: str) -> CalendarData:
    try:
        parsed = _CALENDAR_FILE.validate_json(raw)
    except ValidationError as error:
        raise CalendarDataError(f"calendar file {origin} is malformed: {error}") from error
    if isinstance(parsed, CalendarData):
        return parsed
    return CalendarData(working_weekends=tuple(parsed))


def packaged_data() -> CalendarData:
    raw = resources.files("domain").joinpath("data", "working_weekends.json").read_bytes()
    return parse_calendar_json(raw, "domain/data/working_weekends.json")
