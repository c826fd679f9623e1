"""What an offer of housing must be (Art. 74, Art. 75, Appendix 1 items 12-13): of the stock
the applicant chose, on a floor they accept, and not below the norm for one who refused smaller
housing; which offer is open to be answered; and what refusing one brings about (Art. 73-75,
docs/domain.md "Refused offers")."""

from __future__ import annotations

from domain.errors import (
    DeregistrationGroundNotMet,
    HousingNotAsChosen,
    OfferNotOpen,
    RefusalReasonUnsupported,
    SmallerHousingRefused,
    UnknownOffer,
)
from domain.forms import ApplicationForm, SupportingDocument
from domain.records import AREA_NORM_M2_PER_PERSON, Dwelling
from domain.values import OfferRefusalReason, Status


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


# Art. 73-75 as read in docs/domain.md ("Refused offers"): the refusals without a valid reason
# of offers that met the norm and the choices, after which a ground to deregister is open.
UNJUSTIFIED_REFUSALS_LIMIT = 2


def refusal_is_unjustified(
    reason: OfferRefusalReason | None, document: SupportingDocument | None, below_norm: bool
) -> bool:
    """Whether the refusal counts: no valid reason, of a dwelling at or above the norm (a
    refusal recorded without a reason code, as before the codes existed, never counts)."""
    if reason is None or below_norm:
        return False
    if reason is OfferRefusalReason.NO_VALID_REASON:
        return True
    if document is None:
        raise RefusalReasonUnsupported(f"the reason '{reason.value}' comes with its document")
    return False


def refusal_consequence(unjustified: bool, refused_so_far: int, below_norm: bool) -> str:
    """What the refusal brought about, in words (the receipt's `consequence`)."""
    if below_norm:
        return "the dwelling was below the norm (Art. 75): refused without consequence"
    if not unjustified:
        return "refused for a valid reason: the place is kept, the refusal does not count"
    text = f"refused without a valid reason ({refused_so_far} of {UNJUSTIFIED_REFUSALS_LIMIT})"
    if refused_so_far >= UNJUSTIFIED_REFUSALS_LIMIT:
        return f"{text}: a ground for deregistration (offers_refused, Art. 73) is open to the head"
    return f"{text}: the place is kept"


def require_refusals_for_deregistration(refused: int) -> None:
    if refused < UNJUSTIFIED_REFUSALS_LIMIT:
        raise DeregistrationGroundNotMet(
            f"{refused} offer(s) refused without a valid reason; the ground needs"
            f" {UNJUSTIFIED_REFUSALS_LIMIT}"
        )
