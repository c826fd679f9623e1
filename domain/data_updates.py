"""Who an Appendix 3 data update may name (§11, Std 8, Appendix 1 item 3): the applicant
themself, and members of the family as it stands or as the update gives it."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import UnknownFamilyMember
from domain.forms import DataUpdateForm, FamilyMember


def require_household(
    holder_iin: str, family: Sequence[FamilyMember], update: DataUpdateForm
) -> None:
    if update.applicant_iin != holder_iin:
        raise UnknownFamilyMember("the form names another applicant")
    household = {holder_iin, *(m.iin for m in family)}
    if update.family is not None:
        members = [m.iin for m in update.family]
        if holder_iin in members or len(members) != len(set(members)):
            raise UnknownFamilyMember(
                "the family names the applicant, or a member twice (Appendix 1 item 3)"
            )
        household |= set(members)
    if update.family_member_iin is not None and update.family_member_iin not in household:
        raise UnknownFamilyMember("the family member named is not in the family")
