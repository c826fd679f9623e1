"""Housing: offers at the head of the list, declined or taken."""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from demo.synthetic import document
from domain import acts
from domain.priority import key_accepts_smaller, key_application
from domain.records import Dwelling
from domain.values import DocumentKind, OfferRefusalReason, Status
from tests.integration.ledger_machine.acts import Drawn, LedgerActs, draw_stated
from tests.integration.ledger_machine.expectations import (
    APPLICANT,
    HEAD,
    STAFF,
    below_norm,
    some_in,
)
from tests.integration.ledger_machine.state import applications


class HousingRules(LedgerActs):
    """Offers of housing, in the order of the list, and their outcome."""

    @precondition(some_in(Status.REGISTERED))
    @rule(app_id=applications, data=st.data())
    def offer_housing(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.REGISTERED}, ("officer", "head"), STAFF)
        app, expect = drawn.app, drawn.expect
        area = data.draw(
            st.sampled_from([Decimal(90), Decimal(40), Decimal(120), Decimal("12.50"), Decimal(20)])
        )
        dwelling = Dwelling(address="Abay 1, apt 5", rooms=2, useful_area_m2=area)
        below = below_norm(area, app)
        expect.require(app.status is Status.REGISTERED, "registered without an open offer")
        expect.require(not below or app.form.accepts_smaller_housing, "accepts smaller housing")
        if app.status is Status.REGISTERED:
            self._catch_up()
            keys = self.lists[self._list_of(app)]
            self.lists_hold_exactly_the_registered()
            ahead = keys[: bisect_left(keys, app.priority_key)]
            # Ahead may be those with an open offer, and those who refused smaller housing
            # when the dwelling is below *their* norm (Appendix 1 item 12, Art. 75).
            first = all(
                self.model[key_application(k)].status is Status.OFFERED
                or (not key_accepts_smaller(k) and below_norm(area, self.model[key_application(k)]))
                for k in ahead
            )
            expect.require(first, "head of the list (Art. 74)")
            queue = self.wl.queue(*self._list_of(app))
            expect.detail = (
                f"list {keys}, statuses {[self.model[key_application(k)].status for k in keys]}, "
                f"offered {None if queue is None else queue.offered}, below norm {below}, "
                f"offering {app.priority_key} (app status {app.status})"
            )
        result = self._attempt(drawn, acts.OFFER_HOUSING, Status.OFFERED, dwelling=dwelling)
        if result is not None:
            assert result[0].offer_id == result[1].open_offer

    @staticmethod
    def _offer_id(data: st.DataObject, drawn: Drawn) -> str:
        """The offer the act names: mostly the open one, which the act requires."""
        app = drawn.app
        offer_id = data.draw(
            st.sampled_from([app.open_offer] * 4 + ["o9"])
            if app.open_offer
            else st.just(f"o{app.offers_made}"),
            label="offer_id",
        )
        drawn.expect.require(
            app.status is Status.OFFERED and app.open_offer == offer_id, "open offer"
        )
        return offer_id

    @precondition(some_in(Status.OFFERED))
    @rule(app_id=applications, data=st.data())
    def decline_offer(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.OFFERED}, ("applicant",), APPLICANT)
        offer_id = self._offer_id(data, drawn)
        reason = data.draw(st.sampled_from(OfferRefusalReason), label="refusal_reason")
        proof = data.draw(st.sampled_from([None, document(DocumentKind.OTHER, "proof")]))
        drawn.expect.require(
            reason is OfferRefusalReason.NO_VALID_REASON
            or proof is not None
            or drawn.app.open_below_norm,
            "a valid reason with its document (Art. 74-75)",
        )
        self._attempt(
            drawn,
            acts.DECLINE_OFFER,
            Status.REGISTERED,
            offer_id=offer_id,
            reason=reason,
            document=proof,
        )

    @precondition(some_in(Status.OFFERED))
    @rule(app_id=applications, data=st.data())
    def provide_housing(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.OFFERED}, ("head",), HEAD)
        offer_id = self._offer_id(data, drawn)
        reasons = draw_stated(data, drawn.expect)
        self._attempt(
            drawn, acts.PROVIDE_HOUSING, Status.HOUSED, offer_id=offer_id, reasons=reasons
        )
