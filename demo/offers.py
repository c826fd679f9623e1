"""Offers of housing (Art. 74, Art. 75): rounds at times spread over the years, each offering
a dwelling to the citizen entitled to it then, and the citizen's answer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from demo.cases import Case, DemoBrokeARule
from demo.district import LAST_OFFER, settlement_of
from demo.moments import next_working_day, office_moment, portal_moment
from demo.script import Script, Setting
from demo.synthetic import document, dwelling, head, officer
from domain import acts
from domain.calendar import local_day, start_of_day
from domain.errors import DomainError
from domain.housing_application import HousingApplication
from domain.priority import key_accepts_smaller, key_application
from domain.records import Dwelling
from domain.reference import get_provider
from domain.values import DeregistrationGround, DocumentKind, OfferRefusalReason


@dataclass(frozen=True)
class OfferRound:
    """The provider has a dwelling for a list (one below the area norm, or not): it goes to
    the citizen entitled to it when the round is held."""

    provider: str
    list_code: str
    below_norm: bool


class Offers:
    """Holds the offer rounds as the scheduler reaches them. `push` puts a case (with the
    answer planned) or a postponed round back on the scheduler; `case_of` finds the case of an
    application on a list."""

    def __init__(
        self,
        setting: Setting,
        *,
        push: Callable[[datetime, Case | OfferRound], None],
        case_of: Callable[[UUID], Case],
    ) -> None:
        self.setting = setting
        self.wl = setting.wl
        self.rng = setting.rng
        self.push = push
        self.case_of = case_of
        self.outcomes: Counter[str] = Counter()  # offer outcomes planned
        # Refusals without a valid reason, by application (an adopted case of an earlier walk
        # has no serial of its own: serials would mix different citizens' refusals).
        self.refused: Counter[UUID | None] = Counter()

    def hold(self, offer: OfferRound, at: datetime) -> None:
        """Offer the round's dwelling to the citizen entitled to it now, or hold the round again
        later when no one can take it yet."""
        tz = get_provider(offer.provider).tz
        queue = self.wl.queue(offer.provider, offer.list_code)
        offered = set(queue.offered) if queue is not None else set()
        keys = queue.keys if queue is not None else []

        def free() -> Iterator[str]:
            # From the head, lazily: only the first few are ever looked at, and a list of a
            # national data set is long.
            return (k for k in keys if key_application(k).hex not in offered)

        first = next(free(), None)
        if first is None:
            self._postpone(offer, at + timedelta(days=30), tz)
            return
        meant, below_norm = first, False
        if offer.below_norm:
            # A flat below the norm is meant for a family that accepts smaller housing (for
            # one person it would be implausibly small); sized to that family's norm.
            accepting = next((k for k in free() if key_accepts_smaller(k)), None)
            if accepting is not None and self._application(accepting).family:
                meant, below_norm = accepting, True
        meant_for = self._application(meant)
        home = dwelling(
            self.rng,
            persons=1 + len(meant_for.family),
            settlement=settlement_of(offer.provider),
            below_norm=below_norm,
        )
        key = self._entitled(free(), home, meant)
        app = self._application(key)
        case = self.case_of(app.id)
        if case.steps:
            # The citizen still has acts of their own to come: offer after the last of them.
            self._postpone(offer, case.steps[-1].at + timedelta(days=1), tz)
            return
        if app.last_effective_at > at:
            # Its last act lies later (an application of an earlier demo in the same store).
            self._postpone(offer, app.last_effective_at + timedelta(days=1), tz)
            return
        try:
            receipt = self.wl.perform(
                acts.OFFER_HOUSING,
                app.id,
                actor=officer(case.provider, 2),
                effective_at=at,
                dwelling=home,
            )
        except DomainError as error:
            raise DemoBrokeARule(
                f"offer to case {case.serial} at {at.isoformat()}: {error}"
            ) from error
        case.note(receipt)
        below_theirs = app.is_below_norm(home)
        result = self.setting.result
        result.acts += 1
        result.offers += 1
        result.offers_below_norm += below_theirs
        self._plan_answer(Script(self.setting, case, at), below_theirs)
        self.push(case.steps[0].at, case)

    def _entitled(self, free: Iterable[str], home: Dwelling, meant: str) -> str:
        """Art. 74 para 1, Appendix 1 item 12, Art. 75: the first citizen without an open offer,
        passing over those who refused smaller housing when the dwelling is below *their own*
        norm. The one it is meant for always qualifies, so the search ends there at the
        latest; someone ahead may take it instead, when it is no smaller than their norm."""
        return next(
            (
                key
                for key in free
                if key == meant
                or key_accepts_smaller(key)
                or not self._application(key).is_below_norm(home)
            ),
            meant,
        )

    def _application(self, key: str) -> HousingApplication:
        return self.wl.application(key_application(key))

    def _plan_answer(self, script: Script, below_norm: bool) -> None:
        """The first offer of the demo is declined and the next accepted; then mostly accepted,
        a flat below the norm less often."""
        decline = self.outcomes["declined"] == 0 or (
            self.outcomes["provided"] > 0 and self.rng.random() < (0.6 if below_norm else 0.3)
        )
        # The first citizen offered again after a refusal without a valid reason refuses
        # once more, and the head takes them off the list on that ground (Art. 73-75).
        applicant = script.case.application_id
        again = not below_norm and self.refused[applicant] == 1 and not self.outcomes["taken_off"]
        if decline or again:
            self.outcomes["declined"] += 1
            self.outcomes["declined_as_planned"] += not again
            valid = not again and self.outcomes["declined_as_planned"] % 2 == 0
            decline_offer(script, below_norm, valid=valid)
            self.refused[applicant] += not (below_norm or valid)
            if again:
                self.outcomes["taken_off"] += 1
                deregister_for_refusals(script)
        else:
            self.outcomes["provided"] += 1
            provide_housing(script)

    def _postpone(self, offer: OfferRound, after: datetime, tz: str) -> None:
        day = next_working_day(local_day(after, tz))
        if day > LAST_OFFER:
            self.setting.result.offer_rounds_unmet += 1
            return
        self.push(office_moment(self.rng, day, tz, start_of_day(day, tz)), offer)


def decline_offer(s: Script, below_norm: bool, *, valid: bool) -> None:
    """A refusal with its reason (Art. 73-75): a flat below the norm, or one too far away (no
    valid reason: it counts), or, `valid`, a reason of health with its document."""
    at = portal_moment(s.rng, s.t + timedelta(hours=2), s.t + timedelta(days=7))
    reasons = "the flat is smaller than we need" if below_norm else "the flat is too far away"
    answer: dict[str, Any] = {"reason": OfferRefusalReason.NO_VALID_REASON}
    if valid and not below_norm:
        reasons = "a family member cannot climb stairs; the flat is on the fifth floor, no lift"
        proof = document(DocumentKind.OTHER, f"medical conclusion {s.case.serial}")
        answer = {"reason": OfferRefusalReason.HEALTH, "document": proof}
    s.add(
        at,
        acts.DECLINE_OFFER,
        s.applicant(),
        late=_open_offer(s, "offers_declined"),
        reasons=reasons,
        **answer,
    )


def deregister_for_refusals(s: Script) -> None:
    """The head takes off the list a citizen who refused two offers without a valid reason
    (Art. 73, docs/domain.md "Refused offers")."""
    at = s.office(s.working_days(s.today, 1, 5))
    s.add(
        at,
        acts.DEREGISTER,
        head(s.case.provider),
        ground=DeregistrationGround.OFFERS_REFUSED,
        reasons="two offers of housing by the norm and as chosen refused without a valid reason",
    )


def provide_housing(s: Script) -> None:
    at = s.office(s.working_days(s.today, 2, 8))
    reasons = "the offered dwelling is provided; the citizen leaves the list (Art. 73)"
    late = _open_offer(s, "housing_provided")
    s.add(at, acts.PROVIDE_HOUSING, head(s.case.provider), late=late, reasons=reasons)


def _open_offer(s: Script, tally: str) -> Callable[[], dict[str, Any]]:
    """The answer names the offer the case holds when it runs, and counts in the tally."""

    def late() -> dict[str, Any]:
        setattr(s.result, tally, getattr(s.result, tally) + 1)
        return {"offer_id": s.case.offer_id}

    return late
