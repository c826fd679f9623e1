"""Value objects that events carry besides the citizen's forms: checks, deadlines, offers.

Their text and limits as the forms' (domain/limits.py, domain/text.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain import limits
from domain.forms import Sha256Text
from domain.text import Line, Prose
from domain.values import (
    Check,
    CheckOutcome,
    ComplaintBody,
    ComplaintSubject,
    DeadlineKind,
    DocumentKind,
    HousingStock,
)

# Housing Relations Art. 75: 15 to 18 m2 of useful area a person; below 15 is "below the norm".
AREA_NORM_M2_PER_PERSON = Decimal(15)


class RecordModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Deadline(RecordModel):
    """A statutory term as computed when it started: kept so later calendar fixes change nothing."""

    kind: DeadlineKind
    starts_on: date
    due_on: date
    working_days: int
    basis: Annotated[str, Line(limits.LINE_CHARS)]


class MissingItem(RecordModel):
    """One item an incompleteness notice names (§10)."""

    document: DocumentKind | None = None
    description: Annotated[str, Prose(limits.NOTE_CHARS)] = Field(min_length=1)
    # Std 8: a document the state systems supply (§9) is named only when the system asked
    # holds no data on it; which system, and what it answered (absent in older notices).
    not_in_state_system: Annotated[str, Line(limits.LINE_CHARS)] | None = Field(
        default=None, min_length=1
    )


class CheckResult(RecordModel):
    """One check against a state information system (§11), with where the answer came from."""

    check: Check
    outcome: CheckOutcome
    source: Annotated[str, Line(limits.LINE_CHARS)] = Field(
        min_length=1, description="information system queried"
    )
    detail: Annotated[str, Prose(limits.NOTE_CHARS)] = ""
    residence_years: int | None = Field(
        default=None, ge=0, description="years of permanent registration, where §5 applies"
    )
    found_on: date | None = Field(
        default=None,
        description=(
            "When what the check found happened (a failed no_deliberate_worsening: the day of"
            " the worsening, within the five years before the filing, §11)."
        ),
    )


class HearingNotice(RecordModel):
    """§13: the time and place (or method) of the hearing on a preliminary refusal."""

    hearing_at: AwareDatetime
    place: Annotated[str, Line(limits.ADDRESS_CHARS)] = Field(min_length=1)


class ComplaintForm(RecordModel):
    """§14: a complaint about a decision, an action or inaction of the provider."""

    subject: ComplaintSubject
    filed_with: ComplaintBody
    text: Annotated[str, Prose(limits.PROSE_CHARS)] = Field(min_length=1)
    concerns_version: int | None = Field(
        default=None, ge=1, description="version of the application whose act is complained of"
    )


class AdministrativeFile(RecordModel):
    """The case file that travels with a forwarded complaint (§14): a sealed export bundle."""

    reference: Annotated[str, Line(limits.ADDRESS_CHARS)] = Field(min_length=1)
    sha256: Sha256Text
    up_to_version: int = Field(ge=1)


class Dwelling(RecordModel):
    """A dwelling offered from the state housing stock."""

    address: Annotated[str, Line(limits.ADDRESS_CHARS)] = Field(min_length=1)
    rooms: int = Field(ge=1, le=10)
    useful_area_m2: Decimal = Field(gt=0, max_digits=7, decimal_places=2)
    floor: int | None = None
    stock: HousingStock = HousingStock.STATE  # offers before it was recorded: state stock
