"""How an act is drawn (application, actor, moment) and checked against its expectation."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from demo.synthetic import complaint_body, head, iin_for, officer
from domain.actors import Actor
from domain.acts import ActDefinition
from domain.errors import DomainError
from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from domain.values import Role, Status
from tests.integration.ledger_machine.expectations import STAFF, Expectation
from tests.integration.ledger_machine.invariants import LedgerInvariants
from tests.integration.ledger_machine.strategies import (
    CEILING,
    POOL,
    PROVIDERS,
    ZONES,
    blank_or_text,
)


def receipt_or_refusal(call: Callable[[], Any]) -> tuple[Any, DomainError | None]:
    """Run an act: its receipt, or the DomainError that refused it (any other error fails)."""
    try:
        return call(), None
    except DomainError as error:
        return None, error


def draw_stated(data: st.DataObject, expect: Expectation, rule_name: str = "reasons") -> str:
    """A text the act must state (its reasons, the action taken): sometimes left blank."""
    text = data.draw(blank_or_text)
    expect.require(bool(text.strip()), rule_name)
    return text


@dataclass(frozen=True)
class Drawn:
    """An act drawn: on which application, by whom, when, and what the rules expect of it."""

    app: HousingApplication
    actor: Actor
    at: datetime
    expect: Expectation


class LedgerActs(LedgerInvariants):
    """What every rule needs to draw an act and to check the ledger's answer to it."""

    def __init__(self) -> None:
        super().__init__()
        self._forced: UUID | None = None  # set while `advance` drives one application
        self._cooperative = False  # set while `fast_track`: the right actor, soon after

    def _pick(self, data: st.DataObject, app_id: UUID, statuses: Collection[Status]) -> UUID:
        """Mostly an application in a state where the act makes sense; else the bundle's."""
        if self._forced is not None:
            return self._forced
        if data.draw(st.integers(0, 3), label="steer") < 3:
            fitting = [i for i in self.order if self.model[i].status in statuses]
            if fitting:
                return data.draw(st.sampled_from(fitting), label="steered")
        return app_id

    def _actor(self, data: st.DataObject, app: HousingApplication, right: tuple[str, ...]) -> Actor:
        kinds = (
            "officer",
            "head",
            "system",
            "applicant",
            "other_officer",
            "other_head",
            "other_applicant",
            "body",
        )
        if self._cooperative:
            kind = data.draw(st.sampled_from(right), label="actor")
        else:
            kind = data.draw(
                st.sampled_from(right)
                if data.draw(st.integers(0, 4)) < 4
                else st.sampled_from(kinds),
                label="actor",
            )
        other = PROVIDERS[1 - PROVIDERS.index(app.provider)]
        if kind == "officer":
            return officer(app.provider, data.draw(st.integers(1, 2)))
        if kind == "head":
            return head(app.provider)
        if kind == "system":
            return Actor(id="batch", role=Role.SYSTEM, provider=app.provider)
        if kind == "applicant":
            return self.wl.applicant(app.holder_iin)
        if kind == "other_officer":
            return officer(other)
        if kind == "other_head":
            return head(other)
        if kind == "other_applicant":
            serial = data.draw(st.sampled_from(POOL))
            return self.wl.applicant(iin_for(serial))
        bodies = ("quality-body", "higher-body:akimat-region")
        return complaint_body(data.draw(st.sampled_from(bodies), label="body"))

    def _when(self, data: st.DataObject, app: HousingApplication) -> datetime:
        """The application's last effective time plus minutes to weeks; sometimes before it,
        rarely in the future; otherwise never after CEILING."""
        # Hypothesis shrinks towards the first choices: the usual case first.
        kind = data.draw(st.integers(0, 21 if self._cooperative else 39), label="when")
        last = app.last_effective_at
        if kind < 22:
            at = last + timedelta(minutes=data.draw(st.integers(0, 3 * 24 * 60)))
        elif kind < 36:
            at = last + timedelta(hours=data.draw(st.integers(0, 25 * 24)))
        elif kind < 39:
            at = last - timedelta(hours=data.draw(st.integers(1, 30 * 24)))
        elif data.draw(st.booleans(), label="future"):
            at = datetime.now(UTC) + timedelta(days=1)
        else:
            kind = 0
            at = last
        if kind < 39:
            at = min(at, CEILING)
        return at.astimezone(data.draw(st.sampled_from(ZONES)))

    @staticmethod
    def _check_actor(
        expect: Expectation, actor: Actor, app: HousingApplication, roles: frozenset[Role]
    ) -> None:
        expect.require(actor.role in roles, f"role {actor.role.value}")
        if actor.role in STAFF:
            expect.require(actor.provider == app.provider, "own provider")
        if actor.role is Role.APPLICANT:
            expect.require(actor.id == app.applicant_ref, "the applicant")

    @staticmethod
    def _check_time(expect: Expectation, at: datetime, app: HousingApplication) -> None:
        expect.require(at >= app.last_effective_at, "chronology")
        expect.require(at <= datetime.now(UTC) + timedelta(minutes=5), "not in the future")

    def _begin(
        self,
        data: st.DataObject,
        app_id: UUID,
        statuses: Collection[Status],
        right: tuple[str, ...],
        roles: frozenset[Role],
    ) -> Drawn:
        """An act drawn mostly on an application in one of `statuses` (see `_draw`)."""
        return self._draw(data, self.model[self._pick(data, app_id, statuses)], right, roles)

    def _draw(
        self,
        data: st.DataObject,
        app: HousingApplication,
        right: tuple[str, ...],
        roles: frozenset[Role],
    ) -> Drawn:
        """An actor (mostly one of the `right` kinds) and a moment for an act on `app`, and
        the expectation checked for the roles that may perform it and for the time."""
        actor = self._actor(data, app, right)
        at = self._when(data, app)
        expect = Expectation()
        self._check_actor(expect, actor, app, roles)
        self._check_time(expect, at, app)
        return Drawn(app, actor, at, expect)

    def _attempt(
        self,
        drawn: Drawn,
        act: ActDefinition,
        expected_status: Status | None,
        /,
        **fields: Any,
    ) -> tuple[Any, HousingApplication] | None:
        """Perform the act as drawn; check it against the expectation; on refusal check that
        nothing was written."""
        app, at, expect, name = drawn.app, drawn.at, drawn.expect, act.name
        list_id = QueueList.id_for(app.provider, app.form.list_code)
        claim_id = self.key.claim_id(app.holder_iin, app.provider, app.form.list_code)
        before_max = self.wl.recorder.max_notification_id()
        before_app = self._fresh(app.id)
        before_list = self._fresh_or_none(list_id)
        before_claim = self._fresh_or_none(claim_id)
        receipt, error = receipt_or_refusal(
            lambda: self.wl.perform(act, app.id, actor=drawn.actor, effective_at=at, **fields)
        )
        if error is not None:
            assert expect.broken, (
                f"{name} refused although every rule was met: {error!r} {expect.detail}"
            )
            assert self.wl.recorder.max_notification_id() == before_max, (
                f"refused {name} wrote to the log: {error!r}"
            )
            assert self._fresh(app.id) == before_app, f"refused {name} changed the application"
            assert self._fresh_or_none(list_id) == before_list, f"refused {name} changed the list"
            assert self._fresh_or_none(claim_id) == before_claim, f"refused {name} changed a claim"
            assert self.wl.application(app.id) == before_app, f"refused {name} left the cache stale"
            return None
        assert not expect.broken, (
            f"{name} recorded although it breaks: {expect.broken} {expect.detail}"
        )
        after = self.wl.application(app.id)
        assert after == self._fresh(app.id)
        assert after.version == before_app.version + 1, f"{name} wrote more than one event"
        assert after.last_effective_at == at.astimezone(UTC)
        assert receipt.application_id == app.id
        assert receipt.version == after.version
        assert receipt.log_position == self.wl.recorder.max_notification_id()
        own = self.wl.recorder.select_notifications(start=receipt.notification_id, limit=1)[0]
        assert (own.originator_id, own.originator_version) == (app.id, after.version), (
            "receipt's event"
        )
        if expected_status is not None:
            assert after.status is expected_status, (
                f"{name}: {after.status.value}, expected {expected_status.value}"
            )
        self.model[app.id] = after
        return receipt, after
