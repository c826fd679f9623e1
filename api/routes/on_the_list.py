"""Registration and life on the list: data updates, withdrawal, deregistration, succession,
offers and housing (§11, §12.1, Art. 73-75)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import ApplicationId
from api.routes.acting import APPLICANT, HEAD, STAFF, CallerDep, effective
from api.schemas import ActPublic
from domain.acts.requests import (
    DataUpdateCreate,
    DeregistrationCreate,
    HousingProvisionCreate,
    OfferCreate,
    OfferDeclineCreate,
    RegistrationCreate,
    SuccessionCreate,
    WithdrawalCreate,
)

router = APIRouter(prefix="/v1/applications", tags=["on the list"])
OfferId = Annotated[
    str, Path(min_length=1, max_length=32, description="The offer's id, as the offer answered.")
]


@router.post("/{application_id}/register", response_model=ActPublic)
def register_on_list(
    application_id: ApplicationId, body: RegistrationCreate, caller: CallerDep
) -> ActPublic:
    """Put the citizen on the list with the queue number they now hold (§12.1, Std 5)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.register(application_id, actor=actor, effective_at=effective(body)),
    )


@router.post("/{application_id}/update-data", response_model=ActPublic)
def update_data(
    application_id: ApplicationId, body: DataUpdateCreate, caller: CallerDep
) -> ActPublic:
    """Update, change or supplement the data given earlier (Appendix 3, §11, Std 8)."""
    return caller.act(
        application_id,
        APPLICANT,
        lambda wl, actor: wl.update_data(
            application_id, actor=actor, effective_at=effective(body), update=body.update
        ),
    )


@router.post("/{application_id}/withdraw", response_model=ActPublic)
def withdraw_application(
    application_id: ApplicationId, body: WithdrawalCreate, caller: CallerDep
) -> ActPublic:
    """Withdraw the application, or leave the list, of the applicant's own will."""
    return caller.act(
        application_id,
        APPLICANT,
        lambda wl, actor: wl.withdraw(
            application_id, actor=actor, effective_at=effective(body), reasons=body.reasons
        ),
    )


@router.post("/{application_id}/deregister", response_model=ActPublic)
def deregister_citizen(
    application_id: ApplicationId, body: DeregistrationCreate, caller: CallerDep
) -> ActPublic:
    """Take the citizen off the list on a ground of Art. 73, signed by the head."""
    return caller.act(
        application_id,
        HEAD,
        lambda wl, actor: wl.deregister(
            application_id,
            actor=actor,
            effective_at=effective(body),
            ground=body.ground,
            reasons=body.reasons,
        ),
    )


@router.post("/{application_id}/pass-place", response_model=ActPublic)
def pass_place_to_family_member(
    application_id: ApplicationId, body: SuccessionCreate, caller: CallerDep
) -> ActPublic:
    """Pass the place, with its priority, to a family member (Art. 73), signed by the head."""
    return caller.act(
        application_id,
        HEAD,
        lambda wl, actor: wl.pass_place_to_family_member(
            application_id,
            actor=actor,
            effective_at=effective(body),
            cause=body.cause,
            successor_iin=body.successor_iin,
            reasons=body.reasons,
        ),
    )


@router.post("/{application_id}/offers", status_code=201, response_model=ActPublic)
def offer_housing(application_id: ApplicationId, body: OfferCreate, caller: CallerDep) -> ActPublic:
    """Offer a dwelling to the citizen, in the order of the list (Art. 74 para 1, Art. 75)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.offer_housing(
            application_id, actor=actor, effective_at=effective(body), dwelling=body.dwelling
        ),
    )


@router.post("/{application_id}/offers/{offer_id}/decline", response_model=ActPublic)
def decline_offer(
    application_id: ApplicationId, offer_id: OfferId, body: OfferDeclineCreate, caller: CallerDep
) -> ActPublic:
    """Decline the offer as the applicant, keeping the place on the list (Art. 75)."""
    return caller.act(
        application_id,
        APPLICANT,
        lambda wl, actor: wl.decline_offer(
            application_id,
            actor=actor,
            effective_at=effective(body),
            offer_id=offer_id,
            reasons=body.reasons,
        ),
    )


@router.post("/{application_id}/offers/{offer_id}/provide", response_model=ActPublic)
def provide_housing(
    application_id: ApplicationId,
    offer_id: OfferId,
    body: HousingProvisionCreate,
    caller: CallerDep,
) -> ActPublic:
    """Provide the offered dwelling, signed by the head; the citizen leaves the list (Art. 73)."""
    return caller.act(
        application_id,
        HEAD,
        lambda wl, actor: wl.provide_housing(
            application_id,
            actor=actor,
            effective_at=effective(body),
            offer_id=offer_id,
            reasons=body.reasons,
        ),
    )
