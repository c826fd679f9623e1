"""Closed vocabularies of the procedure. Their values are stored in events forever: never rename."""

from __future__ import annotations

from enum import Enum


class Said:
    """A value of a closed vocabulary in its own words, for messages people read (the value
    itself, stored forever, is a code: `hearing_scheduled`, said "hearing scheduled")."""

    value: str

    @property
    def said(self) -> str:
        return self.value.replace("_", " ")


class Status(Said, Enum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    INCOMPLETE = "incomplete"
    CORRECTED = "corrected"  # the applicant answered the notice; the officer finds it (§10)
    COMPLETE = "complete"
    VERIFIED = "verified"
    GROUNDS_FOUND = "grounds_found"
    HEARING_SCHEDULED = "hearing_scheduled"
    HEARING_HELD = "hearing_held"
    REGISTERED = "registered"
    OFFERED = "offered"
    REFUSED = "refused"
    NOT_CONSIDERED = "not_considered"
    WITHDRAWN = "withdrawn"
    DEREGISTERED = "deregistered"
    HOUSED = "housed"


ON_THE_LIST = frozenset({Status.REGISTERED, Status.OFFERED})
# From acceptance to the decision: the application is under consideration (§7-§13).
UNDER_CONSIDERATION = frozenset(
    {
        Status.ACCEPTED,
        Status.INCOMPLETE,
        Status.CORRECTED,
        Status.COMPLETE,
        Status.VERIFIED,
        Status.GROUNDS_FOUND,
        Status.HEARING_SCHEDULED,
        Status.HEARING_HELD,
    }
)
CLOSED = frozenset(
    {Status.REFUSED, Status.NOT_CONSIDERED, Status.WITHDRAWN, Status.DEREGISTERED, Status.HOUSED}
)


class Role(Said, Enum):
    APPLICANT = "applicant"
    OFFICER = "officer"
    HEAD = "head"
    COMPLAINT_BODY = "complaint_body"
    COURT = "court"
    AUDITOR = "auditor"
    SYSTEM = "system"
    PORTAL = "portal"  # the e-government portal's own system, which forwards filings


class DocumentKind(Enum):
    """Documents of Std 8 that the applicant may have to attach."""

    CERTIFICATE_FROM_WORK = "certificate_from_work"
    SANITARY_CONCLUSION = "sanitary_conclusion"
    TECHNICAL_REPORT = "technical_report"
    TECHNICAL_PASSPORT = "technical_passport"
    TITLE_DOCUMENT = "title_document"
    CHRONIC_DISEASE_PROOF = "chronic_disease_proof"
    SOCIAL_STATUS_PROOF = "social_status_proof"
    INCOME_STATEMENT = "income_statement"
    COURT_DECISION_FAMILY = "court_decision_family"
    GUARDIANSHIP_DECISION = "guardianship_decision"
    OTHER = "other"


class Relation(Enum):
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    WARD = "ward"
    RECOGNISED_BY_COURT = "recognised_by_court"


class IncomeKind(Enum):
    WAGES = "wages"
    SOCIAL_PAYMENTS = "social_payments"
    BUSINESS = "business"
    ALIMONY = "alimony"
    SUBSIDIARY_FARMING = "subsidiary_farming"
    OTHER = "other"


class HousingCondition(Enum):
    """Why the present dwelling fails (Std 8 item 3), each needing its own document."""

    SANITARY = "sanitary"
    TECHNICAL = "technical"
    SHARED_NON_ISOLATED = "shared_non_isolated"
    CHRONIC_DISEASE_COHABITATION = "chronic_disease_cohabitation"


class Check(Enum):
    """The checks against state information systems of §11 (and §5)."""

    PERMANENT_REGISTRATION = "permanent_registration"
    CATEGORY = "category"
    INCOME = "income"
    NO_HOUSING_OWNED = "no_housing_owned"
    NO_DELIBERATE_WORSENING = "no_deliberate_worsening"


class CheckOutcome(Enum):
    PASSED = "passed"
    FAILED = "failed"


class RefusalGround(Said, Enum):
    """Std 9: the only grounds on which the service may be refused."""

    UNRELIABLE_DOCUMENTS = "unreliable_documents"
    NON_COMPLIANCE = "non_compliance"


class HearingOutcome(Enum):
    POSITIVE = "positive"
    REFUSAL = "refusal"


class ComplaintSubject(Enum):
    DECISION = "decision"
    ACTION = "action"
    INACTION = "inaction"


class ComplaintBody(Said, Enum):
    """Who considers a complaint (§14) and so how long they have."""

    PROVIDER = "provider"
    HIGHER_BODY = "higher_body"
    QUALITY_BODY = "quality_body"


class ComplaintStatus(Said, Enum):
    FILED = "filed"
    FORWARDED = "forwarded"
    SATISFIED = "satisfied"
    DECIDED = "decided"


class ComplaintOutcome(Enum):
    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    REJECTED = "rejected"


class Remedy(Enum):
    NONE = "none"
    RESTORE_PLACE = "restore_place"
    CORRECT_PRIORITY = "correct_priority"
    REOPEN = "reopen"  # consideration resumes at the stage the decision names


class DeregistrationGround(Enum):
    """Housing Relations Art. 73: why a citizen leaves the list (housing: HousingProvided)."""

    GROUNDS_CEASED = "grounds_ceased"
    MOVED_AWAY = "moved_away"
    STATE_EMPLOYMENT_ENDED = "state_employment_ended"
    FALSE_INFORMATION = "false_information"
    DEATH = "death"
    # Art. 73 para 1 subpara 1, as read in docs/domain.md ("Refused offers"): two offers that
    # met the norm and the applicant's choices refused without a valid reason.
    OFFERS_REFUSED = "offers_refused"


class OfferRefusalReason(Enum):
    """Why the applicant refuses an offer (Art. 74-75): a valid reason, shown by a document,
    or none. A dwelling below the norm may always be refused (Art. 75)."""

    HEALTH = "health"  # the dwelling does not suit a household member's health
    DWELLING_UNFIT = "dwelling_unfit"  # its condition makes it unfit to live in
    FAMILY_CHANGED = "family_changed"  # the family grew: the dwelling is below its norm now
    NO_VALID_REASON = "no_valid_reason"


class SuccessionCause(Enum):
    """Art. 73: when the registered citizen dies or moves, the place passes to the family."""

    DEATH = "death"
    MOVED_AWAY = "moved_away"


class HousingStock(Enum):
    """Where a dwelling comes from (the Rules' title, Appendix 1)."""

    STATE = "state"  # the state (communal) housing stock
    PRIVATE_RENTED = "private_rented"  # rented by the local executive body in private stock


class StockChoice(Enum):
    """Appendix 1: the stock the applicant asks for (forms before the choice: either)."""

    STATE = "state"
    PRIVATE_RENTED = "private_rented"
    EITHER = "either"

    def allows(self, stock: HousingStock) -> bool:
        return self is StockChoice.EITHER or self.value == stock.value


class DeadlineKind(Enum):
    ACCEPTANCE = "acceptance"  # §7: on the reception day
    COMPLETENESS_CHECK = "completeness_check"
    CORRECTION = "correction"
    VERIFICATION = "verification"
    CONSIDERATION = "consideration"
    HEARING_NOTICE = "hearing_notice"
    HEARING = "hearing"
    COMPLAINT_FORWARD = "complaint_forward"
    COMPLAINT_DECISION = "complaint_decision"
    DATA_UPDATE = "data_update"


class Channel(Enum):
    """Where a notice reaches the applicant: the portal's personal account, or an SMS."""

    ACCOUNT = "account"
    SMS = "sms"
