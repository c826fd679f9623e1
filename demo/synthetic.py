"""Synthetic but valid acts for the demo, the benchmarks and the tests."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from domain.actors import Actor
from domain.forms import (
    ApplicationForm,
    Consents,
    DataUpdateForm,
    EmergencyHousing,
    FamilyMember,
    IncomeItem,
    SupportingDocument,
)
from domain.iin import make_iin
from domain.records import (
    AREA_NORM_M2_PER_PERSON,
    AdministrativeFile,
    CheckResult,
    Dwelling,
    MissingItem,
)
from domain.reference import get_list_kind, get_provider
from domain.values import (
    Check,
    CheckOutcome,
    DocumentKind,
    HousingCondition,
    IncomeKind,
    Relation,
    Role,
)
from domain.verification import required_checks


def iin_for(serial: int, *, born: date | None = None) -> str:
    """A valid synthetic IIN; distinct serials give distinct IINs (up to 100 million)."""
    sex: Literal["male", "female"] = "male" if serial % 2 else "female"
    day = born or date(1940, 1, 1) + timedelta(days=serial % 20000)
    for attempt in range(2):
        try:
            return make_iin(day, sex, (serial // 20000) % 5000 + attempt * 5000)
        except ValueError:
            continue
    # Both serials never issued (about 1 in 100): fall back to the day after.
    return iin_for(serial, born=day + timedelta(days=1))


def document(kind: DocumentKind, title: str = "scan") -> SupportingDocument:
    digest = hashlib.sha256(f"{kind.value}:{title}".encode()).hexdigest()
    return SupportingDocument(kind=kind, title=title, sha256=digest)


def make_form(
    serial: int,
    *,
    list_code: str = "socially_vulnerable",
    category_code: str | None = None,
    family_size: int = 1,
    accepts_smaller: bool = True,
    with_documents: bool = True,
) -> ApplicationForm:
    kind = get_list_kind(list_code)
    category = kind.category(category_code) if category_code else kind.categories[0]
    family = tuple(
        FamilyMember(
            iin=iin_for(serial * 7 + 1 + i, born=date(2005 + i % 15, 1 + i % 12, 1 + serial % 28)),
            full_name=f"Member {i}",
            relation=Relation.CHILD if i else Relation.SPOUSE,
        )
        for i in range(family_size)
    )
    form = dict(
        applicant_iin=iin_for(serial),
        applicant_name=f"Applicant {serial}",
        list_code=list_code,
        category_code=category.code,
        rooms=min(1 + family_size, 4),
        family=family,
        accepts_smaller_housing=accepts_smaller,
        phone="+77010000000",
        consents=Consents(housing_check=True, protected_secret=True),
        signature="eds-signature-" + hashlib.sha256(str(serial).encode()).hexdigest()[:32],
    )
    if kind.requires_workplace_bin:
        form["workplace_bin"] = "123456789012"
    if list_code == "emergency_housing":
        form["emergency_housing"] = EmergencyHousing(
            object_type="apartment",
            cadastral_number="20-311-001-123",
            region="Almaty",
            settlement="Almaty",
            street="Abay",
            house="10",
        )
    draft = ApplicationForm(**form)
    if with_documents:
        docs = tuple(document(k) for k in sorted(draft.required_documents(), key=lambda k: k.value))
        draft = draft.model_copy(update={"documents": docs})
    return draft


def appendix_3(**fields: Any) -> DataUpdateForm:
    """An Appendix 3 data update of `fields`, with the form's two declarations and a
    signature reference."""
    digest = hashlib.sha256(repr(sorted(fields.items())).encode()).hexdigest()[:32]
    signed = {"consents": Consents(housing_check=True, protected_secret=True)}
    return DataUpdateForm(**{**signed, "signature": f"eds-signature-{digest}", **fields})


@cache  # Actor is frozen: one instance per staff member serves every act
def officer(provider: str, n: int = 1) -> Actor:
    return Actor(id=f"officer-{provider}-{n}", role=Role.OFFICER, provider=provider)


@cache  # Actor is frozen: one instance per staff member serves every act
def head(provider: str) -> Actor:
    return Actor(id=f"head-{provider}", role=Role.HEAD, provider=provider)


@cache  # Actor is frozen: one instance per staff member serves every act
def complaint_body(code: str = "quality-body") -> Actor:
    return Actor(id=code, role=Role.COMPLAINT_BODY)


WORSENED_ON = date(2023, 6, 1)


def checks_for(
    form: ApplicationForm, provider: str, *, failing: Check | None = None
) -> list[CheckResult]:
    three_years = get_provider(provider).three_year_residence
    return [
        CheckResult(
            check=check,
            outcome=CheckOutcome.FAILED if check is failing else CheckOutcome.PASSED,
            source="ENSRPO" if check is not Check.INCOME else "IS Income",
            residence_years=5 if three_years and check is Check.PERMANENT_REGISTRATION else None,
            # §11: the day of a worsening found (within five years of any filing of 2024-25)
            found_on=WORSENED_ON
            if check is failing and check is Check.NO_DELIBERATE_WORSENING
            else None,
        )
        for check in sorted(required_checks(form), key=_CHECK_ORDER.__getitem__)
    ]


# The checks in the order of their values, looked up rather than read off each enum member.
_CHECK_ORDER = {check: n for n, check in enumerate(sorted(Check, key=lambda c: c.value))}


# -- realistic households for the demo ---------------------------------------------------
#
# The builders below take a seeded `random.Random` so that a demo or a benchmark is repeatable.
# Names are common Kazakh (and a few Russian and Korean) ones; IINs are synthetic but valid, and
# one `IINRegistry` never hands out the same IIN twice.

MALE_NAMES = (
    "Nurlan", "Yerlan", "Askar", "Daniyar", "Yerzhan", "Serik", "Bolat", "Arman", "Timur",
    "Dauren", "Aibek", "Marat", "Zhanibek", "Rustem", "Azamat", "Kairat", "Baurzhan", "Olzhas",
    "Sanzhar", "Alikhan", "Dmitry", "Sergei", "Viktor",
)  # fmt: skip
FEMALE_NAMES = (
    "Aigerim", "Dana", "Aizhan", "Gulnara", "Saule", "Madina", "Zhanar", "Asel", "Dinara",
    "Aliya", "Botagoz", "Kamila", "Ainur", "Saltanat", "Gaukhar", "Akmaral", "Zarina", "Tomiris",
    "Elena", "Olga", "Natalya",
)  # fmt: skip
SURNAMES = (
    "Sarsenbayev", "Nurpeisov", "Abenov", "Zhaksylykov", "Omarov", "Akhmetov", "Bekov",
    "Iskakov", "Kassymov", "Suleimenov", "Baimukhanov", "Yessenov", "Mukhametov", "Tulegenov",
    "Amanzholov", "Kuanyshev", "Ospanov", "Zhumabayev", "Ivanov", "Kuznetsov", "Kim", "Tsoi",
)  # fmt: skip

Sex = Literal["male", "female"]


IIN_SERIALS = range(10000)  # digits 8-11 of an IIN


class IINRegistry:
    """Hands out distinct synthetic IINs. Keep the IINs it issued away from any output.

    Registries given disjoint `serials` never hand out the same IIN (the bulk generator's
    shards draw so).
    """

    def __init__(self, rng: random.Random, serials: range = IIN_SERIALS) -> None:
        self._rng = rng
        self._low, self._high = serials.start, serials.stop
        self.issued: set[str] = set()

    def issue(self, born: date, sex: Sex) -> str:
        while True:
            try:
                iin = make_iin(born, sex, self._rng.randrange(self._low, self._high))
            except ValueError:  # a serial that is never issued: draw again
                continue
            if iin not in self.issued:
                self.issued.add(iin)
                return iin


def surname_for(root: str, sex: Sex) -> str:
    """The surname in the form of `sex`: Sarsenbayev / Sarsenbayeva; Kim stays Kim."""
    if sex == "female" and root.endswith(("ov", "ev", "in")):
        return root + "a"
    return root


def person_name(rng: random.Random, sex: Sex, surname_root: str | None = None) -> str:
    given = rng.choice(MALE_NAMES if sex == "male" else FEMALE_NAMES)
    return f"{given} {surname_for(surname_root or rng.choice(SURNAMES), sex)}"


def mask_name(name: str) -> str:
    """A name fit to print: each word cut to its initial ("Aigerim Omarova" -> "A*** O***").

    Words without letters (a number, say) are kept: "Applicant 12" -> "A*** 12".
    """
    words = name.split()
    return " ".join(f"{w[0]}***" if any(c.isalpha() for c in w) else w for w in words) or "***"


def random_birth_date(rng: random.Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1).toordinal()
    return date.fromordinal(rng.randint(start, date(last_year, 12, 31).toordinal()))


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


# Appendix 1 item 2: who applies to which list, by year of birth, and how large the family is.
_APPLICANT_YEARS = {
    "veterans": (1924, 1927),
    "orphans": (1997, 2006),
    "large_families": (1978, 1995),
    "socially_vulnerable": (1950, 1998),
    "state_employees": (1975, 1999),
    "emergency_housing": (1955, 1995),
}
_SOCIAL_PROOF_CATEGORIES = frozenset(
    {"disability_group_1_2", "families_with_disabled_children", "kandas", "disaster_victims"}
)
# Subsistence minimum (KZT a month) used to draw plausible incomes below 3.1 of it per person.
SUBSISTENCE_MINIMUM_KZT = 46_228
# Family sizes 0-4 of most lists, weighted 20/15/30/25/10 (cumulative, as rng.choices takes).
_FAMILY_SIZES = (20, 35, 65, 90, 100)


# Appendix 1 item 7: what the applicant of these categories underlines for themself.
ITEM_7_UNDERLINED = {
    "disability_group_1_2": "disability",
    "age_pensioners": "elderly",
    "severe_chronic_disease": "cardiovascular_disease",
}


def household_form(
    rng: random.Random,
    iins: IINRegistry,
    *,
    list_code: str,
    category_code: str | None = None,
    family_size: int | None = None,
    with_spouse: bool | None = None,
    accepts_smaller: bool = True,
    settlement: str = "Almaty",
    region: str = "Almaty",
    missing_documents: int = 0,
) -> ApplicationForm:
    """An Appendix 1 form of a plausible household applying to `list_code`.

    `missing_documents` > 0 leaves that many of the documents Std 8 requires unattached (the
    form then gets a housing condition that needs documents, if it had none), for the paths of
    the procedure that start with an incompleteness notice (§10).
    """
    kind = get_list_kind(list_code)
    category = kind.category(category_code) if category_code else rng.choice(kind.categories)
    first, last = _APPLICANT_YEARS.get(list_code, (1960, 1998))
    born = random_birth_date(rng, first, last)
    sex: Sex = "female" if list_code == "large_families" or rng.random() < 0.55 else "male"
    surname = rng.choice(SURNAMES)
    applicant_iin = iins.issue(born, sex)

    if family_size is None:
        if list_code == "large_families":
            family_size = rng.randint(4, 6) + (1 if rng.random() < 0.7 else 0)
        elif list_code in {"veterans", "orphans"}:
            family_size = 1 if rng.random() < 0.2 else 0
        else:
            family_size = rng.choices((0, 1, 2, 3, 4), cum_weights=_FAMILY_SIZES)[0]
    if with_spouse is None:
        with_spouse = family_size >= 1 and (list_code != "large_families" or family_size > 4)
    family: list[FamilyMember] = []
    if with_spouse and family_size >= 1:
        spouse_sex: Sex = "male" if sex == "female" else "female"
        spouse_born = min(born + timedelta(days=rng.randint(-1800, 1800)), date(2004, 1, 1))
        family.append(
            FamilyMember(
                iin=iins.issue(spouse_born, spouse_sex),
                full_name=person_name(rng, spouse_sex, surname),
                relation=Relation.SPOUSE,
            )
        )
    first_child_year = min(born.year + 20, 2022)
    relation = Relation.GRANDCHILD if list_code == "veterans" else Relation.CHILD
    while len(family) < family_size:
        child_sex: Sex = rng.choice(("male", "female"))
        child_born = random_birth_date(rng, first_child_year, max(first_child_year, 2023))
        if list_code == "veterans":
            child_born = random_birth_date(rng, 1985, 2000)
        family.append(
            FamilyMember(
                iin=iins.issue(child_born, child_sex),
                full_name=person_name(rng, child_sex, surname),
                relation=relation,
            )
        )

    form: dict[str, object] = dict(
        applicant_iin=applicant_iin,
        applicant_name=person_name(rng, sex, surname),
        list_code=list_code,
        category_code=category.code,
        rooms=min(1 + (len(family) + 1) // 2, 5),
        family=tuple(family),
        accepts_smaller_housing=accepts_smaller,
        phone=f"+77{rng.choice((0, 0, 0, 4, 7))}{rng.randrange(10**8):08d}",
        email=f"applicant{rng.randrange(10**6)}@mail.kz" if rng.random() < 0.4 else None,
        consents=Consents(housing_check=True, protected_secret=True),
        signature="eds-" + _digest("signature", applicant_iin, rng.random())[:48],
    )
    if category.income_test:
        persons = 1 + len(family)
        monthly = SUBSISTENCE_MINIMUM_KZT * persons * rng.uniform(0.6, 2.9)
        form["income"] = (
            IncomeItem(
                kind=IncomeKind.WAGES if born.year > 1962 else IncomeKind.SOCIAL_PAYMENTS,
                description="last 12 months",
                amount_kzt=Decimal(round(monthly * 12 * 0.7)),
            ),
            IncomeItem(
                kind=IncomeKind.SOCIAL_PAYMENTS,
                description="benefits, last 12 months",
                amount_kzt=Decimal(round(monthly * 12 * 0.3)),
            ),
        )
    children = [m.iin for m in family if m.relation is Relation.CHILD]
    if category.code == "families_with_disabled_children" and children:
        form["children_with_disability"] = (children[0],)
    if category.code in ITEM_7_UNDERLINED:
        form["disability_elderly_or_serious_disease"] = (applicant_iin,)
        form["serious_conditions"] = ((ITEM_7_UNDERLINED[category.code],),)
    if kind.requires_workplace_bin:
        form["workplace_bin"] = f"{rng.randrange(10**12):012d}"
    conditions: list[HousingCondition] = []
    if list_code == "emergency_housing":
        form["emergency_housing"] = EmergencyHousing(
            object_type=rng.choice(("apartment", "house")),
            cadastral_number=f"20-3{rng.randrange(100):02d}-0{rng.randrange(100):02d}-"
            f"{rng.randrange(1000):03d}",
            region=region,
            settlement=settlement,
            street=rng.choice(("Abay", "Tole bi", "Zheltoksan", "Lenin", "Kunayev", "Gagarin")),
            house=str(rng.randint(1, 180)),
        )
        conditions.append(HousingCondition.TECHNICAL)
    elif rng.random() < 0.12:
        conditions.append(rng.choice(list(HousingCondition)))
    form["housing_conditions"] = tuple(conditions)
    draft = ApplicationForm.model_validate(form)
    if missing_documents and not draft.required_documents():
        draft = ApplicationForm.model_validate(
            {**form, "housing_conditions": (HousingCondition.SHARED_NON_ISOLATED,)}
        )
    required = sorted(draft.required_documents(), key=lambda k: k.value)
    attached = required[missing_documents:] if missing_documents else required
    documents = [document(k, f"{k.value} of {draft.signature[4:12]}") for k in attached]
    if category.code in _SOCIAL_PROOF_CATEGORIES:
        documents.append(document(DocumentKind.SOCIAL_STATUS_PROOF, draft.signature[4:12]))
    return draft.model_copy(update={"documents": tuple(documents)})


def missing_items(form: ApplicationForm) -> list[MissingItem]:
    """What an incompleteness notice names for `form` (§10): every Std 8 document not attached."""
    attached = {d.kind for d in form.documents}
    return [
        MissingItem(document=kind, description=f"Std 8: {kind.value.replace('_', ' ')}")
        for kind in sorted(form.required_documents() - attached, key=lambda k: k.value)
    ]


def documents_for(kinds: list[DocumentKind], title: str) -> list[SupportingDocument]:
    return [document(kind, f"{kind.value} {title}") for kind in kinds]


def dwelling(
    rng: random.Random, *, persons: int, settlement: str, below_norm: bool = False
) -> Dwelling:
    """A flat from the state housing stock; at or above the area norm for `persons` unless
    `below_norm` (Housing Relations Art. 75: 15 m2 of useful area a person)."""
    norm = AREA_NORM_M2_PER_PERSON * persons
    tenths = Decimal(rng.randrange(10)) / 10
    if below_norm:
        area = norm - Decimal(rng.randint(3, 9)) - tenths
    else:
        area = max(norm, Decimal(28)) + Decimal(rng.randint(0, 24)) + tenths
    return Dwelling(
        address=f"{settlement}, {rng.choice(('Samal', 'Koktem', 'Almagul', 'Nursat'))} "
        f"microdistrict, block {rng.randint(1, 40)}, flat {rng.randint(1, 120)}",
        rooms=max(1, min(int(area // 18), 5)),
        useful_area_m2=area,
        floor=rng.randint(1, 12),
    )


def administrative_file(reference: str, content: bytes, up_to_version: int) -> AdministrativeFile:
    """The sealed case file that travels with a forwarded complaint (§14)."""
    return AdministrativeFile(
        reference=reference,
        sha256=hashlib.sha256(content).hexdigest(),
        up_to_version=up_to_version,
    )
