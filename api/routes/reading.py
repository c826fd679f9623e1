"""What can be read: an application's state and its position."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from api.auth import Principal
from api.deps import (
    ApplicationId,
    CurrentPrincipal,
    FreshIndex,
    FreshLog,
    ServicesDep,
    load_application,
)
from api.problems import NotFound
from api.schemas import ApplicationPublic, PositionPublic
from api.services import Services
from domain.housing_application import HousingApplication
from domain.values import Role

router = APIRouter(prefix="/v1/applications", tags=["reading"])

READERS = (Role.APPLICANT, Role.OFFICER, Role.HEAD, Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR)


def may_read(principal: Principal, app: HousingApplication) -> None:
    principal.require(*READERS)
    principal.require_provider(app.provider)
    principal.require_applicant(app.applicant_ref)


def require_readable(services: Services, principal: Principal, application_id: UUID) -> None:
    """The reads of one application by id: the role is checked before the lookup, so a role
    no read allows learns nothing (a 404 would confirm that the id exists)."""
    principal.require(*READERS)
    may_read(principal, load_application(services, application_id))


@router.get("/{application_id}", response_model=ApplicationPublic)
def read_application(
    application_id: ApplicationId,
    services: ServicesDep,
    principal: CurrentPrincipal,
    _: FreshLog,
) -> ApplicationPublic:
    """The current state of an application."""
    principal.require(*READERS)  # before the lookup: a 404 would confirm that an id exists
    app = load_application(services, application_id)
    may_read(principal, app)
    return ApplicationPublic.of(app)


@router.get("/{application_id}/position", response_model=PositionPublic)
async def read_position(
    application_id: ApplicationId,
    services: ServicesDep,
    principal: CurrentPrincipal,
    _: FreshIndex,
) -> PositionPublic:
    """The application's current position on its list, out of how many, and its priority."""
    # From the queue view's index alone (it keeps each entry's list, priority moment and
    # holder), in microseconds and without I/O: hence `async`, which spares the thread pool.
    principal.require(*READERS)  # before the lookup: a 404 would confirm that an id exists
    placed = services.queue.placement(application_id)
    if placed is None:
        raise NotFound(f"application {application_id} is not on a list (or not yet in the view)")
    principal.require_provider(placed.provider)
    if principal.role is Role.APPLICANT:
        holder = placed.holder
        if holder is None:  # a generation filled before the view kept holders
            app = await run_in_threadpool(load_application, services, application_id)
            holder = app.applicant_ref
        principal.require_applicant(holder)
    return PositionPublic(
        application_id=application_id,
        provider=placed.provider,
        list_code=placed.list_code,
        position=placed.position,
        out_of=placed.out_of,
        priority_moment=placed.priority_moment,
    )
