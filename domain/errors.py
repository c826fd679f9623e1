"""Named domain errors: each one names the rule of the procedure it enforces and its paragraph.

"§N" is paragraph N of the Rules (order No. 441), "Std N" a row of its Public Service Standard,
"Art. N" an article of the Law "On Housing Relations". The API maps every DomainError to
409 Conflict with `rule` and `paragraph` in the problem document.
"""

from __future__ import annotations


class DomainError(Exception):
    """An act the procedure does not allow at this point. Nothing was written."""

    rule: str = "procedure"
    paragraph: str = "§3-§15"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"{detail} [{self.rule}, {self.paragraph}]")


class ActOutOfOrder(DomainError):
    rule = "acts follow the course of the procedure"
    paragraph = "§7-§14"


class ActBeforePreviousAct(DomainError):
    rule = "acts take effect in chronological order"
    paragraph = "§7-§14"


class ActInTheFuture(DomainError):
    rule = "an act cannot take effect later than it is recorded"
    paragraph = "§7"


class TimeNotYours(ValueError):
    """Malformed input: the caller sent a moment for an act whose time is the server's."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"{field}: this act is recorded at the server's time; send no moment")


class BackdatingWithoutReason(DomainError):
    rule = "an act dated earlier than it is recorded states why, in writing"
    paragraph = "time policy (docs/security.md); §7"


class BackdatedTooFar(DomainError):
    rule = "a paper act is dated at most 3 working days back; the portal's receipt 24 hours"
    paragraph = "time policy (docs/security.md); §7"


class ActBeforeFiling(DomainError):
    rule = "an application is accepted on the day of its receipt or the next working day"
    paragraph = "§7"


class WrongProvider(DomainError):
    rule = "only the application's own service provider acts on it"
    paragraph = "§1"


class ActorNotEntitled(DomainError):
    rule = "the act is performed or signed by the person the Rules name"
    paragraph = "§6, §10-§14"


class NotTheApplicant(DomainError):
    rule = "only the service recipient acts on their own application (signed by EDS)"
    paragraph = "§6"


class UnknownProvider(ValueError):
    """Malformed input rather than a broken rule: no such service provider (§1)."""


class ApplicationNotFound(LookupError):
    """No application with that id."""


class TooManyConflicts(Exception):
    """Concurrent acts kept conflicting; the act was not recorded and may be retried."""


class ResidenceRuleNotChecked(DomainError):
    rule = "registration in Astana, Almaty and Shymkent requires 3 years of permanent residence"
    paragraph = "§5"


class DocumentsStillMissing(DomainError):
    rule = "the package is complete only with every document the Standard requires"
    paragraph = "§10, Std 8"


class NothingMissing(DomainError):
    rule = "an incompleteness notice names what is missing"
    paragraph = "§10"


class CorrectionAfterDeadline(DomainError):
    rule = "documents are brought into compliance within 2 working days of the notice"
    paragraph = "§10, §11"


class RefusalBeforeCorrectionDeadline(DomainError):
    rule = "refusal to consider further only once the 2 working days for correction expired"
    paragraph = "§11"


class VerificationIncomplete(DomainError):
    rule = "verification covers every check against the state information systems"
    paragraph = "§11, §5"


class RegistrationBeforeVerification(DomainError):
    rule = "registration follows a verification that found no grounds for refusal"
    paragraph = "§11, §12"


class RefusalWithoutHearing(DomainError):
    rule = "a refusal is preceded by a hearing on the preliminary decision"
    paragraph = "§13"


class HearingBeforeItsTime(DomainError):
    rule = "the hearing is held at the time and place the notice gave, so the applicant can come"
    paragraph = "§13"


class RefusalOnUnheardGround(DomainError):
    rule = "a refusal rests on the ground that was notified and heard"
    paragraph = "§13, Std 9"


class CorrectionBringsNothingNamed(DomainError):
    rule = "a correction brings what the incompleteness notice named"
    paragraph = "§10"


class ComplaintAboutOwnAct(DomainError):
    rule = "a complaint concerns a decision, action or inaction of the provider"
    paragraph = "§14"


class HearingNoticeTooLate(DomainError):
    rule = "the hearing notice is sent at least 3 working days before the end of the term"
    paragraph = "§13"


class HearingTooLate(DomainError):
    rule = "the hearing is held no later than 2 working days from the notice"
    paragraph = "§13"


class RefusalWithoutReasons(DomainError):
    rule = "a refusal is reasoned and rests on a ground of the Standard"
    paragraph = "§12.2, §13, Std 9"


class DataUpdateWhileNotRegistered(DomainError):
    rule = "data are updated (Appendix 3) during consideration or on the waiting list"
    paragraph = "§11, Appendix 3"


class UnknownNoticeNamed(DomainError):
    """The update names a notice the ledger never sent (404, as an unknown complaint)."""

    rule = "a data update counts its term from a notice the provider sent"
    paragraph = "§11, Std 8"


class NoticeNotDeliveredBySms(DomainError):
    rule = (
        "the data update term counts from the receipt of an SMS notice only when that notice"
        " went to this application's applicant and its SMS was recorded as delivered"
    )
    paragraph = "§11, Std 8"


class IncomePeriodNotTheLastYear(DomainError):
    rule = "the income declared is that of the twelve months before applying"
    paragraph = "Appendix 1 item 4"


class GroundsNotYetArisen(DomainError):
    rule = "a data update states grounds that arose by the day it is made"
    paragraph = "§11, Std 8, Appendix 3"


class CategoryNotOfTheList(DomainError):
    rule = (
        "a data update changes the category within the application's list; another list is"
        " another application"
    )
    paragraph = "Art. 74 para 2, Appendix 1 item 2, Appendix 3"


class UpdateWithoutDocuments(DomainError):
    rule = "a data update brings the documents that the changed data require"
    paragraph = "Appendix 3, Std 8"


class UnknownFamilyMember(DomainError):
    rule = "the data update names the applicant or a member of their family"
    paragraph = "Appendix 3"


class UnknownComplaint(DomainError):
    rule = "a complaint is acted on after it was filed"
    paragraph = "§14"


class ComplaintAlreadyClosed(DomainError):
    rule = "a complaint is forwarded, satisfied or decided once"
    paragraph = "§14"


class ComplaintForwardTooLate(DomainError):
    rule = "the provider forwards a complaint with the file within 3 working days"
    paragraph = "§14"


class ComplaintSatisfactionTooLate(DomainError):
    rule = "the provider may itself satisfy a complaint only within 3 working days"
    paragraph = "§14"


class ComplaintNotBeforeBody(DomainError):
    rule = "a complaint is decided by the body it was filed with or forwarded to"
    paragraph = "§14"


class WorseningOutsideFiveYears(DomainError):
    rule = "a deliberate worsening of living conditions counts over the past five years, dated"
    paragraph = "§11"


class DocumentFromStateSystems(DomainError):
    rule = "documents and information the state information systems supply are not demanded"
    paragraph = "§9, §12"


class CourtDecisionOutOfRecord(DomainError):
    rule = "a court's decision is dated within the case: after the filing, not after its recording"
    paragraph = "§15"


class RemedyNotApplicable(DomainError):
    rule = "a remedy restores what the complained-of act changed"
    paragraph = "§14, Art. 74"


class DuplicateActiveApplication(DomainError):
    rule = "one active application per citizen, provider and list"
    paragraph = "Art. 74 para 2"


class NotOnTheList(DomainError):
    rule = "the act concerns a citizen on the waiting list"
    paragraph = "Art. 73, Art. 74"


class NotHeadOfList(DomainError):
    rule = "housing is offered in the order of the list"
    paragraph = "Art. 74 para 1"


class HousingNotAsChosen(DomainError):
    rule = "housing is offered from the stock and on the floors the applicant accepts"
    paragraph = "Appendix 1, item 12, Art. 75"


class SmallerHousingRefused(DomainError):
    rule = "housing below the norm is not offered to whom refused it"
    paragraph = "Appendix 1 item 12, Art. 75"


class RefusalReasonUnsupported(DomainError):
    rule = "a valid reason for refusing an offer is shown by a document"
    paragraph = "Art. 74, Art. 75"


class DeregistrationGroundNotMet(DomainError):
    rule = (
        "a citizen is taken off the list for refused offers after two refused without a"
        " valid reason"
    )
    paragraph = "Art. 73, Art. 75"


class UnknownOffer(DomainError):
    rule = "housing is provided on an offer that was made"
    paragraph = "Art. 75"


class OfferNotOpen(DomainError):
    rule = "housing is provided on an offer made and not declined"
    paragraph = "Art. 75"


class SuccessorNotInFamily(DomainError):
    rule = "the place passes to a member of the registered citizen's family"
    paragraph = "Art. 73"
