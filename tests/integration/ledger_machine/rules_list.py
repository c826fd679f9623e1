"""Life on the list: data updates, withdrawal, deregistration, succession."""

from __future__ import annotations

from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from demo.synthetic import appendix_3, document, iin_for
from domain import acts
from domain.data_updates import UPDATABLE
from domain.forms import FamilyMember
from domain.values import (
    CLOSED,
    ON_THE_LIST,
    DeregistrationGround,
    DocumentKind,
    Relation,
    Status,
    SuccessionCause,
)
from tests.integration.ledger_machine.acts import LedgerActs, draw_stated
from tests.integration.ledger_machine.expectations import APPLICANT, HEAD, OPEN, local_day, some_in
from tests.integration.ledger_machine.state import applications
from tests.integration.ledger_machine.strategies import POOL


class ListRules(LedgerActs):
    """Acts on an application while it is on the list."""

    @precondition(some_in(*UPDATABLE))
    @rule(app_id=applications, data=st.data())
    def update_data(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, UPDATABLE, ("applicant",), APPLICANT)
        app, expect = drawn.app, drawn.expect
        family = list(app.family)
        change = data.draw(
            st.sampled_from(["none", "none", "drop", "add_pool", "add_self"]), label="family"
        )
        new_family: tuple[FamilyMember, ...] | None = None
        if change == "drop":
            new_family = tuple(family[1:])
        elif change == "add_pool":
            serial = data.draw(st.sampled_from(POOL))
            new_family = (
                *family,
                FamilyMember(iin=iin_for(serial), full_name="In-law", relation=Relation.PARENT),
            )
        elif change == "add_self":
            # Appendix 3 gives "the family as it is now": here it wrongly names the applicant.
            new_family = (
                *family,
                FamilyMember(iin=app.holder_iin, full_name="Self", relation=Relation.SPOUSE),
            )
        household = {app.holder_iin, *(m.iin for m in family)}
        if new_family is not None:
            household |= {m.iin for m in new_family}
        member = data.draw(
            st.sampled_from([None, *sorted(household), iin_for(999)]), label="member"
        )
        applicant_iin = data.draw(
            st.sampled_from([app.holder_iin] * 4 + [iin_for(998)]), label="update_applicant"
        )
        update = appendix_3(
            applicant_iin=applicant_iin,
            family_member_iin=member,
            reason="family changed",
            grounds_arose_on=local_day(app.last_effective_at, app.tz),
            documents=(document(DocumentKind.OTHER, "appendix 3"),),
            family=new_family,
        )
        expect.require(app.status in UPDATABLE, "in consideration or on the list")
        expect.require(applicant_iin == app.holder_iin, "the applicant's form")
        expect.require(member is None or member in household, "a member of the family")
        if new_family is not None:
            members = [m.iin for m in new_family]
            expect.require(app.holder_iin not in members, "the family never names the applicant")
            expect.require(len(members) == len(set(members)), "each member once")
        result = self._attempt(drawn, acts.UPDATE_DATA, app.status, update=update)
        if result is not None and new_family is not None:
            assert result[1].family == new_family

    @precondition(some_in(*OPEN))
    @rule(app_id=applications, data=st.data())
    def withdraw(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, OPEN, ("applicant",), APPLICANT)
        drawn.expect.require(drawn.app.status not in CLOSED, "open")
        self._attempt(drawn, acts.WITHDRAW, Status.WITHDRAWN)

    @precondition(some_in(*ON_THE_LIST))
    @rule(app_id=applications, data=st.data())
    def deregister(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, ON_THE_LIST, ("head",), HEAD)
        ground = data.draw(st.sampled_from(DeregistrationGround))
        reasons = draw_stated(data, drawn.expect)
        drawn.expect.require(drawn.app.status in ON_THE_LIST, "on the list")
        drawn.expect.require(
            ground is not DeregistrationGround.OFFERS_REFUSED
            or drawn.app.unjustified_refusals >= 2,
            "offers refused twice without a valid reason (Art. 73)",
        )
        self._attempt(drawn, acts.DEREGISTER, Status.DEREGISTERED, ground=ground, reasons=reasons)

    @precondition(some_in(*ON_THE_LIST))
    @rule(app_id=applications, data=st.data())
    def pass_place_to_family_member(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, ON_THE_LIST, ("head",), HEAD)
        app, expect = drawn.app, drawn.expect
        members = [m.iin for m in app.family]
        successor = data.draw(
            st.sampled_from([*members, *members, iin_for(997), app.holder_iin]), label="successor"
        )
        reasons = draw_stated(data, expect)
        expect.require(app.status in ON_THE_LIST, "on the list")
        expect.require(successor in members, "a member of the family")
        taken = self._claim_holder(successor, app.provider, app.form.list_code)
        expect.require(taken in {None, app.id}, "the successor's claim is free")
        expect.require(successor != app.holder_iin, "another member of the family")
        cause = data.draw(st.sampled_from(SuccessionCause))
        result = self._attempt(
            drawn,
            acts.PASS_PLACE,
            app.status,
            cause=cause,
            successor_iin=successor,
            reasons=reasons,
        )
        if result is not None:
            after = result[1]
            assert after.holder_iin == successor
            assert after.applicant_ref == self.key.applicant_ref(successor)
            assert after.priority_key == app.priority_key, "the place passes with its priority"
            assert self._claim_holder(successor, *self._list_of(app)) == app.id
            assert self._claim_holder(app.holder_iin, *self._list_of(app)) is None
