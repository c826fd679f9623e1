"""Filing and the provider's first acts (§3-§10)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ApplicationId, CurrentPrincipal, ServicesDep, load_application
from api.schemas import ActCreate, ActPublic, ApplicationCreate
from api.services import Services
from domain.ledger_base import Receipt
from domain.values import Role

router = APIRouter(prefix="/v1/applications", tags=["filing"])
Wait = Annotated[bool, Query(description="Wait (up to 5 s) until the views include this act.")]
WAIT_SECONDS = 5.0


def now() -> datetime:
    return datetime.now(UTC)


def answer(services: Services, receipt: Receipt, wait: bool) -> ActPublic:
    caught_up = services.runner.wait_for(receipt.notification_id, WAIT_SECONDS) if wait else None
    app = services.waiting_list.application(receipt.application_id)
    return ActPublic.of(receipt, app.status.value, caught_up)


@router.post("", status_code=201, response_model=ActPublic)
def submit_application(
    body: ApplicationCreate, services: ServicesDep, principal: CurrentPrincipal, wait: Wait = False
) -> ActPublic:
    """File an application (Appendix 1) as the applicant it names."""
    principal.require(Role.APPLICANT)
    principal.require_applicant(
        services.waiting_list.identity.applicant_ref(body.form.applicant_iin)
    )
    receipt = services.waiting_list.submit(
        body.form,
        provider=body.provider,
        actor=principal.actor,
        filed_at=body.filed_at or now(),
    )
    return answer(services, receipt, wait)


@router.post("/{application_id}/accept", response_model=ActPublic)
def accept_application(
    application_id: ApplicationId,
    body: ActCreate,
    services: ServicesDep,
    principal: CurrentPrincipal,
    wait: Wait = False,
) -> ActPublic:
    """Accept the application on its reception day (§7, §8)."""
    principal.require(Role.OFFICER, Role.HEAD)
    principal.require_provider(load_application(services, application_id).provider)
    receipt = services.waiting_list.accept(
        application_id, actor=principal.actor, effective_at=body.effective_at or now()
    )
    return answer(services, receipt, wait)
