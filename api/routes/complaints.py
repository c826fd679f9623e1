"""Complaints about a decision, an action or inaction of the provider (§14)."""

from __future__ import annotations

from copy import deepcopy
from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import ApplicationId, load_application
from api.routes.acting import APPLICANT, COMPLAINT_DECIDERS, STAFF, CallerDep, effective
from api.schemas import ActPublic
from domain.acts.requests import (
    ComplaintCreate,
    ComplaintDecisionCreate,
    ComplaintForwardCreate,
    ComplaintSatisfactionCreate,
)
from domain.records import AdministrativeFile
from replay.administrative_files import digest, keep
from replay.export import export_application

router = APIRouter(prefix="/v1/applications", tags=["complaints"])
# Stands in for the bundle while the act is tried on a copy, before anything is exported.
PLACEHOLDER = AdministrativeFile(reference="pending", sha256="0" * 64, up_to_version=1)
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
    at = effective(body)
    file = body.administrative_file
    bundle: bytes | None = None
    caller.principal.require(*STAFF)
    kept = caller.kept()  # a retry: no new bundle, the first answer again
    if kept is not None:
        return kept
    if file is None:
        caller.principal.require(*STAFF)
        app = load_application(caller.services, application_id)
        caller.principal.require_provider(app.provider)
        # Try the act on a copy first: a refused forward must leave no bundle behind.
        deepcopy(app).forward_complaint(
            actor=caller.principal.actor,
            effective_at=at,
            complaint_id=complaint_id,
            to_body=body.to_body,
            administrative_file=PLACEHOLDER,
        )
        bundle = export_application(caller.services, application_id).data
        file = AdministrativeFile(
            reference=f"/v1/administrative-files/{digest(bundle)}",
            sha256=digest(bundle),
            up_to_version=app.version,
        )
    if bundle is not None:
        # Stored first: a recorded forward never names a file that is not kept. A forward
        # refused after this leaves a file no event names, which is harmless (content-addressed).
        keep(caller.services.database, application_id, bundle)
    answer = caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.forward_complaint(
            application_id,
            actor=actor,
            effective_at=at,
            complaint_id=complaint_id,
            to_body=body.to_body,
            administrative_file=file,
        ),
    )
    return answer


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
