"""The application service: one use case per act of the procedure, and the only place that
loads and saves aggregates.

Each use case loads what it needs, lets the aggregates decide, and saves every changed
aggregate in one transaction. A conflict with a concurrent act (optimistic concurrency on an
aggregate's version) re-runs the whole use case on fresh state; a rule broken raises a
DomainError and writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from domain.actors import Actor
from domain.errors import UnknownProvider
from domain.forms import ApplicationForm, DataUpdateForm, SupportingDocument
from domain.housing_application import HousingApplication
from domain.list_moves import ListMoves
from domain.receipts import Outcome, Receipt
from domain.records import (
    AdministrativeFile,
    CheckResult,
    ComplaintForm,
    HearingNotice,
    MissingItem,
)
from domain.reference import UnknownReference, get_provider
from domain.values import ComplaintBody, HearingOutcome, RefusalGround

__all__ = ["Receipt", "WaitingList"]


class WaitingList(ListMoves):
    """Kezek's ledger: every act of the procedure, recorded as events."""

    name = "WaitingList"  # names the tables and tracking rows: fixed forever

    # -- filing ------------------------------------------------------------------------

    def new_application_id(self) -> UUID:
        """A random id (never derived from the applicant); a bulk loader that must repeat
        itself for a seed draws its own."""
        return uuid4()

    def submit(
        self, form: ApplicationForm, *, provider: str, actor: Actor, filed_at: datetime
    ) -> Receipt:
        try:
            where = get_provider(provider)
        except UnknownReference:
            raise UnknownProvider(f"no service provider '{provider}'") from None
        ref = self.identity.applicant_ref(form.applicant_iin)

        def attempt() -> Receipt:
            app = HousingApplication.apply_for(
                application_id=self.new_application_id(),
                form=form,
                provider=where.code,
                provider_tz=where.tz,
                applicant_ref=ref,
                actor=actor,
                filed_at=filed_at,
            )
            claim = self._claim(form.applicant_iin, where.code, form.list_code)
            claim.claim(app.id)
            return self._save(app, claim)

        return self._retrying(attempt)

    # -- acts that do not touch the list -------------------------------------------------

    def accept(self, application_id: UUID, *, actor: Actor, effective_at: datetime) -> Receipt:
        return self._act(application_id, lambda a: a.accept(actor=actor, effective_at=effective_at))

    def notify_incomplete(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        missing: list[MissingItem],
    ) -> Receipt:
        return self._act(
            application_id,
            lambda a: a.notify_incomplete(actor=actor, effective_at=effective_at, missing=missing),
        )

    def find_complete(
        self, application_id: UUID, *, actor: Actor, effective_at: datetime
    ) -> Receipt:
        return self._act(
            application_id, lambda a: a.find_complete(actor=actor, effective_at=effective_at)
        )

    def correct(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        documents: list[SupportingDocument],
    ) -> Receipt:
        return self._act(
            application_id,
            lambda a: a.correct(actor=actor, effective_at=effective_at, documents=documents),
        )

    def verify(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        checks: list[CheckResult],
    ) -> Receipt:
        return self._act(
            application_id,
            lambda a: a.verify(actor=actor, effective_at=effective_at, checks=checks),
        )

    def schedule_hearing(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        ground: RefusalGround,
        reasons: str,
        notice: HearingNotice,
    ) -> Receipt:
        return self._act(
            application_id,
            lambda a: a.schedule_hearing(
                actor=actor,
                effective_at=effective_at,
                ground=ground,
                reasons=reasons,
                notice=notice,
            ),
        )

    def hold_hearing(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        applicant_position: str,
        outcome: HearingOutcome,
        reasons: str,
    ) -> Receipt:
        return self._act(
            application_id,
            lambda a: a.hold_hearing(
                actor=actor,
                effective_at=effective_at,
                applicant_position=applicant_position,
                outcome=outcome,
                reasons=reasons,
            ),
        )

    def update_data(
        self, application_id: UUID, *, actor: Actor, effective_at: datetime, update: DataUpdateForm
    ) -> Receipt:
        return self._act(
            application_id,
            lambda a: a.update_data(actor=actor, effective_at=effective_at, update=update),
        )

    def file_complaint(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        complaint: ComplaintForm,
    ) -> Receipt:
        def run(app: HousingApplication, decided: Outcome) -> list[Any]:
            decided.complaint_id = app.file_complaint(
                actor=actor, effective_at=effective_at, complaint=complaint
            )
            return []

        return self._change(application_id, run)

    def forward_complaint(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        complaint_id: str,
        to_body: ComplaintBody,
        administrative_file: AdministrativeFile,
    ) -> Receipt:
        return self._act(
            application_id,
            lambda a: a.forward_complaint(
                actor=actor,
                effective_at=effective_at,
                complaint_id=complaint_id,
                to_body=to_body,
                administrative_file=administrative_file,
            ),
        )

    def satisfy_complaint(
        self,
        application_id: UUID,
        *,
        actor: Actor,
        effective_at: datetime,
        complaint_id: str,
        action_taken: str,
    ) -> Receipt:
        return self._act(
            application_id,
            lambda a: a.satisfy_complaint(
                actor=actor,
                effective_at=effective_at,
                complaint_id=complaint_id,
                action_taken=action_taken,
            ),
        )
