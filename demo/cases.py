"""One synthetic application as the walk follows it: its household, and the acts still to come."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from demo.district import Route, settlement_of
from domain.actors import Actor
from domain.acts.definition import ActDefinition
from domain.errors import DomainError
from domain.forms import ApplicationForm, FamilyMember
from domain.housing_application import HousingApplication
from domain.waiting_list import Receipt, WaitingList


class DemoBrokeARule(RuntimeError):
    """The domain refused an act of the demo: a bug in the demo's plan, not in the domain."""


@dataclass(frozen=True)
class Step:
    """One planned act: what, when, by whom, with which fields; `late` gives the fields known
    only when it runs (the complaint or offer an earlier act opened, the version it concerns)."""

    at: datetime
    act: ActDefinition
    actor: Actor
    fields: Mapping[str, Any]
    late: Callable[[], Mapping[str, Any]] | None = None
    label: str = ""

    def run(self, wl: WaitingList, application_id: UUID | None) -> Receipt:
        fields = {**self.fields, **(self.late() if self.late is not None else {})}
        return wl.perform(
            self.act, application_id, actor=self.actor, effective_at=self.at, **fields
        )


@dataclass(eq=False)
class Case:
    """One synthetic application as the walk follows it."""

    serial: int
    route: Route
    provider: str
    tz: str
    settlement: str
    form: ApplicationForm
    holder_iin: str
    family: list[FamilyMember]
    steps: deque[Step] = field(default_factory=deque)
    application_id: UUID | None = None
    version: int = 0
    complaint_id: str | None = None
    offer_id: str | None = None

    @property
    def id(self) -> UUID:
        assert self.application_id is not None, "the application is not filed yet"
        return self.application_id

    @classmethod
    def adopted(cls, app: HousingApplication) -> Case:
        """An application of an earlier demo in the same store (--no-fresh)."""
        return cls(
            serial=0,
            route=Route.REGISTERED,
            provider=app.provider,
            tz=app.tz,
            settlement=settlement_of(app.provider),
            form=app.form,
            holder_iin=app.holder_iin,
            family=list(app.family),
            application_id=app.id,
            version=app.version,
        )

    def run_next(self, wl: WaitingList) -> Receipt:
        """Record the next act; a refusal of the domain is a bug of the demo's plan."""
        step = self.steps.popleft()
        try:
            receipt = step.run(wl, self.application_id)
        except DomainError as error:
            raise DemoBrokeARule(
                f"case {self.serial} ({self.route.name}), {step.label or step.act.name} at "
                f"{step.at.isoformat()}: {error}"
            ) from error
        self.note(receipt)
        return receipt

    def note(self, receipt: Receipt) -> None:
        """Keep what later acts refer to: the id, the version, the open complaint and offer."""
        if self.application_id is None:
            self.application_id = receipt.application_id
        self.version = receipt.version
        if receipt.complaint_id is not None:
            self.complaint_id = receipt.complaint_id
        if receipt.offer_id is not None:
            self.offer_id = receipt.offer_id
