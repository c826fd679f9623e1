"""What citizens submit: the Appendix 1 application and the Appendix 3 data update.

Validated by pydantic at the boundary, within the stated limits (domain/limits.py) and the
rules of free text (domain/text.py); stored whole in the events that carry them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

from domain import limits
from domain.iin import parse_iin
from domain.limits import AtMost, as_stored
from domain.names import Language
from domain.reference import SERIOUS_CONDITIONS, UnknownReference, get_list_kind
from domain.text import Line, Prose
from domain.values import DocumentKind, HousingCondition, IncomeKind, Relation, StockChoice


def _valid_iin(text: str) -> str:
    return parse_iin(text).value


IINText = Annotated[str, AfterValidator(_valid_iin), Line(12, pattern=r"^[0-9]{12}$")]
Sha256Text = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", max_length=64)]
# ASCII digits: a pydantic `pattern` is a Rust regex, whose \d also matches other scripts' digits.
BINText = Annotated[str, Line(12, pattern=r"^[0-9]{12}$")]
PhoneText = Annotated[str, Line(12, pattern=r"^\+7[0-9]{10}$")]
EmailText = Annotated[str, Line(limits.LINE_CHARS, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Persons = Annotated[tuple[IINText, ...], AtMost(limits.PERSONS_NAMED)]
SIGNATURE_MIN_CHARS = 16


class FormModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FamilyMember(FormModel):
    """Appendix 1 item 3: a member of the family with their relation degree."""

    iin: IINText
    full_name: Annotated[str, Line(limits.LINE_CHARS)] = Field(min_length=1)
    relation: Relation


Family = Annotated[tuple[FamilyMember, ...], AtMost(limits.FAMILY_MEMBERS)]


class IncomeItem(FormModel):
    """Appendix 1 item 4: an income over the last twelve months."""

    kind: IncomeKind
    description: Annotated[str, Prose(limits.LINE_CHARS)] = ""
    amount_kzt: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    member_iin: IINText | None = None


class IncomePeriod(FormModel):
    """Appendix 1 item 4: the twelve months the income declared is of, from the day after the
    same date a year before its last day (a 29 February's year before is the 28th)."""

    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _twelve_months(self, info: ValidationInfo) -> Self:
        if not as_stored(info) and self.starts_on != twelve_months_to(self.ends_on):
            raise ValueError(
                f"Appendix 1 item 4: the income is of twelve months; ending on {self.ends_on}"
                f" they start on {twelve_months_to(self.ends_on)}"
            )
        return self


def twelve_months_to(ends_on: date) -> date:
    """The first day of the twelve months whose last day is `ends_on`."""
    try:
        year_before = ends_on.replace(year=ends_on.year - 1)
    except ValueError:  # 29 February
        year_before = date(ends_on.year - 1, 2, 28)
    return year_before + timedelta(days=1)


SeriousConditions = Annotated[
    tuple[Annotated[str, Line(limits.CODE_CHARS)], ...], AtMost(len(SERIOUS_CONDITIONS))
]


class Guardian(FormModel):
    """Appendix 1 item 10."""

    iin: IINText
    decision_number: Annotated[str, Line(limits.CODE_CHARS)] = Field(min_length=1)
    decision_date: date
    decision_body: Annotated[str, Line(limits.LINE_CHARS)] = Field(min_length=1)


class EmergencyHousing(FormModel):
    """Appendix 1 item 11: the dwelling recognised as emergency."""

    object_type: Annotated[str, Line(limits.CODE_CHARS)] = Field(min_length=1)
    cadastral_number: Annotated[str, Line(limits.CODE_CHARS)] = Field(min_length=1)
    region: Annotated[str, Line(limits.PLACE_CHARS)] = Field(min_length=1)
    district: Annotated[str, Line(limits.PLACE_CHARS)] = ""
    settlement: Annotated[str, Line(limits.PLACE_CHARS)] = Field(min_length=1)
    street: Annotated[str, Line(limits.LINE_CHARS)] = Field(min_length=1)
    house: Annotated[str, Line(limits.HOUSE_CHARS)] = Field(min_length=1)
    building: Annotated[str, Line(limits.HOUSE_CHARS)] = ""
    apartment: Annotated[str, Line(limits.HOUSE_CHARS)] = ""


class SupportingDocument(FormModel):
    """An electronic copy attached under Std 8, referenced by its digest, never inlined."""

    kind: DocumentKind
    title: Annotated[str, Line(limits.LINE_CHARS)] = Field(min_length=1)
    sha256: Sha256Text


Documents = Annotated[tuple[SupportingDocument, ...], AtMost(limits.DOCUMENTS)]


class Consents(FormModel):
    """The two declarations at the foot of the form; the application is void without them."""

    housing_check: bool
    protected_secret: bool

    @model_validator(mode="after")
    def _both_given(self) -> Self:
        if not (self.housing_check and self.protected_secret):
            raise ValueError("the application requires both consents of Appendix 1")
        return self


class ApplicationForm(FormModel):
    """Appendix 1: the application for registration, signed with the applicant's EDS."""

    applicant_iin: IINText
    applicant_name: Annotated[str, Line(limits.LINE_CHARS)] = Field(min_length=1)
    list_code: Annotated[str, Line(limits.CODE_CHARS)] = Field(min_length=1)
    category_code: Annotated[str, Line(limits.CODE_CHARS)] = Field(min_length=1)
    rooms: int = Field(ge=1, le=10)
    family: Family = ()
    income: Annotated[tuple[IncomeItem, ...], AtMost(limits.INCOME_ITEMS)] = ()
    # Item 4's twelve months (the filing checks they are the last before it) and item 7's
    # underlined conditions, one tuple per person named there, in order (codes of
    # domain.reference.SERIOUS_CONDITIONS). Forms filed before they were recorded read None, ().
    income_period: IncomePeriod | None = None
    serious_conditions: Annotated[tuple[SeriousConditions, ...], AtMost(limits.PERSONS_NAMED)] = ()
    pregnant_over_22_weeks: Persons = ()
    children_with_disability: Persons = ()
    disability_elderly_or_serious_disease: Persons = ()
    musculoskeletal_disability: Persons = ()
    workplace_bin: BINText | None = None
    guardian: Guardian | None = None
    emergency_housing: EmergencyHousing | None = None
    housing_conditions: Annotated[
        tuple[HousingCondition, ...], AtMost(limits.HOUSING_CONDITIONS)
    ] = ()
    accepts_smaller_housing: bool
    # Appendix 1: the stock asked for, and (item 12) the floors accepted (none named: any).
    # Forms filed before these were recorded read EITHER and ().
    stock: StockChoice = StockChoice.EITHER
    accepted_floors: Annotated[
        tuple[Annotated[int, Field(ge=-5, le=200)], ...], AtMost(limits.FLOORS_NAMED)
    ] = ()
    phone: PhoneText
    email: EmailText | None = None
    # The language of the notices (docs/notices.md); forms filed before it was asked read
    # Kazakh, the state language.
    language: Language = "kk"
    consents: Consents
    documents: Documents = ()
    signature: Annotated[str, Line(limits.SIGNATURE_CHARS)] = Field(
        min_length=SIGNATURE_MIN_CHARS, description="EDS signature reference"
    )

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        try:
            kind = get_list_kind(self.list_code)
            kind.category(self.category_code)
        except UnknownReference as error:
            raise ValueError(str(error).strip("'\"")) from None
        if kind.requires_workplace_bin and self.workplace_bin is None:
            raise ValueError(f"the list '{kind.code}' requires the place of work (item 9)")
        if self.list_code == "emergency_housing" and self.emergency_housing is None:
            raise ValueError("the emergency housing list requires the dwelling (item 11)")
        household = self.household_iins()
        if len(household) != 1 + len(self.family):
            raise ValueError("a family member's IIN repeats the applicant's or another member's")
        for field in (
            "pregnant_over_22_weeks",
            "children_with_disability",
            "disability_elderly_or_serious_disease",
            "musculoskeletal_disability",
        ):
            if not set(getattr(self, field)) <= household:
                raise ValueError(f"{field} names a person outside the family (item 3)")
        if not as_stored(info):
            _require_conditions(self.disability_elderly_or_serious_disease, self.serious_conditions)
        return self

    def household_iins(self) -> frozenset[str]:
        return frozenset({self.applicant_iin, *(m.iin for m in self.family)})

    def persons(self) -> int:
        return 1 + len(self.family)

    def required_documents(self) -> frozenset[DocumentKind]:
        """Std 8: what this applicant must attach (state systems supply the rest, §9, §12)."""
        return required_documents(
            self.list_code, self.category_code, self.housing_conditions, self.family
        )


def _require_conditions(named: tuple[str, ...], conditions: tuple[tuple[str, ...], ...]) -> None:
    """Appendix 1 item 7: for each person named, what is underlined (one or more codes)."""
    if len(conditions) != len(named):
        raise ValueError(
            "item 7: serious_conditions gives what is underlined for each person named in"
            " disability_elderly_or_serious_disease, in the same order"
        )
    for codes in conditions:
        unknown = set(codes) - SERIOUS_CONDITIONS
        if not codes or unknown or len(set(codes)) != len(codes):
            known = ", ".join(sorted(SERIOUS_CONDITIONS))
            raise ValueError(f"item 7: each person's conditions are one or more of {known}")


def required_documents(
    list_code: str,
    category_code: str,
    conditions: tuple[HousingCondition, ...],
    family: tuple[FamilyMember, ...],
) -> frozenset[DocumentKind]:
    """Std 8: what an applicant of this category, conditions and family must attach."""
    category = get_list_kind(list_code).category(category_code)
    required: set[DocumentKind] = set()
    if category.requires_certificate_from_work:
        required.add(DocumentKind.CERTIFICATE_FROM_WORK)
    for condition in conditions:
        required.update(_BY_CONDITION[condition])
    if any(m.relation is Relation.RECOGNISED_BY_COURT for m in family):
        required.add(DocumentKind.COURT_DECISION_FAMILY)
    return frozenset(required)


_BY_CONDITION = {
    HousingCondition.SANITARY: (DocumentKind.SANITARY_CONCLUSION,),
    HousingCondition.TECHNICAL: (DocumentKind.TECHNICAL_REPORT,),
    HousingCondition.SHARED_NON_ISOLATED: (
        DocumentKind.TECHNICAL_PASSPORT,
        DocumentKind.TITLE_DOCUMENT,
    ),
    HousingCondition.CHRONIC_DISEASE_COHABITATION: (DocumentKind.CHRONIC_DISEASE_PROOF,),
}


class DataUpdateForm(FormModel):
    """Appendix 3: update, change or supplement the data given earlier."""

    applicant_iin: IINText
    family_member_iin: IINText | None = None
    reason: Annotated[str, Prose(limits.NOTE_CHARS)] = Field(min_length=1)
    grounds_arose_on: date
    documents: Documents = Field(min_length=1)
    family: Family | None = Field(
        default=None, description="the family as it is now, when its composition changed"
    )
    phone: PhoneText | None = None
    email: EmailText | None = None
    # Since the category is updated (Appendix 1 item 2) and the form's declarations and EDS
    # signature are recorded; updates stored before read None, None and "".
    category_code: Annotated[str, Line(limits.CODE_CHARS)] | None = Field(
        default=None, description="the category now, when it changed (within the same list)"
    )
    consents: Consents | None = None
    signature: Annotated[str, Line(limits.SIGNATURE_CHARS)] = Field(
        default="", description="EDS signature reference"
    )

    @model_validator(mode="after")
    def _signed(self, info: ValidationInfo) -> Self:
        if as_stored(info):
            return self
        if self.consents is None or len(self.signature) < SIGNATURE_MIN_CHARS:
            raise ValueError(
                "the Appendix 3 form carries both declarations (consents) and the EDS signature"
            )
        return self
