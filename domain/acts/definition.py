"""What an act of the procedure is, stated once: the shape every declaration fills in.

The aggregate keeps each act's rules and its event; the declaration says everything else about
it (who may perform it, from which stages, how its time is set, which terms it opens and closes,
what it does to the list, its request and its HTTP route), and the API, the docs, the deadline
monitor and the demo are built from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel

from domain.acts.timing import TimePolicy
from domain.values import Channel, DeadlineKind, Role, Status


class Scope(Enum):
    """Whose application the caller must be acting on, besides holding one of the roles."""

    OWN = "the applicant's own application"
    PROVIDER = "an application of the caller's provider"
    DECIDING_BODY = "a complaint with the caller's body, or the provider's head"
    COURT_OR_PROVIDER = "any application for a court; one of the caller's provider for staff"


class Verdict(Enum):
    JUDGE = "judge"  # met or missed by the closing act's local day
    LAPSE = "lapse"  # the applicant's term ran out without the act
    VOID = "void"
    # void if the act came within the term, missed once it had run out: the head deciding a
    # complaint at the provider after its forwarding term leaves the missed forward visible
    VOID_IN_TIME = "void in time, else missed"


@dataclass(frozen=True)
class Closing:
    kind: DeadlineKind
    verdict: Verdict


@dataclass(frozen=True)
class Terms:
    """The deadlines an act starts (the event fields holding them), those it closes (in order:
    the first judged one is the act's verdict), and whether consideration ends with it (after
    it no term but a complaint's binds anyone)."""

    opens: tuple[str, ...] = ()
    closes: tuple[Closing, ...] = ()
    ends_consideration: bool = False


@dataclass(frozen=True)
class Notice:
    """What the applicant is told of the act (docs/notices.md): the notice's `subject` (its
    texts are `notice.<subject>.*` in the catalogues) and the channels it goes out on; the
    personal account always, an SMS where the Rules or the applicant's terms call for one."""

    subject: str
    sms: bool = False
    # The event's term that the Rules count from the receipt of this notice (§11: "from the
    # date of receipt of the notification"): the trail says from which moment it counts.
    receipt_starts: str = ""

    @property
    def channels(self) -> tuple[Channel, ...]:
        return (Channel.ACCOUNT, Channel.SMS) if self.sms else (Channel.ACCOUNT,)


class ListEffect(Enum):
    """What the act does to the list and the citizen's claim (domain.list_moves)."""

    NONE = "none"
    FILES = "files"  # a new application and its claim
    JOINS = "joins"  # the citizen takes their number
    ENDS = "ends"  # the application closes: off the list, the claim released
    PASSES_PLACE = "passes place"  # the claim passes to a family member
    OPENS_OFFER = "opens offer"
    CLOSES_OFFER = "closes offer"
    REMEDIES = "remedies"  # a decided complaint may restore a place or move it


@dataclass(frozen=True)
class ActDefinition:
    """One act of the procedure. `command` and `event` name the aggregate's method and event
    class; `target` names a path parameter the act is aimed at (a complaint, an offer)."""

    name: str
    noun: str  # how a rule's message names the act: "a refusal", "an offer"
    title: str  # one line: the route's docstring, the docs' table
    basis: str
    event: str
    command: str
    request: type[BaseModel]
    roles: tuple[Role, ...]
    scope: Scope
    from_stages: frozenset[Status] | None  # None: the aggregate's own checks say when
    leads_to: Status | None  # None: the stage does not change, or depends on the act
    time: TimePolicy  # who may say when it took effect (domain.acts.timing)
    terms: Terms = field(default_factory=Terms)
    effect: ListEffect = ListEffect.NONE
    path: str | None = None  # None: /{application_id}/{name}
    target: str | None = None
    answers: str | None = None  # the Outcome field the command's return value fills
    operation: str = ""  # the route's function name, which names its OpenAPI operation
    tag: str = ""
    status_code: int = 200
    checks_stage: bool = True  # False: the aggregate answers a wrong stage with its own rule
    list_cause_names_ground: bool = False  # the list's record of the move names the ground
    notice: Notice | None = None  # what the applicant is told of it (None: nothing)

    @property
    def route(self) -> str:
        """The act's path under /v1/applications."""
        return f"/{{application_id}}/{self.name}" if self.path is None else self.path

    @property
    def dated_by(self) -> str | None:
        """The request field that may carry the act's moment (None: the server's alone)."""
        return next((f for f in TIME_FIELDS if f in self.request.model_fields), None)

    def arguments(self, request: BaseModel) -> dict[str, Any]:
        """The command's arguments from a validated request (the act's time is set apart)."""
        return {
            name: getattr(request, name)
            for name in type(request).model_fields
            if name not in TIME_FIELDS
        }


# Request fields about the act's time, which its policy reads rather than its command.
TIME_FIELDS = ("effective_at", "received_at", "backdating_reason")
