"""Filing and the provider's first acts (§3-§10)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ApplicationId
from api.routes.acting import STAFF, CallerDep, effective, now
from api.schemas import ActPublic
from domain.acts.requests import ActCreate, ApplicationCreate
from domain.values import Role

router = APIRouter(prefix="/v1/applications", tags=["filing"])


@router.post("", status_code=201, response_model=ActPublic)
def submit_application(body: ApplicationCreate, caller: CallerDep) -> ActPublic:
    """File an application (Appendix 1) as the applicant it names."""
    principal, services = caller.principal, caller.services
    principal.require(Role.APPLICANT)
    principal.require_applicant(
        services.waiting_list.identity.applicant_ref(body.form.applicant_iin)
    )
    kept = caller.kept()
    if kept is not None:
        return kept
    return caller.record(
        lambda: services.waiting_list.submit(
            body.form,
            provider=body.provider,
            actor=principal.actor,
            filed_at=body.filed_at or now(),
        )
    )


@router.post("/{application_id}/accept", response_model=ActPublic)
def accept_application(
    application_id: ApplicationId, body: ActCreate, caller: CallerDep
) -> ActPublic:
    """Accept the application on its reception day (§7, §8)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.accept(application_id, actor=actor, effective_at=effective(body)),
    )
