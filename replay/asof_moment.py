"""What every as-of answer is asked (replay.asof, replay.asof_list, the export of a list): a
moment on one of two time axes.

- **Business time** (`effective`): the acts by when they took effect.
- **Recording time** (`recorded`): the acts by when the ledger recorded them.

`known_at` asks business time as the ledger knew it at a recording moment; by recording time
it would be the moment itself, so it goes with business time only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

Axis = Literal["effective", "recorded"]
AXES: tuple[Axis, ...] = ("effective", "recorded")


class NaiveMoment(ValueError):
    """A moment without a UTC offset: ambiguous across the country's time zones."""


def utc_moment(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        local = moment.isoformat(timespec="minutes")
        raise NaiveMoment(
            f"{local} has no UTC offset; write, for example, {local}+05:00 or {local}Z"
        )
    return moment.astimezone(UTC)


def check_axis(by: str) -> Axis:
    if by == "effective":
        return "effective"
    if by == "recorded":
        return "recorded"
    raise ValueError(f"as of what time: 'effective' or 'recorded', not {by!r}")


@dataclass(frozen=True)
class AsOf:
    """A moment on a time axis, checked when made and then held in UTC: a moment needs its UTC
    offset (NaiveMoment), the axis is one of AXES, `known_at` goes with business time only."""

    moment: datetime
    by: Axis = "effective"
    known_at: datetime | None = None

    def __post_init__(self) -> None:
        moment, by = utc_moment(self.moment), check_axis(self.by)
        if self.known_at is not None and by == "recorded":
            raise ValueError("known_at goes with business time: by recording time it is moment")
        known_at = None if self.known_at is None else utc_moment(self.known_at)
        # Frozen, so the checked values take the given ones' place here, once.
        object.__setattr__(self, "moment", moment)
        object.__setattr__(self, "by", by)
        object.__setattr__(self, "known_at", known_at)

    @property
    def axis_text(self) -> str:
        """How an answer names its time axis, for people."""
        return "business time" if self.by == "effective" else "recording time"

    def describe(self) -> str:
        """For people: `as of 2025-03-01T07:00:00+00:00 (business time)`."""
        known = "" if self.known_at is None else f", as known at {self.known_at.isoformat()}"
        return f"as of {self.moment.isoformat()} ({self.axis_text}{known})"

    def as_dict(self) -> dict[str, str | None]:
        known_at = None if self.known_at is None else self.known_at.isoformat()
        return {"moment": self.moment.isoformat(), "by": self.by, "known_at": known_at}
