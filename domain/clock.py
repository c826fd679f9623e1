"""The server's clock, and the moment at which an act is being recorded.

Facts are the server's: when an act is recorded is read from the ledger's clock, never taken
from the caller, and every event of one act (the application's, the list's, the claim's) is
stamped with that one moment. A production ledger reads the system clock. A scenario clock
stands where a scenario says (the demo's simulated history, benchmarks, tests that walk a case
through past years): "the server ran at that moment", never something a caller can ask for
over HTTP.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from domain.in_force import InForce


class Clock(Protocol):
    def now(self, requested: datetime | None = None) -> datetime:
        """The server's moment for deciding an act whose caller asked for `requested`."""

    def recording_moment(self, decided: datetime) -> datetime:
        """When the act decided at `decided` is recorded: never before an earlier record."""

    def committed(self, moment: datetime) -> None:
        """An act recorded at `moment` was saved (a refused one never is)."""


class SystemClock:
    """The real clock: what a caller requests never moves it."""

    def now(self, requested: datetime | None = None) -> datetime:
        return datetime.now(UTC)

    def recording_moment(self, decided: datetime) -> datetime:
        return decided

    def committed(self, moment: datetime) -> None:
        """The system's clock moves on by itself."""


class ScenarioClock:
    """A clock that stands at the scenario's moment: set it, or let an in-process scenario
    move it to the moment of each act it performs. Only ever built in process (demo, bench,
    tests); no setting or request reaches it.

    A scenario may walk one case after another, so its acts need not come in the order of
    their moments; the records still only move forward (the latest moment seen so far), as a
    real log's do."""

    def __init__(self, moment: datetime | None = None, *, follows: bool = True) -> None:
        self.moment = moment
        self.follows = follows  # False: it stands where it was set, so an earlier act is backdated
        self._last_record: datetime | None = None

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def now(self, requested: datetime | None = None) -> datetime:
        if requested is not None and self.follows:
            self.moment = requested
        return (self.moment or datetime.now(UTC)).astimezone(UTC)

    def recording_moment(self, decided: datetime) -> datetime:
        if self._last_record is None or decided > self._last_record:
            return decided
        return self._last_record

    def committed(self, moment: datetime) -> None:
        if self._last_record is None or moment > self._last_record:
            self._last_record = moment


@dataclass(frozen=True)
class Recording:
    """The circumstances of the act being recorded: the server's moment, and, when staff
    dated the act earlier than that, the written reason why."""

    at: datetime
    backdated_because: str = ""


_RECORDING: InForce[Recording] = InForce("kezek_recording")


def recording(circumstances: Recording) -> AbstractContextManager[None]:
    """Within this block, every event is recorded in these circumstances."""
    return _RECORDING.during(circumstances)


def current_recording() -> Recording | None:
    return _RECORDING.get()


def recording_moment() -> datetime:
    """The recording time of an event: the act's moment on the ledger's clock (the system
    clock outside an act, as for aggregates built directly in unit tests)."""
    circumstances = _RECORDING.get()
    return datetime.now(UTC) if circumstances is None else circumstances.at


def recorded_at(effective_at: datetime) -> datetime:
    """An application's event is recorded at the act's moment on the ledger's clock; an
    aggregate used bare, outside any ledger (unit tests of its rules), records an act when it
    takes effect."""
    circumstances = _RECORDING.get()
    return effective_at if circumstances is None else circumstances.at


class Stamped:
    """Mixed into every event class: its recording time is the ledger's moment of the act."""

    create_timestamp = staticmethod(recording_moment)
