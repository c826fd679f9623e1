"""Complaints about a decision, an action or inaction of the provider (§14).

A complaint does not move the application's stage (only a remedy may); each act checks the
complaint's own state (with the provider, forwarded, decided) in domain.complaints.
"""

from __future__ import annotations

from domain.actors import APPLICANT, COMPLAINT_DECIDERS, STAFF
from domain.acts import requests as r
from domain.acts.definition import ActDefinition, Closing, ListEffect, Scope, Terms, Verdict
from domain.values import DeadlineKind as K
from domain.values import Status as S  # noqa: N817

ANY = frozenset(S)

FILE_COMPLAINT = ActDefinition(
    name="file-complaint", noun="a complaint", basis="§14",
    title="File a complaint about a decision, an action or inaction, as the applicant (§14).",
    event="ComplaintFiled", command="file_complaint", request=r.ComplaintCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=ANY, leads_to=None, checks_stage=False,
    terms=Terms(opens=("forward_due", "decision_due")), path="/{application_id}/complaints",
    status_code=201, answers="complaint_id", operation="file_complaint", tag="complaints",
)  # fmt: skip
FORWARD_COMPLAINT = ActDefinition(
    name="forward-complaint", noun="forwarding a complaint", basis="§14",
    title="Send the complaint and the administrative file on within 3 working days (§14).",
    event="ComplaintForwarded", command="forward_complaint", request=r.ComplaintForwardCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=ANY, leads_to=None, checks_stage=False,
    terms=Terms(opens=("decision_due",),
                closes=(Closing(K.COMPLAINT_FORWARD, Verdict.JUDGE),)),
    path="/{application_id}/complaints/{complaint_id}/forward", target="complaint_id",
    operation="forward_complaint", tag="complaints",
)  # fmt: skip
SATISFY_COMPLAINT = ActDefinition(
    name="satisfy-complaint", noun="satisfying a complaint", basis="§14",
    title="Meet the complaint in full at the provider within 3 working days (§14).",
    event="ComplaintSatisfied", command="satisfy_complaint",
    request=r.ComplaintSatisfactionCreate, roles=STAFF, scope=Scope.PROVIDER, from_stages=ANY,
    leads_to=None, checks_stage=False,
    terms=Terms(closes=(Closing(K.COMPLAINT_FORWARD, Verdict.JUDGE),
                        Closing(K.COMPLAINT_DECISION, Verdict.VOID))),
    path="/{application_id}/complaints/{complaint_id}/satisfy", target="complaint_id",
    operation="satisfy_complaint", tag="complaints",
)  # fmt: skip
DECIDE_COMPLAINT = ActDefinition(
    name="decide-complaint", noun="a complaint decision", basis="§14",
    title="Decide the complaint, with any remedy: the provider's head or a complaint body (§14).",
    event="ComplaintDecided", command="decide_complaint", request=r.ComplaintDecisionCreate,
    roles=COMPLAINT_DECIDERS, scope=Scope.DECIDING_BODY, from_stages=ANY, leads_to=None,
    checks_stage=False, effect=ListEffect.REMEDIES,
    terms=Terms(closes=(Closing(K.COMPLAINT_DECISION, Verdict.JUDGE),
                        Closing(K.COMPLAINT_FORWARD, Verdict.VOID))),
    path="/{application_id}/complaints/{complaint_id}/decide", target="complaint_id",
    operation="decide_complaint", tag="complaints",
)  # fmt: skip
