"""A case rich in personal data, and a scan of a bundle for any of it.

A family of three with names in Kazakh files and is registered, a child is added by an
Appendix 3 update, and the place passes to the spouse: every event that carries IINs or names
(Applied, DataUpdated, PlacePassedToFamilyMember) is in its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from demo.synthetic import appendix_3, document, iin_for, make_form
from domain import acts
from domain.forms import FamilyMember
from domain.values import DocumentKind, Relation
from domain.waiting_list import WaitingList
from replay.bundle import read_zip
from tests.integration.walk import DAY_ONE, local, pass_place, register, submit

APPLICANT = "Әйгерім Серікқызы Нұрланова"
SPOUSE = "Серік Болатұлы Нұрланов"
DAUGHTER = "Дана Серікқызы"
CHILD = "Нұрсұлтан Серікұлы"


@dataclass(frozen=True)
class Household:
    """The case and the personal data a bundle made for an auditor must not carry."""

    application_id: UUID
    applicant_iin: str
    iins: frozenset[str]
    names: frozenset[str]


def family_case(wl: WaitingList, serial: int = 3) -> Household:
    drafted = make_form(serial, family_size=2)
    family = tuple(
        member.model_copy(update={"full_name": name})
        for member, name in zip(drafted.family, (SPOUSE, DAUGHTER), strict=True)
    )
    form = drafted.model_copy(update={"applicant_name": APPLICANT, "family": family})
    app_id = submit(wl, serial, filed_at=DAY_ONE, form=form)
    register(wl, app_id, day=DAY_ONE)
    child = FamilyMember(
        iin=iin_for(serial * 7 + 50, born=date(2024, 4, 1)),
        full_name=CHILD,
        relation=Relation.CHILD,
    )
    update = appendix_3(
        applicant_iin=form.applicant_iin,
        family_member_iin=child.iin,
        reason="birth of a child",
        grounds_arose_on=date(2024, 4, 1),
        documents=(document(DocumentKind.OTHER, "birth certificate"),),
        family=(*family, child),
        phone="+77011234567",
    )
    wl.perform(
        acts.UPDATE_DATA,
        app_id,
        actor=wl.applicant(form.applicant_iin),
        effective_at=local(2024, 4, 2),
        update=update,
    )
    pass_place(wl, app_id, local(2024, 4, 10))
    return Household(
        app_id,
        form.applicant_iin,
        frozenset({*form.household_iins(), child.iin}),
        frozenset({APPLICANT, SPOUSE, DAUGHTER, CHILD}),
    )


def personal_data_in(bundle: bytes, household: Household) -> list[str]:
    """Which member of the zip carries which kind of the household's personal data (the values
    themselves never printed)."""
    found = []
    for name, data in sorted(read_zip(bundle).items()):
        if any(iin.encode() in data for iin in household.iins):
            found.append(f"{name}: an IIN")
        if any(full.encode() in data for full in household.names):
            found.append(f"{name}: a full name")
    return found


def every_piece_in(bundle: bytes, household: Household) -> bool:
    """Every IIN and every name of the household is somewhere in the bundle."""
    data = b"".join(read_zip(bundle).values())
    pieces = [*household.iins, *household.names]
    return all(piece.encode() in data for piece in pieces)
