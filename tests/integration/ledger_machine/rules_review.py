"""Acceptance, completeness and verification of an application."""

from __future__ import annotations

from datetime import UTC
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from demo.synthetic import checks_for, document
from domain import acts
from domain.records import CheckResult, MissingItem
from domain.reference import get_provider
from domain.values import Check, CheckOutcome, DocumentKind, Status
from domain.verification import WORSENING_YEARS, years_before
from tests.integration.ledger_machine.acts import LedgerActs, draw_stated
from tests.integration.ledger_machine.expectations import APPLICANT, HEAD, STAFF, local_day, some_in
from tests.integration.ledger_machine.state import applications


class ReviewRules(LedgerActs):
    """From submission to verification: acceptance, completeness, correction, checks."""

    @precondition(some_in(Status.SUBMITTED))
    @rule(app_id=applications, data=st.data())
    def accept(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.SUBMITTED}, ("officer", "system"), STAFF)
        app, expect = drawn.app, drawn.expect
        expect.require(app.status is Status.SUBMITTED, "status")
        expect.require(drawn.at >= app.filed_at, "after the filing")
        self._attempt(drawn, acts.ACCEPT, Status.ACCEPTED)

    @precondition(some_in(Status.ACCEPTED))
    @rule(app_id=applications, data=st.data())
    def notify_incomplete(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.ACCEPTED}, ("officer",), STAFF)
        missing = data.draw(
            st.sampled_from(
                [
                    [MissingItem(document=DocumentKind.SANITARY_CONCLUSION, description="scan")],
                    [MissingItem(description="unreadable scan")],
                    [],
                ]
            )
        )
        drawn.expect.require(drawn.app.status is Status.ACCEPTED, "status")
        drawn.expect.require(bool(missing), "names what is missing")
        self._attempt(drawn, acts.NOTIFY_INCOMPLETE, Status.INCOMPLETE, missing=missing)

    @precondition(some_in(Status.ACCEPTED, Status.CORRECTED))
    @rule(app_id=applications, data=st.data())
    def find_complete(self, app_id: UUID, data: st.DataObject) -> None:
        steer = {Status.ACCEPTED, Status.CORRECTED}
        drawn = self._begin(data, app_id, steer, ("officer",), STAFF)
        app, expect = drawn.app, drawn.expect
        expect.require(app.status in steer, "status")
        expect.require(
            app.form.required_documents() <= {d.kind for d in app.documents}, "documents"
        )
        self._attempt(drawn, acts.FIND_COMPLETE, Status.COMPLETE)

    @precondition(some_in(Status.INCOMPLETE))
    @rule(app_id=applications, data=st.data())
    def correct(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.INCOMPLETE}, ("applicant",), APPLICANT)
        app, at, expect = drawn.app, drawn.at, drawn.expect
        required = sorted(app.form.required_documents(), key=lambda k: k.value)
        which = data.draw(
            st.sampled_from(["all"] if self._cooperative else ["all", "all", "none", "other"]),
            label="correction",
        )
        named = {m.document for m in app.missing if m.document is not None}
        if which == "all":
            kinds = sorted(set(required) | named, key=lambda k: k.value)
        else:
            kinds = [DocumentKind.OTHER] if which == "other" else []
        documents = [document(k, "corrected") for k in kinds]
        expect.require(app.status is Status.INCOMPLETE, "status")
        if app.correction_due is not None:
            expect.require(local_day(at, app.tz) <= app.correction_due.due_on, "in time")
        expect.require(not named or bool(named & set(kinds)), "what the notice named")
        result = self._attempt(drawn, acts.CORRECT, Status.CORRECTED, documents=documents)
        if result is not None:
            assert result[1].priority_moment == at.astimezone(UTC), "Art. 74: priority runs anew"

    @precondition(some_in(Status.CORRECTED))
    @rule(app_id=applications, data=st.data())
    def find_still_incomplete(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.CORRECTED}, ("officer",), STAFF)
        missing = [MissingItem(document=DocumentKind.SANITARY_CONCLUSION, description="unread")]
        drawn.expect.require(drawn.app.status is Status.CORRECTED, "status")
        self._attempt(drawn, acts.FIND_STILL_INCOMPLETE, Status.INCOMPLETE, missing=missing)

    @precondition(some_in(Status.INCOMPLETE))
    @rule(app_id=applications, data=st.data())
    def refuse_further_consideration(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.INCOMPLETE}, ("head",), HEAD)
        app, expect = drawn.app, drawn.expect
        reasons = draw_stated(data, expect)
        expect.require(app.status is Status.INCOMPLETE, "status")
        if app.correction_due is not None:
            expect.require(
                local_day(drawn.at, app.tz) > app.correction_due.due_on, "after the term"
            )
        self._attempt(
            drawn, acts.REFUSE_FURTHER_CONSIDERATION, Status.NOT_CONSIDERED, reasons=reasons
        )

    @precondition(some_in(Status.COMPLETE))
    @rule(app_id=applications, data=st.data())
    def verify(self, app_id: UUID, data: st.DataObject) -> None:
        drawn = self._begin(data, app_id, {Status.COMPLETE}, ("officer", "system"), STAFF)
        app, expect = drawn.app, drawn.expect
        three_years = get_provider(app.provider).three_year_residence
        variant = data.draw(
            st.sampled_from(
                ["pass"] * 9 + ["fail"]
                if self._cooperative
                else ["pass"] * 4 + ["fail"] * 2 + ["missing", "twice", "no_years", "short"]
            ),
            label="checks",
        )
        checks = checks_for(app.form, app.provider)
        if variant == "fail":
            failing = data.draw(st.sampled_from([c.check for c in checks]))
            checks = checks_for(app.form, app.provider, failing=failing)
        elif variant == "missing":
            checks = checks[1:]
        elif variant == "twice":
            checks = [*checks, checks[0]]
        elif variant in {"no_years", "short"}:
            years = None if variant == "no_years" else 2
            checks = [
                CheckResult(
                    check=c.check, outcome=c.outcome, source=c.source, residence_years=years
                )
                if c.check is Check.PERMANENT_REGISTRATION
                else c
                for c in checks
            ]
        expect.require(app.status is Status.COMPLETE, "status")
        expect.require(variant not in {"missing", "twice"}, "every check once")
        expect.require(not (three_years and variant in {"no_years", "short"}), "§5 three years")
        for c in checks:
            if c.found_on is not None:  # §11: a worsening within the five years before filing
                filed_on = local_day(app.filed_at, app.tz)
                expect.require(
                    years_before(filed_on, WORSENING_YEARS)
                    <= c.found_on
                    <= local_day(drawn.at, app.tz),
                    "within five years",
                )
        grounds = any(c.outcome is CheckOutcome.FAILED for c in checks)
        expected_status = Status.GROUNDS_FOUND if grounds else Status.VERIFIED
        self._attempt(drawn, acts.VERIFY, expected_status, checks=checks)
