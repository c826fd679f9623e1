"""Every act of the procedure, declared once (the shape: domain.acts.definition).

In the order of the procedure: filing and consideration (§3-§13), life on the list (§11,
Appendix 3, Art. 73-75), complaints (§14). The aggregate keeps each act's rules and event.
"""

from __future__ import annotations

from domain.actors import (
    APPLICANT,
    COMPLAINT_DECIDERS,
    COURT_RECORDERS,
    FILERS,
    SIGNATORY,
    STAFF,
)
from domain.acts import requests as r
from domain.acts.definition import ActDefinition, Closing, ListEffect, Scope, Terms, Verdict
from domain.acts.definition import Notice as N  # noqa: N817
from domain.acts.timing import TimePolicy as T
from domain.data_updates import UPDATABLE
from domain.values import CLOSED, ON_THE_LIST, UNDER_CONSIDERATION
from domain.values import DeadlineKind as K
from domain.values import Status as S  # noqa: N817

ANY = frozenset(S)
OPEN = frozenset(S) - CLOSED

# -- filing and consideration (§3-§13) ----------------------------------------------------

FILE = ActDefinition(
    name="file", noun="an application", basis="§3, §6, Appendix 1",
    title="File an application (Appendix 1) as the applicant it names.",
    event="Applied", command="apply_for", request=r.ApplicationCreate,
    roles=FILERS, scope=Scope.OWN, from_stages=frozenset(), leads_to=S.SUBMITTED,
    time=T.RECEIVED, terms=Terms(opens=("acceptance_due",)),
    effect=ListEffect.FILES, path="", operation="submit_application", status_code=201,
    tag="filing",
)  # fmt: skip
ACCEPT = ActDefinition(
    name="accept", noun="acceptance", basis="§7, §8",
    title="Accept the application on its reception day (§7, §8).",
    event="Accepted", command="accept", request=r.ActCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.SUBMITTED}), leads_to=S.ACCEPTED,
    time=T.PAPER_ACT,
    terms=Terms(opens=("completeness_due", "consideration_due"),
                closes=(Closing(K.ACCEPTANCE, Verdict.JUDGE),)),
    operation="accept_application", tag="filing", notice=N("accepted"),
)  # fmt: skip
ASSIGN = ActDefinition(
    name="assign", noun="an assignment", basis="§10",
    title="Send the application for execution to an officer of the responsible unit (§10 ¶1).",
    event="Assigned", command="assign", request=r.AssignmentCreate,
    roles=SIGNATORY, scope=Scope.PROVIDER, leads_to=None,
    from_stages=UNDER_CONSIDERATION,
    time=T.PAPER_ACT, operation="assign_application", tag="filing",
)  # fmt: skip
NOTIFY_INCOMPLETE = ActDefinition(
    name="notify-incomplete", noun="an incompleteness notice", basis="§10",
    title="Tell the applicant what the package lacks; they have 2 working days (§10).",
    event="NotifiedIncomplete", command="notify_incomplete", request=r.IncompletenessNoticeCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.ACCEPTED}),
    leads_to=S.INCOMPLETE,
    time=T.RECORDED_NOW, operation="notify_incomplete", tag="consideration",
    terms=Terms(opens=("correction_due",), closes=(Closing(K.COMPLETENESS_CHECK, Verdict.JUDGE),)),
    notice=N("incomplete", sms=True, receipt_starts="correction_due"),
)  # fmt: skip
FIND_COMPLETE = ActDefinition(
    name="find-complete", noun="a completeness finding", basis="§10, §11",
    title="Find the package complete; the 10-day verification starts (§10, §11).",
    event="FoundComplete", command="find_complete", request=r.CompletenessFindingCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.ACCEPTED, S.CORRECTED}),
    leads_to=S.COMPLETE,
    time=T.PAPER_ACT, operation="find_complete", tag="consideration",
    terms=Terms(opens=("verification_due",),
                closes=(Closing(K.COMPLETENESS_CHECK, Verdict.JUDGE),)),
)  # fmt: skip
CORRECT = ActDefinition(
    name="correct", noun="a correction", basis="§10, §11, Art. 74 para 1",
    title="Bring what the notice named within 2 working days, as the applicant (§10, §11).",
    event="Corrected", command="correct", request=r.CorrectionCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=frozenset({S.INCOMPLETE}),
    leads_to=S.CORRECTED,
    time=T.RECORDED_NOW, operation="correct_package", tag="consideration",
    terms=Terms(opens=("verification_due",), closes=(Closing(K.CORRECTION, Verdict.JUDGE),)),
)  # fmt: skip
FIND_STILL_INCOMPLETE = ActDefinition(
    name="find-still-incomplete", noun="a finding of incompleteness", basis="§10, §11",
    title="Find a corrected package still incomplete, naming what is missing (§10, §11).",
    event="FoundStillIncomplete", command="find_still_incomplete",
    request=r.StillIncompleteCreate, roles=STAFF, scope=Scope.PROVIDER,
    from_stages=frozenset({S.CORRECTED}), leads_to=S.INCOMPLETE,
    time=T.RECORDED_NOW, operation="find_still_incomplete", tag="consideration",
    terms=Terms(closes=(Closing(K.VERIFICATION, Verdict.VOID_IN_TIME),)),
    notice=N("still_incomplete"),
)  # fmt: skip
REFUSE_FURTHER_CONSIDERATION = ActDefinition(
    name="refuse-further-consideration", noun="a refusal to consider further", basis="§11",
    title="Refuse to consider further a package not corrected in time, signed by the head (§11).",
    event="RefusedFurtherConsideration", command="refuse_further_consideration",
    request=r.FurtherConsiderationRefusalCreate, roles=SIGNATORY, scope=Scope.PROVIDER,
    from_stages=frozenset({S.INCOMPLETE}), leads_to=S.NOT_CONSIDERED,
    time=T.PAPER_ACT, effect=ListEffect.ENDS,
    operation="refuse_further_consideration", tag="consideration",
    terms=Terms(closes=(Closing(K.CONSIDERATION, Verdict.JUDGE),
                        Closing(K.CORRECTION, Verdict.LAPSE)), ends_consideration=True),
    notice=N("not_considered", sms=True),
)  # fmt: skip
VERIFY = ActDefinition(
    name="verify", noun="verification", basis="§11, §5",
    title="Record every check against the state information systems, with its source (§11, §5).",
    event="Verified", command="verify", request=r.VerificationCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.COMPLETE}),
    leads_to=None,
    time=T.PAPER_ACT, operation="verify_application", tag="consideration",  # or grounds found
    terms=Terms(closes=(Closing(K.VERIFICATION, Verdict.JUDGE),)), notice=N("verified"),
)  # fmt: skip
SCHEDULE_HEARING = ActDefinition(
    name="schedule-hearing", noun="a hearing notice", basis="§13, Std 9",
    title="Notify the preliminary refusal and when and where it is heard (§13, Std 9).",
    event="HearingScheduled", command="schedule_hearing", request=r.HearingNoticeCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.VERIFIED, S.GROUNDS_FOUND}),
    leads_to=S.HEARING_SCHEDULED,
    time=T.RECORDED_NOW, operation="schedule_hearing", tag="consideration",
    terms=Terms(opens=("hearing_due",), closes=(Closing(K.HEARING_NOTICE, Verdict.JUDGE),)),
    notice=N("hearing_scheduled", sms=True),
)  # fmt: skip
HOLD_HEARING = ActDefinition(
    name="hold-hearing", noun="a hearing", basis="§13",
    title="Record the hearing: the applicant's position and its outcome (§13).",
    event="HearingHeld", command="hold_hearing", request=r.HearingRecordCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.HEARING_SCHEDULED}),
    leads_to=S.HEARING_HELD,
    time=T.PAPER_ACT, operation="hold_hearing", tag="consideration",
    terms=Terms(closes=(Closing(K.HEARING, Verdict.JUDGE),)), notice=N("hearing_held"),
)  # fmt: skip
# Registration and refusal check their stage themselves: a wrong one names the rule it breaks
# (no verification yet, no hearing held) rather than only the stage.
REFUSE = ActDefinition(
    name="refuse", noun="a refusal", basis="§12.2, §13, Std 9",
    title="Refuse registration on a ground of Std 9 after the hearing, signed by the head (§12.2).",
    event="Refused", command="refuse", request=r.RefusalCreate,
    roles=SIGNATORY, scope=Scope.PROVIDER, from_stages=frozenset({S.HEARING_HELD}),
    leads_to=S.REFUSED, notice=N("refused", sms=True),
    time=T.PAPER_ACT, checks_stage=False, effect=ListEffect.ENDS,
    operation="refuse_registration", tag="consideration",
    terms=Terms(closes=(Closing(K.CONSIDERATION, Verdict.JUDGE),), ends_consideration=True),
)  # fmt: skip
REGISTER = ActDefinition(
    name="register", noun="registration", basis="§12.1, Std 5, Art. 74",
    title="Put the citizen on the list with the queue number they now hold (§12.1, Std 5).",
    event="Registered", command="register", request=r.RegistrationCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.VERIFIED, S.HEARING_HELD}),
    leads_to=S.REGISTERED,
    time=T.PAPER_ACT, checks_stage=False, effect=ListEffect.JOINS, notice=N("registered", sms=True),
    operation="register_on_list", tag="on the list",
    terms=Terms(closes=(Closing(K.CONSIDERATION, Verdict.JUDGE),), ends_consideration=True),
)  # fmt: skip

# -- life on the list (§11, Appendix 3, Art. 73-75) ----------------------------------------
# These acts check their stage themselves: a wrong one names the rule it breaks (not on the
# list, no open offer) rather than only the stage.

UPDATE_DATA = ActDefinition(
    name="update-data", noun="a data update", basis="§11, Std 8, Appendix 3",
    title="Update, change or supplement the data given earlier, during consideration or on"
          " the list (Appendix 3, §11, Std 8).",
    event="DataUpdated", command="update_data", request=r.DataUpdateCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=UPDATABLE, leads_to=None,
    time=T.RECORDED_NOW, answers="consequence",
    checks_stage=False, terms=Terms(opens=("update_due",)), operation="update_data",
    tag="on the list", notice=N("data_update_received"),
)  # fmt: skip
WITHDRAW = ActDefinition(
    name="withdraw", noun="a withdrawal", basis="§3, Art. 73",
    title="Withdraw the application, or leave the list, of the applicant's own will.",
    event="Withdrawn", command="withdraw", request=r.WithdrawalCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=OPEN, leads_to=S.WITHDRAWN,
    time=T.RECORDED_NOW,
    checks_stage=False, effect=ListEffect.ENDS, terms=Terms(ends_consideration=True),
    operation="withdraw_application", tag="on the list",
)  # fmt: skip
DEREGISTER = ActDefinition(
    name="deregister", noun="deregistration", basis="Art. 73",
    title="Take the citizen off the list on a ground of Art. 73, signed by the head.",
    event="Deregistered", command="deregister", request=r.DeregistrationCreate,
    roles=SIGNATORY, scope=Scope.PROVIDER, from_stages=ON_THE_LIST, leads_to=S.DEREGISTERED,
    time=T.PAPER_ACT, notice=N("deregistered", sms=True),
    checks_stage=False, effect=ListEffect.ENDS, terms=Terms(ends_consideration=True),
    operation="deregister_citizen", tag="on the list", list_cause_names_ground=True,
)  # fmt: skip
PASS_PLACE = ActDefinition(
    name="pass-place", noun="a succession", basis="Art. 73",
    title="Pass the place, with its priority, to a family member (Art. 73), signed by the head.",
    event="PlacePassedToFamilyMember", command="pass_place_to_family_member",
    request=r.SuccessionCreate, roles=SIGNATORY, scope=Scope.PROVIDER, from_stages=ON_THE_LIST,
    leads_to=None,
    time=T.PAPER_ACT, checks_stage=False, effect=ListEffect.PASSES_PLACE,
    operation="pass_place_to_family_member", tag="on the list", notice=N("place_passed", sms=True),
)  # fmt: skip
OFFER_HOUSING = ActDefinition(
    name="offer-housing", noun="an offer", basis="Art. 74 para 1, Art. 75",
    title="Offer a dwelling to the citizen, in the order of the list (Art. 74 para 1, Art. 75).",
    event="HousingOffered", command="offer_housing", request=r.OfferCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.REGISTERED}),
    leads_to=S.OFFERED,
    time=T.PAPER_ACT, checks_stage=False, effect=ListEffect.OPENS_OFFER,
    path="/{application_id}/offers", status_code=201, answers="offer_id",
    operation="offer_housing", tag="on the list", notice=N("offer_made", sms=True),
)  # fmt: skip
DECLINE_OFFER = ActDefinition(
    name="decline-offer", noun="declining an offer", basis="Art. 73-75",
    title="Decline the offer as the applicant, with the reason; the place is kept, and a"
          " refusal without a valid reason counts (Art. 73-75).",
    event="OfferDeclined", command="decline_offer", request=r.OfferDeclineCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=frozenset({S.OFFERED}), leads_to=S.REGISTERED,
    time=T.RECORDED_NOW, answers="consequence",
    checks_stage=False, effect=ListEffect.CLOSES_OFFER,
    path="/{application_id}/offers/{offer_id}/decline", target="offer_id",
    operation="decline_offer", tag="on the list",
)  # fmt: skip
PROVIDE_HOUSING = ActDefinition(
    name="provide-housing", noun="provision of housing", basis="Art. 73, Art. 75",
    title="Provide the offered dwelling, signed by the head; the citizen leaves the list "
          "(Art. 73).",
    event="HousingProvided", command="provide_housing", request=r.HousingProvisionCreate,
    roles=SIGNATORY, scope=Scope.PROVIDER, from_stages=frozenset({S.OFFERED}),
    leads_to=S.HOUSED,
    time=T.PAPER_ACT, checks_stage=False, effect=ListEffect.ENDS,
    terms=Terms(ends_consideration=True), path="/{application_id}/offers/{offer_id}/provide",
    target="offer_id", operation="provide_housing", tag="on the list",
    notice=N("housing_provided", sms=True),
)  # fmt: skip

# -- complaints (§14) ---------------------------------------------------------------------
# A complaint does not move the application's stage (only a remedy may); each act checks the
# complaint's own state (with the provider, forwarded, decided) in domain.complaints.
# A remedy that reopens consideration (domain.remedies) opens its terms again; any other
# leaves these fields empty.
REOPENED_TERMS = ("consideration_due", "completeness_due", "verification_due")

FILE_COMPLAINT = ActDefinition(
    name="file-complaint", noun="a complaint", basis="§14",
    title="File a complaint about a decision, an action or inaction, as the applicant (§14).",
    event="ComplaintFiled", command="file_complaint", request=r.ComplaintCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=ANY, leads_to=None,
    time=T.RECORDED_NOW, checks_stage=False,
    terms=Terms(opens=("forward_due", "decision_due")), path="/{application_id}/complaints",
    status_code=201, answers="complaint_id", operation="file_complaint", tag="complaints",
    notice=N("complaint_received"),
)  # fmt: skip
FORWARD_COMPLAINT = ActDefinition(
    name="forward-complaint", noun="forwarding a complaint", basis="§14",
    title="Send the complaint and the administrative file on within 3 working days (§14).",
    event="ComplaintForwarded", command="forward_complaint", request=r.ComplaintForwardCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=ANY, leads_to=None,
    time=T.PAPER_ACT, checks_stage=False,
    terms=Terms(opens=("decision_due",),
                closes=(Closing(K.COMPLAINT_FORWARD, Verdict.JUDGE),)),
    path="/{application_id}/complaints/{complaint_id}/forward", target="complaint_id",
    operation="forward_complaint", tag="complaints", notice=N("complaint_forwarded"),
)  # fmt: skip
SATISFY_COMPLAINT = ActDefinition(
    name="satisfy-complaint", noun="satisfying a complaint", basis="§14",
    title="Meet the complaint in full at the provider within 3 working days (§14).",
    event="ComplaintSatisfied", command="satisfy_complaint",
    request=r.ComplaintSatisfactionCreate, roles=STAFF, scope=Scope.PROVIDER, from_stages=ANY,
    leads_to=None,
    time=T.PAPER_ACT, checks_stage=False, effect=ListEffect.REMEDIES,
    terms=Terms(opens=REOPENED_TERMS,
                closes=(Closing(K.COMPLAINT_FORWARD, Verdict.JUDGE),
                        Closing(K.COMPLAINT_DECISION, Verdict.VOID))),
    path="/{application_id}/complaints/{complaint_id}/satisfy", target="complaint_id",
    operation="satisfy_complaint", tag="complaints", notice=N("complaint_satisfied", sms=True),
)  # fmt: skip
DECIDE_COMPLAINT = ActDefinition(
    name="decide-complaint", noun="a complaint decision", basis="§14",
    title="Decide the complaint, with any remedy: the provider's head or a complaint body (§14).",
    event="ComplaintDecided", command="decide_complaint", request=r.ComplaintDecisionCreate,
    roles=COMPLAINT_DECIDERS, scope=Scope.DECIDING_BODY, from_stages=ANY, leads_to=None,
    time=T.PAPER_ACT,
    checks_stage=False, effect=ListEffect.REMEDIES,
    terms=Terms(opens=REOPENED_TERMS,
                closes=(Closing(K.COMPLAINT_DECISION, Verdict.JUDGE),
                        Closing(K.COMPLAINT_FORWARD, Verdict.VOID_IN_TIME))),
    path="/{application_id}/complaints/{complaint_id}/decide", target="complaint_id",
    operation="decide_complaint", tag="complaints", notice=N("complaint_decided", sms=True),
)  # fmt: skip


# -- the court (§15) ----------------------------------------------------------------------

RECORD_COURT_DECISION = ActDefinition(
    name="record-court-decision", noun="a court's decision", basis="§15",
    title="Record a court's decision (number, date, court) and give its operative part effect "
          "(§15).",
    event="CourtDecided", command="record_court_decision", request=r.CourtDecisionCreate,
    roles=COURT_RECORDERS, scope=Scope.COURT_OR_PROVIDER, from_stages=ANY, leads_to=None,
    time=T.PAPER_ACT, checks_stage=False, effect=ListEffect.REMEDIES,
    terms=Terms(opens=REOPENED_TERMS), path="/{application_id}/court-decisions",
    status_code=201, operation="record_court_decision", tag="complaints",
)  # fmt: skip
