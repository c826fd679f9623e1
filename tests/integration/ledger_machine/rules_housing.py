"""Housing: offers at the head of the list, declined or taken."""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from domain import acts
from domain.housing_application import HousingApplication
from domain.priority import key_accepts_smaller, key_application
from domain.records import Dwelling
from domain.values import Status
from tests.integration.ledger_machine.acts import LedgerActs
from tests.integration.ledger_machine.expectations import (
    APPLICANT,
    HEAD,
    STAFF,
    below_norm,
    some_in,
)
from tests.integration.ledger_machine.state import applications
from tests.integration.ledger_machine.strategies import blank_or_text


class HousingRules(LedgerActs):
    """Offers of housing, in the order of the list, and their outcome."""

    @precondition(some_in(Status.REGISTERED))
    @rule(app_id=applications, data=st.data())
    def offer_housing(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.REGISTERED}), ("officer", "head"), STAFF
        )
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
        result = self._attempt(
            "offer_housing",
            app,
            lambda: self.wl.perform(
                acts.OFFER_HOUSING, app.id, actor=actor, effective_at=at, dwelling=dwelling
            ),
            expect,
            Status.OFFERED,
            at,
        )
        if result is not None:
            assert result[0].offer_id == result[1].open_offer

    def _offer_act(self, data: st.DataObject, app: HousingApplication) -> str:
        return data.draw(
            st.sampled_from([app.open_offer] * 4 + ["o9"])
            if app.open_offer
            else st.just(f"o{app.offers_made}"),
            label="offer_id",
        )

    @precondition(some_in(Status.OFFERED))
    @rule(app_id=applications, data=st.data())
    def decline_offer(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.OFFERED}), ("applicant",), APPLICANT
        )
        offer_id = self._offer_act(data, app)
        expect.require(app.status is Status.OFFERED and app.open_offer == offer_id, "open offer")
        self._attempt(
            "decline_offer",
            app,
            lambda: self.wl.perform(
                acts.DECLINE_OFFER, app.id, actor=actor, effective_at=at, offer_id=offer_id
            ),
            expect,
            Status.REGISTERED,
            at,
        )

    @precondition(some_in(Status.OFFERED))
    @rule(app_id=applications, data=st.data())
    def provide_housing(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.OFFERED}), ("head",), HEAD
        )
        offer_id = self._offer_act(data, app)
        reasons = data.draw(blank_or_text)
        expect.require(app.status is Status.OFFERED and app.open_offer == offer_id, "open offer")
        expect.require(bool(reasons.strip()), "reasons")
        self._attempt(
            "provide_housing",
            app,
            lambda: self.wl.perform(
                acts.PROVIDE_HOUSING,
                app.id,
                actor=actor,
                effective_at=at,
                offer_id=offer_id,
                reasons=reasons,
            ),
            expect,
            Status.HOUSED,
            at,
        )
