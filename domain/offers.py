"""What an offer of housing must be (Art. 74, Art. 75, Appendix 1 items 12-13): of the stock
the applicant chose, on a floor they accept, and not below the norm for one who refused smaller
housing; and which offer is open to be answered."""

from __future__ import annotations

from domain.errors import HousingNotAsChosen, OfferNotOpen, SmallerHousingRefused, UnknownOffer
from domain.forms import ApplicationForm
from domain.records import AREA_NORM_M2_PER_PERSON, Dwelling
from domain.values import Status


def is_below_norm(dwelling: Dwelling, persons: int) -> bool:
    """Whether the dwelling is smaller than the norm for a household of `persons`."""
    return dwelling.useful_area_m2 < AREA_NORM_M2_PER_PERSON * persons


def not_as_chosen(form: ApplicationForm, dwelling: Dwelling) -> str:
    """Why the dwelling is not what the applicant asked for (Appendix 1), or ""."""
    if not form.stock.allows(dwelling.stock):
        return f"the applicant asked for {form.stock.value} housing, not {dwelling.stock.value}"
    if form.accepted_floors and dwelling.floor not in form.accepted_floors:
        floors = ", ".join(str(f) for f in form.accepted_floors)
        return f"the applicant accepts floors {floors}; the dwelling's is {dwelling.floor}"
    return ""


def require_offerable(form: ApplicationForm, dwelling: Dwelling, persons: int) -> bool:
    """The dwelling may be offered to this applicant; says whether it is below the norm."""
    below = is_below_norm(dwelling, persons)
    if below and not form.accepts_smaller_housing:
        raise SmallerHousingRefused("the applicant refused housing smaller than the norm")
    unchosen = not_as_chosen(form, dwelling)
    if unchosen:
        raise HousingNotAsChosen(unchosen)
    return below


def offer_id(number: int) -> str:
    """The id of the application's `number`th offer (o1, o2, ...)."""
    return f"o{number}"


def require_open_offer(
    requested: str, offers_made: int, status: Status, open_offer: str | None
) -> None:
    """The offer answered was made and is still open."""
    if requested not in {offer_id(n) for n in range(1, offers_made + 1)}:
        raise UnknownOffer(f"no offer '{requested}' on this application")
    if status is not Status.OFFERED or open_offer != requested:
        raise OfferNotOpen(f"offer '{requested}' is no longer open")
