"""Complaints about a decision, an action or inaction of the provider (§14)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import ApplicationId
from api.routes.acting import APPLICANT, COMPLAINT_DECIDERS, STAFF, CallerDep, effective
from api.schemas import ActPublic
from api.schemas_acts import (
    ComplaintCreate,
    ComplaintDecisionCreate,
    ComplaintForwardCreate,
    ComplaintSatisfactionCreate,
)

router = APIRouter(prefix="/v1/applications", tags=["complaints"])
ComplaintId = Annotated[
    str, Path(min_length=1, max_length=32, description="The complaint's id, as filing answered.")
]


@router.post("/{application_id}/complaints", status_code=201, response_model=ActPublic)
def file_complaint(
    application_id: ApplicationId, body: ComplaintCreate, caller: CallerDep
) -> ActPublic:
    """File a complaint about a decision, an action or inaction, as the applicant (§14)."""
    return caller.act(
        application_id,
        APPLICANT,
        lambda wl, actor: wl.file_complaint(
            application_id, actor=actor, effective_at=effective(body), complaint=body.complaint
        ),
    )


@router.post("/{application_id}/complaints/{complaint_id}/forward", response_model=ActPublic)
def forward_complaint(
    application_id: ApplicationId,
    complaint_id: ComplaintId,
    body: ComplaintForwardCreate,
    caller: CallerDep,
) -> ActPublic:
    """Send the complaint and the administrative file on within 3 working days (§14)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.forward_complaint(
            application_id,
            actor=actor,
            effective_at=effective(body),
            complaint_id=complaint_id,
            to_body=body.to_body,
            administrative_file=body.administrative_file,
        ),
    )


@router.post("/{application_id}/complaints/{complaint_id}/satisfy", response_model=ActPublic)
def satisfy_complaint(
    application_id: ApplicationId,
    complaint_id: ComplaintId,
    body: ComplaintSatisfactionCreate,
    caller: CallerDep,
) -> ActPublic:
    """Meet the complaint in full at the provider within 3 working days (§14)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.satisfy_complaint(
            application_id,
            actor=actor,
            effective_at=effective(body),
            complaint_id=complaint_id,
            action_taken=body.action_taken,
        ),
    )


@router.post("/{application_id}/complaints/{complaint_id}/decide", response_model=ActPublic)
def decide_complaint(
    application_id: ApplicationId,
    complaint_id: ComplaintId,
    body: ComplaintDecisionCreate,
    caller: CallerDep,
) -> ActPublic:
    """Decide the complaint, with any remedy: the provider's head or a complaint body (§14)."""
    return caller.act(
        application_id,
        COMPLAINT_DECIDERS,
        lambda wl, actor: wl.decide_complaint(
            application_id,
            actor=actor,
            effective_at=effective(body),
            complaint_id=complaint_id,
            outcome=body.outcome,
            reasons=body.reasons,
            remedy=body.remedy,
            corrected_priority=body.corrected_priority,
        ),
    )
