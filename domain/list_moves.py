"""What each kind of act does besides changing its application: one move per `ListEffect`.

A move gets the ledger (to load the list and claims), the application, the act as the
caller asked it (`Move.command` runs the aggregate's command with its fields), and the
outcome to fill in; it returns the other aggregates it changed, which the ledger saves with
the application in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.actors import Actor
from domain.acts.definition import ActDefinition, ListEffect
from domain.acts.timing import Timing
from domain.errors import SuccessorNotInFamily
from domain.housing_application import HousingApplication
from domain.receipts import Outcome
from domain.values import Remedy

if TYPE_CHECKING:
    from domain.ledger_base import LedgerBase


@dataclass(frozen=True)
class Asked:
    """One act as asked: what, by whom, when it takes effect (as its time policy decided),
    with which fields."""

    act: ActDefinition
    actor: Actor
    timing: Timing
    fields: dict[str, Any]

    @property
    def at(self) -> datetime:
        return self.timing.effective_at

    def command(self, app: HousingApplication, **decided: Any) -> Any:
        """Let the aggregate decide; `decided` adds what the ledger computed (a number)."""
        self.timing.require_window(app.tz)
        method = getattr(app, self.act.command)
        return method(actor=self.actor, effective_at=self.at, **self.fields, **decided)

    @property
    def list_cause(self) -> str:
        """How the list records the move (stored in the list's events: fixed forever)."""
        if self.act.list_cause_names_ground:
            return f"{self.act.event}:{self.fields['ground'].value}"
        return self.act.event


Move = Callable[["LedgerBase", HousingApplication, Asked, Outcome], list[Any]]


def record_only(
    ledger: LedgerBase, app: HousingApplication, asked: Asked, out: Outcome
) -> list[Any]:
    _answered(app, asked, out)
    return []


def _answered(app: HousingApplication, asked: Asked, out: Outcome) -> None:
    """Let the aggregate decide; what its command answers fills the act's Outcome field."""
    answer = asked.command(app)
    if asked.act.answers is not None:
        setattr(out, asked.act.answers, answer)


def join(ledger: LedgerBase, app: HousingApplication, asked: Asked, out: Outcome) -> list[Any]:
    """Registration: the citizen takes the number they now hold (§12.1)."""
    queue = ledger.list_of(app)
    number = queue.position_if_joined(app.priority_key)
    asked.command(app, queue_number=number)
    queue.join(
        app.priority_key,
        application_version=app.version,
        effective_at=app.last_effective_at,
        cause=asked.list_cause,
    )
    out.queue_number = number
    return [queue]


def end(ledger: LedgerBase, app: HousingApplication, asked: Asked, out: Outcome) -> list[Any]:
    """The application closes: it leaves the list (if on it) and releases the claim."""
    was_on_list = app.on_the_list
    key = app.priority_key
    asked.command(app)
    claim = ledger.claim_of(app.holder_iin, app)
    claim.release(app.id)
    if not was_on_list:
        return [claim]
    queue = ledger.list_of(app)
    queue.leave(
        key,
        application_version=app.version,
        effective_at=app.last_effective_at,
        cause=asked.list_cause,
    )
    return [queue, claim]


def pass_place(
    ledger: LedgerBase, app: HousingApplication, asked: Asked, out: Outcome
) -> list[Any]:
    """The place passes with its priority; the successor takes the claim (Art. 73)."""
    successor_iin: str = asked.fields["successor_iin"]
    if successor_iin == app.holder_iin:
        raise SuccessorNotInFamily("the place passes to another member of the family")
    before = ledger.claim_of(app.holder_iin, app)
    after = ledger.claim_of(successor_iin, app)
    asked.command(app, successor_ref=ledger.identity.applicant_ref(successor_iin))
    after.claim(app.id)
    before.release(app.id)
    return [before, after]


def open_offer(
    ledger: LedgerBase, app: HousingApplication, asked: Asked, out: Outcome
) -> list[Any]:
    queue = ledger.list_of(app)
    dwelling = asked.fields["dwelling"]
    out.offer_id = asked.command(app)
    queue.open_offer(
        app.priority_key,
        below_norm_for=lambda other: ledger.application(other).is_below_norm(dwelling),
        not_as_chosen_by=lambda other: ledger.application(other).not_as_chosen(dwelling) != "",
        application_version=app.version,
        effective_at=app.last_effective_at,
    )
    return [queue]


def close_offer(
    ledger: LedgerBase, app: HousingApplication, asked: Asked, out: Outcome
) -> list[Any]:
    queue = ledger.list_of(app)
    _answered(app, asked, out)
    queue.close_offer(
        app.priority_key,
        application_version=app.version,
        effective_at=app.last_effective_at,
        cause=asked.list_cause,
    )
    return [queue]


def remedy(ledger: LedgerBase, app: HousingApplication, asked: Asked, out: Outcome) -> list[Any]:
    """A remedy may put the citizen back in their place, reopen consideration (and claim the
    list again), or move their place (§14, §15, Art. 74)."""
    queue = ledger.list_of(app)
    chosen: Remedy = asked.fields.get("remedy", Remedy.NONE)
    old_key = app.priority_key
    number = queue.position_if_joined(old_key) if chosen is Remedy.RESTORE_PLACE else None
    asked.command(app, queue_number=number)
    cause = f"{asked.act.event}:{chosen.value}"
    if chosen is Remedy.RESTORE_PLACE:
        claim = ledger.claim_of(app.holder_iin, app)
        claim.claim(app.id)
        queue.join(
            old_key,
            application_version=app.version,
            effective_at=app.last_effective_at,
            cause=cause,
        )
        out.queue_number = number
        return [queue, claim]
    if chosen is Remedy.REOPEN:
        # Consideration resumes: the application is active again and claims the list anew.
        claim = ledger.claim_of(app.holder_iin, app)
        claim.claim(app.id)
        return [claim]
    if chosen is Remedy.CORRECT_PRIORITY:
        out.queue_number = queue.move(
            old_key,
            app.priority_key,
            application_version=app.version,
            effective_at=app.last_effective_at,
            cause=cause,
        )
        return [queue]
    return []


MOVES: dict[ListEffect, Move] = {
    ListEffect.NONE: record_only,
    ListEffect.JOINS: join,
    ListEffect.ENDS: end,
    ListEffect.PASSES_PLACE: pass_place,
    ListEffect.OPENS_OFFER: open_offer,
    ListEffect.CLOSES_OFFER: close_offer,
    ListEffect.REMEDIES: remedy,
}
