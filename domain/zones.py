"""Time zones from the `tzdata` package, never from the operating system: a machine with an old
tz database still has Almaty and Kostanay on UTC+6 after 1 March 2024."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from typing import Final
from zoneinfo import ZoneInfo

# IANA keys are letters, digits, "_", "-", "+" in "/"-separated parts; refusing anything else
# (notably "." and "..") keeps a key from naming a file outside tzdata's zoneinfo directory.
_ZONE_KEY: Final = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*")


class NaiveDatetimeError(ValueError):
    """A moment without a time zone: its local day and time cannot be known."""


class UnknownTimeZone(ValueError):
    """The name is not a time zone of the IANA tz database shipped in `tzdata`."""


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


def to_local(moment: datetime, tz: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError("a moment must carry its time zone (aware datetime)")
    return moment.astimezone(zone(tz))


def start_of_day(day: date, tz: str) -> datetime:
    """00:00 local time of `day` in zone `tz` (aware)."""
    return datetime.combine(day, time.min, tzinfo=zone(tz))


def end_of_day(day: date, tz: str) -> datetime:
    """23:59:59.999999 local time of `day` in zone `tz` (aware)."""
    return datetime.combine(day, time.max, tzinfo=zone(tz))
