"""Use cases that change who is on a list, or end an application.

Each saves the application together with its list (domain.queue_list) and, where the
application ends or comes back, the citizen's claim (domain.claims), in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.errors import SuccessorNotInFamily
from domain.housing_application import HousingApplication
from domain.ledger_base import LedgerBase
from domain.receipts import Outcome, Receipt
from domain.records import Dwelling
from domain.values import (
    ComplaintOutcome,
    DeregistrationGround,
    RefusalGround,
    Remedy,
    SuccessionCause,
)


class ListMoves(LedgerBase):
    def register(self, application_id: UUID, *, actor: Actor, effective_at: datetime) -> Receipt:
        """Put the citizen on the list with the number they now hold (§12.1)."""

        def run(app: HousingApplication, decided: Outcome) -> list[Any]:
            queue = self._queue(app.provider, app.form.list_code)
            number = queue.position_if_joined(app.priority_key)
            app.register(actor=actor, effective_at=effective_at, queue_number=number)
            queue.join(
                app.priority_key,
                application_version=app.version,
                effective_at=app.last_effective_at,
                cause="Registered",
            )
            decided.queue_number = number
            return [queue]

        return self._change(application_id, run, on_list=True)

    def refuse(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        ground: RefusalGround,
        reasons: str,
    ) -> Receipt:
        return self._ending(
            application_id,
            lambda a: a.refuse(
                actor=actor, effective_at=effective_at, ground=ground, reasons=reasons
            ),
            cause="Refused",
        )

    def refuse_further_consideration(
        self, application_id: UUID, *, actor: Actor, effective_at: datetime, reasons: str
    ) -> Receipt:
        return self._ending(
            application_id,
            lambda a: a.refuse_further_consideration(
                actor=actor, effective_at=effective_at, reasons=reasons
            ),
            cause="RefusedFurtherConsideration",
        )

    def withdraw(
        self, application_id: UUID, *, actor: Actor, effective_at: datetime, reasons: str = ""
    ) -> Receipt:
        return self._ending(
            application_id,
            lambda a: a.withdraw(actor=actor, effective_at=effective_at, reasons=reasons),
            cause="Withdrawn",
        )

    def deregister(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        ground: DeregistrationGround,
        reasons: str,
    ) -> Receipt:
        return self._ending(
            application_id,
            lambda a: a.deregister(
                actor=actor, effective_at=effective_at, ground=ground, reasons=reasons
            ),
            cause=f"Deregistered:{ground.value}",
        )

    def provide_housing(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        offer_id: str,
        reasons: str,
    ) -> Receipt:
        return self._ending(
            application_id,
            lambda a: a.provide_housing(
                actor=actor, effective_at=effective_at, offer_id=offer_id, reasons=reasons
            ),
            cause="HousingProvided",
        )

    def pass_place_to_family_member(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        cause: SuccessionCause,
        successor_iin: str,
        reasons: str,
    ) -> Receipt:
        """The place passes with its priority; the successor takes the claim (Art. 73)."""

        def run(app: HousingApplication, decided: Outcome) -> list[Any]:
            if successor_iin == app.holder_iin:
                raise SuccessorNotInFamily("the place passes to another member of the family")
            before = self._claim(app.holder_iin, app.provider, app.form.list_code)
            after = self._claim(successor_iin, app.provider, app.form.list_code)
            app.pass_place_to_family_member(
                actor=actor,
                effective_at=effective_at,
                cause=cause,
                successor_iin=successor_iin,
                successor_ref=self.identity.applicant_ref(successor_iin),
                reasons=reasons,
            )
            after.claim(app.id)
            before.release(app.id)
            return [before, after]

        return self._change(application_id, run, on_list=True)

    def offer_housing(
        self, application_id: UUID, *, actor: Actor, effective_at: datetime, dwelling: Dwelling
    ) -> Receipt:
        def run(app: HousingApplication, decided: Outcome) -> list[Any]:
            queue = self._queue(app.provider, app.form.list_code)
            decided.offer_id = app.offer_housing(
                actor=actor, effective_at=effective_at, dwelling=dwelling
            )
            queue.open_offer(
                app.priority_key,
                below_norm_for=lambda other: self.application(other).is_below_norm(dwelling),
                application_version=app.version,
                effective_at=app.last_effective_at,
            )
            return [queue]

        return self._change(application_id, run, on_list=True)

    def decline_offer(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        offer_id: str,
        reasons: str = "",
    ) -> Receipt:
        def run(app: HousingApplication, decided: Outcome) -> list[Any]:
            queue = self._queue(app.provider, app.form.list_code)
            app.decline_offer(
                actor=actor, effective_at=effective_at, offer_id=offer_id, reasons=reasons
            )
            queue.close_offer(
                app.priority_key,
                application_version=app.version,
                effective_at=app.last_effective_at,
                cause="OfferDeclined",
            )
            return [queue]

        return self._change(application_id, run, on_list=True)

    def decide_complaint(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        complaint_id: str,
        outcome: ComplaintOutcome,
        reasons: str,
        remedy: Remedy = Remedy.NONE,
        corrected_priority: datetime | None = None,
    ) -> Receipt:
        def run(app: HousingApplication, decided: Outcome) -> list[Any]:
            queue = self._queue(app.provider, app.form.list_code)
            old_key = app.priority_key
            number = queue.position_if_joined(old_key) if remedy is Remedy.RESTORE_PLACE else None
            app.decide_complaint(
                actor=actor,
                effective_at=effective_at,
                complaint_id=complaint_id,
                outcome=outcome,
                reasons=reasons,
                remedy=remedy,
                corrected_priority=corrected_priority,
                queue_number=number,
            )
            cause = f"ComplaintDecided:{remedy.value}"
            if remedy is Remedy.RESTORE_PLACE:
                claim = self._claim(app.holder_iin, app.provider, app.form.list_code)
                claim.claim(app.id)
                queue.join(
                    old_key,
                    application_version=app.version,
                    effective_at=app.last_effective_at,
                    cause=cause,
                )
                decided.queue_number = number
                return [queue, claim]
            if remedy is Remedy.CORRECT_PRIORITY:
                decided.queue_number = queue.move(
                    old_key,
                    app.priority_key,
                    application_version=app.version,
                    effective_at=app.last_effective_at,
                    cause=cause,
                )
                return [queue]
            return []

        return self._change(application_id, run, on_list=True)

    def _ending(
        self,
        application_id: UUID,
        command: Any,
        *,
        cause: str,
    ) -> Receipt:
        """An act after which the application is closed: leave the list, release the claim."""

        def run(app: HousingApplication, decided: Outcome) -> list[Any]:
            was_on_list = app.on_the_list
            key = app.priority_key
            command(app)
            claim = self._claim(app.holder_iin, app.provider, app.form.list_code)
            claim.release(app.id)
            if not was_on_list:
                return [claim]
            queue = self._queue(app.provider, app.form.list_code)
            queue.leave(
                key,
                application_version=app.version,
                effective_at=app.last_effective_at,
                cause=cause,
            )
            return [queue, claim]

        return self._change(application_id, run, on_list=True)
