"""Synthetic but valid acts for the demo, the benchmarks and the tests."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Literal

from domain.actors import Actor
from domain.forms import (
    ApplicationForm,
    Consents,
    EmergencyHousing,
    FamilyMember,
    SupportingDocument,
)
from domain.iin import make_iin
from domain.records import CheckResult
from domain.reference import get_list_kind, get_provider
from domain.values import Check, CheckOutcome, DocumentKind, Relation, Role
from domain.verification import required_checks

# For tests and the demo only; a deployment sets KEZEK_IDENTITY_KEY from its own secret store.
IDENTITY_KEY_HEX = "6b657a656b2d746573742d6964656e746974792d6b65792d6f6e6c792d74657374"


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


def officer(provider: str, n: int = 1) -> Actor:
    return Actor(id=f"officer-{provider}-{n}", role=Role.OFFICER, provider=provider)


def head(provider: str) -> Actor:
    return Actor(id=f"head-{provider}", role=Role.HEAD, provider=provider)


def complaint_body(code: str = "quality-body") -> Actor:
    return Actor(id=code, role=Role.COMPLAINT_BODY)


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
        )
        for check in sorted(required_checks(form), key=lambda c: c.value)
    ]
