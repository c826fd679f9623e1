"""Request bodies of the acts (§3-§14, Art. 73-75), one model per act; the HTTP API takes
them as they are, and the act declarations name them.

Each reuses the domain's own value objects (what is missing, each check, the hearing notice,
the complaint, the administrative file, the dwelling, the Appendix 3 form) and carries a
realistic example, which the OpenAPI document shows for its operation.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain import limits
from domain.forms import ApplicationForm, DataUpdateForm, IINText, PhoneText, SupportingDocument
from domain.limits import AtMost
from domain.records import (
    AdministrativeFile,
    CheckResult,
    ComplaintForm,
    Dwelling,
    HearingNotice,
    MissingItem,
)
from domain.text import Line, Prose
from domain.values import (
    ComplaintBody,
    ComplaintOutcome,
    DeregistrationGround,
    HearingOutcome,
    OfferRefusalReason,
    RefusalGround,
    Remedy,
    Status,
    SuccessionCause,
)


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicantActCreate(Schema):
    """An act of the applicant: it takes effect when the server records it, so the body
    carries no moment (one sent is refused, naming the field)."""


class ActCreate(Schema):
    """An act of staff or of a complaint body: recorded now, or, for a paper act done
    earlier, dated up to 3 working days back with the reason why (docs/security.md)."""

    effective_at: AwareDatetime | None = Field(
        default=None,
        description=(
            "Only for a paper act done earlier: when it took effect (ISO 8601 with offset), at"
            " most 3 working days back and never before the previous act; needs"
            " backdating_reason. Absent: the server's time. Terms are judged on the later of"
            " this day and the day the act is recorded."
        ),
    )
    backdating_reason: Annotated[str, Prose(limits.NOTE_CHARS)] | None = Field(
        default=None,
        min_length=1,
        description="Why the act is recorded later than it took effect (kept in the event).",
    )


class NoticeCreate(Schema):
    """A notice to the applicant (§10, §13): it takes effect when the server records it, since
    its terms run from when the applicant can see it; the body carries no moment."""


class ApplicationCreate(Schema):
    """Appendix 1, filed by the applicant on the portal."""

    provider: Annotated[str, Line(limits.CODE_CHARS)] = Field(min_length=1, examples=["almaty"])
    received_at: AwareDatetime | None = Field(
        default=None,
        description=(
            "The portal's own receipt time, for the portal's system role only: at most 24"
            " hours back, never in the future. Absent (and always for an applicant): the"
            " moment Kezek receives the application, which fixes its priority."
        ),
    )
    form: ApplicationForm


SHA = "b5f273b8409ccdab5dffaf525942dfa1312df9dd822794067dbee81bfdd66f94"
SCAN = {"kind": "sanitary_conclusion", "title": "Sanitary conclusion No. 118", "sha256": SHA}


def example(**body: Any) -> ConfigDict:
    """Forbid unknown fields and show `body` as the operation's example."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [body]})


_PROSE = Prose(limits.PROSE_CHARS)
Reasons = Annotated[str, _PROSE, Field(min_length=1, description="The reasons given.")]
OptionalReasons = Annotated[str, _PROSE, Field(description="The reasons, if any.")]
Missing = Annotated[list[MissingItem], AtMost(limits.MISSING_ITEMS)]
# Why an act the law still requires comes after its term (recorded, and shown missed).
LateReason = Annotated[str, Prose(limits.NOTE_CHARS)] | None


def late_reason(description: str) -> Any:
    """The field of a late act's reason: absent when the act is in time."""
    return Field(default=None, min_length=1, description=description)


REOPEN_AT = (
    "With remedy reopen: the stage consideration resumes at (accepted, complete or verified);"
    " its terms run again from the decision's day."
)


# -- consideration (§10-§13) --------------------------------------------------------------


class AssignmentCreate(ActCreate):
    """§10 ¶1: the officer of the responsible unit the head sends the application to."""

    model_config = example(officer_id="officer-almaty-3")
    officer_id: Annotated[str, Line(limits.CODE_CHARS)] = Field(
        min_length=1, description="The staff reference of the officer responsible."
    )


class IncompletenessNoticeCreate(NoticeCreate):
    """§10: what the package lacks; the applicant then has 2 working days."""

    model_config = example(
        missing=[{"document": "sanitary_conclusion", "description": "Std 8: sanitary conclusion"}]
    )
    missing: Missing = Field(description="Every missing item (at least one, §10).")


class CompletenessFindingCreate(ActCreate):
    """§10, §11: the package is complete; the 10-day verification starts."""

    model_config = example()


class CorrectionCreate(ApplicantActCreate):
    """§10, §11: the documents that bring the package into compliance."""

    model_config = example(documents=[SCAN])
    documents: Annotated[list[SupportingDocument], AtMost(limits.DOCUMENTS)] = Field(min_length=1)


class StillIncompleteCreate(NoticeCreate):
    """§10, §11: what the corrected package still lacks; the notice's term keeps running."""

    model_config = example(
        missing=[{"document": "sanitary_conclusion", "description": "The scan is not a conclusion"}]
    )
    missing: Missing = Field(min_length=1, description="Every item still missing.")


class FurtherConsiderationRefusalCreate(ActCreate):
    """§11: the head's refusal to consider further an application not corrected in time."""

    model_config = example(reasons="The missing sanitary conclusion was not brought in time.")
    reasons: Reasons


class VerificationCreate(ActCreate):
    """§11, §5: every check against the state information systems, with its source."""

    model_config = example(
        checks=[
            {"check": "permanent_registration", "outcome": "passed", "source": "ENSRPO",
             "residence_years": 5},
            {"check": "category", "outcome": "passed", "source": "ENSRPO"},
            {"check": "income", "outcome": "passed", "source": "IS Income"},
            {"check": "no_housing_owned", "outcome": "passed", "source": "ENSRPO"},
            {"check": "no_deliberate_worsening", "outcome": "passed", "source": "ENSRPO"},
        ]
    )  # fmt: skip
    checks: Annotated[list[CheckResult], AtMost(limits.CHECKS)] = Field(min_length=1)


class HearingNoticeCreate(NoticeCreate):
    """§13: the preliminary refusal, its ground and reasons, and when and where it is heard."""

    model_config = example(
        ground="non_compliance",
        reasons="The state register shows a flat owned by the applicant since 2021.",
        notice={"hearing_at": "2024-03-20T15:00:00+05:00", "place": "Almaty CSC, room 214"},
    )
    ground: RefusalGround
    reasons: Reasons
    notice: HearingNotice
    late_because: LateReason = late_reason(
        "Only for a notice later than 3 working days before the 15-day term ends (grounds"
        " found late): why. The notice is recorded, and shown as a missed term (§13)."
    )


class HearingRecordCreate(ActCreate):
    """§13: what the applicant said at the hearing and how it ended."""

    model_config = example(
        applicant_position="The flat was sold in 2023; the contract is attached.",
        outcome="positive",
        reasons="The sale is confirmed by the register; no ground for refusal remains.",
    )
    applicant_position: Annotated[str, _PROSE] = Field(min_length=1)
    outcome: HearingOutcome
    reasons: Reasons
    late_because: LateReason = late_reason(
        "Only for a hearing held after the 2 working days its notice set: why (and how the"
        " applicant was told the new time). Recorded, and shown as a missed term (§13)."
    )


class RefusalCreate(ActCreate):
    """§12.2, §13, Std 9: the head's reasoned refusal after the hearing."""

    model_config = example(
        ground="non_compliance",
        reasons="The applicant owns a dwelling (Std 9(2)); the hearing brought nothing new.",
    )
    ground: RefusalGround
    reasons: Reasons


# -- on the list (§12.1, Art. 73-75) ------------------------------------------------------


class RegistrationCreate(ActCreate):
    """§12.1: put the citizen on the list with the number they now hold."""

    model_config = example()


class DataUpdateCreate(ApplicantActCreate):
    """§11, Std 8: the Appendix 3 form, filed by the citizen during consideration or on the
    list, with its two declarations and EDS signature; `category_code` changes the category
    within the list. `after_notice` names the SMS notice that prompted the update: its 15
    working days then count from the day the ledger recorded that SMS as delivered."""

    model_config = example(
        update={
            "applicant_iin": "400104300009",
            "family_member_iin": "050104600003",
            "reason": "Our son was born; the family now has three members.",
            "grounds_arose_on": "2024-03-15",
            "documents": [{"kind": "other", "title": "Birth certificate", "sha256": SHA}],
            "phone": "+77011234567",
            "consents": {"housing_check": True, "protected_secret": True},
            "signature": "eds-signature-7f3a9c2e4b1d8065",
        }
    )
    update: DataUpdateForm
    after_notice: UUID | None = Field(
        default=None,
        description="the notice (its id in the personal account) whose SMS prompted the update",
    )


class WithdrawalCreate(ApplicantActCreate):
    """The applicant withdraws the application or leaves the list of their own will."""

    model_config = example(reasons="We bought a flat with a mortgage.")
    reasons: OptionalReasons = ""


class DeregistrationCreate(ActCreate):
    """Art. 73: the head takes the citizen off the list on a ground of the Law."""

    model_config = example(
        ground="moved_away", reasons="Permanent registration moved to Karaganda on 1 March 2024."
    )
    ground: DeregistrationGround
    reasons: Reasons


class SuccessionCreate(ActCreate):
    """Art. 73: the place passes, with its priority, to a member of the family."""

    model_config = example(
        cause="death",
        successor_iin="050104600003",
        reasons="The registered citizen died on 2 March 2024; the spouse takes the place.",
    )
    cause: SuccessionCause
    successor_iin: IINText = Field(description="The family member who takes the place.")
    reasons: Reasons
    successor_phone: PhoneText | None = Field(
        default=None,
        description="The successor's mobile phone (+7XXXXXXXXXX) for the notices by SMS;"
        " none: the notices go to the phone the application gave until a data update.",
    )


class OfferCreate(ActCreate):
    """Art. 74, 75: a dwelling from the state stock offered to the citizen."""

    model_config = example(
        dwelling={
            "address": "Almaty, Samal microdistrict, block 12, flat 48",
            "rooms": 2,
            "useful_area_m2": "41.60",
            "floor": 5,
        }
    )
    dwelling: Dwelling


class OfferDeclineCreate(ApplicantActCreate):
    """Art. 73-75: the citizen declines the offer and keeps their place; a valid reason (health,
    the dwelling unfit, the family changed) comes with its document, and a refusal without one
    of a dwelling that met the norm and the choices counts: after two, a ground to deregister."""

    model_config = example(
        reason="no_valid_reason", reasons="The flat is on the other side of the city from my work."
    )
    reason: OfferRefusalReason
    document: SupportingDocument | None = None
    reasons: OptionalReasons = ""


class HousingProvisionCreate(ActCreate):
    """Art. 73, 75: the head's decision to provide the offered dwelling."""

    model_config = example(reasons="Offer o1 accepted by the citizen on 19 March 2024.")
    reasons: Reasons


# -- complaints (§14) ---------------------------------------------------------------------


class ComplaintCreate(ApplicantActCreate):
    """§14: the applicant's complaint about a decision, an action or inaction."""

    model_config = example(
        complaint={
            "subject": "inaction",
            "filed_with": "provider",
            "text": "Fifteen working days have passed and my application is not decided.",
            "concerns_version": 2,
        }
    )
    complaint: ComplaintForm


class ComplaintForwardCreate(ActCreate):
    """§14: the complaint and the administrative file sent on to the body that decides it."""

    model_config = example(
        to_body="quality_body",
        administrative_file={"reference": "exports/almaty/2024/0318-17.zip", "sha256": SHA,
                             "up_to_version": 5},
    )  # fmt: skip
    to_body: ComplaintBody
    administrative_file: AdministrativeFile | None = Field(
        default=None,
        description="Absent: Kezek exports the case bundle itself, keeps it, and names it here.",
    )
    late_because: LateReason = late_reason(
        "Only for a forward after the 3 working days: why. The forward is recorded, and"
        " shown as a missed term (§14)."
    )


class ComplaintSatisfactionCreate(ActCreate):
    """§14: what the provider did to meet the complaint in full itself."""

    model_config = example(
        action_taken="The refusal is revoked; the application is verified again.",
        remedy="reopen",
        reopen_at="complete",
    )
    action_taken: Annotated[str, _PROSE] = Field(min_length=1)
    remedy: Remedy = Field(
        default=Remedy.NONE,
        description="What the action does: reopen or restore_place (correct_priority is a body's).",
    )
    reopen_at: Status | None = Field(default=None, description=REOPEN_AT)


class CourtDecisionCreate(ActCreate):
    """§15: a court's decision on the case, with its number, date and court, and what its
    operative part does (the remedies of a complaint decision)."""

    model_config = example(
        court="Specialised inter-district administrative court of Almaty",
        decision_number="7599-24-00-4a/112",
        decided_on="2024-05-20",
        outcome="upheld",
        operative_part="The refusal of 5 April 2024 is annulled; verify the application again.",
        remedy="reopen",
        reopen_at="complete",
    )
    court: Annotated[str, Line(limits.LINE_CHARS)] = Field(min_length=1)
    decision_number: Annotated[str, Line(limits.CODE_CHARS)] = Field(min_length=1)
    decided_on: date
    outcome: ComplaintOutcome = Field(
        description="upheld or partially_upheld: the claim against the provider succeeded."
    )
    operative_part: Reasons
    remedy: Remedy = Remedy.NONE
    reopen_at: Status | None = Field(default=None, description=REOPEN_AT)
    corrected_priority: AwareDatetime | None = None
    restores_version: int | None = Field(default=None, ge=1)
    earlier_than_filing_because: Annotated[str, _PROSE] = ""


class ComplaintDecisionCreate(ActCreate):
    """§14, Art. 74: the decision on the complaint, with any remedy."""

    model_config = example(
        outcome="upheld",
        reasons="The ground of deregistration was not established; the place is restored.",
        remedy="restore_place",
    )
    outcome: ComplaintOutcome
    reasons: Reasons
    remedy: Remedy = Remedy.NONE
    corrected_priority: AwareDatetime | None = Field(
        default=None,
        description=(
            "With remedy correct_priority: the priority moment due; absent, the moment of the"
            " act it restores. Never before the applicant came of age nor after the decision."
        ),
    )
    restores_version: int | None = Field(
        default=None,
        ge=1,
        description="With remedy correct_priority: the version of the act it restores.",
    )
    earlier_than_filing_because: Annotated[str, _PROSE] = Field(
        default="",
        description="Why the corrected priority lies before the original filing (required then).",
    )
    reopen_at: Status | None = Field(default=None, description=REOPEN_AT)
