"""The pages of those who work on cases: the officer's worklist by last day (`/work`), the
head's queue of decisions to sign (`/sign`), a complaint body's own complaints
(`/complaints`), and the way into a case (`/cases`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.pages.acting import Offered, offered
from api.pages.rendering import VisitDep
from api.pages.routing import PageRoute
from api.routes.views import reading
from domain import acts
from domain.actors import SIGNATORY
from domain.calendar import local_day, working_days_between
from domain.complaints import body_of
from domain.errors import ApplicationNotFound
from domain.reference import get_provider
from domain.values import ComplaintStatus, DeadlineKind, Role
from projections.deadline_monitor import DeadlineMonitor, DeadlineRow
from projections.deadline_rules import APPLICANT

router = APIRouter(route_class=PageRoute, include_in_schema=False)
SHOWN = 200
# The acts that close each kind of term (from the declarations), for the worklist.
CLOSED_BY: dict[DeadlineKind, list[str]] = {
    kind: [a.title for a in acts.ALL if any(c.kind is kind for c in a.terms.closes)]
    for kind in DeadlineKind
}


@dataclass(frozen=True)
class WorkItem:
    term: DeadlineRow
    overdue_by: int | None  # working days past the last day; None: still in time
    needs: list[str]

    @property
    def applicants(self) -> bool:
        return self.term.party == APPLICANT


def _today(provider: str) -> date:
    return local_day(datetime.now(UTC), get_provider(provider).tz)


@router.get("/work")
def worklist(visit: VisitDep) -> Response:
    principal = visit.require(Role.OFFICER, Role.HEAD)
    provider = principal.provider or ""
    today = _today(provider)
    with reading(visit.services) as tx:
        rows = visit.services.view(DeadlineMonitor).running(tx, provider, limit=SHOWN)
    items = [
        WorkItem(
            row,
            working_days_between(row.due_on, today) if row.due_on < today else None,
            CLOSED_BY[row.kind],
        )
        for row in rows
    ]
    return visit.render("work.html", provider_tz=provider, items=items, today=today)


@dataclass(frozen=True)
class ToSign:
    application_id: UUID
    stage: str
    acts: list[Offered]


@router.get("/sign")
def signing_queue(visit: VisitDep) -> Response:
    principal = visit.require(Role.HEAD)
    provider = principal.provider or ""
    services = visit.services
    with reading(services) as tx:
        rows = services.view(DeadlineMonitor).running(tx, provider, limit=SHOWN)
    queue: list[ToSign] = []
    for application_id in dict.fromkeys(row.application_id for row in rows):
        app = services.waiting_list.application(application_id)
        signed = [o for o in offered(principal, app) if o.act.roles == SIGNATORY]
        if signed:
            queue.append(ToSign(application_id, app.status.value, signed))
    return visit.render("sign.html", provider_tz=provider, queue=queue)


@dataclass(frozen=True)
class BodyComplaint:
    term: DeadlineRow
    status: ComplaintStatus


@router.get("/complaints")
def complaints(visit: VisitDep) -> Response:
    """A complaint body's own complaints (those before it, never another body's)."""
    principal = visit.require(Role.COMPLAINT_BODY)
    body = body_of(principal.actor)
    services = visit.services
    with reading(services) as tx:
        rows = services.view(DeadlineMonitor).before_bodies(tx, limit=SHOWN)
    found = []
    for row in rows:
        case = services.waiting_list.application(row.application_id).complaints.get(row.ref)
        if case is not None and body is not None and case.body is body:
            found.append(BodyComplaint(row, case.status))
    return visit.render("complaints.html", items=found)


@router.get("/cases")
def open_case(visit: VisitDep, application: Annotated[str, Query(max_length=64)] = "") -> Response:
    visit.require(Role.OFFICER, Role.HEAD, Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR)
    if application.strip():
        try:
            application_id = UUID(application.strip())
            visit.services.waiting_list.application(application_id)
        except (ValueError, ApplicationNotFound):
            return visit.render("cases.html", status=404, missing=True)
        return visit.redirect(f"/cases/{application_id}")
    return visit.render("cases.html")
