"""`/cases/{application_id}`: the case file for staff, complaint bodies, courts and auditors:
every act (who, when it took effect and when it was recorded, its basis, the term it met or
missed), the complaints with their text, forwarding and decision, the acts the reader may take
now, and the court export to download (made for the reader's role, as `kezek export`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.auth import Forbidden, Principal
from api.pages.acting import offered
from api.pages.notices import case_notices
from api.pages.rendering import VisitDep
from api.pages.routing import PageRoute
from api.routes.exports import EXPORTERS, _zip
from api.routes.reading import may_read
from api.routes.views import reading
from domain.complaints import body_of
from domain.housing_application import HousingApplication
from domain.names import list_names, provider_names
from domain.values import Role
from projections.audit_trail import AuditTrail
from projections.deadline_monitor import DeadlineMonitor
from replay.export import export_application

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CASE_READERS = (Role.OFFICER, Role.HEAD, Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR)
TRAIL_SHOWN = 500


@dataclass
class ComplaintFile:
    complaint_id: str
    filed: object = None  # the ComplaintFiled event
    forwarded: object = None
    closed: list[object] = field(default_factory=list)  # satisfied or decided


def readable(principal: Principal, app: HousingApplication) -> None:
    """As the API's reads, and a complaint body only the cases of complaints before it."""
    principal.require(*CASE_READERS)
    may_read(principal, app)
    if principal.role is Role.COMPLAINT_BODY:
        body = body_of(principal.actor)
        if not any(case.body is body for case in app.complaints.values()):
            raise Forbidden("a complaint body reads the cases of the complaints before it")


def complaint_files(services: object, app: HousingApplication) -> list[ComplaintFile]:
    store = services.waiting_list.repository.event_store  # type: ignore[attr-defined]
    found: dict[str, ComplaintFile] = {}
    for event in store.get(app.id):
        complaint_id = getattr(event, "complaint_id", None)
        if complaint_id is None:
            continue
        entry = found.setdefault(complaint_id, ComplaintFile(complaint_id))
        kind = type(event).__name__
        if kind == "ComplaintFiled":
            entry.filed = event
        elif kind == "ComplaintForwarded":
            entry.forwarded = event
        else:
            entry.closed.append(event)
    return list(found.values())


@router.get("/cases/{application_id}")
def case_page(visit: VisitDep, application_id: UUID, recorded: str = "") -> Response:
    principal = visit.require(*CASE_READERS)
    services = visit.services
    app = services.waiting_list.application(application_id)
    readable(principal, app)
    with reading(services) as tx:
        trail = services.view(AuditTrail).trail(tx, application_id, limit=TRAIL_SHOWN)
        terms = services.view(DeadlineMonitor).for_application(tx, application_id)
    return visit.render(
        "case.html",
        provider_tz=app.provider,
        app=app,
        provider_name=provider_names(app.provider)[visit.lang],
        list_name=list_names(app.form.list_code)[visit.lang],
        trail=trail,
        terms=terms,
        complaints=complaint_files(services, app),
        notices=case_notices(services, application_id, visit.lang),
        acts=offered(principal, app),
        placed=services.queue.placement(application_id),
        may_export=principal.role in EXPORTERS,
        recorded=recorded[:40],
    )


@router.get("/cases/{application_id}/export")
async def case_export(visit: VisitDep, application_id: UUID) -> Response:
    """The court export bundle of the case, made for the reader's role."""
    principal = visit.require(*EXPORTERS)
    services = visit.services
    app = await run_in_threadpool(services.waiting_list.application, application_id)
    readable(principal, app)
    exported = await run_in_threadpool(
        export_application, services, application_id, role=principal.role
    )
    return visit.finish(_zip(exported.data, f"kezek-{application_id}.zip"))
