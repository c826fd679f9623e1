"""What can be read: an application's state and its position."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import Principal
from api.deps import ApplicationId, CurrentPrincipal, ServicesDep, load_application
from api.problems import NotFound
from api.schemas import ApplicationPublic, PositionPublic
from domain.housing_application import HousingApplication
from domain.values import Role
from projections.queue import QueueProjection

router = APIRouter(prefix="/v1/applications", tags=["reading"])

READERS = (Role.APPLICANT, Role.OFFICER, Role.HEAD, Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR)


def may_read(principal: Principal, app: HousingApplication) -> None:
    principal.require(*READERS)
    principal.require_provider(app.provider)
    principal.require_applicant(app.applicant_ref)


@router.get("/{application_id}", response_model=ApplicationPublic)
def read_application(
    application_id: ApplicationId, services: ServicesDep, principal: CurrentPrincipal
) -> ApplicationPublic:
    """The current state of an application."""
    principal.require(*READERS)  # before the lookup: a 404 would confirm that an id exists
    app = load_application(services, application_id)
    may_read(principal, app)
    return ApplicationPublic.of(app)


@router.get("/{application_id}/position", response_model=PositionPublic)
def read_position(
    application_id: ApplicationId, services: ServicesDep, principal: CurrentPrincipal
) -> PositionPublic:
    """The application's current position on its list, out of how many, and its priority."""
    principal.require(*READERS)
    app = load_application(services, application_id)
    may_read(principal, app)
    found = services.view(QueueProjection).position(application_id)
    if found is None:
        raise NotFound(f"application {application_id} is not on a list (or not yet in the view)")
    position, length = found
    return PositionPublic(
        application_id=application_id,
        provider=app.provider,
        list_code=app.form.list_code,
        position=position,
        out_of=length,
        priority_moment=app.priority_moment,
    )
