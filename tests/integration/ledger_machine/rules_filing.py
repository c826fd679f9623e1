"""Filing: applications submitted by the citizen or wrongly by others, acts on unknown ids."""

from __future__ import annotations

from datetime import UTC
from typing import Any
from uuid import UUID

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import multiple, rule

from demo.synthetic import document, iin_for, make_form, officer
from domain import acts
from domain.errors import ApplicationNotFound
from domain.forms import ApplicationForm, FamilyMember
from domain.values import HousingCondition, Relation, Status
from tests.integration.ledger_machine.acts import LedgerActs, receipt_or_refusal
from tests.integration.ledger_machine.expectations import Expectation
from tests.integration.ledger_machine.state import applications
from tests.integration.ledger_machine.strategies import (
    CEILING,
    LISTS,
    POOL,
    PROVIDERS,
    filing_moments,
)


class FilingRules(LedgerActs):
    """Applications filed by the citizen, by another citizen or by an officer."""

    def _form(self, data: st.DataObject, serial: int, list_code: str) -> ApplicationForm:
        base = make_form(
            serial,
            list_code=list_code,
            family_size=data.draw(st.integers(0, 2), label="family"),
            accepts_smaller=data.draw(st.booleans(), label="accepts_smaller"),
            with_documents=False,
        )
        family = list(base.family)
        if data.draw(st.integers(0, 2), label="relative_in_pool") == 2:
            # A relative who is also a citizen of the pool: succession meets their claim.
            relative = data.draw(st.sampled_from([s for s in POOL if s != serial]))
            family.append(
                FamilyMember(
                    iin=iin_for(relative),
                    full_name=f"Relative {relative}",
                    relation=Relation.SIBLING,
                )
            )
        conditions = data.draw(
            st.sampled_from(
                [(), (), (HousingCondition.SANITARY,), (HousingCondition.SHARED_NON_ISOLATED,)]
            ),
            label="conditions",
        )
        draft = ApplicationForm.model_validate(
            {
                **base.model_dump(),
                "family": [m.model_dump() for m in family],
                "housing_conditions": list(conditions),
            }
        )
        required = sorted(draft.required_documents(), key=lambda k: k.value)
        attach = data.draw(st.sampled_from(["all", "all", "none", "first"]), label="documents")
        kinds = required if attach == "all" else required[:1] if attach == "first" else []
        return draft.model_copy(update={"documents": tuple(document(k) for k in kinds)})

    @rule(target=applications, data=st.data())
    def submit(self, data: st.DataObject) -> Any:
        app_id = self._submit(data)
        return multiple() if app_id is None else app_id

    def _submit(
        self, data: st.DataObject, *, provider: str | None = None, list_code: str | None = None
    ) -> UUID | None:
        serial = data.draw(st.sampled_from(POOL), label="citizen")
        if provider is None:
            # Mostly the first provider and list, so that lists grow long enough to compete on.
            provider = data.draw(st.sampled_from(PROVIDERS[:1] * 3 + PROVIDERS), label="provider")
        if list_code is None:
            list_code = data.draw(st.sampled_from(LISTS[:1] * 3 + LISTS), label="list")
        form = self._form(data, serial, list_code)
        filed_at = data.draw(filing_moments, label="filed_at")
        who = "self"
        if data.draw(st.integers(0, 7), label="wrong_filer") == 7:
            who = data.draw(st.sampled_from(["other", "officer"]), label="filer")
        if who == "self":
            actor = self.wl.applicant(form.applicant_iin)
        elif who == "other":
            actor = self.wl.applicant(iin_for(serial % len(POOL) + 1))
        else:
            actor = officer(provider)
        expect = Expectation()
        expect.require(who == "self", "the applicant files")
        expect.require(
            self._open_holder(form.applicant_iin, provider, list_code) is None,
            "one open application per citizen, provider and list",
        )
        before_max = self.wl.recorder.max_notification_id()
        receipt, error = receipt_or_refusal(
            lambda: self.wl.perform(
                acts.FILE, form=form, provider=provider, actor=actor, effective_at=filed_at
            )
        )
        if error is not None:
            assert expect.broken, f"submission refused although every rule was met: {error!r}"
            assert self.wl.recorder.max_notification_id() == before_max
            return None
        assert not expect.broken, f"submission recorded although it breaks {expect.broken}"
        app = self.wl.application(receipt.application_id)
        assert app == self._fresh(app.id)
        assert app.version == 1
        assert app.status is Status.SUBMITTED
        assert app.filed_at == app.priority_moment == filed_at.astimezone(UTC)
        assert receipt.log_position == self.wl.recorder.max_notification_id()
        own = self.wl.recorder.select_notifications(start=receipt.notification_id, limit=1)[0]
        assert (own.originator_id, own.originator_version) == (app.id, 1), "receipt's event"
        self.order.append(app.id)
        self.model[app.id] = app
        return app.id

    @rule(data=st.data())
    def act_on_unknown_application(self, data: st.DataObject) -> None:
        unknown = UUID(int=data.draw(st.integers(0, 2**64)), version=4)
        before_max = self.wl.recorder.max_notification_id()
        with pytest.raises(ApplicationNotFound):
            self.wl.perform(acts.ACCEPT, unknown, actor=officer("almaty"), effective_at=CEILING)
        assert self.wl.recorder.max_notification_id() == before_max
