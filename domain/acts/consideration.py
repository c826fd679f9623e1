"""Filing and consideration: from the application to registration or refusal (§3-§13)."""

from __future__ import annotations

from domain.actors import APPLICANT, SIGNATORY, STAFF
from domain.acts import requests as r
from domain.acts.definition import ActDefinition, Closing, ListEffect, Scope, Terms, Verdict
from domain.values import DeadlineKind as K
from domain.values import Status as S  # noqa: N817

FILE = ActDefinition(
    name="file", noun="an application", basis="§3, §6, Appendix 1",
    title="File an application (Appendix 1) as the applicant it names.",
    event="Applied", command="apply_for", request=r.ApplicationCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=frozenset(), leads_to=S.SUBMITTED,
    effect=ListEffect.FILES, path="", operation="submit_application", status_code=201,
    tag="filing",
)  # fmt: skip
ACCEPT = ActDefinition(
    name="accept", noun="acceptance", basis="§7, §8",
    title="Accept the application on its reception day (§7, §8).",
    event="Accepted", command="accept", request=r.ActCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.SUBMITTED}), leads_to=S.ACCEPTED,
    terms=Terms(opens=("completeness_due", "consideration_due")), operation="accept_application",
    tag="filing",
)  # fmt: skip
NOTIFY_INCOMPLETE = ActDefinition(
    name="notify-incomplete", noun="an incompleteness notice", basis="§10",
    title="Tell the applicant what the package lacks; they have 2 working days (§10).",
    event="NotifiedIncomplete", command="notify_incomplete", request=r.IncompletenessNoticeCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.ACCEPTED}),
    leads_to=S.INCOMPLETE, operation="notify_incomplete", tag="consideration",
    terms=Terms(opens=("correction_due",), closes=(Closing(K.COMPLETENESS_CHECK, Verdict.JUDGE),)),
)  # fmt: skip
FIND_COMPLETE = ActDefinition(
    name="find-complete", noun="a completeness finding", basis="§10, §11",
    title="Find the package complete; the 10-day verification starts (§10, §11).",
    event="FoundComplete", command="find_complete", request=r.CompletenessFindingCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.ACCEPTED}),
    leads_to=S.COMPLETE, operation="find_complete", tag="consideration",
    terms=Terms(opens=("verification_due",),
                closes=(Closing(K.COMPLETENESS_CHECK, Verdict.JUDGE),)),
)  # fmt: skip
CORRECT = ActDefinition(
    name="correct", noun="a correction", basis="§10, §11, Art. 74 para 1",
    title="Bring the package into compliance within 2 working days, as the applicant (§10, §11).",
    event="Corrected", command="correct", request=r.CorrectionCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=frozenset({S.INCOMPLETE}),
    leads_to=S.COMPLETE, operation="correct_package", tag="consideration",
    terms=Terms(opens=("verification_due",), closes=(Closing(K.CORRECTION, Verdict.JUDGE),)),
)  # fmt: skip
REFUSE_FURTHER_CONSIDERATION = ActDefinition(
    name="refuse-further-consideration", noun="a refusal to consider further", basis="§11",
    title="Refuse to consider further a package not corrected in time, signed by the head (§11).",
    event="RefusedFurtherConsideration", command="refuse_further_consideration",
    request=r.FurtherConsiderationRefusalCreate, roles=SIGNATORY, scope=Scope.PROVIDER,
    from_stages=frozenset({S.INCOMPLETE}), leads_to=S.NOT_CONSIDERED, effect=ListEffect.ENDS,
    operation="refuse_further_consideration", tag="consideration",
    terms=Terms(closes=(Closing(K.CONSIDERATION, Verdict.JUDGE),
                        Closing(K.CORRECTION, Verdict.LAPSE)), ends_consideration=True),
)  # fmt: skip
VERIFY = ActDefinition(
    name="verify", noun="verification", basis="§11, §5",
    title="Record every check against the state information systems, with its source (§11, §5).",
    event="Verified", command="verify", request=r.VerificationCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.COMPLETE}),
    leads_to=None, operation="verify_application", tag="consideration",  # or grounds found
    terms=Terms(closes=(Closing(K.VERIFICATION, Verdict.JUDGE),)),
)  # fmt: skip
SCHEDULE_HEARING = ActDefinition(
    name="schedule-hearing", noun="a hearing notice", basis="§13, Std 9",
    title="Notify the preliminary refusal and when and where it is heard (§13, Std 9).",
    event="HearingScheduled", command="schedule_hearing", request=r.HearingNoticeCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.VERIFIED, S.GROUNDS_FOUND}),
    leads_to=S.HEARING_SCHEDULED, operation="schedule_hearing", tag="consideration",
    terms=Terms(opens=("hearing_due",), closes=(Closing(K.HEARING_NOTICE, Verdict.JUDGE),)),
)  # fmt: skip
HOLD_HEARING = ActDefinition(
    name="hold-hearing", noun="a hearing", basis="§13",
    title="Record the hearing: the applicant's position and its outcome (§13).",
    event="HearingHeld", command="hold_hearing", request=r.HearingRecordCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.HEARING_SCHEDULED}),
    leads_to=S.HEARING_HELD, operation="hold_hearing", tag="consideration",
    terms=Terms(closes=(Closing(K.HEARING, Verdict.JUDGE),)),
)  # fmt: skip
# Registration and refusal check their stage themselves: a wrong one names the rule it breaks
# (no verification yet, no hearing held) rather than only the stage.
REFUSE = ActDefinition(
    name="refuse", noun="a refusal", basis="§12.2, §13, Std 9",
    title="Refuse registration on a ground of Std 9 after the hearing, signed by the head (§12.2).",
    event="Refused", command="refuse", request=r.RefusalCreate,
    roles=SIGNATORY, scope=Scope.PROVIDER, from_stages=frozenset({S.HEARING_HELD}),
    leads_to=S.REFUSED, checks_stage=False, effect=ListEffect.ENDS,
    operation="refuse_registration", tag="consideration",
    terms=Terms(closes=(Closing(K.CONSIDERATION, Verdict.JUDGE),), ends_consideration=True),
)  # fmt: skip
REGISTER = ActDefinition(
    name="register", noun="registration", basis="§12.1, Std 5, Art. 74",
    title="Put the citizen on the list with the queue number they now hold (§12.1, Std 5).",
    event="Registered", command="register", request=r.RegistrationCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.VERIFIED, S.HEARING_HELD}),
    leads_to=S.REGISTERED, checks_stage=False, effect=ListEffect.JOINS,
    operation="register_on_list", tag="on the list",
    terms=Terms(closes=(Closing(K.CONSIDERATION, Verdict.JUDGE),), ends_consideration=True),
)  # fmt: skip
