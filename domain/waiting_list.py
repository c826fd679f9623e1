"""The application service: one use case, `perform`, for every act of the procedure, and the
only place that loads and saves aggregates.

`perform` loads what the act needs, lets the aggregates decide (the act's declaration says
which command, and its `ListEffect` which other aggregates move with it: domain.list_moves),
and saves every changed aggregate in one transaction. A conflict with a concurrent act
(optimistic concurrency on an aggregate's version) re-runs the whole act on fresh state; a
rule broken raises a DomainError and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel

from domain.actors import Actor
from domain.acts.definition import ActDefinition, ListEffect
from domain.acts.timing import Timing
from domain.clock import Recording, recording
from domain.data_updates import NoticeDelivery
from domain.errors import UnknownNoticeNamed, UnknownProvider
from domain.forms import ApplicationForm
from domain.housing_application import HousingApplication
from domain.ledger_base import LedgerBase
from domain.list_moves import MOVES, Asked
from domain.notice_record import NoticeRecord
from domain.receipts import Outcome, Receipt
from domain.reference import UnknownReference, get_provider
from domain.values import Channel

__all__ = ["Receipt", "WaitingList"]


class WaitingList(LedgerBase):
    """Kezek's ledger: every act of the procedure, recorded as events."""

    name = "WaitingList"  # names the tables and tracking rows: fixed forever

    def new_application_id(self) -> UUID:
        """A random id (never derived from the applicant); a bulk loader that must repeat
        itself for a seed draws its own."""
        return uuid4()

    def perform(
        self,
        act: ActDefinition,
        application_id: UUID | None = None,
        /,
        *,
        actor: Actor,
        request: BaseModel | None = None,
        effective_at: datetime | None = None,
        backdating_reason: str = "",
        **fields: Any,
    ) -> Receipt:
        """Record `act` on the application (filing creates one): its fields come from a
        validated `request` or as keywords (a target such as `complaint_id` always as one).
        It is recorded at the ledger clock's moment; when it takes effect is what the act's
        time policy allows of the moment asked (domain.acts.timing)."""
        sent = False
        if request is not None:
            fields = {**act.arguments(request), **fields}
            if act.dated_by is not None and getattr(request, act.dated_by) is not None:
                effective_at, sent = getattr(request, act.dated_by), True
            backdating_reason = getattr(request, "backdating_reason", None) or backdating_reason

        # Decided afresh in each attempt, once its locks are held: an act that waited for the
        # list's lock, or retried after a conflict, is recorded after the act it waited for.
        def asked(after: datetime | None = None) -> Asked:
            timing = self.timing(act, actor, effective_at, backdating_reason, sent=sent)
            if after is not None and timing.recorded_at < after:
                timing = replace(timing, recorded_at=after)  # clocks of processes drift
            return Asked(act, actor, timing, fields)

        if isinstance(fields.get("after_notice"), UUID) and application_id is not None:
            fields["after_notice"] = self.notice_delivery(fields["after_notice"], application_id)
        if act.effect is ListEffect.FILES:
            self.timing(act, actor, effective_at, backdating_reason, sent=sent)  # refused early
            return self._file(asked)
        if application_id is None:
            raise TypeError(f"{act.name} acts on an application: pass its id")
        move = MOVES[act.effect]

        def run(app: HousingApplication, out: Outcome) -> list[Any]:
            now = asked(app.modified_on)
            with recording(Recording(now.timing.recorded_at, now.timing.backdated_because)):
                changed = move(self, app, now, out)
            self.clock.committed(now.timing.recorded_at)  # decided: a refused act raised above
            return changed

        return self._change(application_id, run, on_list=act.effect is not ListEffect.NONE)

    def notice_delivery(self, notice: UUID, application_id: UUID) -> NoticeDelivery:
        """What the ledger recorded of `notice` (§11, Std 8: a term counted from an SMS's
        receipt): its NoticeRecord, or its outbox row while no delivery is recorded yet."""
        try:
            found: object = self.repository.get(notice)
        except AggregateNotFoundError:
            found = None
        if isinstance(found, NoticeRecord):
            return NoticeDelivery(notice, found.application_id, found.delivered.get(Channel.SMS))
        store: Any = self.recorder
        if found is None and hasattr(store, "outbox_notice"):
            ref = self.application(application_id).applicant_ref
            if store.outbox_notice(ref, notice) is not None:  # queued, not yet delivered
                return NoticeDelivery(notice, application_id, None)
        raise UnknownNoticeNamed(f"no notice {notice}")

    def timing(
        self,
        act: ActDefinition,
        actor: Actor,
        requested: datetime | None = None,
        backdating_reason: str = "",
        *,
        sent: bool = False,
    ) -> Timing:
        """When `act` takes effect and is recorded, by its time policy and the ledger's clock
        (`sent`: the moment came in the caller's request)."""
        field = act.dated_by or "effective_at"
        now = self.clock.now(requested)
        decided = act.time.decide(actor, now, requested, backdating_reason, field=field, sent=sent)
        return replace(decided, recorded_at=self.clock.recording_moment(now))

    def _file(self, decide: Callable[[], Asked]) -> Receipt:
        first = decide()
        form: ApplicationForm = first.fields["form"]
        provider: str = first.fields["provider"]
        try:
            where = get_provider(provider)
        except UnknownReference:
            raise UnknownProvider(f"no service provider '{provider}'") from None
        ref = self.identity.applicant_ref(form.applicant_iin)

        def attempt() -> Receipt:
            asked = decide()
            with recording(Recording(asked.timing.recorded_at)):
                app = HousingApplication.apply_for(
                    application_id=self.new_application_id(),
                    form=form,
                    provider=where.code,
                    provider_tz=where.tz,
                    applicant_ref=ref,
                    actor=asked.actor,
                    filed_at=asked.at,
                )
                claim = self.claim_of(form.applicant_iin, app)
                claim.claim(app.id)
            self.clock.committed(asked.timing.recorded_at)
            return self._save(app, claim)

        return self._retrying(attempt)
